//! Approval requests on client-visible work, and clients' answers.

use portico_domain::activity::ActivityKind;
use portico_domain::approval::{self, ApprovalAnswer, ApprovalDecision, ApprovalRequest, ApprovalSubject};
use portico_domain::audit::{AuditAction, AuditActor, AuditSubject, FieldChange};
use portico_domain::ids::ApprovalId;
use portico_domain::rules::RuleViolation;
use portico_domain::staff::UserRef;
use portico_domain::text::MessageBody;
use portico_domain::visibility::{Subject, Viewer};
use portico_domain::world::ItemRef;
use portico_ports::{Conflict, RepoError};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::by_staff;

/// A validated answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The verdict.
    pub decision: ApprovalDecision,
    /// Why, or what to change.
    pub comment: Option<MessageBody>,
}

impl Portico {
    /// Asks the project's clients to approve a client-visible task or file, unless a request
    /// about it still waits for an answer. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectArchived)`, `Rule(ApprovalOnInternalItem)`, `Rule(ApprovalPending)`
    /// while a request about the item waits for its first answer.
    pub async fn request_approval(&self, actor: &Actor, subject: ApprovalSubject) -> AppResult<ApprovalRequest> {
        let mut work = self.begin(actor.workspace).await?;
        let (project_id, visibility) = work.approval_subject(subject).await?;
        let (staff, project) = work.staff_project(actor, project_id).await?;
        project.ensure_open()?;
        let requests = work.uow.approvals().list_for_project(actor.workspace, project_id).await?;
        let answers = work.uow.approvals().answers_for_project(actor.workspace, project_id).await?;
        approval::ensure_can_ask_again(subject, visibility, &requests, &answers)?;
        let request = ApprovalRequest {
            id: work.new_id(ApprovalId::from_uuid),
            workspace_id: actor.workspace,
            project_id,
            subject,
            requested_by: staff.id,
            created_at: work.now,
        };
        // Two requests made at once both pass the check above; the storage keeps one, and the
        // other gets the same answer the check gives.
        match work.uow.approvals().insert(&request).await {
            Err(RepoError::Conflict(Conflict::ApprovalPending)) => return Err(RuleViolation::ApprovalPending.into()),
            stored => stored?,
        }
        let related = Some(AuditSubject::Project(project_id));
        let subject = AuditSubject::Approval(request.id);
        work.audit(by_staff(&staff), subject, related, AuditAction::ApprovalRequested, vec![]).await?;
        let (by, item) = (UserRef::Staff(staff.id), ItemRef::Approval(request.id));
        work.record_activity(by, ActivityKind::ApprovalRequested, item, Some(project_id)).await?;
        work.commit().await?;
        Ok(request)
    }

    /// A client answers an approval request it can see. Every answer is kept; the latest is
    /// the client's verdict.
    ///
    /// # Errors
    /// `NotFound` for anything outside the client's share (including without `approvals`);
    /// `Rule(ProjectArchived)`.
    pub async fn answer_approval(&self, actor: &Actor, id: ApprovalId, answer: Answer) -> AppResult<ApprovalAnswer> {
        let mut work = self.begin(actor.workspace).await?;
        let (client, assignments) = work.viewer(actor).await?;
        let request = work.uow.approvals().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let (_, visibility) = work.approval_subject(request.subject).await?;
        let viewer = Viewer::new(&client, &assignments);
        if !viewer.decide(&Subject::approval(&request, visibility)).is_visible() {
            return Err(AppError::NotFound);
        }
        let project = work.uow.projects().get(actor.workspace, request.project_id).await?.ok_or(AppError::NotFound)?;
        project.ensure_open()?;
        let answer = ApprovalAnswer {
            approval_id: id,
            client_id: client.id(),
            decision: answer.decision,
            comment: answer.comment,
            answered_at: work.now,
        };
        work.uow.approvals().add_answer(actor.workspace, &answer).await?;
        let change = FieldChange::plain("decision", None, Some(&answer.decision));
        let by = AuditActor::User(UserRef::Client(client.id()));
        let related = Some(AuditSubject::Project(project.id));
        work.audit(by, AuditSubject::Approval(id), related, AuditAction::ApprovalAnswered, vec![change]).await?;
        let by = UserRef::Client(client.id());
        work.record_activity(by, ActivityKind::ApprovalAnswered, ItemRef::Approval(id), Some(project.id)).await?;
        work.commit().await?;
        Ok(answer)
    }
}
