//! Mail Portico sends, as it waits in the outbox, and its delivery state.
//!
//! Use cases never send mail: they write an [`OutboxMessage`] in the same unit of work as the
//! change that causes it, and a delivery worker sends it later. The message records *what*
//! to say (a [`MailContent`]); rendering to text and HTML happens at delivery.
//!
//! An invitation or reset carries its link secret only *sealed* ([`LinkSecret`]): encrypted
//! with the installation's key, which is not in the database, so a copy of the database or a
//! backup yields no usable link. The sealed secret is kept while the mail may still need it —
//! to be sent, or copied by staff from the outbox when mail cannot be delivered — and erased
//! once the mail is sent or dead, the link is replaced by a newer one, or used. The token table
//! itself keeps only hashes.

use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::activity::{ActivityKind, Category};
use crate::email::EmailAddress;
use crate::ids::{InvoiceId, OutboxId, ProjectId, WorkspaceId};
use crate::invoice::{InvoiceNumber, Letter};
use crate::staff::UserRef;
use crate::text::{PersonName, ProjectName};
use crate::token::TokenPurpose;

/// A link secret encrypted with the installation's key: bytes only the sealing adapter reads.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret(Vec<u8>);

impl SealedSecret {
    /// Wraps bytes made by the sealing adapter (or read back from storage).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The sealed bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes as hex, for text storage.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// Reads hex written by [`to_hex`](Self::to_hex).
    ///
    /// # Errors
    /// When the text is not hex.
    pub fn from_hex(text: &str) -> Result<Self, hex::FromHexError> {
        hex::decode(text).map(Self)
    }
}

impl fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedSecret({} bytes)", self.0.len())
    }
}

/// Why a sealed secret cannot be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unsealable {
    /// Sealed with another key: the installation's key was replaced since.
    #[error("it was sealed with a key this installation no longer has")]
    OtherKey,
    /// Altered, truncated, or moved from another message.
    #[error("it is damaged")]
    Damaged,
}

/// The secret of the link a message carries, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkSecret {
    /// Sealed, while the message may still need it.
    Sealed(SealedSecret),
    /// No longer kept: the mail was sent or given up, or the link was replaced or used.
    Erased,
}

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailContent {
    /// Welcome, with a one-time link to set a password.
    Invitation {
        /// The link's secret, sealed.
        link: LinkSecret,
        /// When the link stops working.
        expires_at: OffsetDateTime,
    },
    /// A one-time link to set a new password.
    PasswordReset {
        /// The link's secret, sealed.
        link: LinkSecret,
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
    /// What happened that the recipient wants to hear of: gathered immediate notices, or a
    /// daily digest. Built when the notices were due, from what the rule still showed.
    Notice {
        /// Whether it is the daily digest.
        digest: bool,
        /// One line per event, oldest first; never empty.
        lines: Vec<NoticeLine>,
    },
    /// An invoice mail to the invoice's addressee: the invoice, a reminder or a receipt. What
    /// it shows is read when it is delivered, as the addressee sees the invoice then.
    Invoice {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Its number, for the delivery log.
        number: InvoiceNumber,
        /// Which mail.
        letter: Letter,
    },
}

/// One event in a notice mail, in words the recipient may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLine {
    /// What happened.
    pub kind: ActivityKind,
    /// The category it is news of (the one an unsubscribe turns off).
    pub category: Category,
    /// Who did it, by name.
    pub actor: PersonName,
    /// The project it happened in, by name.
    pub project: Option<ProjectName>,
    /// The item as the recipient knows it: a task's title, a file's name, the start of a
    /// message, an invoice's number.
    pub title: String,
    /// Where the recipient looks at it (`/portal/projects/…`, `/admin/projects/…`).
    pub path: String,
    /// When it happened.
    pub at: OffsetDateTime,
}

