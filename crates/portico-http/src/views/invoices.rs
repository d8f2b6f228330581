//! Invoices as admins see them, and the parts the portal's invoices share.

use portico_domain::invoice::{
    BillingSnapshot, Discount, Due, EntryKind, Invoice, InvoiceLine, IssuerSnapshot, Ledger, LineAmounts, Payment,
    PaymentInput, TaxSum, Totals,
};
use portico_domain::money::{Locale, Money};
use serde::Serialize;
use utoipa::ToSchema;

use super::{date, instant, maybe_date, maybe_instant};

/// An amount: minor units (cents) and the currency, with a display form.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyView {
    /// Amount in minor units.
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// For people, as the workspace's locale writes it: `€1,250.00` (`en-US`, the only
    /// locale until workspaces choose one).
    pub display: String,
}

impl From<Money> for MoneyView {
    fn from(money: Money) -> Self {
        Self {
            minor: money.minor(),
            currency: money.currency().code().to_owned(),
            display: money.display_in(Locale::default()).to_string(),
        }
    }
}

/// One line of an invoice, with what it comes to.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineView {
    /// What is billed.
    pub description: String,
    /// How many, as a decimal string (`1.5`).
    pub quantity: String,
    /// Price of one, before tax.
    pub unit_price: MoneyView,
    /// The tax rate in percent, as a decimal string (`19`, `7.5`).
    pub tax_rate: String,
    /// The tax's name (`VAT`).
    pub tax_name: Option<String>,
    /// Quantity × unit price.
    pub net: MoneyView,
    /// Its share of the invoice discount.
    pub discount: MoneyView,
    /// Tax on the net after its discount share.
    pub tax: MoneyView,
    /// Net − discount share + tax.
    pub total: MoneyView,
}

impl From<(&InvoiceLine, &LineAmounts)> for InvoiceLineView {
    fn from((line, amounts): (&InvoiceLine, &LineAmounts)) -> Self {
        Self {
            description: line.description.as_str().to_owned(),
            quantity: line.quantity.to_string(),
            unit_price: line.unit_price.into(),
            tax_rate: line.tax_rate.to_string(),
            tax_name: line.tax_name.as_ref().map(|n| n.as_str().to_owned()),
            net: amounts.net.into(),
            discount: amounts.discount.into(),
            tax: amounts.tax.into(),
            total: amounts.total().into(),
        }
    }
}

/// The tax of the lines with one rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaxView {
    /// The rate's name.
    pub name: Option<String>,
    /// The rate in percent (`19`).
    pub rate: String,
    /// The nets (after discount) it is charged on.
    pub base: MoneyView,
    /// The tax.
    pub amount: MoneyView,
}

impl From<&TaxSum> for TaxView {
    fn from(tax: &TaxSum) -> Self {
        Self {
            name: tax.name.as_ref().map(|n| n.as_str().to_owned()),
            rate: tax.rate.to_string(),
            base: tax.base.into(),
            amount: tax.amount.into(),
        }
    }
}

/// How an invoice adds up.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsView {
    /// The sum of the line nets.
    pub subtotal: MoneyView,
    /// The discount taken off.
    pub discount: MoneyView,
    /// Tax by rate.
    pub taxes: Vec<TaxView>,
    /// All tax.
    pub tax: MoneyView,
    /// Subtotal − discount + tax.
    pub total: MoneyView,
}

impl From<&Totals> for TotalsView {
    fn from(totals: &Totals) -> Self {
        Self {
            subtotal: totals.subtotal.into(),
            discount: totals.discount.into(),
            taxes: totals.taxes.iter().map(Into::into).collect(),
            tax: totals.tax.into(),
            total: totals.total.into(),
        }
    }
}

/// A payment received.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    /// Id (staff views only; `DELETE /payments/{id}` removes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How much.
    pub amount: MoneyView,
    /// The day it arrived (`YYYY-MM-DD`).
    pub paid_on: String,
    /// `bank_transfer`, `card`, `cash` or `other`.
    pub method: String,
    /// The agency's reference.
    pub reference: Option<String>,
    /// When it was recorded (staff views only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
}

