//! Money, currencies and quantities, in integers only.
//!
//! Amounts are integer minor units (cents) with an ISO 4217 currency; quantities are integer
//! thousandths, so "1.5 hours at 80.00" is exact. Floating point never touches money.

mod amount;
mod locale;
mod percent;

pub use locale::{LocalMoney, Locale, UnknownLocale, symbol};
pub use percent::{Percent, PercentError};

use std::fmt;

/// Why a currency code, amount or quantity was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a supported ISO 4217 code.
    #[error("must be a supported ISO 4217 currency code such as EUR or USD")]
    UnknownCurrency,
    /// Two amounts in different currencies were combined.
    #[error("amounts in {0} and {1} cannot be combined")]
    CurrencyMismatch(Currency, Currency),
    /// A result does not fit the representable range.
    #[error("amount is too large")]
    Overflow,
    /// A quantity must be above zero.
    #[error("must be greater than zero")]
    NotPositive,
    /// A quantity is above the accepted maximum.
    #[error("must be at most {max}", max = Quantity::MAX_UNITS)]
    QuantityTooLarge,
    /// A quantity is not a decimal number with at most three decimals.
    #[error("must be a number with at most three decimals")]
    InvalidQuantity,
    /// Typed text is not an amount in the currency (see [`Money::parse`]).
    #[error("must be an amount such as {example}", example = amount::example(*.0))]
    InvalidAmount(u8),
    /// Typed text has more decimals than the currency has minor units.
    #[error("{}", amount::too_precise(*.0))]
    TooManyDecimals(u8),
    /// A unit price is negative or beyond the accepted maximum.
    #[error("must be between 0 and {max}", max = Money::MAX_UNIT_PRICE_MINOR)]
    UnitPriceOutOfRange,
}

/// The supported ISO 4217 currencies and their number of minor-unit digits.
const CURRENCIES: &[(&str, u8)] = &[
    ("AUD", 2),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JPY", 0),
    ("KRW", 0),
    ("MXN", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("PHP", 2),
    ("PLN", 2),
    ("RON", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("USD", 2),
    ("ZAR", 2),
    ("BHD", 3),
    ("KWD", 3),
    ("OMR", 3),
];

/// An ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_digits: u8,
}

impl Currency {
    /// The euro: a new workspace's currency until it chooses another.
    pub const EUR: Self = Self { code: "EUR", minor_digits: 2 };

    /// Parses a three-letter code, case-insensitively.
    ///
    /// # Errors
    /// [`MoneyError::UnknownCurrency`] for any code outside the supported list.
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let code = input.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == code)
            .map(|&(code, minor_digits)| Self { code, minor_digits })
            .ok_or(MoneyError::UnknownCurrency)
    }

    /// Every supported code, as the API lists them.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|&(code, _)| code)
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// How many digits the minor unit has (2 for EUR, 0 for JPY).
    pub fn minor_digits(&self) -> u8 {
        self.minor_digits
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// An amount of money: integer minor units in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// The largest unit price accepted on an invoice line (a billion major units of a
    /// two-digit currency), far below overflow even after multiplying by a quantity.
    pub const MAX_UNIT_PRICE_MINOR: i64 = 100_000_000_000;

    /// An amount of `minor` units of `currency`.
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// The amount in minor units.
    pub const fn minor(&self) -> i64 {
        self.minor
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Adds two amounts of the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] across currencies, [`MoneyError::Overflow`] out of range.
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    /// This unit price times `quantity`, rounded half away from zero to a minor unit.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the product does not fit.
    pub fn times(self, quantity: Quantity) -> Result<Self, MoneyError> {
        let product = i128::from(self.minor) * i128::from(quantity.thousandths);
        let rounded = (product + product.signum() * 500) / 1000;
        let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }
}

