//! The non-storage ports: time, randomness, sealing and signing secrets, password hashing, file bytes,
//! documents and mail transport.

use async_trait::async_trait;
use portico_domain::activity::TAG_LEN;
use portico_domain::content::StorageKey;
use portico_domain::mail::{SealedSecret, Unsealable};
use portico_domain::money::Locale;
use portico_domain::password::{NewPassword, PasswordHash};
use portico_domain::portal::PortalInvoice;
use portico_domain::token::SecretToken;
use time::OffsetDateTime;
use uuid::Uuid;

/// The current time. Tests use a clock they can move.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC. MUST have at most microsecond precision: that is what storage keeps, and
    /// a record read back must equal the one written.
    fn now(&self) -> OffsetDateTime;
}

/// New record ids.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdGenerator: Send + Sync {
    /// A fresh id. MUST NOT repeat. Time-ordered ids (`UUIDv7`) keep indexes compact.
    fn new_id(&self) -> Uuid;
}

/// Secrets for links and sessions.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TokenGenerator: Send + Sync {
    /// 256 bits from a cryptographically secure source. MUST NOT be predictable.
    fn new_secret(&self) -> SecretToken;
}

/// Seals the link secrets that wait in the outbox with a key that is **not** in the database,
/// so a copy of the database or of a backup yields no usable link.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SecretBox: Send + Sync {
    /// Encrypts `secret` for the message whose identity is `context` (the outbox id's bytes).
    /// MUST authenticate the result and bind it to `context`, and MUST NOT give the same
    /// output twice for one input (a fresh nonce each time).
    fn seal(&self, context: &[u8], secret: &SecretToken) -> SealedSecret;

    /// The secret sealed for `context`.
    ///
    /// # Errors
    /// [`Unsealable::OtherKey`] when it was sealed with another key (the key was replaced);
    /// [`Unsealable::Damaged`] when it was altered or sealed for another context.
    fn open(&self, context: &[u8], sealed: &SealedSecret) -> Result<SecretToken, Unsealable>;

    /// A tag vouching that this server made `message` (the one-click unsubscribe links): a
    /// keyed MAC under a key derived from the sealing key, the same for the same message.
    fn sign(&self, message: &[u8]) -> [u8; TAG_LEN];

    /// Whether `tag` is the one [`SecretBox::sign`] makes for `message`. MUST take the same
    /// time wherever the two differ.
    fn verify(&self, message: &[u8], tag: &[u8; TAG_LEN]) -> bool;
}

/// Why hashing or verifying a password failed (never "wrong password": that is `Ok(false)`).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(pub String);

/// Slow, salted password hashing.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a new password with a fresh salt. MUST run off the async executor's threads.
    ///
    /// # Errors
    /// [`HashError`] when the hasher itself fails.
    async fn hash(&self, password: &NewPassword) -> Result<PasswordHash, HashError>;

    /// Whether `password` matches `hash`. MUST take the same time whether or not it matches.
    ///
    /// # Errors
    /// [`HashError`] for a hash it cannot read.
    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, HashError>;

    /// A well-formed hash, at the cost of real ones, that no password matches in practice.
    /// Logins for unknown addresses are verified against it, so they take as long as logins
    /// for known ones and timing does not tell who has an account.
    fn decoy(&self) -> PasswordHash;
}

/// Why the file store failed.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    /// No bytes under that key.
    #[error("no file is stored under that key")]
    NotFound,
    /// The store could not read or write.
    #[error("file storage failed: {0}")]
    Unavailable(String),
}

/// Where the bytes of uploaded files live, under generated keys.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing nothing: keys are fresh per upload.
    ///
    /// # Errors
    /// `Unavailable` when the bytes could not be written in full (nothing is left behind).
    async fn put(&self, key: &StorageKey, bytes: Vec<u8>) -> Result<(), FileStoreError>;

    /// The bytes stored under `key`.
    ///
    /// # Errors
    /// `NotFound` when absent, `Unavailable` when unreadable.
    async fn get(&self, key: &StorageKey) -> Result<Vec<u8>, FileStoreError>;

    /// Removes the bytes under `key`. Removing a missing key is not an error.
    ///
    /// # Errors
    /// `Unavailable` when the store failed.
    async fn delete(&self, key: &StorageKey) -> Result<(), FileStoreError>;
}

/// A message ready for the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// `Message-ID` header, stable per outbox message.
    pub message_id: String,
    /// Recipient address.
    pub to: String,
    /// Recipient display name.
    pub to_name: String,
    /// The sender's display name when the workspace chose one; otherwise the mail adapter's
    /// configured sender stands as it is. Never holds a line break.
    pub from_name: Option<String>,
    /// Subject line (no CR or LF).
    pub subject: String,
    /// The one-click unsubscribe link of a notification (RFC 8058), sent as
    /// `List-Unsubscribe: <link>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    pub list_unsubscribe: Option<String>,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// Files sent along (an invoice's PDF), after the bodies.
    pub attachments: Vec<Attachment>,
}

/// A file sent along with a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name as the recipient sees it (no CR or LF).
    pub filename: String,
    /// Its media type (`application/pdf`).
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Attachment({:?}, {}, {} bytes)", self.filename, self.content_type, self.bytes.len())
    }
}

/// Draws the documents mail carries, in the server (no browser, no network).
pub trait DocumentRenderer: Send + Sync {
    /// The PDF of `invoice` as its reader sees it, amounts written as `locale` writes them,
    /// headed by the workspace's PNG `logo` when given (one it cannot read is left out). Its
    /// text MUST be extractable (numbers and totals read back as shown).
    fn invoice_pdf(&self, invoice: &PortalInvoice, locale: Locale, logo: Option<&[u8]>) -> Vec<u8>;
}

/// How a send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// May succeed later (4xx reply, connection refused, timeout): retry with backoff.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will never succeed (5xx reply): give up at once.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// A mail transport (SMTP in production).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands `mail` to the mail server; on success returns the server's reply text.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure as transient or permanent.
    async fn send(&self, mail: &OutgoingMail) -> Result<String, SendError>;
}