impl PaymentView {
    /// A payment as clients see it: what, when and how, without the bookkeeping.
    pub(crate) fn of_input(input: &PaymentInput) -> Self {
        Self {
            id: None,
            amount: input.amount.into(),
            paid_on: date(input.paid_on),
            method: input.method.as_str().to_owned(),
            reference: input.reference.as_ref().map(|r| r.as_str().to_owned()),
            recorded_at: None,
        }
    }

    fn recorded(payment: &Payment) -> Self {
        let at = instant(payment.recorded_at);
        Self { id: Some(payment.id.to_string()), recorded_at: Some(at), ..Self::of_input(&payment.input) }
    }
}

/// Who issued an invoice, as of sending.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuerView {
    /// The agency's name.
    pub name: String,
    /// Its address.
    pub address: Option<String>,
    /// How to pay it (in the portal, only for clients with `payments`).
    pub payment_instructions: Option<String>,
}

impl From<&IssuerSnapshot> for IssuerView {
    fn from(issuer: &IssuerSnapshot) -> Self {
        Self {
            name: issuer.name.as_str().to_owned(),
            address: issuer.address.as_ref().map(|a| a.as_str().to_owned()),
            payment_instructions: issuer.payment_instructions.as_ref().map(|p| p.as_str().to_owned()),
        }
    }
}

/// Who an invoice bills, as captured when it was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingView {
    /// Name.
    pub name: String,
    /// Address the invoice was sent to.
    pub email: String,
    /// Company.
    pub company: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

impl From<&BillingSnapshot> for BillingView {
    fn from(billing: &BillingSnapshot) -> Self {
        Self {
            name: billing.name.as_str().to_owned(),
            email: billing.email.as_str().to_owned(),
            company: billing.company.as_ref().map(|c| c.as_str().to_owned()),
            address: billing.address.as_ref().map(|a| a.as_str().to_owned()),
        }
    }
}

/// A discount as set on the invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiscountView {
    /// A percentage of the subtotal (`10`), when it is one.
    pub percent: Option<String>,
    /// A fixed amount, when it is one.
    pub amount: Option<MoneyView>,
}

impl From<Discount> for DiscountView {
    fn from(discount: Discount) -> Self {
        match discount {
            Discount::Percent(p) => Self { percent: Some(p.to_string()), amount: None },
            Discount::Amount(m) => Self { percent: None, amount: Some(m.into()) },
        }
    }
}

/// An invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    /// Id.
    pub id: String,
    /// Invoice number; none on a draft that takes the next from the pattern when sent.
    pub number: Option<String>,
    /// The client billed.
    pub client_id: String,
    /// The project billed, if any.
    pub project_id: Option<String>,
    /// `draft`, `sent`, `partially_paid`, `paid` or `void`.
    pub status: String,
    /// Past due with a balance (derived, today by the server's clock).
    pub overdue: bool,
    /// ISO 4217 code.
    pub currency: String,
    /// Lines, with their discount shares and taxes.
    pub lines: Vec<InvoiceLineView>,
    /// The discount as set.
    pub discount: Option<DiscountView>,
    /// Subtotal, discount, taxes and total.
    pub totals: TotalsView,
    /// The total (as in `totals`).
    pub total: MoneyView,
    /// What has been paid.
    pub paid: MoneyView,
    /// What is still to be paid (nothing on a void invoice).
    pub balance: MoneyView,
    /// Payments, oldest first.
    pub payments: Vec<PaymentView>,
    /// The issue date: set on the draft, or the day it was sent.
    pub issue_date: Option<String>,
    /// The day it is due: set, or the issue date plus `net_days`.
    pub due_date: Option<String>,
    /// Payment terms in days after the issue date, when the due date comes from them.
    pub net_days: Option<u16>,
    /// A note for the client.
    pub notes: Option<String>,
    /// Terms printed at the bottom.
    pub terms: Option<String>,
    /// The billing details captured when sent.
    pub billing: Option<BillingView>,
    /// The workspace's details captured when sent.
    pub issuer: Option<IssuerView>,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// When its last payment settled it.
    pub paid_at: Option<String>,
    /// When it was voided.
    pub voided_at: Option<String>,
    /// The day its client gets the next payment reminder (`YYYY-MM-DD`), while it is open
    /// with money owed and the workspace's schedule has one to come.
    pub next_reminder_on: Option<String>,
}

