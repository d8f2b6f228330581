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

    /// Whether the message has left (or can no longer leave) the outbox.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, DeliveryState::Sent { .. } | DeliveryState::Dead { .. })
    }

    /// Erases the recipient's personal data when the person is deleted: the address and name
    /// become the tombstone's, addresses inside the content are replaced, and a message not yet
    /// sent is cancelled (it could only reach a deleted person).
    pub fn erase_recipient(&mut self, tombstone_email: &EmailAddress, tombstone_name: &PersonName) {
        tombstone_email.clone_into(&mut self.to);
        tombstone_name.clone_into(&mut self.to_name);
        if let MailContent::EmailChanged { old, new } = &mut self.content {
            tombstone_email.clone_into(old);
            tombstone_email.clone_into(new);
        }
        if !self.is_finished() {
            self.state = DeliveryState::Dead { error: "cancelled: the recipient was deleted".to_owned() };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::SecretToken;
    use time::macros::datetime;
    use uuid::Uuid;

    fn message(content: MailContent) -> OutboxMessage {
        let email = EmailAddress::parse("sarah@acme.example").expect("valid");
        let name = PersonName::parse("Sarah Chen").expect("valid");
        let id = OutboxId::from_uuid(Uuid::from_u128(0xabc));
        OutboxMessage::queued(
            id,
            WorkspaceId::from_uuid(Uuid::from_u128(1)),
            None,
            (&email, &name),
            content,
            datetime!(2026-01-01 0:00 UTC),
        )
    }

    #[test]
    fn the_message_id_is_stable_and_derived_from_the_outbox_id() {
        let invitation = MailContent::Invitation {
            token: SecretToken::from_random_bytes([1; 32]),
            expires_at: datetime!(2026-01-08 0:00 UTC),
        };
        let message = message(invitation);
        assert_eq!(message.message_id("portico.example"), "<00000000000000000000000000000abc@portico.example>");
        assert_eq!(message.state.as_str(), "queued");
    }

    #[test]
    fn erasing_the_recipient_cancels_unsent_mail_and_keeps_no_address() {
        let old = EmailAddress::parse("old@acme.example").expect("valid");
        let new = EmailAddress::parse("new@acme.example").expect("valid");
        let mut pending = message(MailContent::EmailChanged { old, new });
        let tombstone = EmailAddress::parse("deleted-1@deleted.invalid").expect("valid");
        let name = PersonName::parse("Deleted client").expect("valid");
        pending.erase_recipient(&tombstone, &name);
        assert_eq!(pending.to, tombstone);
        assert_eq!(pending.content, MailContent::EmailChanged { old: tombstone.clone(), new: tombstone.clone() });
        assert!(pending.is_dead());

        let mut sent = message(MailContent::EmailChanged { old: tombstone.clone(), new: tombstone.clone() });
        sent.state = DeliveryState::Sent { at: datetime!(2026-01-01 0:01 UTC), reply: "250 OK".into() };
        sent.erase_recipient(&tombstone, &name);
        assert_eq!(sent.state.as_str(), "sent", "history of what was sent stays");
    }
}
