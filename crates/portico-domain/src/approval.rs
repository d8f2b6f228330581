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

/// Whether `request` still waits for its first answer (`answers` may hold any requests').
pub fn is_pending(request: &ApprovalRequest, answers: &[ApprovalAnswer]) -> bool {
    !answers.iter().any(|a| a.approval_id == request.id)
}

/// Whether clients can be asked about `subject`, of this `visibility`, given the project's
/// `requests` and `answers`: it is client-visible and no request about it waits for its first
/// answer (a second one would only ask the same question twice).
pub fn can_ask_again(
    subject: ApprovalSubject,
    visibility: Visibility,
    requests: &[ApprovalRequest],
    answers: &[ApprovalAnswer],
) -> bool {
    ensure_can_ask_again(subject, visibility, requests, answers).is_ok()
}

/// Refuses a request [`can_ask_again`] says no to.
///
/// # Errors
/// [`RuleViolation::ApprovalOnInternalItem`] for an internal item,
/// [`RuleViolation::ApprovalPending`] while a request about it waits for an answer.
pub fn ensure_can_ask_again(
    subject: ApprovalSubject,
    visibility: Visibility,
    requests: &[ApprovalRequest],
    answers: &[ApprovalAnswer],
) -> Result<(), RuleViolation> {
    ensure_can_ask_about(visibility)?;
    if requests.iter().any(|r| r.subject == subject && is_pending(r, answers)) {
        return Err(RuleViolation::ApprovalPending);
    }
    Ok(())
}

/// Each client's answers to `request`, the latest first within each client, with whether
/// it is that client's current verdict (earlier ones are history). Clients come in the order
/// of their latest answer, newest first.
pub fn answers_by_client<'a>(
    request: &ApprovalRequest,
    answers: &'a [ApprovalAnswer],
) -> Vec<(&'a ApprovalAnswer, bool)> {
    let mut mine: Vec<&ApprovalAnswer> = answers.iter().filter(|a| a.approval_id == request.id).collect();
    mine.sort_by_key(|a| std::cmp::Reverse(a.answered_at));
    let mut seen = Vec::new();
    let mut current = Vec::new();
    for answer in &mine {
        if !seen.contains(&answer.client_id) {
            seen.push(answer.client_id);
            current.push(*answer);
        }
    }
    let mut ordered = Vec::with_capacity(mine.len());
    for client in seen {
        ordered.extend(mine.iter().filter(|a| a.client_id == client).map(|a| (*a, current.contains(a))));
    }
    ordered
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
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;

    fn request(n: u128, subject: ApprovalSubject) -> ApprovalRequest {
        ApprovalRequest {
            id: ApprovalId::from_uuid(Uuid::from_u128(n)),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(1)),
            project_id: ProjectId::from_uuid(Uuid::from_u128(2)),
            subject,
            requested_by: StaffId::from_uuid(Uuid::from_u128(3)),
            created_at: datetime!(2026-03-01 9:00 UTC),
        }
    }

    fn answer(request: &ApprovalRequest, client: u128, minute: u8, decision: ApprovalDecision) -> ApprovalAnswer {
        ApprovalAnswer {
            approval_id: request.id,
            client_id: ClientId::from_uuid(Uuid::from_u128(client)),
            decision,
            comment: None,
            answered_at: datetime!(2026-03-02 10:00 UTC) + time::Duration::minutes(i64::from(minute)),
        }
    }

    #[test]
    fn an_item_is_asked_about_again_only_once_the_last_request_has_an_answer() {
        let logo = ApprovalSubject::Task(TaskId::from_uuid(Uuid::from_u128(10)));
        let guide = ApprovalSubject::File(FileId::from_uuid(Uuid::from_u128(11)));
        let first = request(20, logo);
        let requests = vec![first.clone()];
        assert!(can_ask_again(guide, Visibility::Client, &requests, &[]), "another item");
        assert_eq!(ensure_can_ask_again(logo, Visibility::Client, &requests, &[]), Err(RuleViolation::ApprovalPending));
        let answered = [answer(&first, 30, 0, ApprovalDecision::ChangesRequested)];
        assert!(can_ask_again(logo, Visibility::Client, &requests, &answered), "a new round after an answer");
        assert_eq!(
            ensure_can_ask_again(guide, Visibility::Internal, &requests, &answered),
            Err(RuleViolation::ApprovalOnInternalItem)
        );
    }

    #[test]
    fn each_clients_latest_answer_is_current_and_earlier_ones_are_history() {
        let req = request(20, ApprovalSubject::Task(TaskId::from_uuid(Uuid::from_u128(10))));
        let other = request(21, ApprovalSubject::Task(TaskId::from_uuid(Uuid::from_u128(12))));
        let answers = [
            answer(&req, 30, 0, ApprovalDecision::ChangesRequested),
            answer(&req, 31, 1, ApprovalDecision::Approved),
            answer(&req, 30, 2, ApprovalDecision::Approved),
            answer(&other, 30, 3, ApprovalDecision::Approved),
        ];
        let listed: Vec<(u8, u128, bool)> = answers_by_client(&req, &answers)
            .into_iter()
            .map(|(a, current)| {
                let minute =
                    u8::try_from((a.answered_at - datetime!(2026-03-02 10:00 UTC)).whole_minutes()).unwrap_or(0);
                (minute, a.client_id.as_uuid().as_u128(), current)
            })
            .collect();
        assert_eq!(listed, [(2, 30, true), (0, 30, false), (1, 31, true)]);
    }

    #[test]
    fn decisions_round_trip_and_unknown_ones_are_refused() {
        for decision in [ApprovalDecision::Approved, ApprovalDecision::ChangesRequested] {
            assert_eq!(decision.as_str().parse(), Ok(decision));
        }
        assert_eq!("maybe".parse::<ApprovalDecision>(), Err(UnknownDecision));
    }
}
