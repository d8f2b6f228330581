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

use time::{Duration, OffsetDateTime};

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

/// How many times and how often a message is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries before a message is given up (`dead`).
    pub max_attempts: u32,
    /// The wait before the second try; each later wait doubles.
    pub first_delay: Duration,
    /// The longest wait between two tries.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Eight tries over about an hour: 30 s, 1, 2, 4, 8, 16 and 32 min apart (before jitter).
    fn default() -> Self {
        Self { max_attempts: 8, first_delay: Duration::seconds(30), max_delay: Duration::hours(1) }
    }
}

impl RetryPolicy {
    /// The wait after failed try number `attempt` (1-based): exponential, capped, and spread
    /// by `jitter` (in thousandths, 0 to 999) over its upper half, so messages that failed
    /// together do not all come back at once.
    pub fn delay(&self, attempt: u32, jitter: u16) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let full = self.first_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let spread = i64::from(jitter.min(999));
        let micros = i64::try_from(full.whole_microseconds()).unwrap_or(i64::MAX);
        Duration::microseconds(micros / 2 + micros / 2 * spread / 1000)
    }
}

/// What a mail server made of one try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryOutcome {
    /// Accepted, with the server's reply.
    Accepted(String),
    /// Refused or failed for a reason that may pass (4xx, connection refused, timeout).
    Transient(String),
    /// Refused for good (5xx).
    Permanent(String),
}

impl OutboxMessage {
    /// Whether a delivery worker should take the message now: queued, due for a retry, or
    /// claimed by a worker whose lease ran out (it crashed or stopped). Held messages are due
    /// only once a mail server is configured (`with_mailer`).
    pub fn is_due(&self, now: OffsetDateTime, with_mailer: bool) -> bool {
        match &self.state {
            DeliveryState::Queued => true,
            DeliveryState::Held => with_mailer,
            DeliveryState::Retrying { next_attempt_at, .. } => *next_attempt_at <= now,
            DeliveryState::Sending { lease_until } => *lease_until <= now,
            DeliveryState::Sent { .. } | DeliveryState::Dead { .. } => false,
        }
    }

    /// Takes the message for a try that must finish before `lease_until`.
    pub fn claim(&mut self, lease_until: OffsetDateTime) {
        self.state = DeliveryState::Sending { lease_until };
    }

    /// Keeps the message for copying by hand: no mail server is configured.
    pub fn hold(&mut self) {
        self.state = DeliveryState::Held;
    }

    /// Gives a claimed message back untried (the worker is shutting down).
    pub fn release(&mut self) {
        self.state = DeliveryState::Queued;
    }

    /// Records a try: sent, retried later (with backoff and `jitter`, in thousandths), or given up — at once
    /// for a permanent refusal, or after the policy's last try.
    pub fn record(&mut self, outcome: TryOutcome, now: OffsetDateTime, policy: &RetryPolicy, jitter: u16) {
        self.attempts = self.attempts.saturating_add(1);
        self.state = match outcome {
            TryOutcome::Accepted(reply) => DeliveryState::Sent { at: now, reply },
            TryOutcome::Permanent(error) => DeliveryState::Dead { error },
            TryOutcome::Transient(error) if self.attempts >= policy.max_attempts => {
                DeliveryState::Dead { error: format!("gave up after {} tries: {error}", self.attempts) }
            }
            TryOutcome::Transient(error) => {
                DeliveryState::Retrying { next_attempt_at: now + policy.delay(self.attempts, jitter), error }
            }
        };
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

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

    fn queued() -> OutboxMessage {
        let project = crate::ids::ProjectId::from_uuid(Uuid::from_u128(5));
        message(MailContent::AddedToProject {
            project_id: project,
            project_name: crate::text::ProjectName::parse("P").expect("valid"),
        })
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_spreads_the_upper_half() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, 0), Duration::seconds(15));
        assert_eq!(policy.delay(1, 999), Duration::seconds(15) + Duration::milliseconds(14_985));
        assert_eq!(policy.delay(2, 0), Duration::seconds(30));
        assert_eq!(policy.delay(3, 500), Duration::seconds(90));
        assert_eq!(policy.delay(50, 0), Duration::minutes(30), "capped at an hour before jitter");
    }

    #[test]
    fn transient_failures_retry_until_the_last_try() {
        let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
        let mut message = queued();
        message.record(TryOutcome::Transient("451 try later".into()), NOW, &policy, 0);
        assert_eq!(
            message.state,
            DeliveryState::Retrying { next_attempt_at: NOW + Duration::seconds(15), error: "451 try later".into() }
        );
        assert!(!message.is_due(NOW, true));
        assert!(message.is_due(NOW + Duration::seconds(15), true));
        message.record(TryOutcome::Transient("451 try later".into()), NOW, &policy, 0);
        message.record(TryOutcome::Transient("connection refused".into()), NOW, &policy, 0);
        assert_eq!(message.state, DeliveryState::Dead { error: "gave up after 3 tries: connection refused".into() });
        assert_eq!(message.attempts, 3);
        assert!(!message.is_due(NOW + Duration::days(1), true));
    }

    #[test]
    fn permanent_refusals_die_at_once_and_acceptance_is_final() {
        let policy = RetryPolicy::default();
        let mut refused = queued();
        refused.record(TryOutcome::Permanent("550 no such user".into()), NOW, &policy, 500);
        assert_eq!(refused.state, DeliveryState::Dead { error: "550 no such user".into() });
        let mut sent = queued();
        sent.claim(NOW + Duration::minutes(1));
        sent.record(TryOutcome::Accepted("250 queued as 1234".into()), NOW, &policy, 500);
        assert_eq!(sent.state, DeliveryState::Sent { at: NOW, reply: "250 queued as 1234".into() });
        assert!(!sent.is_due(NOW + Duration::days(30), true), "never sent twice");
    }

    #[test]
    fn leases_expire_and_held_mail_waits_for_a_mail_server() {
        let mut message = queued();
        message.claim(NOW + Duration::minutes(1));
        assert!(!message.is_due(NOW, true));
        assert!(message.is_due(NOW + Duration::minutes(1), true), "a dead worker's lease runs out");
        message.hold();
        assert!(!message.is_due(NOW, false));
        assert!(message.is_due(NOW, true));
        message.release();
        assert!(message.is_due(NOW, false));
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
