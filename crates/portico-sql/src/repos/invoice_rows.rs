//! How an invoice is laid out in rows: its head in `invoices`, its lines in
//! `invoice_lines`, its payments in `payments`. The aggregate is written whole (the head
//! updated, lines and payments replaced) and read back whole.

use std::collections::HashMap;

use portico_domain::company::CompanyName;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId, ProjectId, WorkspaceId};
use portico_domain::invoice::{
    BillingSnapshot, Discount, Due, Invoice, InvoiceDraft, InvoiceLine, InvoiceNotes, InvoiceNumber, InvoiceParts,
    InvoiceTerms, IssuerSnapshot, LineDescription, Payment, PaymentInput, PaymentInstructions, PaymentMethod,
    PaymentReference, Reminder, TaxName, VoidReason,
};
use portico_domain::money::{Currency, Money, Percent, Quantity};
use portico_domain::text::{BillingAddress, PersonName, WorkspaceName};
use portico_ports::RepoResult;
use portico_ports::repos::number_key;
use uuid::Uuid;

use crate::codec::{corrupt, read, read_enum, read_opt, valid};
use crate::columns::{Column, Table};
use crate::engine::Row;

/// The invoices table. `total_minor` and `owed_minor` are the domain's total and what is owed,
/// kept for filters and sums (never read back: the aggregate computes them). `due_date` holds the day it is due however that was set (a date, or
/// net days from the issue date) so lists sort by it; `net_days` says which it was.
pub(super) static INVOICES: Table<Invoice> = Table::new(
    "invoices",
    &[
        Column::key("workspace_id", |i| i.workspace_id().as_uuid().into()),
        Column::key("id", |i| i.id().as_uuid().into()),
        Column::field("number", |i| i.number().map(InvoiceNumber::as_str).into()),
        Column::derived("number_key", |i| number_key(i).into()),
        Column::field("client_id", |i| i.client_id().as_uuid().into()),
        Column::field("project_id", |i| i.project_id().map(|p| p.as_uuid()).into()),
        Column::field("currency", |i| i.currency().code().into()),
        Column::field("issue_date", |i| i.draft().issue_date.into()),
        Column::field("due_date", |i| i.due_date().into()),
        Column::field("net_days", |i| match i.draft().due {
            Some(Due::NetDays(days)) => Some(i64::from(days)).into(),
            _ => None::<i64>.into(),
        }),
        Column::field("discount_kind", |i| {
            i.draft()
                .discount
                .map(|d| match d {
                    Discount::Percent(_) => "percent",
                    Discount::Amount(_) => "amount",
                })
                .into()
        }),
        Column::field("discount_value", |i| {
            i.draft()
                .discount
                .map(|d| match d {
                    Discount::Percent(p) => i64::from(p.thousandths()),
                    Discount::Amount(m) => m.minor(),
                })
                .into()
        }),
        Column::field("notes", |i| i.draft().notes.as_ref().map(InvoiceNotes::as_str).into()),
        Column::field("terms", |i| i.draft().terms.as_ref().map(InvoiceTerms::as_str).into()),
        Column::field("status", |i| i.status().as_str().into()),
        Column::field("billing_name", |i| i.billing().map(|b| b.name.as_str()).into()),
        Column::field("billing_email", |i| i.billing().map(|b| b.email.as_str()).into()),
        Column::field("billing_company", |i| {
            i.billing().and_then(|b| b.company.as_ref().map(CompanyName::as_str)).into()
        }),
        Column::field("billing_address", |i| {
            i.billing().and_then(|b| b.address.as_ref().map(BillingAddress::as_str)).into()
        }),
        Column::field("issuer_name", |i| i.issuer().map(|s| s.name.as_str()).into()),
        Column::field("issuer_address", |i| {
            i.issuer().and_then(|s| s.address.as_ref().map(BillingAddress::as_str)).into()
        }),
        Column::field("issuer_payment_instructions", |i| {
            i.issuer().and_then(|s| s.payment_instructions.as_ref().map(PaymentInstructions::as_str)).into()
        }),
        Column::field("void_reason", |i| i.void_reason().map(VoidReason::as_str).into()),
        Column::derived("total_minor", |i| i.total().minor().into()),
        Column::derived("owed_minor", |i| i.owed().minor().into()),
        Column::fixed("created_at", |i| i.created_at().into()),
        Column::field("sent_at", |i| i.sent_at().into()),
        Column::field("paid_at", |i| i.paid_at().into()),
        Column::field("voided_at", |i| i.voided_at().into()),
        Column::field("next_reminder_on", |i| i.next_reminder().map(|r| r.on).into()),
        Column::field("next_reminder_days", |i| i.next_reminder().map(|r| i64::from(r.days)).into()),
    ],
);

