//! Phone numbers, kept for staff reference only (nothing dials them).
//!
//! Numbers are stored as typed, because people write them in their own national formats; the
//! check only makes sure the text is a phone number at all: digits with the usual separators,
//! an optional leading `+`, and an optional extension (`x 12`, `ext. 12`).

use std::fmt;

/// Why text is not an acceptable phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing but whitespace was given.
    #[error("must not be empty")]
    Empty,
    /// Longer than any phone number.
    #[error("must be at most {max} characters", max = Phone::MAX_CHARS)]
    TooLong,
    /// A character other than digits, spaces, `+ - ( ) . /` and an extension marker.
    #[error("may contain only digits, spaces, + - ( ) . / and an extension such as \"x 12\"")]
    InvalidCharacter,
    /// Fewer digits than the shortest real number.
    #[error("must contain at least {min} digits", min = Phone::MIN_DIGITS)]
    TooFewDigits,
}

/// A phone number as typed (trimmed), checked to look like one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// The longest accepted number, extension included.
    pub const MAX_CHARS: usize = 40;
    /// The fewest digits a number (without extension) must have.
    pub const MIN_DIGITS: usize = 4;

    /// Trims and validates `input`.
    ///
    /// # Errors
    /// [`PhoneError`] when the text is empty, too long, holds other characters or too few digits.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(PhoneError::Empty);
        }
        // Counted as typed, as every text length is (`text::clean`).
        if input.chars().count() > Self::MAX_CHARS {
            return Err(PhoneError::TooLong);
        }
        let (number, extension) = split_extension(text);
        let number_ok = number
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/') || (c == '+' && i == 0));
        let extension_ok = extension
            .is_none_or(|digits| !digits.is_empty() && digits.len() <= 6 && digits.chars().all(|c| c.is_ascii_digit()));
        if !number_ok || !extension_ok {
            return Err(PhoneError::InvalidCharacter);
        }
        if number.chars().filter(char::is_ascii_digit).count() < Self::MIN_DIGITS {
            return Err(PhoneError::TooFewDigits);
        }
        Ok(Self(text.to_owned()))
    }

    /// The number as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Splits `"+1 555 0100 ext. 12"` into `("+1 555 0100", Some("12"))`.
fn split_extension(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", "x"] {
        if let Some(at) = lower.find(marker) {
            // `to_ascii_lowercase` keeps byte offsets, so `at` indexes `text` too.
            let extension = text[at + marker.len()..].trim_start_matches([' ', '.', ':']);
            return (text[..at].trim_end(), Some(extension));
        }
    }
    (text, None)
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_common_formats() {
        for text in [
            "+1 (555) 010-0199",
            "020 7946 0958",
            "+44.20.7946.0958",
            "555-0100 x 12",
            "+49 30 1234 ext. 7",
            "0301234/56",
        ] {
            assert_eq!(Phone::parse(text).map(|p| p.0), Ok(text.to_owned()), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_phone_number() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("call me"), Err(PhoneError::InvalidCharacter));
        assert_eq!(Phone::parse("555\n0100"), Err(PhoneError::InvalidCharacter));
        assert_eq!(Phone::parse("55+5 0100"), Err(PhoneError::InvalidCharacter));
        assert_eq!(Phone::parse("555 0100 x"), Err(PhoneError::InvalidCharacter));
        assert_eq!(Phone::parse("12-3"), Err(PhoneError::TooFewDigits));
        assert_eq!(Phone::parse(&"1".repeat(41)), Err(PhoneError::TooLong));
    }

    proptest! {
        #[test]
        fn accepted_numbers_are_trimmed_and_have_enough_digits(input in "[ +0-9()x.-]{0,45}") {
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(phone.as_str(), input.trim());
                prop_assert!(phone.as_str().chars().filter(char::is_ascii_digit).count() >= Phone::MIN_DIGITS);
            }
        }

        #[test]
        fn digit_strings_with_separators_are_accepted(groups in proptest::collection::vec("[0-9]{2,4}", 2..5)) {
            let text = format!("+{}", groups.join(" "));
            prop_assert!(Phone::parse(&text).is_ok());
        }
    }
}
