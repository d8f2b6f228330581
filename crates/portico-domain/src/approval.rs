//! Approval requests on client-visible work, and the clients' answers.

use std::str::FromStr;

use time::OffsetDateTime;

use crate::content::Visibility;
use crate::ids::{ApprovalId, ClientId, FileId, ProjectId, StaffId, TaskId, WorkspaceId};
use crate::names::named_enum;
use crate::rules::RuleViolation;
use crate::text::MessageBody;

/// Whether clients can be asked to approve an item of this visibility: only what they see.
pub fn can_ask_about(visibility: Visibility) -> bool {
    visibility == Visibility::Client
}

/// Refuses an approval request on an item clients do not see.
///
/// # Errors
/// [`RuleViolation::ApprovalOnInternalItem`] for an internal item.
pub fn ensure_can_ask_about(visibility: Visibility) -> Result<(), RuleViolation> {
    if can_ask_about(visibility) { Ok(()) } else { Err(RuleViolation::ApprovalOnInternalItem) }
}

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

named_enum! {
    /// A client's verdict.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ApprovalDecision {
        /// Accepted as it is.
        Approved => "approved",
        /// Needs another round.
        ChangesRequested => "changes_requested",
    }
}

/// The error for a decision name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be \"approved\" or \"changes_requested\"")]
pub struct UnknownDecision;

impl FromStr for ApprovalDecision {
    type Err = UnknownDecision;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or(UnknownDecision)
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