impl InvoiceView {
    /// The invoice as of `today` (which decides `overdue`).
    pub fn of(invoice: &Invoice, today: time::Date) -> Self {
        let draft = invoice.draft();
        let totals = invoice.totals();
        Self {
            id: invoice.id().to_string(),
            number: invoice.number().map(|n| n.as_str().to_owned()),
            client_id: invoice.client_id().to_string(),
            project_id: invoice.project_id().map(|id| id.to_string()),
            status: invoice.status().as_str().to_owned(),
            overdue: invoice.is_overdue(today),
            currency: draft.currency.code().to_owned(),
            lines: draft.lines.iter().zip(&totals.lines).map(Into::into).collect(),
            discount: draft.discount.map(DiscountView::from),
            totals: totals.into(),
            total: invoice.total().into(),
            paid: invoice.paid().into(),
            balance: invoice.balance().into(),
            payments: invoice.payments().iter().map(PaymentView::recorded).collect(),
            issue_date: maybe_date(draft.issue_date),
            due_date: maybe_date(invoice.due_date()),
            net_days: match draft.due {
                Some(Due::NetDays(days)) => Some(days),
                _ => None,
            },
            notes: draft.notes.as_ref().map(|n| n.as_str().to_owned()),
            terms: draft.terms.as_ref().map(|t| t.as_str().to_owned()),
            billing: invoice.billing().map(Into::into),
            issuer: invoice.issuer().map(Into::into),
            void_reason: invoice.void_reason().map(|r| r.as_str().to_owned()),
            created_at: instant(invoice.created_at()),
            sent_at: maybe_instant(invoice.sent_at()),
            paid_at: maybe_instant(invoice.paid_at()),
            voided_at: maybe_instant(invoice.voided_at()),
            next_reminder_on: maybe_date(invoice.upcoming_reminder().map(|r| r.on)),
        }
    }
}

/// One line of a statement of account.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementEntryView {
    /// The day it happened (`YYYY-MM-DD`).
    pub on: String,
    /// The invoice it concerns.
    pub invoice_id: String,
    /// That invoice's number.
    pub number: String,
    /// `issued`, `paid` or `voided`.
    pub kind: String,
    /// For an issued invoice, when it is due.
    pub due_date: Option<String>,
    /// For a payment, how it was made.
    pub method: Option<String>,
    /// For a payment, its reference.
    pub reference: Option<String>,
    /// What it adds to the balance: positive when owed, negative when paid or cancelled.
    pub amount: MoneyView,
    /// The balance after it.
    pub balance: MoneyView,
}

/// A statement of account in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerView {
    /// ISO 4217 code.
    pub currency: String,
    /// Oldest first.
    pub entries: Vec<StatementEntryView>,
    /// The totals of the invoices issued.
    pub invoiced: MoneyView,
    /// The payments received.
    pub paid: MoneyView,
    /// What is owed now.
    pub owed: MoneyView,
}

impl From<&Ledger> for LedgerView {
    fn from(ledger: &Ledger) -> Self {
        let entries = ledger
            .entries
            .iter()
            .map(|entry| {
                let (kind, due_date, method, reference) = match &entry.kind {
                    EntryKind::Issued { due } => ("issued", maybe_date(*due), None, None),
                    EntryKind::Paid { method, reference } => (
                        "paid",
                        None,
                        Some(method.as_str().to_owned()),
                        reference.as_ref().map(|r| r.as_str().to_owned()),
                    ),
                    EntryKind::Voided => ("voided", None, None, None),
                };
                StatementEntryView {
                    on: date(entry.on),
                    invoice_id: entry.invoice.to_string(),
                    number: entry.number.as_str().to_owned(),
                    kind: kind.to_owned(),
                    due_date,
                    method,
                    reference,
                    amount: entry.amount.into(),
                    balance: entry.balance.into(),
                }
            })
            .collect();
        Self {
            currency: ledger.currency.code().to_owned(),
            entries,
            invoiced: ledger.invoiced.into(),
            paid: ledger.paid.into(),
            owed: ledger.owed.into(),
        }
    }
}
