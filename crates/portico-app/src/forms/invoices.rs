//! Invoices, payments and voids as typed. Amounts arrive in minor units from the API and as
//! text from pages, where they are read the way the workspace's locale writes them
//! (`1.234,50` in de-DE).

use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::invoice::{
    Discount, Due, InvoiceDraft, InvoiceLine, InvoiceNotes, InvoiceNumber, InvoiceTerms, LineDescription, PaymentInput,
    PaymentMethod, PaymentReference, TaxName, Totals, VoidReason,
};
use portico_domain::money::{Currency, Locale, Money, MoneyError, Percent, Quantity};
use portico_domain::validation::ValidationErrors;

use super::{parse_date, parse_id};

/// An amount as it arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountInput {
    /// Minor units of the currency (the API: `123450` for €1,234.50).
    Minor(i64),
    /// Text as a person types it (`1.234,50`, `1234.5`), read in the workspace's locale.
    Typed(String),
}

impl Default for AmountInput {
    fn default() -> Self {
        Self::Typed(String::new())
    }
}

impl AmountInput {
    /// The field an error about this amount is reported under: `{base}_minor` for minor
    /// units, `{base}` for typed text — the name the input was given.
    fn field(&self, base: &str) -> String {
        match self {
            Self::Minor(_) => format!("{base}_minor"),
            Self::Typed(_) => base.to_owned(),
        }
    }

    fn parse(&self, currency: Currency, locale: Locale) -> Result<Money, MoneyError> {
        match self {
            Self::Minor(minor) => Ok(Money::new(*minor, currency)),
            Self::Typed(text) => Money::parse_in(text, currency, locale),
        }
    }
}

/// An invoice line as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineForm {
    /// What for.
    pub description: String,
    /// A decimal with up to three places, such as `"1.5"`.
    pub quantity: String,
    /// Price of one, before tax.
    pub unit_price: AmountInput,
    /// The tax rate in percent (`"19"`, `"7,5"`); blank: no tax.
    pub tax_rate: Option<String>,
    /// The tax's name as printed (`"VAT"`).
    pub tax_name: Option<String>,
}

/// An invoice discount as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DiscountInput {
    /// No discount.
    #[default]
    None,
    /// A percentage of the subtotal (`"10"`).
    Percent(String),
    /// A fixed amount.
    Amount(AmountInput),
}

/// An invoice draft as typed: for a new invoice, or the whole of a draft's edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceForm {
    /// The client it is addressed to (an id).
    pub client_id: String,
    /// The project it bills (an id; blank: none).
    pub project_id: Option<String>,
    /// A number of its own; blank: the next from the workspace's pattern when it is sent.
    pub number: Option<String>,
    /// ISO 4217 code.
    pub currency: String,
    /// `YYYY-MM-DD`; blank: the day it is sent.
    pub issue_date: Option<String>,
    /// `YYYY-MM-DD`; or give `net_days`.
    pub due_date: Option<String>,
    /// Days after the issue date it is due (`"30"`).
    pub net_days: Option<String>,
    /// A discount on the subtotal.
    pub discount: DiscountInput,
    /// A note for the client.
    pub notes: Option<String>,
    /// Terms printed at the bottom.
    pub terms: Option<String>,
    /// The lines.
    pub lines: Vec<LineForm>,
}

