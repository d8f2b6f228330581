//! Invoices: drafted and edited, sent with a number and a billing snapshot, paid in one or
//! more payments, or voided with a reason.
//!
//! ```text
//!   Draft ──send──▶ Sent ──payment──▶ PartiallyPaid ──payment──▶ Paid
//!     │               │  └───────────── payment of the balance ────▲
//!   delete            └──void──▶ Void ◀──void── PartiallyPaid
//! ```
//! Sending copies the client's name, company and billing address, and the workspace's name,
//! address and payment instructions, into the invoice, so later edits to either — or the
//! client's deletion — never rewrite an issued invoice. Lines, taxes and the discount are
//! fixed from then on; `overdue` is derived (past due with a balance), never stored.

mod letters;
mod numbering;
mod payment;
mod reminders;
mod statement;
mod tax_rates;
mod totals;

#[cfg(test)]
mod tests;

use std::str::FromStr;

use time::{Date, Duration, OffsetDateTime};

pub use self::letters::{InvoiceLetter, Letter, Withheld, letter};
pub use self::numbering::{NumberPattern, PatternError};
pub use self::payment::{Payment, PaymentInput, PaymentMethod, PaymentReference};
pub use self::reminders::{Reminder, ReminderSchedule, ReminderTiming, ScheduleError};
pub use self::statement::{EntryKind, Ledger, StatementEntry, statement};
pub use self::tax_rates::{TaxRate, TaxRates, TaxRatesError};
pub use self::totals::{LineAmounts, TaxSum, Totals};
use crate::client::Client;
use crate::company::CompanyName;
use crate::email::EmailAddress;
use crate::ids::{ClientId, InvoiceId, PaymentId, ProjectId, WorkspaceId};
use crate::money::{Currency, Money, MoneyError, Percent, Quantity};
use crate::names::named_enum;
use crate::rules::RuleViolation;
use crate::text::{BillingAddress, PersonName, WorkspaceName, bounded_text};
use crate::validation::ValidationErrors;

bounded_text!(
    /// An invoice number, unique per workspace (compared case-insensitively).
    InvoiceNumber, max = 50, lines = Single
);
bounded_text!(
    /// What an invoice line is for.
    LineDescription, max = 500, lines = Single
);
bounded_text!(
    /// The name of a tax rate as invoices print it (`VAT`, `Reduced VAT`).
    TaxName, max = 50, lines = Single
);
bounded_text!(
    /// A note printed on an invoice for its client.
    InvoiceNotes, max = 5_000, lines = Multi
);
bounded_text!(
    /// The terms printed on an invoice.
    InvoiceTerms, max = 5_000, lines = Multi
);
bounded_text!(
    /// Why an issued invoice was voided.
    VoidReason, max = 1_000, lines = Multi
);
bounded_text!(
    /// How to pay the agency (bank details), printed on invoices and shown to clients with
    /// the `payments` permission.
    PaymentInstructions, max = 2_000, lines = Multi
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
        /// Issued to the client, nothing paid yet.
        Sent => "sent",
        /// Issued, and paid in part.
        PartiallyPaid => "partially_paid",
        /// Settled.
        Paid => "paid",
        /// Cancelled after it was issued.
        Void => "void",
    }
}

impl InvoiceStatus {
    /// The status in words people use.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "Sent",
            Self::PartiallyPaid => "Partially paid",
            Self::Paid => "Paid",
            Self::Void => "Void",
        }
    }

    /// Whether money is still expected: sent or partially paid.
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::PartiallyPaid)
    }
}

/// The statuses each command is allowed from.
const EDIT_FROM: &[InvoiceStatus] = &[InvoiceStatus::Draft];
const PAY_FROM: &[InvoiceStatus] = &[InvoiceStatus::Sent, InvoiceStatus::PartiallyPaid];
const UNPAY_FROM: &[InvoiceStatus] = &[InvoiceStatus::Sent, InvoiceStatus::PartiallyPaid, InvoiceStatus::Paid];
/// An issued invoice is mailed again (a copy for a client who lost it) unless it was voided.
const EMAIL_FROM: &[InvoiceStatus] = UNPAY_FROM;

