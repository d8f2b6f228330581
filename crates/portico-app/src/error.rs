//! What a use case can fail with, in terms the edges (HTTP, CLI, UI) map to answers.

use portico_domain::invoice::{EditRefused, PaymentRefused};
use portico_domain::rules::RuleViolation;
use portico_domain::token::{MalformedToken, TokenRefusal};
use portico_domain::validation::ValidationErrors;
use portico_ports::{Conflict, FileStoreError, HashError, RepoError};

/// Why a use case refused or failed. Every variant but the last two is the caller's doing and
/// changes nothing.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input fields are invalid (HTTP 422 with field errors).
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The record does not exist, or the actor may not know it exists (HTTP 404). A client
    /// asking for anything outside its share gets this, never `Forbidden`.
    #[error("not found")]
    NotFound,
    /// The actor is known and may see the record, but may not do this (HTTP 403).
    #[error("you are not allowed to do this")]
    Forbidden,
    /// The actor is not (or no longer) a person who may act: missing, deactivated, deleted
    /// or not yet activated (HTTP 401).
    #[error("not signed in")]
    Unauthenticated,
    /// The rules refuse it in the current state (HTTP 409).
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// A uniqueness rule (HTTP 409, or 422 on the field it concerns).
    #[error(transparent)]
    Conflict(Conflict),
    /// A one-time link that cannot be used (HTTP 400/410).
    #[error(transparent)]
    Link(#[from] LinkError),
    /// Storage failed; nothing was changed (HTTP 500/503).
    #[error("storage failed")]
    Storage(#[source] RepoError),
    /// Another port (file store, password hasher) failed; nothing was changed.
    #[error("a service failed: {0}")]
    Service(String),
}

/// Why a one-time link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Not a link Portico could have made.
    #[error(transparent)]
    Malformed(#[from] MalformedToken),
    /// No such link was ever issued.
    #[error("the link is not valid")]
    Unknown,
    /// Issued, but no longer usable.
    #[error(transparent)]
    Refused(#[from] TokenRefusal),
}

impl From<RepoError> for AppError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Conflict(conflict) => Self::Conflict(conflict),
            RepoError::NotFound => Self::NotFound,
            RepoError::InvalidCursor => Self::Invalid(ValidationErrors::single("cursor", "is not a valid page cursor")),
            other @ (RepoError::Corrupt(_) | RepoError::Unavailable(_)) => Self::Storage(other),
        }
    }
}

impl From<PaymentRefused> for AppError {
    fn from(refused: PaymentRefused) -> Self {
        match refused {
            PaymentRefused::Rule(rule) => Self::Rule(rule),
            PaymentRefused::Invalid(errors) => Self::Invalid(errors),
        }
    }
}

impl From<EditRefused> for AppError {
    fn from(refused: EditRefused) -> Self {
        match refused {
            EditRefused::Rule(rule) => Self::Rule(rule),
            EditRefused::Invalid(errors) => Self::Invalid(errors),
        }
    }
}

impl From<FileStoreError> for AppError {
    fn from(error: FileStoreError) -> Self {
        match error {
            FileStoreError::NotFound => Self::NotFound,
            FileStoreError::Unavailable(reason) => Self::Service(reason),
        }
    }
}

impl From<HashError> for AppError {
    fn from(error: HashError) -> Self {
        Self::Service(error.to_string())
    }
}

/// The result of a use case.
pub type AppResult<T> = Result<T, AppError>;
