//! Activity: what happened that a person may want to hear about, who is told, and how.
//!
//! An [`ActivityEvent`] is written in the same unit of work as the change it reports. Who hears
//! of it is decided here, once, by [`recipients`]: clients only through the visibility rule,
//! staff only about what clients do. The audit trail answers "who changed what"; activity
//! answers "what is new for me".
//!
//! Events are written only for what a client may be shown (an item shared with clients, a
//! comment on a client-visible task, an approval asked or answered, an invoice sent or paid)
//! and for everything a client does. Internal work makes no event. Being added to a project
//! keeps its own notice (the `projects` category decides whether it is sent): it is about one
//! client, whom the rule alone would not single out among the project's clients.

mod feed;
mod notice;
mod preferences;
mod recipients;
#[cfg(test)]
mod tests;
mod unsubscribe;

use time::OffsetDateTime;

use crate::content::Visibility;
use crate::ids::{ActivityId, ProjectId, WorkspaceId};
use crate::names::named_enum;
use crate::staff::UserRef;
use crate::world::ItemRef;

pub use feed::{FeedMark, Reader, in_feed, is_unread};
pub use notice::{DigestTime, GATHERING_WINDOW, NoticeState, Notification, gather};
pub use preferences::{Delivery, NotificationDefaults, Preferences};
pub use recipients::{Audience, Recipient, recipients, shows_client, told};
pub use unsubscribe::{TAG_LEN, Unsubscribe};

named_enum! {
    /// What kind of news an event is, as people choose how to hear of it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Category {
        /// Posts and comments.
        Messages => "messages",
        /// Shared files.
        Files => "files",
        /// Shared tasks.
        Tasks => "tasks",
        /// Approvals asked and answered.
        Approvals => "approvals",
        /// Invoices sent and paid.
        Invoices => "invoices",
        /// Being added to a project (its own notice, not an event).
        Projects => "projects",
    }
}

impl Category {
    /// The category's place in [`Category::ALL`].
    pub fn index(self) -> usize {
        Category::ALL.iter().position(|c| *c == self).unwrap_or_default()
    }

    /// What mails of the category are about, inside a sentence ("shared files").
    pub const fn topic(self) -> &'static str {
        match self {
            Self::Messages => "messages and comments",
            Self::Files => "shared files",
            Self::Tasks => "shared tasks",
            Self::Approvals => "approvals",
            Self::Invoices => "invoices",
            Self::Projects => "being added to projects",
        }
    }

    /// How the category reads to people ("Messages and comments").
    pub const fn label(self) -> &'static str {
        match self {
            Self::Messages => "Messages and comments",
            Self::Files => "Shared files",
            Self::Tasks => "Shared tasks",
            Self::Approvals => "Approvals",
            Self::Invoices => "Invoices",
            Self::Projects => "Added to a project",
        }
    }
}

named_enum! {
    /// What happened.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ActivityKind {
        /// A task, file or message was created client-visible, or made client-visible.
        Shared => "shared",
        /// A comment on a client-visible task.
        Commented => "commented",
        /// Staff asked for an approval.
        ApprovalRequested => "approval_requested",
        /// A client answered an approval request.
        ApprovalAnswered => "approval_answered",
        /// An invoice was sent.
        InvoiceSent => "invoice_sent",
        /// An invoice was marked paid.
        InvoicePaid => "invoice_paid",
    }
}

/// Whether creating an item with `visibility`, or making it so, is news: only what clients
/// may be shown is (a client's own items are always client-visible).
pub fn makes_news(visibility: Visibility) -> bool {
    visibility == Visibility::Client
}

/// What sharing a message is: a comment when it hangs on a task, a post otherwise.
pub fn message_kind(on_task: bool) -> ActivityKind {
    if on_task { ActivityKind::Commented } else { ActivityKind::Shared }
}

/// Something that happened, with who did it, where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEvent {
    /// Identity; events of a workspace order by (`at`, `id`).
    pub id: ActivityId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project it happened in (none for an invoice that bills no project).
    pub project_id: Option<ProjectId>,
    /// Who did it.
    pub actor: UserRef,
    /// What happened.
    pub kind: ActivityKind,
    /// What it is about: the item the rule is asked about.
    pub item: ItemRef,
    /// When.
    pub at: OffsetDateTime,
}

impl ActivityEvent {
    /// The category people choose to hear of this event by.
    pub fn category(&self) -> Category {
        match (self.kind, self.item) {
            (ActivityKind::Shared, ItemRef::Task(_)) => Category::Tasks,
            (ActivityKind::Shared, ItemRef::File(_)) => Category::Files,
            (ActivityKind::Shared | ActivityKind::Commented, _) => Category::Messages,
            (ActivityKind::ApprovalRequested | ActivityKind::ApprovalAnswered, _) => Category::Approvals,
            (ActivityKind::InvoiceSent | ActivityKind::InvoicePaid, _) => Category::Invoices,
        }
    }

    /// Whether a client did it: staff hear only of what clients do.
    pub fn is_client_activity(&self) -> bool {
        matches!(self.actor, UserRef::Client(_))
    }
}
