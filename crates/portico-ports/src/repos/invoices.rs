//! Invoices.

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId, ProjectId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceNumber, InvoiceStatus, Reminder};
use portico_domain::money::Money;
use time::Date;

use crate::error::RepoResult;
use crate::page::{ListOrder, Page, PageRequest};

/// The order of an invoice list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InvoiceOrder {
    /// The newest number first (normalized number descending, then id descending), drafts
    /// without a number last; cursors carry the [`number_key`].
    #[default]
    Number,
    /// The nearest due date first, invoices without one last (then by id); cursors carry the
    /// [`date_key`](crate::page::date_key).
    Due,
}

impl ListOrder for InvoiceOrder {
    const ALL: &'static [Self] = &[Self::Number, Self::Due];

    fn as_str(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Due => "due",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Number => "Newest number first",
            Self::Due => "By due date",
        }
    }
}

impl InvoiceOrder {
    /// The cursor key of `invoice` in this order.
    pub fn key(self, invoice: &Invoice) -> String {
        match self {
            Self::Number => number_key(invoice),
            Self::Due => crate::page::date_key(invoice.due_date()),
        }
    }
}

/// The key an invoice is ordered and found by number: the normalized number, or the empty
/// string for a draft without one (which sorts after every number, newest first).
pub fn number_key(invoice: &Invoice) -> String {
    invoice.number().map(InvoiceNumber::normalized).unwrap_or_default()
}

/// Invoices by what is still owed on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceFilter {
    /// Open (sent or partially paid) with a balance.
    Outstanding,
    /// Outstanding and past due on `today` (`Invoice::is_overdue`).
    Overdue {
        /// The day it is judged on.
        today: Date,
    },
}

impl BalanceFilter {
    /// The filters' names, as lists take them (`balance=overdue`).
    pub const NAMES: [&'static str; 2] = ["outstanding", "overdue"];

    /// The filter `name` names (read as enumerations' names are: trimmed, in any case),
    /// judged on `today`.
    pub fn named(name: &str, today: Date) -> Option<Self> {
        let name = name.trim();
        if name.eq_ignore_ascii_case(Self::NAMES[0]) {
            Some(Self::Outstanding)
        } else if name.eq_ignore_ascii_case(Self::NAMES[1]) {
            Some(Self::Overdue { today })
        } else {
            None
        }
    }

    /// Whether `invoice` passes: the domain's answer, which every adapter matches.
    pub fn matches(self, invoice: &Invoice) -> bool {
        match self {
            Self::Outstanding => invoice.status().is_open() && invoice.owed().minor() > 0,
            Self::Overdue { today } => invoice.is_overdue(today),
        }
    }
}

/// What the invoices of one currency in a list come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSum {
    /// How many invoices.
    pub count: u64,
    /// Their totals added up.
    pub total: Money,
    /// What is owed on them added up (`Invoice::owed`: drafts owe nothing yet).
    pub owed: Money,
}

/// Which invoices to list, in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Only invoices addressed to this client.
    pub client: Option<ClientId>,
    /// Only invoices billing this project.
    pub project: Option<ProjectId>,
    /// Only invoices in this status.
    pub status: Option<InvoiceStatus>,
    /// Only invoices with money owed on them (or overdue).
    pub balance: Option<BalanceFilter>,
    /// The order of the list.
    pub order: InvoiceOrder,
}

impl InvoiceQuery {
    /// Whether `invoice` belongs in the result.
    pub fn matches(&self, invoice: &Invoice) -> bool {
        self.client.is_none_or(|c| invoice.client_id() == c)
            && self.project.is_none_or(|p| invoice.project_id() == Some(p))
            && self.status.is_none_or(|s| invoice.status() == s)
            && self.balance.is_none_or(|b| b.matches(invoice))
    }
}

/// An open invoice whose payment reminder is due, and its workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DueReminder {
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The invoice.
    pub invoice_id: InvoiceId,
}

