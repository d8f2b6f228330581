//! Mail Portico sends, as it waits in the outbox, and its delivery state.
//!
//! Use cases never send mail: they write an [`OutboxMessage`] in the same unit of work as the
//! change that causes it, and a delivery worker sends it later. The message records *what*
//! to say (a [`MailContent`]); rendering to text and HTML happens at delivery.
//!
//! An invitation or reset keeps its link secret here until the link is used or replaced: the
//! outbox is where staff copy a link by hand when mail cannot be delivered. The token table
//! itself keeps only hashes.

use std::fmt;

use time::OffsetDateTime;

use crate::email::EmailAddress;
use crate::ids::{OutboxId, ProjectId, WorkspaceId};
use crate::staff::UserRef;
use crate::text::{PersonName, ProjectName};
use crate::token::SecretToken;

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailContent {
    /// Welcome, with a one-time link to set a password.
    Invitation {
        /// The link secret.
        token: SecretToken,
        /// When the link stops working.
        expires_at: OffsetDateTime,
    },
    /// A one-time link to set a new password.
    PasswordReset {
        /// The link secret.
        token: SecretToken,
        /// When the link stops working.
        expires_at: OffsetDateTime,
    },
    /// The login address changed; sent to both the old and the new address.
    EmailChanged {
        /// The address before.
        old: EmailAddress,
        /// The address now.
        new: EmailAddress,
    },
    /// The client was added to a project.
    AddedToProject {
        /// The project.
        project_id: ProjectId,
        /// Its name when the client was added.
        project_name: ProjectName,
    },
}

impl MailContent {
    /// A short name for the kind of message, for logs and the delivery log.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Invitation { .. } => "invitation",
            Self::PasswordReset { .. } => "password_reset",
            Self::EmailChanged { .. } => "email_changed",
            Self::AddedToProject { .. } => "added_to_project",
        }
    }
}

/// Where a message is on its way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    /// Waiting for the worker.
    Queued,
    /// Kept because no mail server is configured; the link can be copied by hand.
    Held,
    /// A worker has claimed it until `lease_until`.
    Sending {
        /// When the claim lapses if the worker vanishes.
        lease_until: OffsetDateTime,
    },
    /// The mail server accepted it.
    Sent {
        /// When.
        at: OffsetDateTime,
        /// What the server answered.
        reply: String,
    },
    /// A try failed for a reason that may pass; it will be tried again.
    Retrying {
        /// When the next try is due.
        next_attempt_at: OffsetDateTime,
        /// What went wrong.
        error: String,
    },
    /// Given up: permanently refused, or out of tries.
    Dead {
        /// What went wrong.
        error: String,
    },
}

impl DeliveryState {
    /// The stable name used in storage and the API.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Held => "held",
            Self::Sending { .. } => "sending",
            Self::Sent { .. } => "sent",
            Self::Retrying { .. } => "retrying",
            Self::Dead { .. } => "dead",
        }
    }
}

impl fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Identity; also the source of the stable `Message-ID`.
    pub id: OutboxId,
    /// The workspace that sends it.
    pub workspace_id: WorkspaceId,
    /// The person it is about, for the per-client delivery log.
    pub about: Option<UserRef>,
    /// The address it goes to.
    pub to: EmailAddress,
    /// The recipient's name, for the greeting and the `To` header.
    pub to_name: PersonName,
    /// What it says.
    pub content: MailContent,
    /// Where it is.
    pub state: DeliveryState,
    /// How many tries were made.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: OffsetDateTime,
}

impl OutboxMessage {
    /// A message queued now.
    pub fn queued(
        id: OutboxId,
        workspace_id: WorkspaceId,
        about: Option<UserRef>,
        to: (&EmailAddress, &PersonName),
        content: MailContent,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id,
            workspace_id,
            about,
            to: to.0.clone(),
            to_name: to.1.clone(),
            content,
            state: DeliveryState::Queued,
            attempts: 0,
            created_at: now,
        }
    }

    /// The stable `Message-ID` header value, derived from the outbox id so that a message sent
    /// twice (the one crash window) is recognisable as one message.
    pub fn message_id(&self, domain: &str) -> String {
        format!("<{}@{domain}>", self.id.as_uuid().simple())
    }

    /// Whether delivery failed for good.
    pub fn is_dead(&self) -> bool {
        matches!(self.state, DeliveryState::Dead { .. })
    }
}
