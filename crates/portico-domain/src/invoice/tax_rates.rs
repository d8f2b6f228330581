//! The tax rates a workspace names ("VAT 19 %", "Reduced VAT 7 %"), offered on every new
//! invoice line so nobody types a rate from memory.

use std::fmt;

use super::TaxName;
use crate::money::Percent;

/// One named rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    /// What invoices print ("VAT").
    pub name: TaxName,
    /// The rate.
    pub rate: Percent,
}

/// Why text is not a list of named rates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxRatesError {
    /// A line that is not a name followed by a rate.
    #[error("line {0}: write a name and then its rate, like \u{201c}VAT 19 %\u{201d}")]
    Line(usize),
    /// Two rates with one name.
    #[error("line {0}: the name is used twice")]
    Repeated(usize),
    /// More rates than anyone needs.
    #[error("at most {} rates", TaxRates::MAX)]
    TooMany,
}

/// A workspace's named rates, in the order it lists them; names are unique (compared
/// case-insensitively). The first is the one new invoice lines start with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxRates(Vec<TaxRate>);

impl TaxRates {
    /// The most rates a workspace names.
    pub const MAX: usize = 20;

    /// The rates `rates`, in their order.
    ///
    /// # Errors
    /// [`TaxRatesError`] for a repeated name or too many rates.
    pub fn new(rates: Vec<TaxRate>) -> Result<Self, TaxRatesError> {
        if rates.len() > Self::MAX {
            return Err(TaxRatesError::TooMany);
        }
        for (i, rate) in rates.iter().enumerate() {
            let key = rate.name.sort_key();
            if rates[..i].iter().any(|earlier| earlier.name.sort_key() == key) {
                return Err(TaxRatesError::Repeated(i + 1));
            }
        }
        Ok(Self(rates))
    }

    /// Reads one rate per line, the name then the rate: `VAT 19 %`, `Reduced VAT 7,5`.
    /// Blank lines are skipped; blank text names no rates.
    ///
    /// # Errors
    /// [`TaxRatesError`] naming the first line that is wrong.
    pub fn parse(input: &str) -> Result<Self, TaxRatesError> {
        let mut rates = Vec::new();
        for (i, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let line_no = i + 1;
            let text = line.trim().trim_end_matches('%').trim_end();
            let (name, rate) = text.rsplit_once(char::is_whitespace).ok_or(TaxRatesError::Line(line_no))?;
            let rate = Percent::parse(rate).map_err(|_| TaxRatesError::Line(line_no))?;
            let name = TaxName::parse(name.trim_end_matches(':')).map_err(|_| TaxRatesError::Line(line_no))?;
            rates.push(TaxRate { name, rate });
        }
        Self::new(rates).map_err(|error| match error {
            // Lines were counted without the blank ones; name the line as typed.
            TaxRatesError::Repeated(n) => TaxRatesError::Repeated(line_number(input, n)),
            other => other,
        })
    }

    /// The rates, in order.
    pub fn rates(&self) -> &[TaxRate] {
        &self.0
    }

    /// The rate new lines start with: the first.
    pub fn usual(&self) -> Option<&TaxRate> {
        self.0.first()
    }
}

/// The line number (counting blank lines) of the `nth` line that is not blank.
fn line_number(input: &str, nth: usize) -> usize {
    input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).nth(nth - 1).map_or(nth, |(i, _)| i + 1)
}

impl fmt::Display for TaxRates {
    /// One `VAT 19 %` per line: the form settings read back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(|r| format!("{} {} %", r.name, r.rate)).collect();
        f.write_str(&lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rate(name: &str, percent: &str) -> TaxRate {
        TaxRate { name: TaxName::parse(name).expect("a name"), rate: Percent::parse(percent).expect("a rate") }
    }

    #[test]
    fn rates_are_read_one_per_line_in_the_usual_spellings() {
        let rates = TaxRates::parse("VAT 19 %\n\n  Reduced VAT: 7,5%\nVAT 2024 exempt 0").expect("valid");
        assert_eq!(rates.rates(), [rate("VAT", "19"), rate("Reduced VAT", "7.5"), rate("VAT 2024 exempt", "0")]);
        assert_eq!(rates.usual(), Some(&rate("VAT", "19")));
        assert_eq!(rates.to_string(), "VAT 19 %\nReduced VAT 7.5 %\nVAT 2024 exempt 0 %");
        assert_eq!(TaxRates::parse(" \n "), Ok(TaxRates::default()));
    }

    #[test]
    fn a_wrong_line_is_named_as_typed() {
        assert_eq!(TaxRates::parse("VAT 19\n\nnineteen"), Err(TaxRatesError::Line(3)));
        assert_eq!(TaxRates::parse("VAT 101"), Err(TaxRatesError::Line(1)));
        assert_eq!(TaxRates::parse("19"), Err(TaxRatesError::Line(1)));
        assert_eq!(TaxRates::parse("VAT 19\n\nvat 7"), Err(TaxRatesError::Repeated(3)));
        let many: Vec<String> = (0..21).map(|n| format!("Tax {n} 1")).collect();
        assert_eq!(TaxRates::parse(&many.join("\n")), Err(TaxRatesError::TooMany));
    }

    proptest! {
        #[test]
        fn written_rates_read_back(
            named in proptest::collection::btree_map("[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z]", 0u32..=100_000, 0..6),
        ) {
            let rates: Vec<TaxRate> = named
                .into_iter()
                .map(|(name, thousandths)| TaxRate {
                    name: TaxName::parse(&name).expect("a name"),
                    rate: Percent::from_thousandths(thousandths).expect("a rate"),
                })
                .collect();
            // Names differing only in case are one name; keep the first of each.
            let mut unique: Vec<TaxRate> = Vec::new();
            for rate in rates {
                if !unique.iter().any(|u| u.name.sort_key() == rate.name.sort_key()) {
                    unique.push(rate);
                }
            }
            let rates = TaxRates::new(unique).expect("unique names");
            prop_assert_eq!(TaxRates::parse(&rates.to_string()), Ok(rates));
        }
    }
}