/// One line as stored: its invoice and place among the invoice's lines.
pub(super) struct LineRow {
    workspace: Uuid,
    invoice: Uuid,
    position: i64,
    line: InvoiceLine,
}

pub(super) static LINES: Table<LineRow> = Table::new(
    "invoice_lines",
    &[
        Column::key("workspace_id", |r| r.workspace.into()),
        Column::key("invoice_id", |r| r.invoice.into()),
        Column::key("position", |r| r.position.into()),
        Column::field("description", |r| r.line.description.as_str().into()),
        Column::field("quantity_thousandths", |r| r.line.quantity.thousandths().into()),
        Column::field("unit_price_minor", |r| r.line.unit_price.minor().into()),
        Column::field("tax_rate_thousandths", |r| i64::from(r.line.tax_rate.thousandths()).into()),
        Column::field("tax_name", |r| r.line.tax_name.as_ref().map(TaxName::as_str).into()),
    ],
);

/// One payment as stored, with the workspace it belongs to.
pub(super) struct PaymentRow {
    workspace: Uuid,
    payment: Payment,
}

pub(super) static PAYMENTS: Table<PaymentRow> = Table::new(
    "payments",
    &[
        Column::key("workspace_id", |r| r.workspace.into()),
        Column::key("id", |r| r.payment.id.as_uuid().into()),
        Column::fixed("invoice_id", |r| r.payment.invoice_id.as_uuid().into()),
        Column::fixed("amount_minor", |r| r.payment.input.amount.minor().into()),
        Column::fixed("paid_on", |r| Some(r.payment.input.paid_on).into()),
        Column::fixed("method", |r| r.payment.input.method.as_str().into()),
        Column::fixed("reference", |r| r.payment.input.reference.as_ref().map(PaymentReference::as_str).into()),
        Column::fixed("recorded_at", |r| r.payment.recorded_at.into()),
    ],
);

/// The rows of an invoice's lines.
pub(super) fn line_rows(invoice: &Invoice) -> RepoResult<Vec<LineRow>> {
    let (workspace, id) = (invoice.workspace_id().as_uuid(), invoice.id().as_uuid());
    invoice
        .draft()
        .lines
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let position = i64::try_from(position).map_err(|e| corrupt("position", e))?;
            Ok(LineRow { workspace, invoice: id, position, line: line.clone() })
        })
        .collect()
}

/// The rows of an invoice's payments.
pub(super) fn payment_rows(invoice: &Invoice) -> Vec<PaymentRow> {
    let workspace = invoice.workspace_id().as_uuid();
    invoice.payments().iter().map(|payment| PaymentRow { workspace, payment: payment.clone() }).collect()
}

