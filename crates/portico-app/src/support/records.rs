//! Writes several use cases share: a message (staff's or a client's) and a team membership.

use portico_domain::activity::{makes_news, message_kind};
use portico_domain::assignment::{Membership, Tenure};
use portico_domain::audit::{AuditAction, AuditActor, AuditSubject, FieldChange};
use portico_domain::content::{Message, Visibility};
use portico_domain::ids::{MembershipId, MessageId, StaffId, TaskId};
use portico_domain::project::Project;
use portico_domain::staff::{Staff, UserRef};
use portico_domain::world::ItemRef;

use crate::error::{AppError, AppResult};
use crate::support::Work;
use crate::use_cases::NewMessage;

impl Work {
    /// Stores a post (or, with `task`, a comment) in an open project. A client's message is
    /// always client-visible.
    pub(crate) async fn insert_message(
        &mut self,
        project: &Project,
        task: Option<TaskId>,
        author: UserRef,
        new: NewMessage,
    ) -> AppResult<Message> {
        project.ensure_open()?;
        let visibility = match author {
            UserRef::Client(_) => Visibility::Client,
            UserRef::Staff(_) => new.visibility,
        };
        let message = Message {
            id: self.new_id(MessageId::from_uuid),
            workspace_id: self.workspace(),
            project_id: project.id,
            task_id: task,
            author,
            body: new.body,
            visibility,
            created_at: self.now,
        };
        self.uow.messages().insert(&message).await?;
        let change = FieldChange::plain("visibility", None, Some(&message.visibility));
        let related = Some(AuditSubject::Project(project.id));
        let subject = AuditSubject::Message(message.id);
        self.audit(AuditActor::User(author), subject, related, AuditAction::MessagePosted, vec![change]).await?;
        if makes_news(message.visibility) {
            let kind = message_kind(task.is_some());
            self.record_activity(author, kind, ItemRef::Message(message.id), Some(project.id)).await?;
        }
        Ok(message)
    }

    /// Puts the active staff member `member` on `project`'s team, from now, audited as done by `by`.
    pub(crate) async fn join_team(&mut self, by: &Staff, project: &Project, member: StaffId) -> AppResult<Membership> {
        let ws = self.workspace();
        let staff = self.uow.staff().get(ws, member).await?;
        let staff = staff.filter(|s| s.active).ok_or(AppError::NotFound)?;
        let membership = Membership {
            id: self.new_id(MembershipId::from_uuid),
            workspace_id: self.workspace(),
            project_id: project.id,
            staff_id: staff.id,
            tenure: Tenure::starting(self.now, Some(by.id)),
        };
        self.uow.memberships().insert(&membership).await?;
        let related = Some(AuditSubject::Project(project.id));
        let actor = AuditActor::User(UserRef::Staff(by.id));
        self.audit(actor, AuditSubject::Staff(staff.id), related, AuditAction::TeamMemberAdded, vec![]).await?;
        Ok(membership)
    }
}
