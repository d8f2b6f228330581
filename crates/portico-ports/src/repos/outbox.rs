//! The outbox: mail queued in the unit of work that caused it, claimed and recorded by delivery.

use async_trait::async_trait;
use portico_domain::ids::{OutboxId, WorkspaceId};
use portico_domain::mail::OutboxMessage;
use portico_domain::staff::UserRef;
use time::OffsetDateTime;

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

    /// Claims up to `limit` messages **of any workspace** that are due at `now`
    /// ([`OutboxMessage::is_due`] with `with_mailer`), oldest first, marking each `Sending`
    /// until `lease_until`, and returns them. The delivery worker serves the whole
    /// installation, so this is the one outbox call that crosses workspaces.
    ///
    /// MUST be atomic: while a lease runs, no other claim returns the same message, however
    /// many workers claim at once (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    ///
    /// # Errors
    /// Only storage failures.
    async fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        with_mailer: bool,
        limit: usize,
    ) -> RepoResult<Vec<OutboxMessage>>;

    /// Records the result of a try on a message claimed until `lease_until`: its state and
    /// attempts, and — when `message` keeps no link secret any more (it is sent or dead) —
    /// erases the stored one. It never restores a secret erased meanwhile. Returns `false`,
    /// changing nothing, when that claim no longer holds (its lease ran out and another
    /// worker took the message): a stale worker never overwrites a newer outcome.
    ///
    /// # Errors
    /// Only storage failures.
    async fn finish(&mut self, message: &OutboxMessage, lease_until: OffsetDateTime) -> RepoResult<bool>;

    /// Erases the sealed link secret of message `id`, changing nothing else (whatever its
    /// state, so a worker sending it meanwhile records its outcome as usual).
    ///
    /// # Errors
    /// Only storage failures; an unknown id changes nothing.
    async fn erase_link(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<()>;

    /// Every message of the workspace that is dead, newest first.
    ///
    /// # Errors
    /// Only storage failures.
    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>>;
}
