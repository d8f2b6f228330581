//! Activity events, the notices they become, and how each person wants to hear of them.

use async_trait::async_trait;
use portico_domain::activity::{ActivityEvent, FeedMark, NoticeState, Notification, Preferences};
use portico_domain::ids::{ActivityId, NotificationId, ProjectId, WorkspaceId};
use portico_domain::staff::UserRef;
use time::OffsetDateTime;

use crate::error::RepoResult;

/// Activity events.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ActivityRepo: Send {
    /// Stores an event; it commits or rolls back with the change it reports.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when the id exists.
    async fn insert(&mut self, event: &ActivityEvent) -> RepoResult<()>;

    /// The events with these ids that exist, oldest first (time, then id).
    ///
    /// # Errors
    /// Only storage failures.
    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ActivityId]) -> RepoResult<Vec<ActivityEvent>>;

    /// Up to `query.limit` events of `query.scope` strictly between `query.after` and
    /// `query.before` (either open), **newest first** (time, then id, both descending). The
    /// feed rule is the caller's: this only narrows by place and order.
    ///
    /// # Errors
    /// Only storage failures.
    async fn feed(&mut self, workspace: WorkspaceId, query: &FeedQuery) -> RepoResult<Vec<ActivityEvent>>;

    /// How far `user` has read their feed; `None` when they never marked anything read.
    ///
    /// # Errors
    /// Only storage failures.
    async fn read_mark(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<FeedMark>>;

    /// Moves how far `user` has read to `mark`, unless the mark they have is later
    /// ([`FeedMark::advanced`]): the adapter MUST decide this in one step, so that two
    /// requests marking at once never move a mark back.
    ///
    /// # Errors
    /// Only storage failures.
    async fn advance_read_mark(&mut self, workspace: WorkspaceId, user: UserRef, mark: FeedMark) -> RepoResult<()>;
}

/// Which events a feed reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    /// Every event of the workspace.
    Workspace,
    /// The events of these projects, and with `unscoped` those of no project too (invoices
    /// that bill no project).
    Projects {
        /// The projects.
        ids: Vec<ProjectId>,
        /// Whether events of no project are included.
        unscoped: bool,
    },
}

impl FeedScope {
    /// Whether `event` is in the scope: the definition every adapter must agree with.
    pub fn holds(&self, event: &ActivityEvent) -> bool {
        match (self, event.project_id) {
            (Self::Workspace, _) => true,
            (Self::Projects { ids, .. }, Some(project)) => ids.contains(&project),
            (Self::Projects { unscoped, .. }, None) => *unscoped,
        }
    }
}

/// A page of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedQuery {
    /// Where the events come from.
    pub scope: FeedScope,
    /// Only events before this place (the next page of an older cursor).
    pub before: Option<FeedMark>,
    /// Only events after this place (what is new since a read mark).
    pub after: Option<FeedMark>,
    /// At most this many.
    pub limit: usize,
}

impl FeedQuery {
    /// Whether `event` belongs to the page's range and scope (not its limit).
    pub fn holds(&self, event: &ActivityEvent) -> bool {
        let mark = FeedMark::of(event);
        self.scope.holds(event) && self.before.is_none_or(|b| mark < b) && self.after.is_none_or(|a| mark > a)
    }
}

/// A person with notices due, and the workspace they are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DueRecipient {
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The person.
    pub user: UserRef,
}

/// Notices waiting for their mail.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait NotificationRepo: Send {
    /// Stores notices; they commit or roll back with the event they tell of.
    ///
    /// # Errors
    /// `Conflict::DuplicateId` when an id exists.
    async fn insert(&mut self, notices: &[Notification]) -> RepoResult<()>;

    /// Up to `limit` people **of any workspace** with a pending notice due at `now`, the
    /// longest waiting first. Like the outbox's claim, the one notification call that
    /// crosses workspaces: the notification round serves the whole installation.
    ///
    /// # Errors
    /// Only storage failures.
    async fn due_recipients(&mut self, now: OffsetDateTime, limit: usize) -> RepoResult<Vec<DueRecipient>>;

    /// Every pending notice of `user`, due or not, by due time then id.
    ///
    /// # Errors
    /// Only storage failures.
    async fn pending_for(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Vec<Notification>>;

    /// Settles pending notices: marks them `state` (`Sent` or `Dropped`) and returns how
    /// many it settled. MUST settle only notices still pending, so that when two rounds build
    /// a mail from the same notices, the second settles fewer than it took and rolls back.
    ///
    /// # Errors
    /// Only storage failures.
    async fn settle(&mut self, workspace: WorkspaceId, ids: &[NotificationId], state: NoticeState)
    -> RepoResult<usize>;
}

/// Each person's notification choices.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PreferenceRepo: Send {
    /// The choices of these people who made any, in no particular order; the others have
    /// chosen nothing.
    ///
    /// # Errors
    /// Only storage failures.
    async fn get_many(&mut self, workspace: WorkspaceId, users: &[UserRef]) -> RepoResult<Vec<(UserRef, Preferences)>>;

    /// Stores `user`'s choices, replacing any before.
    ///
    /// # Errors
    /// Only storage failures.
    async fn put(&mut self, workspace: WorkspaceId, user: UserRef, preferences: &Preferences) -> RepoResult<()>;
}
