//! Workspaces and staff: bootstrapping an installation and managing the team.

use portico_domain::audit::{AuditAction, AuditActor, AuditSubject, FieldChange};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{StaffId, WorkspaceId};
use portico_domain::password::NewPassword;
use portico_domain::staff::{Role, Staff, UserRef};
use portico_domain::text::{PersonName, WorkspaceName};
use portico_domain::token::{SecretToken, TokenPurpose};
use portico_domain::workspace::{Workspace, WorkspaceSettings};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::{Work, by_staff};

/// A validated new staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    /// Full name.
    pub name: PersonName,
    /// Login address.
    pub email: EmailAddress,
    /// Admin or member.
    pub role: Role,
}

impl Portico {
    /// Creates a workspace. An operator action (installation, CLI), so it takes no actor.
    ///
    /// # Errors
    /// Only storage failures.
    pub async fn create_workspace(&self, name: WorkspaceName) -> AppResult<Workspace> {
        let mut unit = self.begin_unscoped().await?;
        let workspace = Workspace {
            id: unit.new_id(WorkspaceId::from_uuid),
            name,
            settings: WorkspaceSettings::default(),
            created_at: unit.now,
        };
        unit.workspaces().insert(&workspace).await?;
        let mut work = unit.scoped_to(&workspace);
        let change = FieldChange::plain("name", None, Some(&workspace.name));
        work.audit(AuditActor::System, AuditSubject::Workspace, None, AuditAction::WorkspaceCreated, vec![change])
            .await?;
        work.commit().await?;
        Ok(workspace)
    }

    /// Every workspace, oldest first. An operator query.
    ///
    /// # Errors
    /// Only storage failures.
    pub async fn workspaces(&self) -> AppResult<Vec<Workspace>> {
        let mut unit = self.begin_unscoped_read().await?;
        Ok(unit.workspaces().list().await?)
    }

    /// Whether the workspace has an active admin (a fresh install has none).
    ///
    /// # Errors
    /// Only storage failures.
    pub async fn has_admin(&self, workspace: WorkspaceId) -> AppResult<bool> {
        let mut work = self.begin_read(workspace).await?;
        Ok(work.uow.staff().list(workspace).await?.iter().any(Staff::is_admin))
    }

    /// Creates an admin on an operator's behalf (installation, `portico admin create`). With
    /// a password the admin can log in at once; without one, the returned secret is for a
    /// set-password link to hand over (and an invitation mail is queued too).
    ///
    /// # Errors
    /// `Conflict(EmailTaken)` when the address is in use.
    pub async fn bootstrap_admin(
        &self,
        workspace: WorkspaceId,
        name: PersonName,
        email: EmailAddress,
        password: Option<NewPassword>,
    ) -> AppResult<(Staff, Option<SecretToken>)> {
        let hash = match &password {
            Some(password) => Some(self.services.hasher.hash(password).await?),
            None => None,
        };
        let mut work = self.begin(workspace).await?;
        let staff =
            self.insert_staff(&mut work, AuditActor::System, NewStaff { name, email, role: Role::Admin }).await?;
        let link = match hash {
            Some(hash) => {
                work.uow.credentials().set_password(workspace, UserRef::Staff(staff.id), &hash).await?;
                None
            }
            None => Some(self.invite_staff(&mut work, &staff).await?),
        };
        work.commit().await?;
        Ok((staff, link))
    }

    /// Adds a staff member and queues their invitation. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for non-admins; `Conflict(EmailTaken)` when the address is in use.
    pub async fn create_staff(&self, actor: &Actor, new: NewStaff) -> AppResult<Staff> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let staff = self.insert_staff(&mut work, by_staff(&admin), new).await?;
        self.invite_staff(&mut work, &staff).await?;
        work.commit().await?;
        Ok(staff)
    }

    /// Makes sure a fresh installation can be taken over: while no active admin has a
    /// password, makes sure an admin with `email` exists and returns a new one-time
    /// set-password link for it (older ones stop working). The link is for the operator's
    /// console, so no mail is queued. Returns `None` once an admin has set a password.
    ///
    /// # Errors
    /// `Conflict(EmailTaken)` when `email` belongs to a client.
    pub async fn first_admin_link(
        &self,
        workspace: WorkspaceId,
        name: PersonName,
        email: EmailAddress,
    ) -> AppResult<Option<SecretToken>> {
        let mut work = self.begin(workspace).await?;
        let staff = work.uow.staff().list(workspace).await?;
        for admin in staff.iter().filter(|s| s.is_admin()) {
            if work.uow.credentials().password(workspace, UserRef::Staff(admin.id)).await?.is_some() {
                return Ok(None);
            }
        }
        let admin = match staff.into_iter().find(|s| s.email == email && s.is_admin()) {
            Some(admin) => admin,
            None => {
                self.insert_staff(&mut work, AuditActor::System, NewStaff { name, email, role: Role::Admin }).await?
            }
        };
        let (secret, _) = self.issue_link(&mut work, UserRef::Staff(admin.id), TokenPurpose::Invitation).await?;
        work.commit().await?;
        Ok(Some(secret))
    }

    /// The admin an operator command acts as: the active admin with `email`, or without one
    /// the longest-standing active admin. The audit trail names them.
    ///
    /// # Errors
    /// `NotFound` when there is no such active admin.
    pub async fn operator_admin(&self, workspace: WorkspaceId, email: Option<&EmailAddress>) -> AppResult<Actor> {
        let mut work = self.begin_read(workspace).await?;
        let mut admins: Vec<Staff> =
            work.uow.staff().list(workspace).await?.into_iter().filter(Staff::is_admin).collect();
        admins.sort_by_key(|admin| (admin.created_at, admin.id));
        let admin = match email {
            Some(email) => admins.into_iter().find(|admin| &admin.email == email),
            None => admins.into_iter().next(),
        };
        admin.map(|admin| Actor::staff(workspace, admin.id)).ok_or(AppError::NotFound)
    }

    /// Refuses anyone but an active admin: for edges that must check before work of their
    /// own (reading an uploaded file) that no use case call precedes.
    ///
    /// # Errors
    /// `Forbidden` for clients and members; `Unauthenticated` for inactive staff.
    pub async fn ensure_admin(&self, actor: &Actor) -> AppResult<()> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await.map(drop)
    }

    /// The team, by name. Any staff member.
    ///
    /// # Errors
    /// `Forbidden` for clients.
    pub async fn list_staff(&self, actor: &Actor) -> AppResult<Vec<Staff>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.staff(actor).await?;
        Ok(work.uow.staff().list(actor.workspace).await?)
    }

    async fn insert_staff(&self, work: &mut Work, by: AuditActor, new: NewStaff) -> AppResult<Staff> {
        let staff = Staff {
            id: work.new_id(StaffId::from_uuid),
            workspace_id: work.workspace(),
            name: new.name,
            email: new.email,
            role: new.role,
            active: true,
            created_at: work.now,
        };
        work.uow.staff().insert(&staff).await?;
        let changes = vec![
            FieldChange::plain("name", None, Some(&staff.name)),
            FieldChange::plain("email", None, Some(&staff.email)),
            FieldChange::plain("role", None, Some(&staff.role)),
        ];
        work.audit(by, AuditSubject::Staff(staff.id), None, AuditAction::StaffCreated, changes).await?;
        Ok(staff)
    }

    async fn invite_staff(&self, work: &mut Work, staff: &Staff) -> AppResult<SecretToken> {
        let user = UserRef::Staff(staff.id);
        self.send_link(work, user, TokenPurpose::Invitation, (&staff.email, &staff.name)).await
    }
}
