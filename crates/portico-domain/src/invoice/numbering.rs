//! Invoice numbers from a workspace's pattern, such as `INV-{YYYY}-{SEQ:4}`.
//!
//! A pattern is literal text with placeholders: `{YYYY}` and `{YY}` for the year of issue,
//! `{MM}` for its month, and exactly one `{SEQ}` or `{SEQ:n}` (padded to `n` digits, 1–9) for
//! the sequence. The sequence counts per *series*: the pattern with its dates filled in, so a
//! pattern with a year starts again at 1 every year and one without counts on forever.

use std::fmt;

use time::Date;

use super::InvoiceNumber;

/// Why a number pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// No `{SEQ}`, or more than one.
    #[error("must contain {{SEQ}} (or {{SEQ:4}} for four digits) exactly once")]
    Sequence,
    /// A `{…}` that is not a placeholder, or a lone brace.
    #[error("{{{0}}} is not a placeholder; use {{YYYY}}, {{YY}}, {{MM}}, {{SEQ}} or {{SEQ:n}}")]
    Unknown(String),
    /// Too long, empty, or holding characters an invoice number may not.
    #[error("must be 1 to {max} characters of letters, digits and - _ / . # or spaces", max = NumberPattern::MAX_CHARS)]
    Text,
}

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    ShortYear,
    Month,
    Sequence { width: usize },
}

/// A validated invoice number pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    source: String,
    parts: Vec<Part>,
}

impl Default for NumberPattern {
    fn default() -> Self {
        Self::parse(Self::DEFAULT).unwrap_or_else(|_| unreachable!("the default pattern is valid"))
    }
}

impl NumberPattern {
    /// The pattern a workspace starts with.
    pub const DEFAULT: &'static str = "INV-{YYYY}-{SEQ:4}";

    /// The longest pattern accepted: even with a twenty-digit sequence its numbers fit an
    /// [`InvoiceNumber`].
    pub const MAX_CHARS: usize = 30;

    /// Parses a pattern.
    ///
    /// # Errors
    /// [`PatternError`] saying what is wrong.
    pub fn parse(input: &str) -> Result<Self, PatternError> {
        let source = input.trim();
        let allowed = |c: char| c.is_alphanumeric() || "-_/.# {}:".contains(c);
        if source.is_empty() || source.chars().count() > Self::MAX_CHARS || !source.chars().all(allowed) {
            return Err(PatternError::Text);
        }
        let mut parts = Vec::new();
        let mut rest = source;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let (name, tail) = after.split_once('}').ok_or_else(|| PatternError::Unknown(after.to_owned()))?;
                parts.push(match name {
                    "YYYY" => Part::Year,
                    "YY" => Part::ShortYear,
                    "MM" => Part::Month,
                    "SEQ" => Part::Sequence { width: 1 },
                    _ => match name.strip_prefix("SEQ:").and_then(|n| n.parse::<usize>().ok()) {
                        Some(width @ 1..=9) => Part::Sequence { width },
                        _ => return Err(PatternError::Unknown(name.to_owned())),
                    },
                });
                rest = tail;
            } else {
                let end = rest.find(['{', '}']).unwrap_or(rest.len());
                if end == 0 {
                    return Err(PatternError::Unknown(rest.to_owned()));
                }
                let text = &rest[..end];
                if text.contains(':') {
                    return Err(PatternError::Text);
                }
                parts.push(Part::Text(text.to_owned()));
                rest = &rest[end..];
            }
        }
        if parts.iter().filter(|p| matches!(p, Part::Sequence { .. })).count() != 1 {
            return Err(PatternError::Sequence);
        }
        Ok(Self { source: source.to_owned(), parts })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The series an invoice issued on `issued` counts in: the pattern with its dates filled
    /// in and the sequence left as `{SEQ}`.
    pub fn series(&self, issued: Date) -> String {
        self.fill(issued, |_| "{SEQ}".to_owned())
    }

    /// The number of the `sequence`-th invoice of its series, issued on `issued`.
    pub fn number(&self, issued: Date, sequence: u64) -> InvoiceNumber {
        let text = self.fill(issued, |width| format!("{sequence:0width$}"));
        InvoiceNumber::parse(&text).unwrap_or_else(|_| unreachable!("a pattern's numbers are valid: {text}"))
    }

    fn fill(&self, issued: Date, sequence: impl Fn(usize) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Year => format!("{:04}", issued.year()),
                Part::ShortYear => format!("{:02}", issued.year().rem_euclid(100)),
                Part::Month => format!("{:02}", u8::from(issued.month())),
                Part::Sequence { width } => sequence(*width),
            })
            .collect()
    }
}

impl fmt::Display for NumberPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    #[test]
    fn the_default_pattern_counts_per_year_in_four_digits() {
        let pattern = NumberPattern::default();
        assert_eq!(pattern.number(date!(2026 - 03 - 09), 7).as_str(), "INV-2026-0007");
        assert_eq!(pattern.number(date!(2026 - 03 - 09), 12_345).as_str(), "INV-2026-12345");
        assert_eq!(pattern.series(date!(2026 - 12 - 31)), "INV-2026-{SEQ}");
        assert_ne!(pattern.series(date!(2027 - 01 - 01)), pattern.series(date!(2026 - 12 - 31)));
    }

    #[test]
    fn every_placeholder_fills_in() {
        let pattern = NumberPattern::parse("{YY}{MM}/{SEQ}").expect("valid");
        assert_eq!(pattern.number(date!(2031 - 02 - 01), 3).as_str(), "3102/3");
        let forever = NumberPattern::parse("A-{SEQ:2}").expect("valid");
        assert_eq!(forever.series(date!(2026 - 01 - 01)), forever.series(date!(2040 - 06 - 01)));
    }

    #[test]
    fn bad_patterns_say_what_is_wrong() {
        assert_eq!(NumberPattern::parse("INV-{YYYY}"), Err(PatternError::Sequence));
        assert_eq!(NumberPattern::parse("{SEQ}-{SEQ}"), Err(PatternError::Sequence));
        assert_eq!(NumberPattern::parse("INV-{DD}-{SEQ}"), Err(PatternError::Unknown("DD".to_owned())));
        assert_eq!(NumberPattern::parse("INV-{SEQ:0}"), Err(PatternError::Unknown("SEQ:0".to_owned())));
        assert!(matches!(NumberPattern::parse("INV-{SEQ"), Err(PatternError::Unknown(_))));
        assert!(matches!(NumberPattern::parse("INV-}{SEQ}"), Err(PatternError::Unknown(_))));
        for bad in ["", "   ", "INV\n{SEQ}", "INV<{SEQ}>", "a:b{SEQ}", &format!("{}{{SEQ}}", "X".repeat(30))] {
            assert_eq!(NumberPattern::parse(bad), Err(PatternError::Text), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn any_valid_pattern_numbers_every_sequence(
            prefix in "[A-Z#/-]{0,8}",
            width in 1usize..=9,
            year in 1i32..=9999,
            sequence in any::<u64>(),
        ) {
            let pattern = NumberPattern::parse(&format!("{prefix}{{YYYY}}{{SEQ:{width}}}")).expect("valid");
            let issued = Date::from_calendar_date(year, time::Month::June, 1).expect("valid");
            let number = pattern.number(issued, sequence);
            prop_assert!(number.as_str().ends_with(&sequence.to_string()));
        }
    }
}
