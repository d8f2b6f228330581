//! Errors every storage adapter reports in the same terms.

use std::error::Error;

/// A uniqueness rule the storage refused to break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// The email belongs to another non-deleted client or staff member of the workspace.
    #[error("the email address is already in use in this workspace")]
    EmailTaken,
    /// Another invoice of the workspace has this number.
    #[error("the invoice number is already in use")]
    InvoiceNumberTaken,
    /// The client or staff member is already currently on the project.
    #[error("already assigned to this project")]
    AlreadyAssigned,
    /// A request about the same task or file still waits for its first answer.
    #[error("this item already waits for an answer to an approval request")]
    ApprovalPending,
    /// A record with this id exists already.
    #[error("a record with this id already exists")]
    DuplicateId,
}

/// What a repository can fail with. Adapters map their own errors into these; no database
/// error type crosses a port.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A uniqueness rule would break.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// An update named a record that does not exist (in that workspace), or a write refers
    /// to a record that does not exist (an adapter with foreign keys reports it so).
    #[error("the record does not exist")]
    NotFound,
    /// A page cursor that this adapter did not produce, or that no longer decodes.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// Stored data no longer satisfies the domain's rules (a bug or a manual edit).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The storage could not be reached or failed; the unit of work is rolled back.
    #[error("storage failed")]
    Unavailable(#[source] Box<dyn Error + Send + Sync>),
}

impl RepoError {
    /// Wraps an adapter's own error as [`RepoError::Unavailable`].
    pub fn unavailable(error: impl Error + Send + Sync + 'static) -> Self {
        Self::Unavailable(Box::new(error))
    }
}

/// The result of a repository call.
pub type RepoResult<T> = Result<T, RepoError>;
