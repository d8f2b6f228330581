//! Invoices: drafted, sent with a billing snapshot, then paid or voided.
//!
//! ```text
//!   Draft ──send──▶ Sent ──mark paid──▶ Paid
//!     │               │
//!     └────void───────┴──▶ Void
//! ```
//! Sending copies the client's name, company and billing address into the invoice, so later
//! edits to the client — or its deletion — never rewrite an issued invoice.

mod numbering;

use std::str::FromStr;

use time::{Date, OffsetDateTime};

use crate::client::Client;
use crate::company::CompanyName;
use crate::email::EmailAddress;
use crate::ids::{ClientId, InvoiceId, ProjectId, WorkspaceId};
use crate::money::{Currency, Money, MoneyError, Quantity};
use crate::names::named_enum;
use crate::rules::RuleViolation;
use crate::text::{BillingAddress, PersonName, bounded_text};
use crate::validation::ValidationErrors;

pub use self::numbering::{NumberPattern, PatternError};

bounded_text!(
    /// An invoice number, unique per workspace (compared case-insensitively).
    InvoiceNumber, max = 50, lines = Single
);
bounded_text!(
    /// What an invoice line is for.
    LineDescription, max = 500, lines = Single
);

impl InvoiceNumber {
    /// The form used for uniqueness: upper-cased.
    pub fn normalized(&self) -> String {
        self.as_str().to_uppercase()
    }
}

named_enum! {
    /// Where an invoice is in its life.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum InvoiceStatus {
        /// Being prepared; never shown to clients.
        Draft => "draft",
        /// Issued to the client.
        Sent => "sent",
        /// Settled.
        Paid => "paid",
        /// Cancelled.
        Void => "void",
    }
}

/// The statuses an invoice can be sent from, marked paid from, and voided from.
const SEND_FROM: &[InvoiceStatus] = &[InvoiceStatus::Draft];
const PAY_FROM: &[InvoiceStatus] = &[InvoiceStatus::Sent];
const VOID_FROM: &[InvoiceStatus] = &[InvoiceStatus::Draft, InvoiceStatus::Sent];

/// What staff may do with an invoice now ([`Invoice::actions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InvoiceActions {
    /// Issue it to the client.
    pub send: bool,
    /// Record payment.
    pub mark_paid: bool,
    /// Cancel it.
    pub void: bool,
}

/// The error for an invoice status name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an invoice status")]
pub struct UnknownInvoiceStatus(pub String);

impl FromStr for InvoiceStatus {
    type Err = UnknownInvoiceStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownInvoiceStatus(s.trim().to_owned()))
    }
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// What it is for.
    pub description: LineDescription,
    /// How many.
    pub quantity: Quantity,
    /// Price of one, in the invoice's currency.
    pub unit_price: Money,
}

impl InvoiceLine {
    /// Quantity times unit price.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the product does not fit.
    pub fn total(&self) -> Result<Money, MoneyError> {
        self.unit_price.times(self.quantity)
    }
}

/// Who an invoice was issued to, as the client was when it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingSnapshot {
    /// The client's name then.
    pub name: PersonName,
    /// Its email then.
    pub email: EmailAddress,
    /// Its company then.
    pub company: Option<CompanyName>,
    /// Its billing address then.
    pub address: Option<BillingAddress>,
}

/// An invoice as it is drafted: everything but the status and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// Unique number.
    pub number: InvoiceNumber,
    /// Addressed to.
    pub client_id: ClientId,
    /// The project it bills, if any; its clients can see it too.
    pub project_id: Option<ProjectId>,
    /// The currency of every line.
    pub currency: Currency,
    /// The lines.
    pub lines: Vec<InvoiceLine>,
    /// When payment is due.
    pub due_date: Option<Date>,
}

impl InvoiceDraft {
    /// The most lines one invoice takes.
    pub const MAX_LINES: usize = 200;

    /// Checks a draft about to be made: its lines as [`validate`](Self::validate) does, and
    /// that there is at least one (an invoice with nothing on it could never be sent).
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each offending line, or `lines` when there is none.
    pub fn validate_new(&self) -> Result<Money, ValidationErrors> {
        let checked = self.validate();
        if !self.lines.is_empty() {
            return checked;
        }
        let mut errors = checked.err().unwrap_or_default();
        errors.add("lines", "must have at least one line");
        Err(errors)
    }

