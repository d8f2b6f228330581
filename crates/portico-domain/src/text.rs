//! Free-text value types and the one set of rules they share.
//!
//! Every piece of text a person types into Portico passes through one function: it is trimmed,
//! must not be empty, is limited in length (counted in grapheme clusters, what a reader sees
//! as characters), and may not carry control characters — except line breaks and tabs in
//! multi-line fields, where `\r\n` is normalised to `\n`. Control characters are refused
//! rather than stripped: silently changing what someone typed hides mistakes, and CR/LF in a
//! single-line field is the raw material of header injection.
//!
//! Invisible format characters ([`is_invisible_format`]) are the exception: they are
//! removed. Nobody can see them, so removing them changes nothing a reader sees — except what
//! they were put there to hide: a right-to-left override makes `invoice\u{202e}fdp.exe` read
//! as `invoiceexe.pdf` in a download name, a list or a mail subject. Removing rather than
//! refusing also keeps every stored text readable by the rules of today.

use unicode_segmentation::UnicodeSegmentation;

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace was given.
    #[error("must not be empty")]
    Empty,
    /// The text is longer than the field allows.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The limit, in characters (grapheme clusters).
        max: usize,
    },
    /// The text holds a control character (or a line break in a single-line field).
    #[error("must not contain control characters or line breaks")]
    ControlCharacter,
}

/// Whether a field may span several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// One line: no control characters at all.
    Single,
    /// Several lines: `\n` and `\t` allowed, `\r\n` normalised to `\n`.
    Multi,
}