impl InvoiceForm {
    /// The form that says what `draft` says, for an edit to start from: amounts in minor
    /// units, or typed as `locale` writes them when one is given (a page's inputs).
    pub fn of_draft(draft: &InvoiceDraft, typed_in: Option<Locale>) -> Self {
        let amount = |money: Money| match typed_in {
            Some(locale) => AmountInput::Typed(money.typed_in(locale)),
            None => AmountInput::Minor(money.minor()),
        };
        let number = |text: String| typed_in.map_or_else(|| text.clone(), |locale| locale.number(&text));
        let date = |day: time::Date| day.to_string();
        let lines = draft
            .lines
            .iter()
            .map(|line| LineForm {
                description: line.description.as_str().to_owned(),
                quantity: number(line.quantity.to_string()),
                unit_price: amount(line.unit_price),
                tax_rate: (!line.tax_rate.is_zero()).then(|| number(line.tax_rate.to_string())),
                tax_name: line.tax_name.as_ref().map(|n| n.as_str().to_owned()),
            })
            .collect();
        Self {
            client_id: draft.client_id.to_string(),
            project_id: draft.project_id.map(|p| p.to_string()),
            number: draft.number.as_ref().map(|n| n.as_str().to_owned()),
            currency: draft.currency.code().to_owned(),
            issue_date: draft.issue_date.map(date),
            due_date: match draft.due {
                Some(Due::On(day)) => Some(date(day)),
                _ => None,
            },
            net_days: match draft.due {
                Some(Due::NetDays(days)) => Some(days.to_string()),
                _ => None,
            },
            discount: match draft.discount {
                None => DiscountInput::None,
                Some(Discount::Percent(p)) => DiscountInput::Percent(number(p.to_string())),
                Some(Discount::Amount(m)) => DiscountInput::Amount(amount(m)),
            },
            notes: draft.notes.as_ref().map(|n| n.as_str().to_owned()),
            terms: draft.terms.as_ref().map(|t| t.as_str().to_owned()),
            lines,
        }
    }

    /// Validates every field and line (`lines[2].quantity`) and the totals, reading typed
    /// amounts and rates as `locale` writes them.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self, locale: Locale) -> Result<InvoiceDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let client_id = errors.check("client_id", parse_id::<ClientId>(&self.client_id));
        let project_id = errors.check_optional("project_id", self.project_id.as_deref(), parse_id::<ProjectId>);
        let number = errors.check_optional("number", self.number.as_deref(), InvoiceNumber::parse);
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let issue_date = errors.check_optional("issue_date", self.issue_date.as_deref(), parse_date);
        let due = self.due(&mut errors);
        let notes = errors.check_optional("notes", self.notes.as_deref(), InvoiceNotes::parse);
        let terms = errors.check_optional("terms", self.terms.as_deref(), InvoiceTerms::parse);
        let discount = currency.and_then(|currency| self.discount(&mut errors, currency, locale));
        let lines: Vec<Option<InvoiceLine>> =
            self.lines.iter().enumerate().map(|(i, line)| parse_line(&mut errors, i, line, currency, locale)).collect();
        if let Some(currency) = currency {
            self.check_parsed_lines(&mut errors, &lines, currency);
        }
        let (Some(client_id), Some(project_id), Some(number), Some(currency), Some(issue_date), Some(due)) =
            (client_id, project_id, number, currency, issue_date, due)
        else {
            return Err(errors);
        };
        let (Some(discount), Some(notes), Some(terms)) = (discount, notes, terms) else {
            return Err(errors);
        };
        let Some(lines) = lines.into_iter().collect::<Option<Vec<_>>>() else {
            return Err(errors);
        };
        let draft =
            InvoiceDraft { number, client_id, project_id, currency, lines, discount, notes, terms, issue_date, due };
        if let Err(found) = draft.validate_new() {
            for error in found.errors() {
                errors.add(self.input_field(&error.field), &error.message);
            }
        }
        errors.into_result().map(|()| draft)
    }

    fn due(&self, errors: &mut ValidationErrors) -> Option<Option<Due>> {
        let date = errors.check_optional("due_date", self.due_date.as_deref(), parse_date)?;
        let days = errors.check_optional("net_days", self.net_days.as_deref(), |text| {
            text.trim().parse::<u16>().map_err(|_| "must be a whole number of days")
        })?;
        match (date, days) {
            (Some(_), Some(_)) => {
                errors.add("net_days", "give a due date or payment terms, not both");
                None
            }
            (Some(date), None) => Some(Some(Due::On(date))),
            (None, days) => Some(days.map(Due::NetDays)),
        }
    }

    fn discount(&self, errors: &mut ValidationErrors, currency: Currency, locale: Locale) -> Option<Option<Discount>> {
        match &self.discount {
            DiscountInput::None => Some(None),
            DiscountInput::Percent(text) => {
                errors.check_optional("discount_percent", Some(text), Percent::parse).map(|p| p.map(Discount::Percent))
            }
            DiscountInput::Amount(amount) => {
                let field = amount.field("discount_amount");
                errors.check(&field, amount.parse(currency, locale)).map(|m| Some(Discount::Amount(m)))
            }
        }
    }

    /// When some line did not parse, the domain's line checks on each line that did, so that
    /// every problem is reported at once (the whole draft is checked once all lines parse).
    fn check_parsed_lines(&self, errors: &mut ValidationErrors, lines: &[Option<InvoiceLine>], currency: Currency) {
        if lines.iter().all(Option::is_some) {
            return;
        }
        for (i, line) in lines.iter().enumerate() {
            let Some(Err(found)) = line.as_ref().map(|line| Totals::of(std::slice::from_ref(line), None, currency))
            else {
                continue;
            };
            for error in found.errors() {
                let field = error.field.replacen("lines[0]", &format!("lines[{i}]"), 1);
                errors.add(self.input_field(&field), &error.message);
            }
        }
    }

    /// The name of the input a domain error field refers to: a line's price was typed as
    /// `unit_price` on a page, or given as `unit_price_minor` in the API.
    fn input_field(&self, domain_field: &str) -> String {
        let typed = |i: usize| self.lines.get(i).is_some_and(|l| matches!(l.unit_price, AmountInput::Typed(_)));
        domain_field
            .strip_prefix("lines[")
            .and_then(|rest| rest.split_once("].unit_price_minor"))
            .and_then(|(index, tail)| index.parse::<usize>().ok().filter(|&i| typed(i) && tail.is_empty()))
            .map_or_else(|| domain_field.to_owned(), |i| format!("lines[{i}].unit_price"))
    }
}