    /// Checks the lines: their count, that every unit price is in the invoice's currency and
    /// within range, and that the total fits.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each offending line (`lines[2].unit_price_minor`).
    pub fn validate(&self) -> Result<Money, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.lines.len() > Self::MAX_LINES {
            errors.add("lines", format!("must have at most {} lines", Self::MAX_LINES));
        }
        let mut total = Money::zero(self.currency);
        for (i, line) in self.lines.iter().enumerate() {
            let field = format!("lines[{i}].unit_price_minor");
            if line.unit_price.currency() != self.currency {
                errors.add(field, MoneyError::CurrencyMismatch(self.currency, line.unit_price.currency()));
            } else if !(0..=Money::MAX_UNIT_PRICE_MINOR).contains(&line.unit_price.minor()) {
                errors.add(field, MoneyError::UnitPriceOutOfRange);
            } else if let Some(sum) = errors.check("total", line.total().and_then(|t| total.checked_add(t))) {
                total = sum;
            }
        }
        errors.into_result().map(|()| total)
    }
}

/// An invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    parts: InvoiceParts,
    /// The sum of the lines, checked to fit when the invoice was built (lines never change after).
    total: Money,
}

/// Every field of an invoice, for adapters that store and rebuild invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceParts {
    /// Identity.
    pub id: InvoiceId,
    /// The workspace it belongs to.
    pub workspace_id: WorkspaceId,
    /// Number, client, project, currency, lines and due date.
    pub draft: InvoiceDraft,
    /// Where it is in its lifecycle.
    pub status: InvoiceStatus,
    /// The billing details copied when it was sent.
    pub billing: Option<BillingSnapshot>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was sent.
    pub sent_at: Option<OffsetDateTime>,
    /// When it was marked paid.
    pub paid_at: Option<OffsetDateTime>,
    /// When it was voided.
    pub voided_at: Option<OffsetDateTime>,
}

impl Invoice {
    /// A new draft.
    ///
    /// # Errors
    /// [`ValidationErrors`] from [`InvoiceDraft::validate_new`].
    pub fn new(
        id: InvoiceId,
        workspace_id: WorkspaceId,
        draft: InvoiceDraft,
        now: OffsetDateTime,
    ) -> Result<Self, ValidationErrors> {
        let total = draft.validate_new()?;
        let parts = InvoiceParts {
            id,
            workspace_id,
            draft,
            status: InvoiceStatus::Draft,
            billing: None,
            created_at: now,
            sent_at: None,
            paid_at: None,
            voided_at: None,
        };
        Ok(Self { parts, total })
    }

    /// Rebuilds an invoice from storage.
    ///
    /// # Errors
    /// [`ValidationErrors`] when the stored lines no longer add up (corrupt data).
    pub fn from_parts(parts: InvoiceParts) -> Result<Self, ValidationErrors> {
        let total = parts.draft.validate()?;
        Ok(Self { parts, total })
    }

    /// Every field, for storage.
    pub fn to_parts(&self) -> InvoiceParts {
        self.parts.clone()
    }

    /// Identity.
    pub fn id(&self) -> InvoiceId {
        self.parts.id
    }

    /// The workspace.
    pub fn workspace_id(&self) -> WorkspaceId {
        self.parts.workspace_id
    }

    /// Number, client, project, currency, lines and due date.
    pub fn draft(&self) -> &InvoiceDraft {
        &self.parts.draft
    }

    /// The invoice number.
    pub fn number(&self) -> &InvoiceNumber {
        &self.parts.draft.number
    }

    /// The client it is addressed to.
    pub fn client_id(&self) -> ClientId {
        self.parts.draft.client_id
    }

    /// The project it bills, if any.
    pub fn project_id(&self) -> Option<ProjectId> {
        self.parts.draft.project_id
    }

    /// The sum of the lines.
    pub fn total(&self) -> Money {
        self.total
    }

    /// Where it is in its life.
    pub fn status(&self) -> InvoiceStatus {
        self.parts.status
    }

    /// The billing details copied when it was sent.
    pub fn billing(&self) -> Option<&BillingSnapshot> {
        self.parts.billing.as_ref()
    }

    /// When it was created.
    pub fn created_at(&self) -> OffsetDateTime {
        self.parts.created_at
    }

    /// When it was sent.
    pub fn sent_at(&self) -> Option<OffsetDateTime> {
        self.parts.sent_at
    }

    /// When it was marked paid.
    pub fn paid_at(&self) -> Option<OffsetDateTime> {
        self.parts.paid_at
    }

