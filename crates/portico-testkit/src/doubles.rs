//! Test doubles for the service ports: a clock tests move by hand, predictable ids, and a
//! fast password hasher. None of these may be used outside tests.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use portico_domain::password::{NewPassword, PasswordHash};
use portico_ports::{Clock, HashError, IdGenerator, Mailer, OutgoingMail, PasswordHasher, SendError};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn at(start: OffsetDateTime) -> Self {
        Self { now: Mutex::new(start) }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }

    /// Sets the clock.
    pub fn set(&self, to: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ids counting up, so a failing test prints readable ids. Each generator counts in a block
/// of its own (the block number is the high half of the id), so applications sharing one
/// database in a test process never collide.
#[derive(Debug)]
pub struct SequentialIds {
    block: u64,
    next: AtomicU64,
}

/// The next free block of ids in this process.
static BLOCKS: AtomicU64 = AtomicU64::new(1);

impl Default for SequentialIds {
    fn default() -> Self {
        Self { block: BLOCKS.fetch_add(1, Ordering::Relaxed), next: AtomicU64::new(1) }
    }
}

impl IdGenerator for SequentialIds {
    fn new_id(&self) -> Uuid {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Uuid::from_u128((u128::from(self.block) << 64) | u128::from(n))
    }
}

/// A fast, unsalted, **insecure** password hasher for tests: SHA-256 in a `$test$` PHC-like
/// string. Real deployments use argon2id.
#[derive(Debug, Default)]
pub struct TestHasher;

const PREFIX: &str = "$test$";

fn digest(password: &str) -> String {
    format!("{PREFIX}{}", hex::encode(Sha256::digest(password.as_bytes())))
}

#[async_trait]
impl PasswordHasher for TestHasher {
    async fn hash(&self, password: &NewPassword) -> Result<PasswordHash, HashError> {
        Ok(PasswordHash::from_phc(digest(password.expose())))
    }

    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, HashError> {
        if !hash.as_phc().starts_with(PREFIX) {
            return Err(HashError("not a test hash".to_owned()));
        }
        Ok(digest(password) == hash.as_phc())
    }

    fn decoy(&self) -> PasswordHash {
        PasswordHash::from_phc(format!("{PREFIX}decoy"))
    }
}

/// A mail transport that keeps what it is given, answering with scripted outcomes (then
/// accepting everything). For application tests; the SMTP adapter is tested against a real
/// server.
#[derive(Debug, Default)]
pub struct RecordingMailer {
    script: Mutex<VecDeque<Result<String, SendError>>>,
    sent: Mutex<Vec<OutgoingMail>>,
}

impl RecordingMailer {
    /// A mailer that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mailer that answers the next tries with `outcomes`, in order.
    pub fn scripted(outcomes: impl IntoIterator<Item = Result<String, SendError>>) -> Self {
        Self { script: Mutex::new(outcomes.into_iter().collect()), sent: Mutex::default() }
    }

    /// Every message accepted so far.
    pub fn sent(&self) -> Vec<OutgoingMail> {
        self.sent.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<String, SendError> {
        let next = self.script.lock().unwrap_or_else(PoisonError::into_inner).pop_front();
        let outcome = next.unwrap_or_else(|| Ok("250 2.0.0 accepted".to_owned()));
        if outcome.is_ok() {
            self.sent.lock().unwrap_or_else(PoisonError::into_inner).push(mail.clone());
        }
        outcome
    }
}
