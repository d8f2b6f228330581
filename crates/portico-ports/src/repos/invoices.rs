//! Invoices.

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, ProjectId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceStatus};

use crate::error::RepoResult;
use crate::page::{ListOrder, Page, PageRequest};

/// The order of an invoice list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InvoiceOrder {
    /// The newest number first (normalized number descending, then id descending); cursors
    /// carry the normalized number.
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
            Self::Number => invoice.number().normalized(),
            Self::Due => crate::page::date_key(invoice.draft().due_date),
        }
    }
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
    /// The order of the list.
    pub order: InvoiceOrder,
}

impl InvoiceQuery {
    /// Whether `invoice` belongs in the result.
    pub fn matches(&self, invoice: &Invoice) -> bool {
        self.client.is_none_or(|c| invoice.client_id() == c)
            && self.project.is_none_or(|p| invoice.project_id() == Some(p))
            && self.status.is_none_or(|s| invoice.status() == s)
    }
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

    /// Replaces an invoice's status, dates and billing snapshot.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()>;

    /// The invoice with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>>;

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
}