/// Whether `c` is an invisible format character that Portico removes from all text: the
/// bidirectional controls (marks, embeddings, overrides, isolates), the soft hyphen, zero-width
/// space, word joiner and invisible operators, the byte-order mark, interlinear annotation
/// marks and tag characters. The zero-width joiner and non-joiner stay: Persian, the Indic
/// scripts and emoji sequences need them, and they reorder nothing.
pub const fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// `input` without its invisible format characters (borrowed when it has none).
pub fn without_invisible_format(input: &str) -> std::borrow::Cow<'_, str> {
    if input.chars().any(is_invisible_format) {
        std::borrow::Cow::Owned(input.chars().filter(|c| !is_invisible_format(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(input)
    }
}

/// Trims `input` and checks it against the shared text rules. The length is that of the text
/// as typed, white space around it included, so it is the length a form field or an API
/// schema (`maxLength`) shows: a text one space over the limit is refused, not trimmed in.
pub(crate) fn clean(input: &str, max: usize, lines: Lines) -> Result<String, TextError> {
    let visible = without_invisible_format(input);
    // Cheap upper bound first: a grapheme is at least one byte.
    if visible.len() > max && visible.graphemes(true).count() > max {
        return Err(TextError::TooLong { max });
    }
    let normalised;
    let text = match lines {
        Lines::Single => visible.trim(),
        Lines::Multi => {
            normalised = visible.replace("\r\n", "\n");
            normalised.trim()
        }
    };
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    let allowed = |c: char| lines == Lines::Multi && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// Defines a validated text newtype built through [`clean`].
macro_rules! bounded_text {
    ($(#[$meta:meta])* $name:ident, max = $max:expr, lines = $lines:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The longest accepted text, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Trims and validates `input`.
            ///
            /// # Errors
            /// [`TextError`](crate::text::TextError) when the text is empty, too long or holds
            /// forbidden characters.
            pub fn parse(input: &str) -> Result<Self, $crate::text::TextError> {
                $crate::text::clean(input, Self::MAX_CHARS, $crate::text::Lines::$lines).map(Self)
            }

            /// The text itself.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The key lists are sorted by: the text lower-cased, so "adam" and "Adam" sort
            /// together. Storage adapters keep it beside the text so keyset pagination orders
            /// the same on every engine.
            pub fn sort_key(&self) -> String {
                self.0.to_lowercase()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use bounded_text;

bounded_text!(
    /// A person's full name, as it appears on tasks, invoices and messages.
    PersonName, max = 200, lines = Single
);
bounded_text!(
    /// The name of a workspace (the agency).
    WorkspaceName, max = 200, lines = Single
);
bounded_text!(
    /// A client's postal or billing address, several lines.
    BillingAddress, max = 1_000, lines = Multi
);
bounded_text!(
    /// Staff-only notes about a client. No client-facing type has a field of this type.
    InternalNotes, max = 10_000, lines = Multi
);
bounded_text!(
    /// The name of a project.
    ProjectName, max = 200, lines = Single
);
bounded_text!(
    /// The title of a task.
    TaskTitle, max = 300, lines = Single
);
bounded_text!(
    /// A longer description (of a project or a task).
    Description, max = 20_000, lines = Multi
);
bounded_text!(
    /// The body of a message, comment or approval answer.
    MessageBody, max = 20_000, lines = Multi
);
bounded_text!(
    /// What an API token is for ("Accounting sync"), so admins know which one to revoke.
    TokenLabel, max = 100, lines = Single
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(PersonName::parse("  Sarah Chen \t").map(|n| n.0), Ok("Sarah Chen".into()));
    }

    #[test]
    fn refuses_blank_text() {
        assert_eq!(PersonName::parse(""), Err(TextError::Empty));
        assert_eq!(PersonName::parse(" \t "), Err(TextError::Empty));
        assert_eq!(InternalNotes::parse("\r\n\n"), Err(TextError::Empty));
    }

    #[test]
    fn counts_length_as_typed_white_space_included() {
        let name = "a".repeat(PersonName::MAX_CHARS);
        assert!(PersonName::parse(&name).is_ok());
        assert_eq!(PersonName::parse(&format!("{name} ")), Err(TextError::TooLong { max: PersonName::MAX_CHARS }));
        assert_eq!(PersonName::parse(&format!(" {name}")), Err(TextError::TooLong { max: PersonName::MAX_CHARS }));
    }

    #[test]
    fn counts_length_in_graphemes_not_bytes() {
        // "é" written as e + combining accent is one grapheme but three bytes.
        let accented = "e\u{301}".repeat(200);
        assert!(PersonName::parse(&accented).is_ok());
        let too_long = "e\u{301}".repeat(201);
        assert_eq!(PersonName::parse(&too_long), Err(TextError::TooLong { max: 200 }));
    }

    #[test]
    fn refuses_line_breaks_in_single_line_fields() {
        assert_eq!(PersonName::parse("Sarah\r\nBcc: x@y.z"), Err(TextError::ControlCharacter));
        assert_eq!(ProjectName::parse("a\tb"), Err(TextError::ControlCharacter));
        assert_eq!(PersonName::parse("nul\0byte"), Err(TextError::ControlCharacter));
    }

    #[test]
    fn multi_line_fields_keep_lines_and_normalise_crlf() {
        let address = BillingAddress::parse("1 Main St\r\nSpringfield\tIL").expect("valid");
        assert_eq!(address.as_str(), "1 Main St\nSpringfield\tIL");
        assert_eq!(BillingAddress::parse("bell\u{7}"), Err(TextError::ControlCharacter));
    }

    #[test]
    fn invisible_format_characters_are_removed() {
        assert_eq!(PersonName::parse("Sarah\u{202e} Chen\u{200b}").map(|n| n.0), Ok("Sarah Chen".into()));
        assert_eq!(PersonName::parse("\u{2066}\u{2069}\u{feff}"), Err(TextError::Empty));
        let persian = "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}";
        assert_eq!(PersonName::parse(persian).map(|n| n.0), Ok(persian.to_owned()), "ZWNJ stays");
    }

    /// The characters the rule names, written out independently of the function under test.
    const INVISIBLE: &[char] = &[
        '\u{00AD}',
        '\u{061C}',
        '\u{180E}',
        '\u{200B}',
        '\u{200E}',
        '\u{200F}',
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{206A}',
        '\u{206F}',
        '\u{FEFF}',
        '\u{FFF9}',
        '\u{FFFA}',
        '\u{FFFB}',
        '\u{E0001}',
        '\u{E0020}',
        '\u{E0041}',
        '\u{E007F}',
    ];

    /// Text with some invisible characters put in at the given places.
    fn sprinkle(text: &str, at: &[(usize, usize)]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for &(place, which) in at {
            chars.insert(place % (chars.len() + 1), INVISIBLE[which % INVISIBLE.len()]);
        }
        chars.into_iter().collect()
    }

    proptest! {
        #[test]
        fn invisible_characters_never_survive_and_change_nothing_else(
            text in "\\PC{0,80}",
            at in proptest::collection::vec((0usize..100, 0usize..100), 1..8),
        ) {
            let hidden = sprinkle(&text, &at);
            prop_assert_eq!(PersonName::parse(&hidden), PersonName::parse(&text));
            prop_assert_eq!(MessageBody::parse(&hidden), MessageBody::parse(&text));
            if let Ok(name) = PersonName::parse(&hidden) {
                prop_assert!(!name.as_str().chars().any(|c| INVISIBLE.contains(&c)));
            }
        }

        #[test]
        fn accepted_text_is_trimmed_bounded_and_clean(input in "\\PC{0,250}") {
            if let Ok(name) = PersonName::parse(&input) {
                let text = name.as_str();
                prop_assert_eq!(text, text.trim());
                prop_assert!(!text.is_empty());
                prop_assert!(text.graphemes(true).count() <= PersonName::MAX_CHARS);
                prop_assert!(!text.chars().any(char::is_control));
            }
        }

        #[test]
        fn parsing_is_idempotent(input in "[ a-zA-Zé\\n\\t]{0,60}") {
            if let Ok(notes) = InternalNotes::parse(&input) {
                prop_assert_eq!(InternalNotes::parse(notes.as_str()), Ok(notes.clone()));
            }
        }

        #[test]
        fn any_control_character_is_refused_in_a_name(
            prefix in "[a-z]{1,10}", control in "[\\x00-\\x1f\\x7f]", suffix in "[a-z]{1,10}"
        ) {
            let input = format!("{prefix}{control}{suffix}");
            prop_assert_eq!(PersonName::parse(&input), Err(TextError::ControlCharacter));
        }
    }
}