fn parse_line(
    errors: &mut ValidationErrors,
    i: usize,
    line: &LineForm,
    currency: Option<Currency>,
    locale: Locale,
) -> Option<InvoiceLine> {
    let field = |name: &str| format!("lines[{i}].{name}");
    let description = errors.check(&field("description"), LineDescription::parse(&line.description));
    let quantity = errors.check(&field("quantity"), Quantity::parse_in(&line.quantity, locale));
    let tax_rate = errors.check_optional(&field("tax_rate"), line.tax_rate.as_deref(), Percent::parse);
    let tax_name = errors.check_optional(&field("tax_name"), line.tax_name.as_deref(), TaxName::parse);
    let unit_price =
        errors.check(&field(&line.unit_price.field("unit_price")), line.unit_price.parse(currency?, locale));
    Some(InvoiceLine {
        description: description?,
        quantity: quantity?,
        unit_price: unit_price?,
        tax_rate: tax_rate?.unwrap_or(Percent::ZERO),
        tax_name: tax_name?,
    })
}

/// A payment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentForm {
    /// How much.
    pub amount: AmountInput,
    /// `YYYY-MM-DD`.
    pub paid_on: String,
    /// `bank_transfer`, `card`, `cash` or `other`.
    pub method: String,
    /// The agency's reference for it.
    pub reference: Option<String>,
}

impl PaymentForm {
    /// Validates every field; amounts are of `currency`, typed as `locale` writes them.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each invalid field.
    pub fn parse(&self, currency: Currency, locale: Locale) -> Result<PaymentInput, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let amount = errors.check(&self.amount.field("amount"), self.amount.parse(currency, locale));
        let paid_on = errors.check("paid_on", parse_date(&self.paid_on));
        let method = errors.check(
            "method",
            PaymentMethod::from_name(&self.method).ok_or("must be bank_transfer, card, cash or other"),
        );
        let reference = errors.check_optional("reference", self.reference.as_deref(), PaymentReference::parse);
        match (amount, paid_on, method, reference) {
            (Some(amount), Some(paid_on), Some(method), Some(reference)) => {
                Ok(PaymentInput { amount, paid_on, method, reference })
            }
            _ => Err(errors),
        }
    }
}

/// Why an invoice is voided, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoidForm {
    /// The reason.
    pub reason: String,
}

impl VoidForm {
    /// Validates the reason.
    ///
    /// # Errors
    /// [`ValidationErrors`] on `reason` when it is blank or too long.
    pub fn parse(&self) -> Result<VoidReason, ValidationErrors> {
        VoidReason::parse(&self.reason).map_err(|e| ValidationErrors::single("reason", e))
    }
}
