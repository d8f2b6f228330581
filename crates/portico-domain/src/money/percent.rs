//! Percentages with up to three decimals, held as thousandths of a percent: tax rates and
//! invoice discounts.

use std::fmt;

/// Why a percentage was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    /// Not a decimal number with at most three decimals.
    #[error("must be a percentage such as 19 or 7.5, with at most three decimals")]
    Invalid,
    /// Above one hundred.
    #[error("must be at most 100%")]
    TooLarge,
}

/// A percentage from 0 to 100 with up to three decimals (`19`, `7.5`, `0.125`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent {
    thousandths: u32,
}

impl Percent {
    /// One hundred percent, in thousandths of a percent.
    pub const HUNDRED_THOUSANDTHS: u32 = 100_000;

    /// Zero percent.
    pub const ZERO: Self = Self { thousandths: 0 };

    /// `thousandths` thousandths of a percent (19 % is 19 000).
    ///
    /// # Errors
    /// [`PercentError::TooLarge`] above 100 %.
    pub fn from_thousandths(thousandths: u32) -> Result<Self, PercentError> {
        if thousandths > Self::HUNDRED_THOUSANDTHS {
            return Err(PercentError::TooLarge);
        }
        Ok(Self { thousandths })
    }

    /// Parses `"19"`, `"7.5"`, `"7,5"` or `"19 %"`: either mark may be the decimal one, since
    /// a percentage is never grouped.
    ///
    /// # Errors
    /// [`PercentError::Invalid`] for anything else, [`PercentError::TooLarge`] above 100.
    pub fn parse(input: &str) -> Result<Self, PercentError> {
        let text = input.trim();
        let text = text.strip_suffix('%').map_or(text, str::trim_end);
        let (whole, fraction) = text.split_once(['.', ',']).unwrap_or((text, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        let fraction_ok = fraction.len() <= 3 && !text.ends_with(['.', ',']);
        if whole.is_empty() || whole.len() > 3 || !fraction_ok || !digits_only(whole) || !digits_only(fraction) {
            return Err(PercentError::Invalid);
        }
        let whole: u32 = whole.parse().map_err(|_| PercentError::Invalid)?;
        let fraction: u32 = format!("{fraction:0<3}").parse().map_err(|_| PercentError::Invalid)?;
        Self::from_thousandths(whole * 1000 + fraction)
    }

    /// The percentage in thousandths of a percent.
    pub const fn thousandths(self) -> u32 {
        self.thousandths
    }

    /// Whether it is zero.
    pub const fn is_zero(self) -> bool {
        self.thousandths == 0
    }

    /// `amount × self`, rounded half away from zero: the one rounding every tax and percent
    /// discount goes through.
    pub fn of(self, amount: i128) -> i128 {
        let product = amount * i128::from(self.thousandths);
        let hundred = i128::from(Self::HUNDRED_THOUSANDTHS);
        (product + product.signum() * (hundred / 2)) / hundred
    }
}

impl fmt::Display for Percent {
    /// `19`, `7.5`, `0.125`: no trailing zeros, no sign (pages add the `%`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_thousandths(f, self.thousandths.into())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn percentages_parse_with_either_decimal_mark() {
        for (text, expected) in
            [("19", 19_000), ("7.5", 7500), ("7,5", 7500), ("0.125", 125), ("19 %", 19_000), ("100", 100_000), ("0", 0)]
        {
            assert_eq!(Percent::parse(text).map(Percent::thousandths), Ok(expected), "{text:?}");
        }
        for bad in ["", "%", "-1", "1.2345", "19.", ".5", "1e2", "abc", "1.5.0", "1000"] {
            assert_eq!(Percent::parse(bad), Err(PercentError::Invalid), "{bad:?}");
        }
        assert_eq!(Percent::parse("100.001"), Err(PercentError::TooLarge));
    }

    #[test]
    fn applying_a_percentage_rounds_half_away_from_zero() {
        let vat = Percent::parse("19").expect("valid");
        assert_eq!(vat.of(1050), 200, "199.5 rounds up");
        assert_eq!(vat.of(-1050), -200, "and away from zero below it");
        assert_eq!(vat.of(1049), 199);
        assert_eq!(Percent::parse("100").expect("valid").of(12_345), 12_345);
        assert_eq!(Percent::ZERO.of(12_345), 0);
    }

    proptest! {
        #[test]
        fn display_round_trips(thousandths in 0u32..=Percent::HUNDRED_THOUSANDTHS) {
            let percent = Percent::from_thousandths(thousandths).expect("in range");
            prop_assert_eq!(Percent::parse(&percent.to_string()), Ok(percent));
        }

        #[test]
        fn applying_is_within_half_a_unit_of_the_exact_product(amount in -10i128.pow(18)..10i128.pow(18), t in 0u32..=100_000) {
            let applied = Percent::from_thousandths(t).expect("in range").of(amount);
            // |applied × 100000 − amount × t| ≤ 50000, in exact integers.
            let error = (applied * 100_000 - amount * i128::from(t)).abs();
            prop_assert!(error <= 50_000);
        }
    }
}
