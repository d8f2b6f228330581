//! Invoices as admins see them.

use portico_domain::invoice::{BillingSnapshot, Invoice, InvoiceLine};
use portico_domain::money::{Locale, Money};
use serde::Serialize;
use utoipa::ToSchema;

use super::{instant, maybe_date, maybe_instant};

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

/// One line of an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineView {
    /// What is billed.
    pub description: String,
    /// How many, as a decimal string (`1.5`).
    pub quantity: String,
    /// Price of one.
    pub unit_price: MoneyView,
    /// Quantity × unit price.
    pub total: Option<MoneyView>,
}

impl From<&InvoiceLine> for InvoiceLineView {
    fn from(line: &InvoiceLine) -> Self {
        Self {
            description: line.description.as_str().to_owned(),
            quantity: line.quantity.to_string(),
            unit_price: line.unit_price.into(),
            total: line.unit_price.times(line.quantity).ok().map(Into::into),
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

/// An invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    /// Id.
    pub id: String,
    /// Invoice number.
    pub number: String,
    /// The client billed.
    pub client_id: String,
    /// The project billed, if any.
    pub project_id: Option<String>,
    /// `draft`, `sent`, `paid` or `void`.
    pub status: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Lines.
    pub lines: Vec<InvoiceLineView>,
    /// Sum of the lines.
    pub total: MoneyView,
    /// Due date.
    pub due_date: Option<String>,
    /// The billing details captured when sent.
    pub billing: Option<BillingView>,
    /// When it was created.
    pub created_at: String,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// When it was marked paid.
    pub paid_at: Option<String>,
    /// When it was voided.
    pub voided_at: Option<String>,
}

impl From<&Invoice> for InvoiceView {
    fn from(invoice: &Invoice) -> Self {
        let draft = invoice.draft();
        Self {
            id: invoice.id().to_string(),
            number: invoice.number().as_str().to_owned(),
            client_id: invoice.client_id().to_string(),
            project_id: invoice.project_id().map(|id| id.to_string()),
            status: invoice.status().as_str().to_owned(),
            currency: draft.currency.code().to_owned(),
            lines: draft.lines.iter().map(Into::into).collect(),
            total: invoice.total().into(),
            due_date: maybe_date(draft.due_date),
            billing: invoice.billing().map(Into::into),
            created_at: instant(invoice.created_at()),
            sent_at: maybe_instant(invoice.sent_at()),
            paid_at: maybe_instant(invoice.paid_at()),
            voided_at: maybe_instant(invoice.voided_at()),
        }
    }
}
