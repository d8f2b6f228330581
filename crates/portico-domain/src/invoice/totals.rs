//! How an invoice adds up: the one rounding rule, in integer minor units.
//!
//! Every step rounds half away from zero, once:
//! 1. a line's net is round(quantity × unit price);
//! 2. the subtotal is the sum of the nets;
//! 3. a percent discount is round(subtotal × percent); an amount discount is taken as given
//!    and may not exceed the subtotal;
//! 4. the discount is spread over the lines in proportion to their nets, by largest
//!    remainder, so the shares add up to the discount exactly (ties go to the earlier line);
//! 5. a line's tax is round((net − its share) × its rate);
//! 6. the total is subtotal − discount + the sum of the line taxes.
//!
//! So the total is always the sum of the lines as printed (net − share + tax), and the tax
//! summary by rate adds the line taxes rather than rounding again. Arithmetic is in `i128`;
//! a result that does not fit an amount is a field error, never a panic.

use super::{Discount, InvoiceLine, TaxName};
use crate::money::{Currency, Money, MoneyError, Percent};
use crate::validation::ValidationErrors;

/// What one line comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// Quantity × unit price.
    pub net: Money,
    /// Its share of the invoice discount.
    pub discount: Money,
    /// Tax on the net after its discount share.
    pub tax: Money,
}

impl LineAmounts {
    /// What the line adds to the total: net − discount share + tax.
    pub fn total(&self) -> Money {
        Money::new(self.net.minor() - self.discount.minor() + self.tax.minor(), self.net.currency())
    }
}

/// The tax of every line with one rate (and name), as the summary shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxSum {
    /// The rate's name (`VAT`), when the lines name one.
    pub name: Option<TaxName>,
    /// The rate.
    pub rate: Percent,
    /// The nets after discount it applies to.
    pub base: Money,
    /// The sum of those lines' taxes.
    pub amount: Money,
}

/// An invoice's totals, computed by [`Totals::of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Per line, in line order.
    pub lines: Vec<LineAmounts>,
    /// The sum of the nets.
    pub subtotal: Money,
    /// The discount taken off the subtotal.
    pub discount: Money,
    /// Tax by rate, in the order the rates first appear; rates of zero are left out.
    pub taxes: Vec<TaxSum>,
    /// The sum of all line taxes.
    pub tax: Money,
    /// Subtotal − discount + tax.
    pub total: Money,
}

impl Totals {
    /// The totals of `lines` in `currency` under `discount`, by the rule above.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming the line (`lines[3].unit_price_minor`), `discount`, or
    /// `lines` when a sum no longer fits an amount.
    pub fn of(
        lines: &[InvoiceLine],
        discount: Option<&Discount>,
        currency: Currency,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut nets = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let field = format!("lines[{i}].unit_price_minor");
            if line.unit_price.currency() != currency {
                errors.add(field, MoneyError::CurrencyMismatch(currency, line.unit_price.currency()));
            } else if !(0..=Money::MAX_UNIT_PRICE_MINOR).contains(&line.unit_price.minor()) {
                errors.add(field, MoneyError::UnitPriceOutOfRange);
            } else if let Some(net) = errors.check(&format!("lines[{i}].quantity"), line.total()) {
                nets.push(i128::from(net.minor()));
            }
        }
        errors.into_result()?;
        let subtotal: i128 = nets.iter().sum();
        let discount = match discount {
            None => 0,
            Some(Discount::Percent(percent)) => percent.of(subtotal),
            Some(Discount::Amount(amount)) if amount.currency() != currency => {
                return Err(ValidationErrors::single(
                    "discount",
                    MoneyError::CurrencyMismatch(currency, amount.currency()),
                ));
            }
            Some(Discount::Amount(amount)) if amount.minor() < 0 => {
                return Err(ValidationErrors::single("discount", "must not be negative"));
            }
            Some(Discount::Amount(amount)) if i128::from(amount.minor()) > subtotal => {
                return Err(ValidationErrors::single("discount", "must be at most the subtotal"));
            }
            Some(Discount::Amount(amount)) => i128::from(amount.minor()),
        };
        let shares = spread(discount, &nets);
        let taxes: Vec<i128> = lines
            .iter()
            .zip(nets.iter().zip(&shares))
            .map(|(line, (net, share))| line.tax_rate.of(net - share))
            .collect();
        let tax: i128 = taxes.iter().sum();
        let money = |minor: i128| {
            i64::try_from(minor)
                .map(|minor| Money::new(minor, currency))
                .map_err(|_| ValidationErrors::single("lines", MoneyError::Overflow))
        };
        let total = money(subtotal - discount + tax)?;
        let mut amounts = Vec::with_capacity(lines.len());
        for ((net, share), tax) in nets.iter().zip(&shares).zip(&taxes) {
            amounts.push(LineAmounts { net: money(*net)?, discount: money(*share)?, tax: money(*tax)? });
        }
        let mut sums: Vec<TaxSum> = Vec::new();
        for (line, amount) in lines.iter().zip(&amounts).filter(|(line, _)| !line.tax_rate.is_zero()) {
            let base = amount.net.minor() - amount.discount.minor();
            match sums.iter_mut().find(|s| s.rate == line.tax_rate && s.name == line.tax_name) {
                Some(sum) => {
                    sum.base = Money::new(sum.base.minor() + base, currency);
                    sum.amount = Money::new(sum.amount.minor() + amount.tax.minor(), currency);
                }
                None => sums.push(TaxSum {
                    name: line.tax_name.clone(),
                    rate: line.tax_rate,
                    base: Money::new(base, currency),
                    amount: amount.tax,
                }),
            }
        }
        Ok(Self {
            lines: amounts,
            subtotal: money(subtotal)?,
            discount: money(discount)?,
            taxes: sums,
            tax: money(tax)?,
            total,
        })
    }
}

/// `discount` (at most the sum of `nets`) split over `nets` in proportion, by largest
/// remainder: each line gets the floor of its exact share, and the units left over go one
/// each to the lines with the largest remainders, earlier lines first among equals.
fn spread(discount: i128, nets: &[i128]) -> Vec<i128> {
    let subtotal: i128 = nets.iter().sum();
    if discount == 0 || subtotal == 0 {
        return vec![0; nets.len()];
    }
    let mut shares: Vec<i128> = nets.iter().map(|net| discount * net / subtotal).collect();
    let mut by_remainder: Vec<usize> = (0..nets.len()).collect();
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(discount * nets[i] % subtotal));
    let left: i128 = discount - shares.iter().sum::<i128>();
    for &i in by_remainder.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}
