//! Client profiles: create, edit, change permissions, deactivate, reactivate, delete, invite.

use portico_domain::assignment::Assignment;
use portico_domain::audit::{AuditAction, AuditActor, AuditSubject, FieldChange};
use portico_domain::client::{Client, ClientEdit, ClientProfile};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::mail::MailContent;
use portico_domain::permissions::PermissionSet;
use portico_domain::project::Project;
use portico_domain::rules::RuleViolation;
use portico_domain::staff::{Staff, UserRef};
use portico_domain::status::ClientStatus;
use portico_domain::token::TokenPurpose;
use portico_ports::repos::ClientQuery;
use portico_ports::{Page, PageRequest};
use time::OffsetDateTime;

use crate::Portico;
use crate::actor::Actor;
use crate::error::AppResult;
use crate::support::{Work, by_staff};

/// A validated new client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    /// Contact details.
    pub profile: ClientProfile,
    /// What the client may see and do.
    pub permissions: PermissionSet,
    /// Whether to send the invitation now.
    pub invite: bool,
}

/// Something about a saved client worth a second look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientWarning {
    /// The email domain looks like a typo of a common one.
    EmailTypo {
        /// The address probably meant.
        suggestion: EmailAddress,
    },
    /// The company is spelled differently from other contacts of the same company.
    CompanyVariant {
        /// The spelling the other contacts use.
        in_use: String,
    },
    /// The client may see and do nothing in the portal.
    NoPermissions,
}

/// The warning for people, the same on every page and in the API.
impl std::fmt::Display for ClientWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmailTypo { suggestion } => write!(f, "Did you mean {suggestion}?"),
            Self::CompanyVariant { in_use } => write!(f, "Other contacts of this company spell it “{in_use}”."),
            Self::NoPermissions => f.write_str("This client has no permissions: their portal shows nothing."),
        }
    }
}

/// A client just created, with warnings about its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedClient {
    /// The client.
    pub client: Client,
    /// Likely typos and spelling variants (the client is saved regardless).
    pub warnings: Vec<ClientWarning>,
}

/// A client with its projects, for the admin client page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDetail {
    /// The client.
    pub client: Client,
    /// Every assignment, current and ended, oldest first, with its project.
    pub assignments: Vec<(Assignment, Project)>,
    /// What is worth a second look about the saved data (none for a deleted client).
    pub warnings: Vec<ClientWarning>,
}