    /// When it was voided.
    pub fn voided_at(&self) -> Option<OffsetDateTime> {
        self.parts.voided_at
    }

    /// What staff may do with the invoice now, by the same status rules its commands follow.
    pub fn actions(&self) -> InvoiceActions {
        let status = self.parts.status;
        InvoiceActions {
            send: SEND_FROM.contains(&status),
            mark_paid: PAY_FROM.contains(&status),
            void: VOID_FROM.contains(&status),
        }
    }

    fn ensure_status(&self, allowed: &[InvoiceStatus], action: &'static str) -> Result<(), RuleViolation> {
        if allowed.contains(&self.parts.status) {
            Ok(())
        } else {
            Err(RuleViolation::InvoiceStatus { from: self.parts.status, action })
        }
    }

    /// Issues the invoice to `client`, taking the billing snapshot.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is a draft, [`RuleViolation::InvoiceWithoutLines`]
    /// without lines, [`RuleViolation::ClientDeleted`] when the client is a tombstone.
    pub fn send(&mut self, client: &Client, now: OffsetDateTime) -> Result<(), RuleViolation> {
        self.ensure_status(SEND_FROM, "sent")?;
        if self.parts.draft.lines.is_empty() {
            return Err(RuleViolation::InvoiceWithoutLines);
        }
        if client.is_deleted() {
            return Err(RuleViolation::ClientDeleted);
        }
        let profile = client.profile();
        self.parts.billing = Some(BillingSnapshot {
            name: profile.name.clone(),
            email: profile.email.clone(),
            company: profile.company.clone(),
            address: profile.billing_address.clone(),
        });
        self.parts.status = InvoiceStatus::Sent;
        self.parts.sent_at = Some(now);
        Ok(())
    }

    /// Records payment.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is sent.
    pub fn mark_paid(&mut self, now: OffsetDateTime) -> Result<(), RuleViolation> {
        self.ensure_status(PAY_FROM, "marked paid")?;
        self.parts.status = InvoiceStatus::Paid;
        self.parts.paid_at = Some(now);
        Ok(())
    }

    /// Cancels the invoice. Its number stays taken.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] when it is paid or already void.
    pub fn void(&mut self, now: OffsetDateTime) -> Result<(), RuleViolation> {
        self.ensure_status(VOID_FROM, "voided")?;
        self.parts.status = InvoiceStatus::Void;
        self.parts.voided_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientProfile;
    use crate::permissions::Preset;
    use time::macros::datetime;
    use uuid::Uuid;

    const NOW: OffsetDateTime = datetime!(2026-02-01 10:00 UTC);

    fn eur() -> Currency {
        Currency::parse("EUR").expect("known")
    }

    fn line(quantity: &str, unit_price_minor: i64) -> InvoiceLine {
        InvoiceLine {
            description: LineDescription::parse("Design work").expect("valid"),
            quantity: Quantity::parse(quantity).expect("valid"),
            unit_price: Money::new(unit_price_minor, eur()),
        }
    }

    fn lisa() -> Client {
        let profile = ClientProfile {
            name: PersonName::parse("Lisa Park").expect("valid"),
            email: EmailAddress::parse("lisa@acme.example").expect("valid"),
            company: Some(CompanyName::parse("Acme Corp").expect("valid")),
            phone: None,
            billing_address: Some(BillingAddress::parse("1 Main St\nSpringfield").expect("valid")),
            notes: None,
        };
        Client::new(
            ClientId::from_uuid(Uuid::from_u128(7)),
            WorkspaceId::from_uuid(Uuid::from_u128(1)),
            profile,
            Preset::BillingOnly.permissions(),
            NOW,
        )
    }

    fn invoice(lines: Vec<InvoiceLine>) -> Result<Invoice, ValidationErrors> {
        let draft = InvoiceDraft {
            number: InvoiceNumber::parse("INV-001").expect("valid"),
            client_id: lisa().id(),
            project_id: None,
            currency: eur(),
            lines,
            due_date: None,
        };
        Invoice::new(InvoiceId::from_uuid(Uuid::from_u128(9)), WorkspaceId::from_uuid(Uuid::from_u128(1)), draft, NOW)
    }

    #[test]
    fn totals_the_lines() {
        let invoice = invoice(vec![line("1.5", 8000), line("2", 2500)]).expect("valid");
        assert_eq!(invoice.total(), Money::new(17_000, eur()));
        assert_eq!(invoice.status(), InvoiceStatus::Draft);
    }

    #[test]
    fn refuses_lines_in_another_currency_or_out_of_range() {
        let mut dollars = line("1", 100);
        dollars.unit_price = Money::new(100, Currency::parse("USD").expect("known"));
        let errors = invoice(vec![line("1", 100), dollars, line("1", -1)]).expect_err("invalid");
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["lines[1].unit_price_minor", "lines[2].unit_price_minor"]);
    }

