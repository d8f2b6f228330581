//! PostgreSQL's errors in the ports' terms, by constraint name.

use portico_ports::{Conflict, RepoError};
use sqlx::error::ErrorKind;

/// Maps a driver error: unique keys by name to their conflict, foreign keys to `NotFound`.
pub(crate) fn map(error: sqlx::Error) -> RepoError {
    let sqlx::Error::Database(db) = &error else {
        return RepoError::unavailable(error);
    };
    match db.kind() {
        ErrorKind::UniqueViolation => RepoError::Conflict(conflict(db.constraint().unwrap_or_default())),
        ErrorKind::ForeignKeyViolation => RepoError::NotFound,
        _ => RepoError::unavailable(error),
    }
}

fn conflict(constraint: &str) -> Conflict {
    match constraint {
        "users_email_key" => Conflict::EmailTaken,
        "invoices_number_key" => Conflict::InvoiceNumberTaken,
        "assignments_current_key" | "memberships_current_key" => Conflict::AlreadyAssigned,
        "approvals_pending_task_key" | "approvals_pending_file_key" => Conflict::ApprovalPending,
        _ => Conflict::DuplicateId,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_keys_map_to_their_conflicts() {
        assert_eq!(conflict("users_email_key"), Conflict::EmailTaken);
        assert_eq!(conflict("invoices_number_key"), Conflict::InvoiceNumberTaken);
        assert_eq!(conflict("assignments_current_key"), Conflict::AlreadyAssigned);
        assert_eq!(conflict("memberships_current_key"), Conflict::AlreadyAssigned);
        assert_eq!(conflict("approvals_pending_task_key"), Conflict::ApprovalPending);
        assert_eq!(conflict("approvals_pending_file_key"), Conflict::ApprovalPending);
        assert_eq!(conflict("users_pkey"), Conflict::DuplicateId);
        assert_eq!(conflict("tokens_hash_key"), Conflict::DuplicateId);
    }
}
