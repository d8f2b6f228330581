//! Amounts as people type them: `1250`, `12.50` or `12,50`, with thousands separators
//! (`1,250.00`, `1.250,00`, `1 250,00`, `1'250.00`, the Indian `1,25,000.00`), and never more
//! decimals than the currency has minor units.
//!
//! Which mark is the decimal one is read from the text itself: where both `.` and `,` appear,
//! the last is; where one appears once with at most the currency's minor digits after it, it
//! is; where it appears more than once, or once with exactly three digits after it in a
//! currency with fewer minor units (`1,250` in euros), it groups thousands. So `12,50` and
//! `12.50` are both twelve euros fifty, and `1,250` is one thousand two hundred and fifty.

use super::{Currency, Locale, Money, MoneyError};

/// Characters that only group digits: spaces (plain, no-break, narrow no-break) and the
/// apostrophes Swiss writing uses.
const GROUPING_ONLY: [char; 5] = [' ', '\u{a0}', '\u{202f}', '\'', '’'];

impl Money {
    /// Reads an amount of `currency` typed by a person.
    ///
    /// # Errors
    /// [`MoneyError::InvalidAmount`] for text that is not an amount (signs, letters, misplaced
    /// separators, nothing at all), [`MoneyError::TooManyDecimals`] for more decimals than the
    /// currency has, [`MoneyError::Overflow`] for an amount too large to hold.
    pub fn parse(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        Self::parse_marked(input, currency, None)
    }

    /// Reads an amount of `currency` typed by someone who writes the way `locale` does: as
    /// [`parse`](Self::parse), except that a lone mark before exactly three digits (`1,250`,
    /// `1.250`) is the decimal mark when it is the locale's, and groups thousands when not.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_in(input: &str, currency: Currency, locale: Locale) -> Result<Self, MoneyError> {
        Self::parse_marked(input, currency, Some(locale.decimal_mark()))
    }

    fn parse_marked(input: &str, currency: Currency, decimal_mark: Option<char>) -> Result<Self, MoneyError> {
        let digits = currency.minor_digits();
        let invalid = MoneyError::InvalidAmount(digits);
        let text: String = input.trim().chars().filter(|c| !GROUPING_ONLY.contains(c)).collect();
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            return Err(invalid);
        }
        let (whole, fraction) = split_decimal(&text, digits, decimal_mark);
        let whole = ungroup(whole).ok_or(invalid.clone())?;
        if fraction.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
            return Err(invalid);
        }
        let fraction = fraction.unwrap_or_default();
        if fraction.len() > usize::from(digits) {
            return Err(MoneyError::TooManyDecimals(digits));
        }
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid);
        }
        let scale = 10i64.pow(u32::from(digits));
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::Overflow)? };
        let padded = format!("{fraction:0<width$}", width = usize::from(digits));
        let fraction: i64 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| invalid)? };
        let minor = whole.checked_mul(scale).and_then(|m| m.checked_add(fraction)).ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, currency))
    }
}

/// Splits `text` (digits, `.` and `,` only) into its whole part, still grouped, and its
/// decimals, if a decimal mark is found; `decimal_mark` settles a lone mark before three digits.
fn split_decimal(text: &str, digits: u8, decimal_mark: Option<char>) -> (&str, Option<&str>) {
    let Some(at) = text.rfind(['.', ',']) else {
        return (text, None);
    };
    let mark = text[at..].chars().next().unwrap_or('.');
    let other = if mark == '.' { ',' } else { '.' };
    let after = &text[at + 1..];
    let decimal = if text.contains(other) {
        true
    } else if text.matches(mark).count() > 1 {
        false
    } else if after.len() == 3 {
        decimal_mark.map_or(usize::from(digits) >= 3, |decimal| decimal == mark)
    } else {
        true
    };
    if decimal { (&text[..at], Some(after)) } else { (text, None) }
}

/// The whole part without its group separators, when they are placed as groups are: the
/// first group of one to three digits, the last of three, those between of two or three
/// (two for Indian lakh grouping). `None` for anything else.
fn ungroup(whole: &str) -> Option<String> {
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let digits_only = |g: &str| g.chars().all(|c| c.is_ascii_digit());
    if !groups.iter().all(|g| digits_only(g)) {
        return None;
    }
    if let [first, middle @ .., last] = groups.as_slice() {
        let placed =
            (1..=3).contains(&first.len()) && last.len() == 3 && middle.iter().all(|g| (2..=3).contains(&g.len()));
        if !placed {
            return None;
        }
        // One kind of separator for the groups.
        if whole.contains('.') && whole.contains(',') {
            return None;
        }
    }
    Some(groups.concat())
}

/// An example amount in a currency with `digits` minor units, for messages.
pub(super) fn example(digits: u8) -> String {
    match digits {
        0 => "1250".to_owned(),
        digits => format!("1250.{}", "0".repeat(usize::from(digits))),
    }
}