/// Invoices.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InvoiceRepo: Send {
    /// Stores a new invoice.
    ///
    /// # Errors
    /// MUST return `Conflict::InvoiceNumberTaken` when another invoice of the workspace has the
    /// same number (compared by `InvoiceNumber::normalized`); `Conflict::DuplicateId` when the
    /// id exists.
    async fn insert(&mut self, invoice: &Invoice) -> RepoResult<()>;

    /// Replaces everything the invoice holds: what its draft says (lines included), its
    /// status, dates, snapshots and payments.
    ///
    /// # Errors
    /// `NotFound` when absent; `Conflict::InvoiceNumberTaken` when its number (typed on a
    /// draft, or given at send) is another invoice's.
    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()>;

    /// Deletes an invoice with its lines and payments (the use cases delete drafts only).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn delete(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<()>;

    /// Takes the next sequence number of a numbering series (the pattern with its dates
    /// filled in, `INV-2026-`): 1 for a new series, then one more each time.
    ///
    /// The counter is part of the unit of work: rolled back with it, so numbers have no gaps;
    /// and two units taking from the same series at once MUST get different numbers (the
    /// later waits for the earlier, or fails and is retried by the caller).
    ///
    /// # Errors
    /// Only storage failures.
    async fn next_in_series(&mut self, workspace: WorkspaceId, series: &str) -> RepoResult<u32>;

    /// Whether an invoice of the workspace has this number (compared by
    /// `InvoiceNumber::normalized`).
    ///
    /// # Errors
    /// Only storage failures.
    async fn number_taken(&mut self, workspace: WorkspaceId, number: &InvoiceNumber) -> RepoResult<bool>;

    /// The invoice with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>>;

    /// The invoice a payment was recorded against.
    ///
    /// # Errors
    /// Only storage failures.
    async fn with_payment(&mut self, workspace: WorkspaceId, payment: PaymentId) -> RepoResult<Option<Invoice>>;

    /// One page of invoices matching `query`, newest number first (normalized number
    /// descending, then id descending); cursors carry the normalized number.
    ///
    /// # Errors
    /// `InvalidCursor` for a cursor this adapter cannot read.
    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &InvoiceQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Invoice>>;

    /// How many invoices match `query` in all: the length of every page of
    /// [`search`](Self::search) together.
    ///
    /// # Errors
    /// Only storage failures.
    async fn count(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<u64>;

    /// What the invoices matching `query` come to, one sum per currency (ordered by the
    /// currency's code); no entry for a currency without invoices.
    ///
    /// # Errors
    /// Only storage failures.
    async fn sums(&mut self, workspace: WorkspaceId, query: &InvoiceQuery) -> RepoResult<Vec<InvoiceSum>>;

    /// Every invoice addressed to `client` or billing one of `projects`, in search order —
    /// the candidates for a client's portal (the visibility rule decides which it sees).
    ///
    /// # Errors
    /// Only storage failures.
    async fn for_client_or_projects(
        &mut self,
        workspace: WorkspaceId,
        client: ClientId,
        projects: &[ProjectId],
    ) -> RepoResult<Vec<Invoice>>;

    /// Open invoices (sent or partially paid) whose next payment reminder falls on or
    /// before `today`, across every workspace: at most `limit`, the earliest reminder first
    /// (then by workspace and id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn awaiting_reminder(&mut self, today: Date, limit: usize) -> RepoResult<Vec<DueReminder>>;

    /// Moves an invoice on from the reminder `taken` to `next`, if it still waits for
    /// `taken`: `false` (nothing written) when another round took it first, so that two
    /// rounds never send the same reminder. The reminder's mail is queued in the same unit.
    ///
    /// # Errors
    /// Only storage failures.
    async fn take_reminder(
        &mut self,
        workspace: WorkspaceId,
        id: InvoiceId,
        taken: Reminder,
        next: Option<Reminder>,
    ) -> RepoResult<bool>;
}
