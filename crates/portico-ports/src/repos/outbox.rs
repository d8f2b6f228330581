use async_trait::async_trait;
use portico_domain::ids::{OutboxId, WorkspaceId};
use portico_domain::mail::OutboxMessage;
use portico_domain::staff::UserRef;

use crate::error::RepoResult;
use crate::page::{Page, PageRequest};

/// The email outbox.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait OutboxRepo: Send {
    /// Queues a message; it commits or rolls back with the rest of the unit of work.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn enqueue(&mut self, message: &OutboxMessage) -> RepoResult<()>;

    /// Replaces a message's delivery state and attempt count.
    ///
    /// # Errors
    /// `NotFound` when absent.
    async fn update(&mut self, message: &OutboxMessage) -> RepoResult<()>;

    /// The message with this id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<Option<OutboxMessage>>;

    /// Every message about `user`, newest first (time, then id, both descending).
    ///
    /// # Errors
    /// Only storage failures.
    async fn about(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Vec<OutboxMessage>>;

    /// One page of the workspace's messages, newest first; cursors carry `time_key(created_at)`.
    ///
    /// # Errors
    /// `InvalidCursor` for a cursor this adapter cannot read.
    async fn list(&mut self, workspace: WorkspaceId, page: &PageRequest) -> RepoResult<Page<OutboxMessage>>;

    /// Every message of the workspace that is dead, newest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>>;
}