/// What staff may do with an invoice now ([`Invoice::actions`]).
#[allow(clippy::struct_excessive_bools)] // One answer per command, each independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InvoiceActions {
    /// Change its lines and terms.
    pub edit: bool,
    /// Issue it to the client.
    pub send: bool,
    /// Record a payment (of part or all of the balance).
    pub record_payment: bool,
    /// Cancel it, with a reason.
    pub void: bool,
    /// Delete it outright.
    pub delete: bool,
    /// Remove a recorded payment.
    pub remove_payment: bool,
    /// Mail it to its client again.
    pub email: bool,
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
    /// Price of one, in the invoice's currency, before tax.
    pub unit_price: Money,
    /// The tax rate on it (zero for none).
    pub tax_rate: Percent,
    /// The rate's name, copied from the workspace's rates when one was chosen.
    pub tax_name: Option<TaxName>,
}

impl InvoiceLine {
    /// Quantity times unit price, rounded to a minor unit: the line's net.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] when the product does not fit.
    pub fn total(&self) -> Result<Money, MoneyError> {
        self.unit_price.times(self.quantity)
    }
}

/// A discount on the whole invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// A share of the subtotal.
    Percent(Percent),
    /// A fixed amount, at most the subtotal.
    Amount(Money),
}

/// When an invoice is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// On a given day.
    On(Date),
    /// A number of days after the issue date ("net 30").
    NetDays(u16),
}

impl Due {
    /// The longest payment term accepted, in days.
    pub const MAX_NET_DAYS: u16 = 365;
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

/// Who issued an invoice, as the workspace was when it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerSnapshot {
    /// The agency's name then.
    pub name: WorkspaceName,
    /// Its address then.
    pub address: Option<BillingAddress>,
    /// How to pay it, as it said then.
    pub payment_instructions: Option<PaymentInstructions>,
}

/// An invoice as it is drafted: everything but the status, snapshots and payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// A number typed by hand; without one, sending takes the next from the workspace's
    /// pattern.
    pub number: Option<InvoiceNumber>,
    /// Addressed to.
    pub client_id: ClientId,
    /// The project it bills, if any; its clients can see it too.
    pub project_id: Option<ProjectId>,
    /// The currency of every line.
    pub currency: Currency,
    /// The lines.
    pub lines: Vec<InvoiceLine>,
    /// A discount on the subtotal.
    pub discount: Option<Discount>,
    /// A note for the client.
    pub notes: Option<InvoiceNotes>,
    /// Terms printed at the bottom.
    pub terms: Option<InvoiceTerms>,
    /// The issue date; without one, the day it is sent.
    pub issue_date: Option<Date>,
    /// When payment is due.
    pub due: Option<Due>,
}

impl InvoiceDraft {
    /// The most lines one invoice takes.
    pub const MAX_LINES: usize = 200;

    /// Checks a draft about to be stored: everything [`validate`](Self::validate) checks,
    /// and that it has a line (an invoice with nothing on it could never be sent).
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each offending field, or `lines` when there is none.
    pub fn validate_new(&self) -> Result<Totals, ValidationErrors> {
        let checked = self.validate();
        if !self.lines.is_empty() {
            return checked;
        }
        let mut errors = checked.err().unwrap_or_default();
        errors.add("lines", "must have at least one line");
        Err(errors)
    }

    /// Checks the line count, the payment term and the totals ([`Totals::of`]).
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each offending field (`lines[2].unit_price_minor`).
    pub fn validate(&self) -> Result<Totals, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.lines.len() > Self::MAX_LINES {
            errors.add("lines", format!("must have at most {} lines", Self::MAX_LINES));
        }
        if let Some(Due::NetDays(days)) = self.due
            && days > Due::MAX_NET_DAYS
        {
            errors.add("net_days", format!("must be at most {} days", Due::MAX_NET_DAYS));
        }
        if let (Some(Due::On(due)), Some(issued)) = (self.due, self.issue_date)
            && due < issued
        {
            errors.add("due_date", "must not be before the issue date");
        }
        let totals = errors.absorb(Totals::of(&self.lines, self.discount.as_ref(), self.currency));
        errors.into_result().map(|()| totals.unwrap_or_else(|| unreachable!("no errors, so totals")))
    }
}

/// Why a payment was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRefused {
    /// The invoice takes no payments in its status.
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// The amount or date is wrong for this invoice.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

/// Why a draft was not changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefused {
    /// Only drafts change.
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// The new draft is not valid.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