impl Money {
    /// The amount as a plain decimal with the currency's minor digits and a point, no
    /// grouping and no symbol (`-1234.50`): what files for other programs hold.
    pub fn decimal(self) -> String {
        let digits = u32::from(self.currency.minor_digits);
        let scale = 10u64.pow(digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if digits == 0 {
            format!("{sign}{abs}")
        } else {
            let width = usize::from(self.currency.minor_digits);
            format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}

/// A positive quantity with up to three decimals, held as thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity {
    thousandths: i64,
}

impl Quantity {
    /// The largest accepted quantity, in whole units.
    pub const MAX_UNITS: i64 = 1_000_000;

    /// A quantity of `thousandths` / 1000 units.
    ///
    /// # Errors
    /// [`MoneyError::NotPositive`] for zero or less, [`MoneyError::QuantityTooLarge`] above the maximum.
    pub fn from_thousandths(thousandths: i64) -> Result<Self, MoneyError> {
        if thousandths <= 0 {
            return Err(MoneyError::NotPositive);
        }
        if thousandths > Self::MAX_UNITS * 1000 {
            return Err(MoneyError::QuantityTooLarge);
        }
        Ok(Self { thousandths })
    }

    /// A whole number of units.
    ///
    /// # Errors
    /// As [`Quantity::from_thousandths`].
    pub fn units(units: i64) -> Result<Self, MoneyError> {
        Self::from_thousandths(units.checked_mul(1000).ok_or(MoneyError::QuantityTooLarge)?)
    }

    /// Parses decimal text such as `"2"`, `"1.5"` or `"0.125"`.
    ///
    /// # Errors
    /// [`MoneyError::InvalidQuantity`] for anything else, and the range errors of
    /// [`Quantity::from_thousandths`].
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let text = input.trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || whole.len() > 9 || fraction.len() > 3 || !digits_only(whole) || !digits_only(fraction) {
            return Err(MoneyError::InvalidQuantity);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::InvalidQuantity)?;
        let fraction: i64 = format!("{fraction:0<3}").parse().map_err(|_| MoneyError::InvalidQuantity)?;
        Self::from_thousandths(whole * 1000 + fraction)
    }

    /// Parses a quantity typed by someone who writes the way `locale` does: `1,5` is one
    /// and a half where the comma is the decimal mark (quantities are never grouped).
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_in(input: &str, locale: Locale) -> Result<Self, MoneyError> {
        if locale.decimal_mark() == ',' && !input.contains('.') {
            Self::parse(&input.replacen(',', ".", 1))
        } else {
            Self::parse(input)
        }
    }

    /// The quantity in thousandths of a unit.
    pub const fn thousandths(&self) -> i64 {
        self.thousandths
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_thousandths(f, self.thousandths.into())
    }
}

/// Writes a count of thousandths as a decimal number without trailing zeros (`1.5`, `2`,
/// `0.125`): how quantities and percentages read.
fn write_thousandths(f: &mut fmt::Formatter<'_>, thousandths: i128) -> fmt::Result {
    let (whole, fraction) = (thousandths / 1000, thousandths % 1000);
    if fraction == 0 {
        write!(f, "{whole}")
    } else {
        let decimals = format!("{fraction:03}");
        write!(f, "{whole}.{}", decimals.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("EUR").expect("known")
    }

    #[test]
    fn currencies_are_parsed_case_insensitively_from_a_known_list() {
        assert_eq!(Currency::parse(" usd ").map(|c| c.code().to_owned()), Ok("USD".to_owned()));
        assert_eq!(Currency::parse("JPY").map(|c| c.minor_digits()), Ok(0));
        assert_eq!(Currency::parse("EURO"), Err(MoneyError::UnknownCurrency));
        assert_eq!(Currency::parse("XYZ"), Err(MoneyError::UnknownCurrency));
        assert_eq!(Currency::parse(""), Err(MoneyError::UnknownCurrency));
    }

    #[test]
    fn adds_only_within_one_currency() {
        let usd = Currency::parse("USD").expect("known");
        assert_eq!(Money::new(150, eur()).checked_add(Money::new(50, eur())), Ok(Money::new(200, eur())));
        assert_eq!(Money::new(1, eur()).checked_add(Money::new(1, usd)), Err(MoneyError::CurrencyMismatch(eur(), usd)));
        assert_eq!(Money::new(i64::MAX, eur()).checked_add(Money::new(1, eur())), Err(MoneyError::Overflow));
    }

    #[test]
    fn multiplies_by_fractional_quantities_rounding_half_away_from_zero() {
        let price = Money::new(8000, eur());
        assert_eq!(price.times(Quantity::parse("1.5").expect("valid")), Ok(Money::new(12_000, eur())));
        let cent = Money::new(1, eur());
        assert_eq!(cent.times(Quantity::parse("0.5").expect("valid")), Ok(Money::new(1, eur())));
        assert_eq!(cent.times(Quantity::parse("0.499").expect("valid")), Ok(Money::new(0, eur())));
    }

    #[test]
    fn quantities_parse_decimal_text() {
        assert_eq!(Quantity::parse("2").map(|q| q.thousandths()), Ok(2000));
        assert_eq!(Quantity::parse("0.125").map(|q| q.thousandths()), Ok(125));
        assert_eq!(Quantity::parse("1.5").map(|q| q.to_string()), Ok("1.5".to_owned()));
        for bad in ["", "1.2345", "-1", "1e3", "1,5", ".5", "abc", "1.5.0"] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Quantity::parse("0"), Err(MoneyError::NotPositive));
        assert_eq!(Quantity::parse("1000001"), Err(MoneyError::QuantityTooLarge));
    }

    #[test]
    fn quantities_take_the_locales_decimal_comma() {
        assert_eq!(Quantity::parse_in("1,5", Locale::DeDe).map(|q| q.thousandths()), Ok(1500));
        assert_eq!(Quantity::parse_in("1.5", Locale::DeDe).map(|q| q.thousandths()), Ok(1500));
        assert!(Quantity::parse_in("1,5", Locale::EnUs).is_err(), "a comma is no decimal mark in en-US");
        assert!(Quantity::parse_in("1,2,5", Locale::FrFr).is_err());
    }

    #[test]
    fn displays_with_the_currencys_minor_digits() {
        assert_eq!(Money::new(123_456, eur()).to_string(), "1234.56 EUR");
        assert_eq!(Money::new(-5, eur()).to_string(), "-0.05 EUR");
        assert_eq!(Money::new(500, Currency::parse("JPY").expect("known")).to_string(), "500 JPY");
        assert_eq!(Money::new(1_500, Currency::parse("KWD").expect("known")).to_string(), "1.500 KWD");
    }

    proptest! {
        #[test]
        fn quantity_display_round_trips(thousandths in 1i64..=Quantity::MAX_UNITS * 1000) {
            let quantity = Quantity::from_thousandths(thousandths).expect("in range");
            prop_assert_eq!(Quantity::parse(&quantity.to_string()), Ok(quantity));
        }

        #[test]
        fn multiplying_by_whole_units_is_exact(price in 0i64..=Money::MAX_UNIT_PRICE_MINOR, units in 1i64..=1000) {
            let total = Money::new(price, eur()).times(Quantity::units(units).expect("in range")).expect("fits");
            prop_assert_eq!(total.minor(), price * units);
        }

        #[test]
        fn line_totals_never_overflow_within_the_accepted_ranges(
            price in 0i64..=Money::MAX_UNIT_PRICE_MINOR,
            thousandths in 1i64..=Quantity::MAX_UNITS * 1000,
        ) {
            let quantity = Quantity::from_thousandths(thousandths).expect("in range");
            prop_assert!(Money::new(price, eur()).times(quantity).is_ok());
        }
    }
}
