//! The audit trail: append-only events, read by subject.

use async_trait::async_trait;
use portico_domain::audit::{AuditEvent, AuditSubject};
use portico_domain::ids::WorkspaceId;

use crate::error::RepoResult;

/// The audit trail: append-only, except that personal data in it can be erased.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AuditRepo: Send {
    /// Appends an event.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn append(&mut self, event: &AuditEvent) -> RepoResult<()>;

    /// Every event whose subject or related record is `subject`, newest first (time, then id,
    /// both descending).
    ///
    /// # Errors
    /// Only storage failures.
    async fn for_subject(&mut self, workspace: WorkspaceId, subject: AuditSubject) -> RepoResult<Vec<AuditEvent>>;

    /// Replaces the field changes of an existing event (used only to erase personal data).
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn rewrite_changes(&mut self, event: &AuditEvent) -> RepoResult<()>;
}
