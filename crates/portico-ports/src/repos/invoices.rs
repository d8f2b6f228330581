//! Invoices.

use async_trait::async_trait;
use portico_domain::ids::{ClientId, InvoiceId, ProjectId, WorkspaceId};
use portico_domain::invoice::{Invoice, InvoiceStatus};

use crate::error::RepoResult;
use crate::page::{Page, PageRequest};

/// Which invoices to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Only invoices addressed to this client.
    pub client: Option<ClientId>,
    /// Only invoices billing this project.
    pub project: Option<ProjectId>,
    /// Only invoices in this status.
    pub status: Option<InvoiceStatus>,
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