/// An invoice row, its lines and payments still to be attached.
pub(super) fn head(row: &impl Row) -> RepoResult<InvoiceParts> {
    let currency = read(row, "currency", Currency::parse)?;
    let billing = match row.opt_text("billing_name")? {
        None => None,
        Some(name) => Some(BillingSnapshot {
            name: valid("billing_name", PersonName::parse(&name))?,
            email: read(row, "billing_email", EmailAddress::parse)?,
            company: read_opt(row, "billing_company", CompanyName::parse)?,
            address: read_opt(row, "billing_address", BillingAddress::parse)?,
        }),
    };
    let issuer = match row.opt_text("issuer_name")? {
        None => None,
        Some(name) => Some(IssuerSnapshot {
            name: valid("issuer_name", WorkspaceName::parse(&name))?,
            address: read_opt(row, "issuer_address", BillingAddress::parse)?,
            payment_instructions: read_opt(row, "issuer_payment_instructions", PaymentInstructions::parse)?,
        }),
    };
    let due = match row.opt_int("net_days")? {
        Some(days) => Some(Due::NetDays(valid("net_days", u16::try_from(days))?)),
        None => row.opt_date("due_date")?.map(Due::On),
    };
    let discount = match (row.opt_text("discount_kind")?.as_deref(), row.opt_int("discount_value")?) {
        (None, _) => None,
        (Some("percent"), Some(value)) => {
            let thousandths = valid("discount_value", u32::try_from(value))?;
            Some(Discount::Percent(valid("discount_value", Percent::from_thousandths(thousandths))?))
        }
        (Some("amount"), Some(value)) => Some(Discount::Amount(Money::new(value, currency))),
        (Some(kind), _) => return Err(corrupt("discount_kind", format!("unreadable discount {kind:?}"))),
    };
    let draft = InvoiceDraft {
        number: read_opt(row, "number", InvoiceNumber::parse)?,
        client_id: ClientId::from_uuid(row.uuid("client_id")?),
        project_id: row.opt_uuid("project_id")?.map(ProjectId::from_uuid),
        currency,
        lines: Vec::new(),
        discount,
        notes: read_opt(row, "notes", InvoiceNotes::parse)?,
        terms: read_opt(row, "terms", InvoiceTerms::parse)?,
        issue_date: row.opt_date("issue_date")?,
        due,
    };
    Ok(InvoiceParts {
        id: InvoiceId::from_uuid(row.uuid("id")?),
        workspace_id: WorkspaceId::from_uuid(row.uuid("workspace_id")?),
        draft,
        status: read_enum(row, "status")?,
        billing,
        issuer,
        payments: Vec::new(),
        void_reason: read_opt(row, "void_reason", VoidReason::parse)?,
        created_at: row.time("created_at")?,
        sent_at: row.opt_time("sent_at")?,
        paid_at: row.opt_time("paid_at")?,
        voided_at: row.opt_time("voided_at")?,
        next_reminder: match (row.opt_date("next_reminder_on")?, row.opt_int("next_reminder_days")?) {
            (Some(on), Some(days)) => Some(Reminder { days: valid("next_reminder_days", i16::try_from(days))?, on }),
            _ => None,
        },
    })
}

/// The currency of each invoice head, by id: lines and payments carry bare minor units.
pub(super) fn currencies(heads: &[InvoiceParts]) -> HashMap<Uuid, Currency> {
    heads.iter().map(|h| (h.id.as_uuid(), h.draft.currency)).collect()
}

/// A line row, with the invoice it belongs to.
pub(super) fn line(row: &impl Row, currencies: &HashMap<Uuid, Currency>) -> RepoResult<(Uuid, InvoiceLine)> {
    let invoice = row.uuid("invoice_id")?;
    let currency = *currencies.get(&invoice).ok_or_else(|| corrupt("invoice_id", "line of an unknown invoice"))?;
    let tax_rate = valid("tax_rate_thousandths", u32::try_from(row.int("tax_rate_thousandths")?))?;
    let line = InvoiceLine {
        description: read(row, "description", LineDescription::parse)?,
        quantity: valid("quantity_thousandths", Quantity::from_thousandths(row.int("quantity_thousandths")?))?,
        unit_price: Money::new(row.int("unit_price_minor")?, currency),
        tax_rate: valid("tax_rate_thousandths", Percent::from_thousandths(tax_rate))?,
        tax_name: read_opt(row, "tax_name", TaxName::parse)?,
    };
    Ok((invoice, line))
}

/// A payment row.
pub(super) fn payment(row: &impl Row, currencies: &HashMap<Uuid, Currency>) -> RepoResult<Payment> {
    let invoice = row.uuid("invoice_id")?;
    let currency = *currencies.get(&invoice).ok_or_else(|| corrupt("invoice_id", "payment of an unknown invoice"))?;
    let method = read(row, "method", |name| PaymentMethod::from_name(name).ok_or("not a payment method"))?;
    Ok(Payment {
        id: PaymentId::from_uuid(row.uuid("id")?),
        invoice_id: InvoiceId::from_uuid(invoice),
        input: PaymentInput {
            amount: Money::new(row.int("amount_minor")?, currency),
            paid_on: row.opt_date("paid_on")?.ok_or_else(|| corrupt("paid_on", "missing"))?,
            method,
            reference: read_opt(row, "reference", PaymentReference::parse)?,
        },
        recorded_at: row.time("recorded_at")?,
    })
}