impl Portico {
    /// Creates a client and, unless told not to, its invitation: the client, the one-time link
    /// and the invitation mail are written in one unit of work. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for non-admins; `Conflict(EmailTaken)` when the address is in use.
    pub async fn create_client(&self, actor: &Actor, new: NewClient) -> AppResult<CreatedClient> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let warnings = work.client_warnings(&new.profile, new.permissions).await?;
        let client = self.insert_client(&mut work, &admin, new).await?;
        work.commit().await?;
        Ok(CreatedClient { client, warnings })
    }

    /// Changes any fields of a client. An email change must stay unique, ends the client's
    /// sessions and open links, and notifies both addresses (an invited client gets a fresh
    /// invitation at the new address). Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(ClientDeleted)`, `Conflict(EmailTaken)`.
    pub async fn edit_client(&self, actor: &Actor, id: ClientId, edit: ClientEdit) -> AppResult<Client> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut client = work.client(id).await?;
        if self.apply_client_edit(&mut work, &admin, &mut client, edit).await? {
            work.commit().await?;
        }
        Ok(client)
    }

    /// What is worth a second look about what `edit` would change — the warnings about the
    /// edited client, kept to those about a field the edit changes (a new address that looks
    /// like a typo, a company spelled apart from its contacts, permissions taken to none).
    /// Admins only; writes nothing.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(ClientDeleted)`.
    pub async fn check_client_edit(
        &self,
        actor: &Actor,
        id: ClientId,
        edit: &ClientEdit,
    ) -> AppResult<Vec<ClientWarning>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let before = work.client(id).await?;
        let mut after = before.clone();
        after.apply_edit(edit.clone(), work.now)?;
        let email_changed = before.email() != after.email();
        let company_changed = before.profile().company != after.profile().company;
        let permissions_changed = before.permissions() != after.permissions();
        let warnings = work.client_warnings(after.profile(), after.permissions()).await?;
        Ok(warnings
            .into_iter()
            .filter(|warning| match warning {
                ClientWarning::EmailTypo { .. } => email_changed,
                ClientWarning::CompanyVariant { .. } => company_changed,
                ClientWarning::NoPermissions => permissions_changed,
            })
            .collect())
    }

    /// Replaces a client's permissions; they apply from the client's next request. Admins only.
    ///
    /// # Errors
    /// As [`edit_client`](Self::edit_client).
    pub async fn set_client_permissions(
        &self,
        actor: &Actor,
        id: ClientId,
        permissions: PermissionSet,
    ) -> AppResult<Client> {
        self.edit_client(actor, id, ClientEdit { permissions: Some(permissions), ..ClientEdit::default() }).await
    }

    /// Stops a client from logging in: sessions and links end at once; assignments and data
    /// stay. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(IllegalTransition)` unless invited or active.
    pub async fn deactivate_client(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        self.move_client(actor, id, AuditAction::ClientDeactivated, Client::deactivate).await
    }

    /// Restores a deactivated client's previous status, and with it exactly its previous
    /// access (its assignments were kept). Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(IllegalTransition)` unless deactivated.
    pub async fn reactivate_client(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        self.move_client(actor, id, AuditAction::ClientReactivated, Client::reactivate).await
    }

    /// Moves a client to another status with `transition`; a client that can no longer log in
    /// loses its sessions and links at once.
    async fn move_client(
        &self,
        actor: &Actor,
        id: ClientId,
        action: AuditAction,
        transition: fn(&mut Client, OffsetDateTime) -> Result<FieldChange, RuleViolation>,
    ) -> AppResult<Client> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut client = work.client(id).await?;
        let change = transition(&mut client, work.now)?;
        work.uow.clients().update(&client).await?;
        if client.status() == ClientStatus::Deactivated {
            work.revoke_access(UserRef::Client(id)).await?;
        }
        work.audit(by_staff(&admin), AuditSubject::Client(id), None, action, vec![change]).await?;
        work.commit().await?;
        Ok(client)
    }

    /// Deletes a client without orphaning anything: personal data is erased (in the record,
    /// the audit trail and the outbox), sessions, links and the password end, assignments are
    /// ended; contributions stay, attributed to the tombstone, and sent invoices keep their
    /// billing snapshot. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(IllegalTransition)` when already deleted.
    pub async fn delete_client(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut client = work.client(id).await?;
        let change = client.delete(work.now)?;
        work.uow.clients().update(&client).await?;
        let user = UserRef::Client(id);
        work.revoke_access(user).await?;
        work.uow.credentials().clear_password(actor.workspace, user).await?;
        for mut assignment in work.uow.assignments().current_for_client(actor.workspace, id).await? {
            assignment.tenure.end(work.now, Some(admin.id))?;
            work.uow.assignments().update(&assignment).await?;
            let project = AuditSubject::Project(assignment.project_id);
            work.audit(
                by_staff(&admin),
                AuditSubject::Client(id),
                Some(project),
                AuditAction::ClientUnassigned,
                vec![],
            )
            .await?;
        }
        for mut event in work.uow.audit().for_subject(actor.workspace, AuditSubject::Client(id)).await? {
            if event.erase_personal_data() {
                work.uow.audit().rewrite_changes(&event).await?;
            }
        }
        for mut message in work.uow.outbox().about(actor.workspace, user).await? {
            message.erase_recipient(client.email(), client.name());
            work.uow.outbox().update(&message).await?;
        }
        work.audit(by_staff(&admin), AuditSubject::Client(id), None, AuditAction::ClientDeleted, vec![change]).await?;
        work.commit().await?;
        Ok(client)
    }

    /// Issues a fresh invitation link (older links of this client stop working) and queues
    /// the mail. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(NotInvited)` unless the client is invited.
    pub async fn resend_invitation(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut client = work.client(id).await?;
        self.invite(&mut work, by_staff(&admin), &mut client).await?;
        work.commit().await?;
        Ok(client)
    }

    /// Sends an active client a password-reset link, as "forgot password" would, for a client
    /// who asks the agency instead (older reset links of the client stop working). The link
    /// is never shown to staff: whoever holds it can become the client. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(NotActive)` unless the client is active.
    pub async fn send_password_reset(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let client = work.client(id).await?;
        client.ensure_can_reset_password()?;
        self.send_link(&mut work, UserRef::Client(id), TokenPurpose::PasswordReset, (client.email(), client.name()))
            .await?;
        work.audit(by_staff(&admin), AuditSubject::Client(id), None, AuditAction::PasswordResetSent, vec![]).await?;
        work.commit().await?;
        Ok(client)
    }

    /// A client with its assignment history. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`.
    pub async fn client_detail(&self, actor: &Actor, id: ClientId) -> AppResult<ClientDetail> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let client = work.client(id).await?;
        let history = work.uow.assignments().history_for_client(actor.workspace, id).await?;
        let project_ids: Vec<ProjectId> = history.iter().map(|a| a.project_id).collect();
        let projects = work.uow.projects().get_many(actor.workspace, &project_ids).await?;
        let assignments = history
            .into_iter()
            .filter_map(|a| {
                let project = projects.iter().find(|p| p.id == a.project_id)?.clone();
                Some((a, project))
            })
            .collect();
        let warnings = if client.is_deleted() {
            Vec::new()
        } else {
            work.client_warnings(client.profile(), client.permissions()).await?
        };
        Ok(ClientDetail { client, assignments, warnings })
    }

    /// One page of clients matching `query`, by name. Admins only.
    ///
    /// # Errors
    /// `Forbidden`; `Invalid` for a bad cursor.
    pub async fn list_clients(
        &self,
        actor: &Actor,
        query: &ClientQuery,
        page: &PageRequest,
    ) -> AppResult<Page<Client>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.clients().search(actor.workspace, query, page).await?)
    }

    /// How many clients [`list_clients`](Self::list_clients) finds over all its pages.
    /// Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn count_clients(&self, actor: &Actor, query: &ClientQuery) -> AppResult<u64> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.clients().count(actor.workspace, query).await?)
    }

    /// The clients with these ids that exist, deleted ones included, in no particular
    /// order: how a page names the clients its records refer to, however many clients the
    /// workspace has. Admins only.
    ///
    /// # Errors
    /// `Forbidden`.
    pub async fn clients_by_id(&self, actor: &Actor, ids: &[ClientId]) -> AppResult<Vec<Client>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.clients().get_many(actor.workspace, ids).await?)
    }

    /// What is worth a second look about a client before it is created — the same warnings
    /// [`create_client`](Self::create_client) answers, so a page can ask first. Admins only;
    /// writes nothing.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn check_new_client(&self, actor: &Actor, new: &NewClient) -> AppResult<Vec<ClientWarning>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.client_warnings(&new.profile, new.permissions).await
    }

    /// Inserts a new client with its audit event and, when asked, its invitation.
    pub(crate) async fn insert_client(&self, work: &mut Work, admin: &Staff, new: NewClient) -> AppResult<Client> {
        let id = work.new_id(ClientId::from_uuid);
        let mut client = Client::new(id, work.workspace(), new.profile, new.permissions, work.now);
        work.uow.clients().insert(&client).await?;
        let profile = client.profile();
        let changes = vec![
            FieldChange::personal("name", None, Some(&profile.name)),
            FieldChange::personal("email", None, Some(&profile.email)),
            FieldChange::personal("company", None, profile.company.as_ref().map(|c| c as _)),
            FieldChange::personal("phone", None, profile.phone.as_ref().map(|p| p as _)),
            FieldChange::personal("billing_address", None, profile.billing_address.as_ref().map(|a| a as _)),
            FieldChange::personal("notes", None, profile.notes.as_ref().map(|n| n as _)),
            FieldChange::plain("permissions", None, Some(&client.permissions())),
        ];
        let changes = changes.into_iter().filter(|c| c.after.is_some()).collect();
        work.audit(by_staff(admin), AuditSubject::Client(id), None, AuditAction::ClientCreated, changes).await?;
        if new.invite {
            self.invite(work, by_staff(admin), &mut client).await?;
        }
        Ok(client)
    }

    /// Applies an edit with its audit event; an email change ends the client's sessions and
    /// links and sends the notices. Returns whether anything changed.
    pub(crate) async fn apply_client_edit(
        &self,
        work: &mut Work,
        admin: &Staff,
        client: &mut Client,
        edit: ClientEdit,
    ) -> AppResult<bool> {
        let email_changes = client.email_changes(&edit);
        let old_email = client.email().clone();
        let changes = client.apply_edit(edit, work.now)?;
        if changes.is_empty() {
            return Ok(false);
        }
        let id = client.id();
        work.uow.clients().update(client).await?;
        work.audit(by_staff(admin), AuditSubject::Client(id), None, AuditAction::ClientEdited, changes).await?;
        if email_changes {
            let user = UserRef::Client(id);
            work.revoke_access(user).await?;
            let notice = MailContent::EmailChanged { old: old_email.clone(), new: client.email().clone() };
            work.queue_mail(user, (&old_email, client.name()), notice.clone()).await?;
            if client.status() == ClientStatus::Invited {
                self.invite(work, by_staff(admin), client).await?;
            } else {
                work.queue_mail(user, (client.email(), client.name()), notice).await?;
            }
        }
        Ok(true)
    }

    /// Issues an invitation to `client`: revokes its older invitation links, stores the new
    /// link's hash, records the time on the client and queues the mail.
    pub(crate) async fn invite(&self, work: &mut Work, by: AuditActor, client: &mut Client) -> AppResult<()> {
        client.mark_invited(work.now)?;
        let user = UserRef::Client(client.id());
        self.send_link(work, user, TokenPurpose::Invitation, (client.email(), client.name())).await?;
        work.uow.clients().update(client).await?;
        work.audit(by, AuditSubject::Client(client.id()), None, AuditAction::InvitationIssued, vec![]).await?;
        Ok(())
    }
}
