//! SQLite's errors in the ports' terms.

use portico_ports::{Conflict, RepoError};
use sqlx::error::ErrorKind;

/// Maps a driver error. SQLite names the columns of a violated unique key, not the key, so
/// the mapping reads the columns (see `Transaction` in `portico-sql` for the names).
pub(crate) fn map(error: sqlx::Error) -> RepoError {
    let sqlx::Error::Database(db) = &error else {
        return RepoError::unavailable(error);
    };
    match db.kind() {
        ErrorKind::UniqueViolation => RepoError::Conflict(conflict(db.message())),
        ErrorKind::ForeignKeyViolation => RepoError::NotFound,
        _ => RepoError::unavailable(error),
    }
}

fn conflict(message: &str) -> Conflict {
    if message.contains("users.email_key") {
        Conflict::EmailTaken
    } else if message.contains("invoices.number_key") {
        Conflict::InvoiceNumberTaken
    } else if message.contains("assignments.client_id") || message.contains("memberships.staff_id") {
        Conflict::AlreadyAssigned
    } else if message.contains("approvals.task_id") || message.contains("approvals.file_id") {
        Conflict::ApprovalPending
    } else {
        Conflict::DuplicateId
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_keys_map_to_their_conflicts() {
        let cases = [
            ("UNIQUE constraint failed: users.workspace_id, users.email_key", Conflict::EmailTaken),
            ("UNIQUE constraint failed: invoices.workspace_id, invoices.number_key", Conflict::InvoiceNumberTaken),
            (
                "UNIQUE constraint failed: assignments.workspace_id, assignments.project_id, assignments.client_id",
                Conflict::AlreadyAssigned,
            ),
            (
                "UNIQUE constraint failed: memberships.workspace_id, memberships.project_id, memberships.staff_id",
                Conflict::AlreadyAssigned,
            ),
            ("UNIQUE constraint failed: approvals.workspace_id, approvals.task_id", Conflict::ApprovalPending),
            ("UNIQUE constraint failed: approvals.workspace_id, approvals.file_id", Conflict::ApprovalPending),
            ("UNIQUE constraint failed: users.workspace_id, users.id", Conflict::DuplicateId),
            ("UNIQUE constraint failed: tokens.hash", Conflict::DuplicateId),
        ];
        for (message, conflict_kind) in cases {
            assert_eq!(conflict(message), conflict_kind, "{message}");
        }
    }
}