impl MailContent {
    /// A short name for the kind of message, for logs and the delivery log.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Invitation { .. } => "invitation",
            Self::PasswordReset { .. } => "password_reset",
            Self::EmailChanged { .. } => "email_changed",
            Self::AddedToProject { .. } => "added_to_project",
            Self::Notice { digest: false, .. } => "notice",
            Self::Notice { digest: true, .. } => "digest",
            Self::Invoice { letter: Letter::Issued, .. } => "invoice",
            Self::Invoice { letter: Letter::Reminder { .. }, .. } => "invoice_reminder",
            Self::Invoice { letter: Letter::Receipt { .. }, .. } => "payment_receipt",
        }
    }

    /// The mail carrying a one-time link for `purpose`.
    pub const fn with_link(purpose: TokenPurpose, link: LinkSecret, expires_at: OffsetDateTime) -> Self {
        match purpose {
            TokenPurpose::Invitation => Self::Invitation { link, expires_at },
            TokenPurpose::PasswordReset => Self::PasswordReset { link, expires_at },
        }
    }

    /// The purpose of the one-time link the message carries, if it carries one.
    pub const fn link_purpose(&self) -> Option<TokenPurpose> {
        match self {
            Self::Invitation { .. } => Some(TokenPurpose::Invitation),
            Self::PasswordReset { .. } => Some(TokenPurpose::PasswordReset),
            Self::EmailChanged { .. } | Self::AddedToProject { .. } | Self::Notice { .. } | Self::Invoice { .. } => {
                None
            }
        }
    }

    /// The sealed link secret, while it is kept.
    pub const fn sealed_link(&self) -> Option<&SealedSecret> {
        match self {
            Self::Invitation { link: LinkSecret::Sealed(sealed), .. }
            | Self::PasswordReset { link: LinkSecret::Sealed(sealed), .. } => Some(sealed),
            _ => None,
        }
    }

    /// Forgets the link secret.
    fn erase_link(&mut self) {
        if let Self::Invitation { link, .. } | Self::PasswordReset { link, .. } = self {
            *link = LinkSecret::Erased;
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
    /// The name of every state, as the API lists them.
    pub const NAMES: [&'static str; 6] = ["queued", "held", "sending", "sent", "retrying", "dead"];

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

    /// What went wrong on the last try, for a message retrying or given up.
    pub fn error(&self) -> Option<&str> {
        match self {
            Self::Retrying { error, .. } | Self::Dead { error } => Some(error),
            Self::Queued | Self::Held | Self::Sending { .. } | Self::Sent { .. } => None,
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

    /// Forgets the link secret (the link was replaced, revoked or used).
    pub fn forget_link(&mut self) {
        self.content.erase_link();
    }

    /// Whether the message carries a one-time link whose secret is no longer kept: the link
    /// was replaced or used before the mail could go, so sending it would only confuse.
    pub fn lost_its_link(&self) -> bool {
        self.content.link_purpose().is_some() && self.content.sealed_link().is_none()
    }

    /// Whether the message still keeps a sealed link secret of `purpose` (of any purpose when
    /// `None`): what must be erased when such links are replaced, revoked or used.
    pub fn keeps_link(&self, purpose: Option<TokenPurpose>) -> bool {
        self.content.sealed_link().is_some()
            && purpose.is_none_or(|purpose| self.content.link_purpose() == Some(purpose))
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
        self.content.erase_link();
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
    /// for a permanent refusal, or after the policy's last try. A sent or given-up message no
    /// longer needs its link secret, so it is erased.
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
        if self.is_finished() {
            self.content.erase_link();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use uuid::Uuid;

    #[test]
    fn only_a_retrying_or_dead_message_has_an_error() {
        let at = datetime!(2026-03-02 09:00 UTC);
        let failing = |error: &str| {
            [
                DeliveryState::Retrying { next_attempt_at: at, error: error.into() },
                DeliveryState::Dead { error: error.into() },
            ]
        };
        for state in failing("550 no such mailbox") {
            assert_eq!(state.error(), Some("550 no such mailbox"));
        }
        let fine = [
            DeliveryState::Queued,
            DeliveryState::Held,
            DeliveryState::Sending { lease_until: at },
            DeliveryState::Sent { at, reply: "250 ok".into() },
        ];
        assert!(fine.iter().all(|state| state.error().is_none()));
    }

    #[test]
    fn the_published_names_are_the_names_of_every_state() {
        let at = datetime!(2026-01-01 0:00 UTC);
        let every = [
            DeliveryState::Queued,
            DeliveryState::Held,
            DeliveryState::Sending { lease_until: at },
            DeliveryState::Sent { at, reply: String::new() },
            DeliveryState::Retrying { next_attempt_at: at, error: String::new() },
            DeliveryState::Dead { error: String::new() },
        ];
        assert_eq!(every.map(|state| state.as_str()), DeliveryState::NAMES);
    }

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
        let message = message(invitation());
        assert_eq!(message.message_id("portico.example"), "<00000000000000000000000000000abc@portico.example>");
        assert_eq!(message.state.as_str(), "queued");
    }

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

    fn invitation() -> MailContent {
        let sealed = SealedSecret::from_bytes(vec![7; 60]);
        MailContent::with_link(TokenPurpose::Invitation, LinkSecret::Sealed(sealed), datetime!(2026-01-08 0:00 UTC))
    }

    #[test]
    fn the_link_secret_is_kept_until_the_mail_is_finished() {
        let policy = RetryPolicy { max_attempts: 2, ..RetryPolicy::default() };
        let mut message = message(invitation());
        assert!(message.keeps_link(None) && message.keeps_link(Some(TokenPurpose::Invitation)));
        assert!(!message.keeps_link(Some(TokenPurpose::PasswordReset)));
        message.hold();
        message.record(TryOutcome::Transient("451 later".into()), NOW, &policy, 0);
        assert!(message.keeps_link(None), "a retry still needs the link");
        message.record(TryOutcome::Transient("451 later".into()), NOW, &policy, 0);
        assert!(message.is_dead());
        assert!(!message.keeps_link(None), "dead mail keeps no secret");
        assert!(message.lost_its_link());
        assert!(!queued().lost_its_link(), "mail without a link loses none");
        assert_eq!(message.content.sealed_link(), None);

        let mut sent = self::message(invitation());
        sent.record(TryOutcome::Accepted("250 OK".into()), NOW, &policy, 0);
        assert_eq!(
            sent.content,
            MailContent::Invitation { link: LinkSecret::Erased, expires_at: datetime!(2026-01-08 0:00 UTC) }
        );
    }

    #[test]
    fn sealed_secrets_round_trip_through_hex_and_never_print() {
        let sealed = SealedSecret::from_bytes(vec![0, 1, 0xfe]);
        assert_eq!(SealedSecret::from_hex(&sealed.to_hex()).ok(), Some(sealed.clone()));
        assert_eq!(format!("{sealed:?}"), "SealedSecret(3 bytes)");
    }

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
        let mut invited = message(invitation());
        invited.erase_recipient(&tombstone, &name);
        assert!(!invited.keeps_link(None), "a deleted person's link secret is erased");

        let mut sent = message(MailContent::EmailChanged { old: tombstone.clone(), new: tombstone.clone() });
        sent.state = DeliveryState::Sent { at: datetime!(2026-01-01 0:01 UTC), reply: "250 OK".into() };
        sent.erase_recipient(&tombstone, &name);
        assert_eq!(sent.state.as_str(), "sent", "history of what was sent stays");
    }
}
