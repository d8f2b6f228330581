//! How a workspace writes amounts: decimal mark, thousands separator and where the currency
//! symbol goes. Pages, PDFs, mails and CSV files all show money through [`Money::display_in`].

use std::fmt;

use super::{Currency, Money};
use crate::names::named_enum;

named_enum! {
    /// A way of writing numbers and money, named like the language tag people know it by.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Locale {
        /// English (United States): `$1,234.50`, `€1,234.50`.
        #[default]
        EnUs => "en-US",
        /// English (United Kingdom): `£1,234.50`.
        EnGb => "en-GB",
        /// German: `1.234,50 €`.
        DeDe => "de-DE",
        /// Swiss German: `CHF 1’234.50`.
        DeCh => "de-CH",
        /// French: `1 234,50 €` (a narrow no-break space groups thousands).
        FrFr => "fr-FR",
        /// Dutch: `€ 1.234,50`.
        NlNl => "nl-NL",
        /// Spanish: `1.234,50 €`.
        EsEs => "es-ES",
        /// Italian: `1.234,50 €`.
        ItIt => "it-IT",
    }
}

/// The error for a locale Portico does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of en-US, en-GB, de-DE, de-CH, fr-FR, nl-NL, es-ES, it-IT")]
pub struct UnknownLocale;

impl std::str::FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s.trim()).ok_or(UnknownLocale)
    }
}

/// Where the currency's symbol stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `€1,234.50`.
    Before,
    /// `€ 1.234,50`.
    BeforeSpaced,
    /// `1.234,50 €`.
    AfterSpaced,
}

impl Locale {
    /// The mark between whole units and decimals.
    pub const fn decimal_mark(self) -> char {
        match self {
            Self::EnUs | Self::EnGb | Self::DeCh => '.',
            Self::DeDe | Self::FrFr | Self::NlNl | Self::EsEs | Self::ItIt => ',',
        }
    }

    /// The mark between groups of three digits.
    pub const fn group_mark(self) -> char {
        match self {
            Self::EnUs | Self::EnGb => ',',
            Self::DeCh => '’',
            Self::FrFr => '\u{202f}',
            Self::DeDe | Self::NlNl | Self::EsEs | Self::ItIt => '.',
        }
    }

    const fn place(self) -> Place {
        match self {
            Self::EnUs | Self::EnGb => Place::Before,
            Self::DeCh | Self::NlNl => Place::BeforeSpaced,
            Self::DeDe | Self::FrFr | Self::EsEs | Self::ItIt => Place::AfterSpaced,
        }
    }

    /// A plain number (`1,234.5`) with this locale's marks, for quantities and rates.
    pub fn number(self, text: &str) -> String {
        text.replace('.', &self.decimal_mark().to_string())
    }
}

/// The symbol people recognise a currency by; the ISO code where a symbol would be ambiguous.
pub fn symbol(currency: Currency) -> &'static str {
    match currency.code() {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "ILS" => "₪",
        "UAH" => "₴",
        "PHP" => "₱",
        "TRY" => "₺",
        "PLN" => "zł",
        code => code,
    }
}

/// An amount written the way a locale writes it ([`Money::display_in`]).
#[derive(Debug, Clone, Copy)]
pub struct LocalMoney {
    money: Money,
    locale: Locale,
}

impl Money {
    /// This amount as `locale` writes it: the currency's minor digits, thousands separators and
    /// the symbol in its place (`1.234,50 €` in German, `€1,234.50` in English).
    pub const fn display_in(self, locale: Locale) -> LocalMoney {
        LocalMoney { money: self, locale }
    }

    /// This amount as someone writing the way `locale` does would type it in a form: the
    /// digits and marks of [`display_in`](Self::display_in) without the symbol (`1.234,50`),
    /// which [`Money::parse_in`] reads back.
    pub fn typed_in(self, locale: Locale) -> String {
        let sign = if self.minor() < 0 { "-" } else { "" };
        format!("{sign}{}", grouped(self, locale))
    }
}

