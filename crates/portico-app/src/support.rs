//! What every use case does the same way: open a unit of work, read the clock once, check
//! who is asking, and write audit events and outbox mail beside the change.

use std::sync::Arc;

use portico_domain::assignment::Assignment;
use portico_domain::audit::{AuditAction, AuditActor, AuditEvent, AuditSubject, FieldChange};
use portico_domain::client::Client;
use portico_domain::email::EmailAddress;
use portico_domain::ids::{AuditEventId, OutboxId, ProjectId, WorkspaceId};
use portico_domain::mail::{MailContent, OutboxMessage};
use portico_domain::project::Project;
use portico_domain::staff::{Role, Staff, UserRef};
use portico_domain::text::PersonName;
use portico_ports::{IdGenerator, UnitOfWork};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};

/// One use case's unit of work, with the workspace it acts in and the time it runs at.
pub(crate) struct Work {
    pub(crate) uow: Box<dyn UnitOfWork>,
    /// The workspace every audit event and mail of the use case belongs to.
    pub(crate) workspace: WorkspaceId,
    pub(crate) now: OffsetDateTime,
    ids: Arc<dyn IdGenerator>,
}

impl Portico {
    /// Opens a unit of work in `workspace` and reads the clock once for the whole use case.
    pub(crate) async fn begin(&self, workspace: WorkspaceId) -> AppResult<Work> {
        let uow = self.services.store.begin().await?;
        Ok(self.work(uow, workspace))
    }

    /// Opens a read-only unit of work: queries run beside writers and each other.
    pub(crate) async fn begin_read(&self, workspace: WorkspaceId) -> AppResult<Work> {
        let uow = self.services.store.begin_read().await?;
        Ok(self.work(uow, workspace))
    }

    fn work(&self, uow: Box<dyn UnitOfWork>, workspace: WorkspaceId) -> Work {
        Work { uow, workspace, now: self.services.clock.now(), ids: Arc::clone(&self.services.ids) }
    }
}

impl Work {
    /// A fresh id of the wanted kind.
    pub(crate) fn new_id<T>(&self, wrap: fn(Uuid) -> T) -> T {
        wrap(self.ids.new_id())
    }

    /// Commits every write of the use case.
    pub(crate) async fn commit(self) -> AppResult<()> {
        self.uow.commit().await?;
        Ok(())
    }

    /// Appends an audit event.
    pub(crate) async fn audit(
        &mut self,
        actor: AuditActor,
        subject: AuditSubject,
        related: Option<AuditSubject>,
        action: AuditAction,
        changes: Vec<FieldChange>,
    ) -> AppResult<()> {
        let event = AuditEvent {
            id: self.new_id(AuditEventId::from_uuid),
            workspace_id: self.workspace,
            at: self.now,
            actor,
            subject,
            related,
            action,
            changes,
        };
        self.uow.audit().append(&event).await?;
        Ok(())
    }

    /// Queues a message in the outbox, in this unit of work.
    pub(crate) async fn queue_mail(
        &mut self,
        about: UserRef,
        to: (&EmailAddress, &PersonName),
        content: MailContent,
    ) -> AppResult<()> {
        let id = self.new_id(OutboxId::from_uuid);
        self.queue_mail_as(id, about, to, content).await
    }

    /// Queues a message under an id chosen beforehand (a link's secret is sealed for its
    /// message's id), in this unit of work.
    pub(crate) async fn queue_mail_as(
        &mut self,
        id: OutboxId,
        about: UserRef,
        to: (&EmailAddress, &PersonName),
        content: MailContent,
    ) -> AppResult<()> {
        let message = OutboxMessage::queued(id, self.workspace, Some(about), to, content, self.now);
        self.uow.outbox().enqueue(&message).await?;
        Ok(())
    }

    /// The active staff member behind `actor`.
    ///
    /// A client asking for a staff operation is `Forbidden`; a staff record that is missing or
    /// inactive is `Unauthenticated` (its sessions should already be gone).
    pub(crate) async fn staff(&mut self, actor: &Actor) -> AppResult<Staff> {
        let UserRef::Staff(id) = actor.user else {
            return Err(AppError::Forbidden);
        };
        let staff = self.uow.staff().get(actor.workspace, id).await?;
        staff.filter(|s| s.active).ok_or(AppError::Unauthenticated)
    }

    /// The active admin behind `actor`; members are `Forbidden`.
    pub(crate) async fn admin(&mut self, actor: &Actor) -> AppResult<Staff> {
        let staff = self.staff(actor).await?;
        if staff.role == Role::Admin { Ok(staff) } else { Err(AppError::Forbidden) }
    }

    /// A project the staff member behind `actor` works on: any project for an admin, only
    /// the projects whose team they are on for a member (others are `NotFound`).
    pub(crate) async fn staff_project(&mut self, actor: &Actor, project: ProjectId) -> AppResult<(Staff, Project)> {
        let staff = self.staff(actor).await?;
        let project = self.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
        if staff.role == Role::Member
            && self.uow.memberships().current(actor.workspace, project.id, staff.id).await?.is_none()
        {
            return Err(AppError::NotFound);
        }
        Ok((staff, project))
    }

    /// The active client behind `actor`, with its current assignments: everything the
    /// visibility rule needs about the viewer, read fresh on every call.
    pub(crate) async fn viewer(&mut self, actor: &Actor) -> AppResult<(Client, Vec<Assignment>)> {
        let UserRef::Client(id) = actor.user else {
            return Err(AppError::Forbidden);
        };
        let client = self.uow.clients().get(actor.workspace, id).await?;
        let client = client.filter(Client::is_active).ok_or(AppError::Unauthenticated)?;
        let assignments = self.uow.assignments().current_for_client(actor.workspace, id).await?;
        Ok((client, assignments))
    }
}

/// The audit actor for a staff member.
pub(crate) fn by_staff(staff: &Staff) -> AuditActor {
    AuditActor::User(UserRef::Staff(staff.id))
}