    #[test]
    fn refuses_too_many_lines_and_totals_that_overflow() {
        assert!(invoice(vec![line("1", 1); InvoiceDraft::MAX_LINES + 1]).is_err());
        let huge = line("1000000", Money::MAX_UNIT_PRICE_MINOR);
        assert!(invoice(vec![huge; 100]).is_err());
    }

    #[test]
    fn sending_snapshots_the_billing_details() {
        let mut client = lisa();
        let mut invoice = invoice(vec![line("1", 100)]).expect("valid");
        invoice.send(&client, NOW).expect("draft sends");
        client.delete(NOW).expect("deletable");
        let billing = invoice.billing().expect("snapshot taken");
        assert_eq!(billing.name.as_str(), "Lisa Park");
        assert_eq!(billing.address.as_ref().map(BillingAddress::as_str), Some("1 Main St\nSpringfield"));
        assert_eq!(invoice.sent_at(), Some(NOW));
    }

    #[test]
    fn follows_the_status_diagram() {
        let client = lisa();
        let refused = invoice(vec![]).expect_err("a new draft needs a line");
        assert_eq!(refused.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["lines"]);
        // One stored before that rule still reads, and still cannot be sent.
        let mut parts = invoice(vec![line("1", 100)]).expect("valid").to_parts();
        parts.draft.lines.clear();
        let mut empty = Invoice::from_parts(parts).expect("an empty draft from storage reads");
        assert_eq!(empty.send(&client, NOW), Err(RuleViolation::InvoiceWithoutLines));

        let mut paid = invoice(vec![line("1", 100)]).expect("valid");
        assert_eq!(
            paid.mark_paid(NOW),
            Err(RuleViolation::InvoiceStatus { from: InvoiceStatus::Draft, action: "marked paid" })
        );
        paid.send(&client, NOW).expect("draft sends");
        assert!(paid.send(&client, NOW).is_err());
        paid.mark_paid(NOW).expect("sent invoice is paid");
        assert_eq!(paid.void(NOW), Err(RuleViolation::InvoiceStatus { from: InvoiceStatus::Paid, action: "voided" }));

        let mut voided = invoice(vec![line("1", 100)]).expect("valid");
        voided.void(NOW).expect("draft voids");
        assert!(voided.send(&client, NOW).is_err());
        assert!(voided.void(NOW).is_err());
    }

    #[test]
    fn a_deleted_client_cannot_be_invoiced() {
        let mut client = lisa();
        client.delete(NOW).expect("deletable");
        let mut invoice = invoice(vec![line("1", 100)]).expect("valid");
        assert_eq!(invoice.send(&client, NOW), Err(RuleViolation::ClientDeleted));
        assert_eq!(invoice.status(), InvoiceStatus::Draft);
    }

    #[test]
    fn parts_round_trip() {
        let invoice = invoice(vec![line("3", 999)]).expect("valid");
        assert_eq!(Invoice::from_parts(invoice.to_parts()), Ok(invoice));
    }

    #[test]
    fn the_actions_a_page_offers_are_exactly_the_commands_that_succeed() {
        let draft = invoice(vec![line("1", 100)]).expect("valid");
        let mut sent = draft.clone();
        sent.send(&lisa(), NOW).expect("sends");
        let (mut paid, mut void, mut voided_draft) = (sent.clone(), sent.clone(), draft.clone());
        paid.mark_paid(NOW).expect("paid");
        void.void(NOW).expect("voids");
        voided_draft.void(NOW).expect("voids");
        for invoice in [draft, sent, paid, void, voided_draft] {
            let tried = InvoiceActions {
                send: invoice.clone().send(&lisa(), NOW).is_ok(),
                mark_paid: invoice.clone().mark_paid(NOW).is_ok(),
                void: invoice.clone().void(NOW).is_ok(),
            };
            assert_eq!(invoice.actions(), tried, "{:?}", invoice.status());
        }
    }
}