/// The digits of an amount's absolute value, grouped and marked as `locale` writes them.
fn grouped(money: Money, locale: Locale) -> String {
    let currency = money.currency();
    let digits = u32::from(currency.minor_digits());
    let abs = money.minor().unsigned_abs();
    let scale = 10u64.pow(digits);
    let whole = (abs / scale).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(locale.group_mark());
        }
        grouped.push(digit);
    }
    if digits > 0 {
        let width = usize::from(currency.minor_digits());
        grouped = format!("{grouped}{}{:0width$}", locale.decimal_mark(), abs % scale);
    }
    grouped
}

impl fmt::Display for LocalMoney {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grouped = grouped(self.money, self.locale);
        let sign = if self.money.minor() < 0 { "-" } else { "" };
        let symbol = symbol(self.money.currency());
        // Symbols that are letters read better apart from the digits: `CHF 12.50`, not `CHF12.50`.
        let spaced = symbol.chars().all(char::is_alphabetic);
        match self.locale.place() {
            Place::Before if spaced => write!(f, "{sign}{symbol}\u{a0}{grouped}"),
            Place::Before => write!(f, "{sign}{symbol}{grouped}"),
            Place::BeforeSpaced => write!(f, "{symbol}\u{a0}{sign}{grouped}"),
            Place::AfterSpaced => write!(f, "{sign}{grouped}\u{a0}{symbol}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn money(minor: i64, code: &str) -> Money {
        Money::new(minor, Currency::parse(code).expect("known"))
    }

    #[test]
    fn each_locale_writes_amounts_its_own_way() {
        let amount = money(123_450, "EUR");
        for (locale, expected) in [
            (Locale::EnUs, "€1,234.50"),
            (Locale::DeDe, "1.234,50\u{a0}€"),
            (Locale::FrFr, "1\u{202f}234,50\u{a0}€"),
            (Locale::NlNl, "€\u{a0}1.234,50"),
            (Locale::DeCh, "€\u{a0}1’234.50"),
        ] {
            assert_eq!(amount.display_in(locale).to_string(), expected, "{locale}");
        }
        assert_eq!(money(-5, "USD").display_in(Locale::EnUs).to_string(), "-$0.05");
        assert_eq!(money(1_234_567, "JPY").display_in(Locale::EnUs).to_string(), "¥1,234,567");
        assert_eq!(money(1_500, "KWD").display_in(Locale::EnGb).to_string(), "KWD\u{a0}1.500");
        assert_eq!(money(999, "CHF").display_in(Locale::DeCh).to_string(), "CHF\u{a0}9.99");
        assert_eq!(money(0, "EUR").display_in(Locale::DeDe).to_string(), "0,00\u{a0}€");
    }

    #[test]
    fn every_locale_is_read_by_its_name_and_named_when_refused() {
        let refusal = UnknownLocale.to_string();
        for locale in Locale::ALL {
            assert_eq!(locale.as_str().parse(), Ok(locale));
            assert!(refusal.contains(locale.as_str()), "{refusal} names {locale}");
        }
        assert_eq!("pt-BR".parse::<Locale>(), Err(UnknownLocale));
    }

    proptest! {
        /// What a locale writes, the amount parser reads back (symbol and marks aside).
        #[test]
        fn written_amounts_parse_back(minor in 0i64..=1_000_000_000_000, locale_index in 0usize..Locale::ALL.len()) {
            let locale = Locale::ALL[locale_index];
            let eur = Currency::parse("EUR").expect("known");
            let written = Money::new(minor, eur).display_in(locale).to_string();
            let digits: String = written.chars().filter(|c| c.is_ascii_digit() || *c == locale.decimal_mark()
                || *c == locale.group_mark()).collect();
            prop_assert_eq!(Money::parse_in(&digits, eur, locale), Ok(Money::new(minor, eur)), "{}", written);
            let typed = Money::new(minor, eur).typed_in(locale);
            prop_assert_eq!(&typed, &digits, "the typed form is the written one without its symbol");
            prop_assert_eq!(Money::parse_in(&typed, eur, locale), Ok(Money::new(minor, eur)));
        }
    }
}