/// Every field of an invoice, for adapters that store and rebuild invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceParts {
    /// Identity.
    pub id: InvoiceId,
    /// The workspace it belongs to.
    pub workspace_id: WorkspaceId,
    /// What it says.
    pub draft: InvoiceDraft,
    /// Where it is in its lifecycle.
    pub status: InvoiceStatus,
    /// The client's billing details copied when it was sent.
    pub billing: Option<BillingSnapshot>,
    /// The workspace's details copied when it was sent.
    pub issuer: Option<IssuerSnapshot>,
    /// Payments recorded, oldest first.
    pub payments: Vec<Payment>,
    /// Why it was voided.
    pub void_reason: Option<VoidReason>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was sent.
    pub sent_at: Option<OffsetDateTime>,
    /// When its last payment settled it.
    pub paid_at: Option<OffsetDateTime>,
    /// When it was voided.
    pub voided_at: Option<OffsetDateTime>,
    /// The payment reminder it waits for, while it is open and has one coming.
    pub next_reminder: Option<Reminder>,
}

/// An invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    parts: InvoiceParts,
    /// The totals of the lines, computed whenever the lines change.
    totals: Totals,
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
        let totals = draft.validate_new()?;
        let parts = InvoiceParts {
            id,
            workspace_id,
            draft,
            status: InvoiceStatus::Draft,
            billing: None,
            issuer: None,
            payments: Vec::new(),
            void_reason: None,
            created_at: now,
            sent_at: None,
            paid_at: None,
            voided_at: None,
            next_reminder: None,
        };
        Ok(Self { parts, totals })
    }

    /// Rebuilds an invoice from storage.
    ///
    /// # Errors
    /// [`ValidationErrors`] when the stored lines no longer add up (corrupt data).
    pub fn from_parts(parts: InvoiceParts) -> Result<Self, ValidationErrors> {
        let totals = parts.draft.validate()?;
        Ok(Self { parts, totals })
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

    /// What it says.
    pub fn draft(&self) -> &InvoiceDraft {
        &self.parts.draft
    }

    /// The invoice number: typed on the draft, or assigned when it was sent.
    pub fn number(&self) -> Option<&InvoiceNumber> {
        self.parts.draft.number.as_ref()
    }

    /// The client it is addressed to.
    pub fn client_id(&self) -> ClientId {
        self.parts.draft.client_id
    }

    /// The project it bills, if any.
    pub fn project_id(&self) -> Option<ProjectId> {
        self.parts.draft.project_id
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.parts.draft.currency
    }

    /// Lines, subtotal, discount, taxes and total.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// What the client owes in all: subtotal − discount + tax.
    pub fn total(&self) -> Money {
        self.totals.total
    }

    /// The sum of the payments recorded.
    pub fn paid(&self) -> Money {
        let minor = self.parts.payments.iter().map(|p| p.input.amount.minor()).sum();
        Money::new(minor, self.currency())
    }

    /// What is still to be paid: the total less the payments while it is issued; the total
    /// of a draft; nothing on a void invoice.
    pub fn balance(&self) -> Money {
        match self.parts.status {
            InvoiceStatus::Void => Money::zero(self.currency()),
            InvoiceStatus::Draft => self.total(),
            InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid => {
                Money::new(self.total().minor() - self.paid().minor(), self.currency())
            }
        }
    }

    /// What the client owes now: the balance of an issued invoice, nothing on a draft (not
    /// owed until it is sent).
    pub fn owed(&self) -> Money {
        if self.parts.status == InvoiceStatus::Draft { Money::zero(self.currency()) } else { self.balance() }
    }

    /// Payments recorded, oldest first.
    pub fn payments(&self) -> &[Payment] {
        &self.parts.payments
    }

    /// Where it is in its life.
    pub fn status(&self) -> InvoiceStatus {
        self.parts.status
    }

    /// The day it is due: the date set, or the issue date plus the payment term.
    pub fn due_date(&self) -> Option<Date> {
        match self.parts.draft.due? {
            Due::On(date) => Some(date),
            Due::NetDays(days) => self.parts.draft.issue_date.map(|issued| issued + Duration::days(days.into())),
        }
    }

    /// Whether it is past due with money still owed, on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.parts.status.is_open() && self.due_date().is_some_and(|due| due < today) && self.balance().minor() > 0
    }

    /// The client's billing details copied when it was sent.
    pub fn billing(&self) -> Option<&BillingSnapshot> {
        self.parts.billing.as_ref()
    }

    /// The workspace's details copied when it was sent.
    pub fn issuer(&self) -> Option<&IssuerSnapshot> {
        self.parts.issuer.as_ref()
    }

    /// Why it was voided.
    pub fn void_reason(&self) -> Option<&VoidReason> {
        self.parts.void_reason.as_ref()
    }

    /// When it was created.
    pub fn created_at(&self) -> OffsetDateTime {
        self.parts.created_at
    }

    /// When it was sent.
    pub fn sent_at(&self) -> Option<OffsetDateTime> {
        self.parts.sent_at
    }

    /// When its last payment settled it.
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
            edit: EDIT_FROM.contains(&status),
            send: EDIT_FROM.contains(&status),
            record_payment: PAY_FROM.contains(&status),
            void: PAY_FROM.contains(&status),
            delete: EDIT_FROM.contains(&status),
            remove_payment: UNPAY_FROM.contains(&status) && !self.parts.payments.is_empty(),
            email: EMAIL_FROM.contains(&status),
        }
    }

    /// Refuses mailing the invoice again unless it is issued and not void.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] for a draft or a void invoice.
    pub fn ensure_mailable(&self) -> Result<(), RuleViolation> {
        self.ensure_status(EMAIL_FROM, "emailed")
    }

    fn ensure_status(&self, allowed: &[InvoiceStatus], action: &'static str) -> Result<(), RuleViolation> {
        if allowed.contains(&self.parts.status) {
            Ok(())
        } else {
            Err(RuleViolation::InvoiceStatus { from: self.parts.status, action })
        }
    }

    /// Replaces what a draft says.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is a draft; [`ValidationErrors`] from
    /// [`InvoiceDraft::validate_new`].
    pub fn edit(&mut self, draft: InvoiceDraft) -> Result<(), EditRefused> {
        self.ensure_status(EDIT_FROM, "edited")?;
        self.totals = draft.validate_new()?;
        self.parts.draft = draft;
        Ok(())
    }

    /// Checks that the invoice may be deleted: only drafts are; an issued invoice is voided.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is a draft.
    pub fn ensure_deletable(&self) -> Result<(), RuleViolation> {
        self.ensure_status(EDIT_FROM, "deleted")
    }

    /// The day it is issued if it is sent on `today`: its own issue date, or `today`. The
    /// sequence of its number is taken from this day's series.
    pub fn issue_date_if_sent(&self, today: Date) -> Date {
        self.parts.draft.issue_date.unwrap_or(today)
    }

    /// Issues the invoice to `client` from `issuer`, numbered `from_series` unless the draft
    /// has a number of its own, taking both snapshots and fixing the issue date; its first
    /// payment reminder is the first of `reminders` after today.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is a draft, [`RuleViolation::InvoiceWithoutLines`]
    /// without lines, [`RuleViolation::ClientDeleted`] when the client is a tombstone,
    /// [`RuleViolation::InvoiceWithoutNumber`] with no number at all.
    pub fn send(
        &mut self,
        client: &Client,
        issuer: IssuerSnapshot,
        from_series: Option<InvoiceNumber>,
        reminders: &ReminderSchedule,
        now: OffsetDateTime,
    ) -> Result<(), RuleViolation> {
        self.ensure_status(EDIT_FROM, "sent")?;
        if self.parts.draft.lines.is_empty() {
            return Err(RuleViolation::InvoiceWithoutLines);
        }
        if client.is_deleted() {
            return Err(RuleViolation::ClientDeleted);
        }
        let number = self.parts.draft.number.clone().or(from_series).ok_or(RuleViolation::InvoiceWithoutNumber)?;
        let profile = client.profile();
        self.parts.billing = Some(BillingSnapshot {
            name: profile.name.clone(),
            email: profile.email.clone(),
            company: profile.company.clone(),
            address: profile.billing_address.clone(),
        });
        self.parts.issuer = Some(issuer);
        self.parts.draft.number = Some(number);
        self.parts.draft.issue_date = Some(self.issue_date_if_sent(now.date()));
        self.parts.status = InvoiceStatus::Sent;
        self.parts.sent_at = Some(now);
        self.parts.next_reminder = self.due_date().and_then(|due| reminders.first_after(due, now.date()));
        Ok(())
    }

    /// The payment reminder the invoice waits for; `None` once its schedule has run out.
    /// It waits only while the invoice is open: a paid invoice opened again by removing a
    /// payment resumes its schedule.
    pub fn next_reminder(&self) -> Option<Reminder> {
        self.parts.next_reminder
    }

    /// The reminder the client will get next: the one it waits for, while it is open with
    /// money owed.
    pub fn upcoming_reminder(&self) -> Option<Reminder> {
        self.parts.next_reminder.filter(|_| self.parts.status.is_open() && self.owed().minor() > 0)
    }

    /// Takes the reminder due `today` by `schedule`, if one is and money is still owed, and
    /// moves on to the next day of the schedule after today.
    pub fn remind(&mut self, schedule: &ReminderSchedule, today: Date) -> Option<Reminder> {
        let due_on = self.due_date()?;
        let next = self.upcoming_reminder()?;
        let reminder = schedule.due_on(due_on, next, today)?;
        self.parts.next_reminder = schedule.first_after(due_on, today);
        Some(reminder)
    }

    /// Records a payment; paying the whole balance settles the invoice.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is sent or partially paid; field errors on
    /// `amount_minor` (not positive, another currency, above the balance) and `paid_on` (after
    /// tomorrow: a payment is recorded once it has arrived).
    pub fn record_payment(
        &mut self,
        id: PaymentId,
        input: PaymentInput,
        now: OffsetDateTime,
    ) -> Result<(), PaymentRefused> {
        self.ensure_status(PAY_FROM, "paid")?;
        let balance = self.balance();
        let mut errors = ValidationErrors::new();
        if input.amount.currency() != self.currency() {
            errors.add("amount_minor", MoneyError::CurrencyMismatch(self.currency(), input.amount.currency()));
        } else if input.amount.minor() <= 0 {
            errors.add("amount_minor", "must be greater than zero");
        } else if input.amount.minor() > balance.minor() {
            errors.add("amount_minor", format!("must be at most the balance of {balance}"));
        }
        if input.paid_on > now.date() + Duration::days(1) {
            errors.add("paid_on", "must not be in the future");
        }
        errors.into_result()?;
        self.parts.payments.push(Payment { id, invoice_id: self.parts.id, input, recorded_at: now });
        self.settle(now);
        Ok(())
    }

    /// The payment that settles the invoice on `paid_on`: its whole balance.
    pub fn settling_payment(&self, paid_on: Date, method: PaymentMethod) -> PaymentInput {
        PaymentInput { amount: self.balance(), paid_on, method, reference: None }
    }

    /// Removes a recorded payment (one entered by mistake); the invoice is open again.
    /// `None` when the invoice has no such payment.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] on a void invoice: its record is closed.
    pub fn remove_payment(&mut self, id: PaymentId, now: OffsetDateTime) -> Result<Option<Payment>, RuleViolation> {
        self.ensure_status(UNPAY_FROM, "changed")?;
        let Some(at) = self.parts.payments.iter().position(|p| p.id == id) else {
            return Ok(None);
        };
        let removed = self.parts.payments.remove(at);
        self.settle(now);
        Ok(Some(removed))
    }

    /// Sets the status from the payments: none, some, or all of the total.
    fn settle(&mut self, now: OffsetDateTime) {
        let (paid, total) = (self.paid().minor(), self.total().minor());
        let (status, paid_at) = match paid {
            0 => (InvoiceStatus::Sent, None),
            paid if paid < total => (InvoiceStatus::PartiallyPaid, None),
            _ => (InvoiceStatus::Paid, Some(self.parts.paid_at.unwrap_or(now))),
        };
        self.parts.status = status;
        self.parts.paid_at = paid_at;
    }

    /// Cancels an issued invoice, saying why. Its number stays taken and its payments stay
    /// on record.
    ///
    /// # Errors
    /// [`RuleViolation::InvoiceStatus`] unless it is sent or partially paid.
    pub fn void(&mut self, reason: VoidReason, now: OffsetDateTime) -> Result<(), RuleViolation> {
        self.ensure_status(PAY_FROM, "voided")?;
        self.parts.status = InvoiceStatus::Void;
        self.parts.void_reason = Some(reason);
        self.parts.voided_at = Some(now);
        Ok(())
    }
}
