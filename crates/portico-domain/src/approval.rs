//! Approval requests on client-visible work, and the clients' answers.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

use crate::ids::{ApprovalId, ClientId, FileId, ProjectId, StaffId, TaskId, WorkspaceId};
use crate::text::MessageBody;

/// What an approval request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalSubject {
    /// A task (a deliverable described by it).
    Task(TaskId),
    /// A file (a draft, a design, a document).
    File(FileId),
}

/// Staff asking the project's clients to approve a task or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// Identity.
    pub id: ApprovalId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The project of the subject.
    pub project_id: ProjectId,
    /// What is to be approved.
    pub subject: ApprovalSubject,
    /// Who asked.
    pub requested_by: StaffId,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A client's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalDecision {
    /// Accepted as it is.
    Approved,
    /// Needs another round.
    ChangesRequested,
}

impl ApprovalDecision {
    /// Every decision a client can give.
    pub const ALL: [Self; 2] = [Self::Approved, Self::ChangesRequested];

    /// The stable name used in the API and storage.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::ChangesRequested => "changes_requested",
        }
    }
}

impl fmt::Display for ApprovalDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a decision name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be \"approved\" or \"changes_requested\"")]
pub struct UnknownDecision;

impl FromStr for ApprovalDecision {
    type Err = UnknownDecision;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approved" => Ok(Self::Approved),
            "changes_requested" => Ok(Self::ChangesRequested),
            _ => Err(UnknownDecision),
        }
    }
}

/// One answer of one client. Every answer is kept; a client's latest answer is its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalAnswer {
    /// The request answered.
    pub approval_id: ApprovalId,
    /// Who answered.
    pub client_id: ClientId,
    /// The verdict.
    pub decision: ApprovalDecision,
    /// Why, or what to change.
    pub comment: Option<MessageBody>,
    /// When.
    pub answered_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_and_unknown_ones_are_refused() {
        for decision in [ApprovalDecision::Approved, ApprovalDecision::ChangesRequested] {
            assert_eq!(decision.as_str().parse(), Ok(decision));
        }
        assert_eq!("maybe".parse::<ApprovalDecision>(), Err(UnknownDecision));
    }
}