/// The message for too many decimals in a currency with `digits` minor units.
pub(super) fn too_precise(digits: u8) -> String {
    match digits {
        0 => "must be a whole amount: the currency has no decimals".to_owned(),
        1 => "must have at most 1 decimal".to_owned(),
        digits => format!("must have at most {digits} decimals"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).expect("known")
    }

    fn minor(text: &str, code: &str) -> Result<i64, MoneyError> {
        Money::parse(text, currency(code)).map(|m| m.minor())
    }

    #[test]
    fn both_decimal_marks_and_the_usual_groupings_are_read() {
        for (text, expected) in [
            ("12.50", 1250),
            ("12,50", 1250),
            ("12,5", 1250),
            ("1250", 125_000),
            ("1,250", 125_000),
            ("1.250", 125_000),
            ("1,250.00", 125_000),
            ("1.250,00", 125_000),
            ("1 250,00", 125_000),
            ("1\u{a0}250,00", 125_000),
            ("1'250.00", 125_000),
            ("1,234,567.89", 123_456_789),
            ("1.234.567", 123_456_700),
            ("1,25,000.00", 12_500_000),
            (",50", 50),
            (" 7 ", 700),
        ] {
            assert_eq!(minor(text, "EUR"), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn a_currency_without_decimals_takes_whole_amounts_and_groups() {
        assert_eq!(minor("1250", "JPY"), Ok(1250));
        assert_eq!(minor("1,250", "JPY"), Ok(1250));
        assert_eq!(minor("12.5", "JPY"), Err(MoneyError::TooManyDecimals(0)));
        assert_eq!(minor("1.234", "KWD"), Ok(1234), "three minor digits: the mark is decimal");
    }

    #[test]
    fn a_locale_settles_a_lone_mark_before_three_digits() {
        let in_locale =
            |text: &str, code: &str, locale| Money::parse_in(text, currency(code), locale).map(|m| m.minor());
        assert_eq!(in_locale("1,250", "KWD", Locale::EnUs), Ok(1_250_000), "groups in English");
        assert_eq!(in_locale("1,250", "KWD", Locale::DeDe), Ok(1250), "is decimal in German");
        assert_eq!(in_locale("1.250", "EUR", Locale::DeDe), Ok(125_000));
        assert_eq!(in_locale("1,250", "EUR", Locale::DeDe), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(in_locale("1.234,50", "EUR", Locale::DeDe), Ok(123_450));
        assert_eq!(in_locale("12.50", "EUR", Locale::DeDe), Ok(1250), "a mark before two digits is decimal anywhere");
    }

    #[test]
    fn what_is_not_an_amount_is_refused_with_the_currencys_example() {
        for bad in
            ["", "  ", "-5", "+5", "12.50 EUR", "€12", "1e3", "12..5", "1,2,3", "12.", "1,2345,678", "1.250,00.5", "."]
        {
            assert!(minor(bad, "EUR").is_err(), "{bad:?}");
        }
        assert_eq!(minor("12.3456", "EUR"), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(minor("1.250,505", "EUR"), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(minor("12.345", "EUR"), Ok(1_234_500), "a lone mark before three digits groups thousands");
        assert_eq!(MoneyError::InvalidAmount(2).to_string(), "must be an amount such as 1250.00");
        assert_eq!(MoneyError::TooManyDecimals(2).to_string(), "must have at most 2 decimals");
        assert_eq!(minor("99999999999999999999", "EUR"), Err(MoneyError::Overflow));
    }

    /// How a person might write `minor` units: decimal mark, grouping and whether trailing
    /// zero decimals are dropped.
    #[derive(Debug, Clone, Copy)]
    struct Style {
        decimal: char,
        group: Option<char>,
        indian: bool,
        short: bool,
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            prop_oneof![Just('.'), Just(',')],
            prop_oneof![Just(None), Just(Some('g')), Just(Some(' ')), Just(Some('\''))],
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(decimal, group, indian, short)| {
                let group = group.map(|g| if g == 'g' { if decimal == '.' { ',' } else { '.' } } else { g });
                Style { decimal, group, indian, short }
            })
    }

    /// The independent model: writes the amount out digit by digit.
    fn write(minor: i64, digits: u8, style: Style) -> String {
        let scale = 10i64.pow(u32::from(digits));
        let (whole, fraction) = (minor / scale, minor % scale);
        let whole = whole.to_string();
        let grouped = match style.group {
            None => whole,
            Some(group) => {
                let mut sizes = vec![3];
                let mut left = whole.len().saturating_sub(3);
                while left > 0 {
                    let size = if style.indian { 2 } else { 3 }.min(left);
                    sizes.push(size);
                    left -= size;
                }
                let mut at = 0;
                let mut parts = Vec::new();
                for size in sizes.iter().rev() {
                    let end = (at + size).min(whole.len());
                    parts.push(&whole[at..end]);
                    at = end;
                }
                parts.retain(|p| !p.is_empty());
                parts.join(&group.to_string())
            }
        };
        if digits == 0 {
            return grouped;
        }
        let decimals = format!("{fraction:0width$}", width = usize::from(digits));
        // Dropping all decimals is unambiguous only when a lone three-digit group cannot be
        // taken for them.
        if style.short && fraction == 0 && digits < 3 {
            return grouped;
        }
        format!("{grouped}{}{decimals}", style.decimal)
    }

    proptest! {
        #[test]
        fn every_way_of_writing_an_amount_reads_back(
            minor in 0i64..=Money::MAX_UNIT_PRICE_MINOR,
            code in prop::sample::select(vec!["EUR", "USD", "JPY", "KWD", "INR"]),
            style in style(),
        ) {
            let currency = currency(code);
            let text = write(minor, currency.minor_digits(), style);
            prop_assert_eq!(Money::parse(&text, currency), Ok(Money::new(minor, currency)), "{}", text);
        }

        #[test]
        fn more_decimals_than_the_currency_has_are_refused(
            whole in 0i64..1_000_000,
            extra in 1u32..4,
            code in prop::sample::select(vec!["EUR", "JPY", "KWD"]),
        ) {
            let currency = currency(code);
            let decimals = "1".repeat(usize::from(currency.minor_digits()) + extra as usize);
            let text = format!("{whole}.{decimals}");
            // Three digits after a lone mark in a currency with fewer minor units group thousands.
            prop_assume!(!(decimals.len() == 3 && currency.minor_digits() < 3));
            prop_assert!(Money::parse(&text, currency).is_err(), "{}", text);
        }
    }
}
