//! Who is asking: the staff member or client behind an actor, what they may reach, and
//! ending someone's access.

use portico_domain::assignment::Assignment;
use portico_domain::audit::AuditActor;
use portico_domain::client::Client;
use portico_domain::ids::ProjectId;
use portico_domain::project::Project;
use portico_domain::staff::{Role, Staff, UserRef};
use portico_domain::status::ClientStatus;
use portico_domain::visibility::{Subject, Viewer};

use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::Work;

impl Work {
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
    /// visibility rule needs about the viewer, read fresh on every call. A preview is
    /// `Forbidden`: it never acts.
    pub(crate) async fn viewer(&mut self, actor: &Actor) -> AppResult<(Client, Vec<Assignment>)> {
        if actor.preview {
            return Err(AppError::Forbidden);
        }
        self.client_as_viewer(actor, Client::is_active).await
    }

    /// The client whose portal `actor` reads: the active client, or, for an admin's preview,
    /// an invited one too — the portal as it will be once the invitation is accepted.
    pub(crate) async fn reader(&mut self, actor: &Actor) -> AppResult<(Client, Vec<Assignment>)> {
        if !actor.preview {
            return self.client_as_viewer(actor, Client::is_active).await;
        }
        let previewable = |c: &Client| matches!(c.status(), ClientStatus::Invited | ClientStatus::Active);
        let (client, assignments) = self.client_as_viewer(actor, previewable).await?;
        Ok((client.as_previewed(), assignments))
    }

    async fn client_as_viewer(
        &mut self,
        actor: &Actor,
        shown: fn(&Client) -> bool,
    ) -> AppResult<(Client, Vec<Assignment>)> {
        let UserRef::Client(id) = actor.user else {
            return Err(AppError::Forbidden);
        };
        let client = self.uow.clients().get(actor.workspace, id).await?;
        let client = client.filter(shown).ok_or(AppError::Unauthenticated)?;
        let assignments = self.uow.assignments().current_for_client(actor.workspace, id).await?;
        Ok((client, assignments))
    }

    /// Refuses a person who may not log in (missing, inactive staff, or a client that is not active).
    pub(crate) async fn ensure_can_log_in(&mut self, user: UserRef) -> AppResult<()> {
        let ws = self.workspace();
        let can = match user {
            UserRef::Staff(id) => self.uow.staff().get(ws, id).await?.is_some_and(|s| s.active),
            UserRef::Client(id) => self.uow.clients().get(ws, id).await?.as_ref().is_some_and(Client::is_active),
        };
        if can { Ok(()) } else { Err(AppError::Unauthenticated) }
    }

    /// Ends every session and open link of `user`.
    pub(crate) async fn revoke_access(&mut self, user: UserRef) -> AppResult<()> {
        let ws = self.workspace();
        self.uow.sessions().delete_all_for(ws, user).await?;
        self.uow.tokens().revoke_open(ws, user, None, self.now).await?;
        self.erase_links(user, None).await
    }

    /// The project, if the viewer sees it; `NotFound` otherwise.
    pub(crate) async fn visible_project(&mut self, viewer: &Viewer<'_>, id: ProjectId) -> AppResult<Project> {
        let ws = self.workspace();
        let project = self.uow.projects().get(ws, id).await?.ok_or(AppError::NotFound)?;
        if viewer.decide(&Subject::project(&project)).is_visible() { Ok(project) } else { Err(AppError::NotFound) }
    }
}

/// The audit actor for a staff member.
pub(crate) fn by_staff(staff: &Staff) -> AuditActor {
    AuditActor::User(UserRef::Staff(staff.id))
}
