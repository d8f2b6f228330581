//! The client portal: what a client sees and does. Every read goes through the visibility
//! rule (via the domain's portal projections); anything outside the client's share is
//! `NotFound`, whether it exists or not.

use std::collections::HashMap;

use portico_domain::client::Client;
use portico_domain::content::{ProjectFile, Visibility};
use portico_domain::ids::{ClientId, FileId, InvoiceId, ProjectId, TaskId};
use portico_domain::invoice::Ledger;
use portico_domain::portal::{
    self, ClientAbilities, PortalInvoice, PortalProject, PortalProjectSummary, ProjectContent,
};
use portico_domain::project::Project;
use portico_domain::rules::RuleViolation;
use portico_domain::staff::UserRef;
use portico_domain::text::MessageBody;
use portico_domain::visibility::{Subject, Viewer};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::use_cases::{NewMessage, NewUpload};

/// An admin's read-only view of the portal as one client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPreview {
    /// The client previewed.
    pub client: Client,
    /// The client as an actor, for the portal *queries* (`portal_projects`, `portal_project`,
    /// `portal_invoices`); every command refuses it, so a preview never acts.
    pub actor: Actor,
}

impl Portico {
    /// Opens a preview of the portal as `client` sees it. Admins only. The portal queries then
    /// answer exactly what the client gets — for an invited client, what it will get once it
    /// accepts; nothing at all for a deactivated or deleted one.
    ///
    /// # Errors
    /// `NotFound` for an unknown client; `Forbidden` for anyone but an admin.
    pub async fn preview_as_client(&self, actor: &Actor, client: ClientId) -> AppResult<ClientPreview> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        let client = work.client(client).await?;
        Ok(ClientPreview { actor: Actor::preview_of(actor.workspace, client.id()), client })
    }

    /// The client's projects.
    ///
    /// # Errors
    /// `Unauthenticated` unless the actor is an active client.
    pub async fn portal_projects(&self, actor: &Actor) -> AppResult<Vec<PortalProjectSummary>> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let ids: Vec<ProjectId> = assignments.iter().map(|a| a.project_id).collect();
        let projects = work.uow.projects().get_many(actor.workspace, &ids).await?;
        Ok(portal::projects(&Viewer::new(&client, &assignments), &projects))
    }

    /// One project with everything the client sees in it.
    ///
    /// # Errors
    /// `NotFound` unless the client sees the project.
    pub async fn portal_project(&self, actor: &Actor, id: ProjectId) -> AppResult<PortalProject> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let viewer = Viewer::new(&client, &assignments);
        let project = work.visible_project(&viewer, id).await?;
        let ws = actor.workspace;
        let approvals = work.uow.approvals().list_for_project(ws, id).await?;
        // Most projects ask for no approval: then there is no answer to look up.
        let answers =
            if approvals.is_empty() { Vec::new() } else { work.uow.approvals().answers_for_project(ws, id).await? };
        let content = ProjectContent {
            tasks: work.uow.tasks().list_for_project(ws, id).await?,
            files: work.uow.files().list_for_project(ws, id).await?,
            messages: work.uow.messages().list_for_project(ws, id).await?,
            approvals,
            answers,
        };
        let names = work.author_names(&content).await?;
        portal::project(&viewer, &project, &content, &names).ok_or(AppError::NotFound)
    }

    /// The invoices the client sees, newest first.
    ///
    /// # Errors
    /// `Unauthenticated` unless the actor is an active client.
    pub async fn portal_invoices(&self, actor: &Actor) -> AppResult<Vec<PortalInvoice>> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let assigned: Vec<ProjectId> = assignments.iter().map(|a| a.project_id).collect();
        let invoices = work.uow.invoices().for_client_or_projects(actor.workspace, client.id(), &assigned).await?;
        let billed: Vec<ProjectId> = invoices.iter().filter_map(portico_domain::invoice::Invoice::project_id).collect();
        let projects = work.uow.projects().get_many(actor.workspace, &billed).await?;
        let names: HashMap<ProjectId, &Project> = projects.iter().map(|p| (p.id, p)).collect();
        let viewer = Viewer::new(&client, &assignments);
        Ok(portal::invoices(&viewer, &invoices, |id| names.get(&id).map(|p| &p.details.name)))
    }

    /// One invoice the client sees, by the same rule as [`portal_invoices`](Self::portal_invoices).
    ///
    /// # Errors
    /// `NotFound` unless the client sees it (another client's, a draft, or without
    /// `invoices`); `Unauthenticated` for a client who may not act.
    pub async fn portal_invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<PortalInvoice> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let invoice = work.uow.invoices().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        let projects = work
            .uow
            .projects()
            .get_many(actor.workspace, &invoice.project_id().into_iter().collect::<Vec<_>>())
            .await?;
        let viewer = Viewer::new(&client, &assignments);
        let name = |id: ProjectId| projects.iter().find(|p| p.id == id).map(|p| &p.details.name);
        portal::invoices(&viewer, [&invoice], name).pop().ok_or(AppError::NotFound)
    }

    /// The client's statement of account (`portal::statement`).
    ///
    /// # Errors
    /// `NotFound` without the `payments` permission; `Unauthenticated` for a client who may
    /// not act.
    pub async fn portal_statement(&self, actor: &Actor) -> AppResult<Vec<Ledger>> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let invoices = work.uow.invoices().for_client_or_projects(actor.workspace, client.id(), &[]).await?;
        let viewer = Viewer::new(&client, &assignments);
        portal::statement(&viewer, &invoices).ok_or(AppError::NotFound)
    }

    /// What the client may do in a project (for showing or hiding forms).
    ///
    /// # Errors
    /// `NotFound` unless the client sees the project.
    pub async fn portal_abilities(&self, actor: &Actor, id: ProjectId) -> AppResult<ClientAbilities> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.reader(actor).await?;
        let viewer = Viewer::new(&client, &assignments);
        let project = work.visible_project(&viewer, id).await?;
        Ok(ClientAbilities::on(&viewer, &project))
    }

    /// The client posts to a project's discussion (always client-visible).
    ///
    /// # Errors
    /// `NotFound` unless the client sees the project; `Rule(ProjectArchived)`; `Forbidden`
    /// without `messages` there.
    pub async fn portal_post_message(
        &self,
        actor: &Actor,
        project: ProjectId,
        body: MessageBody,
    ) -> AppResult<portico_domain::content::Message> {
        let mut work = self.begin(actor.workspace).await?;
        let (client, assignments) = work.viewer(actor).await?;
        let viewer = Viewer::new(&client, &assignments);
        let project = work.visible_project(&viewer, project).await?;
        let abilities = ClientAbilities::on(&viewer, &project);
        ensure_ability(&project, abilities.post_messages)?;
        let new = NewMessage { body, visibility: Visibility::Client };
        let message = work.insert_message(&project, None, UserRef::Client(client.id()), new).await?;
        work.commit().await?;
        Ok(message)
    }

    /// The client comments on a task it sees.
    ///
    /// # Errors
    /// `NotFound` unless the client sees the task; `Rule(ProjectArchived)`; `Forbidden`
    /// without `messages` there.
    pub async fn portal_comment(
        &self,
        actor: &Actor,
        task: TaskId,
        body: MessageBody,
    ) -> AppResult<portico_domain::content::Message> {
        let mut work = self.begin(actor.workspace).await?;
        let (client, assignments) = work.viewer(actor).await?;
        let viewer = Viewer::new(&client, &assignments);
        let task = work.uow.tasks().get(actor.workspace, task).await?.ok_or(AppError::NotFound)?;
        if !viewer.decide(&Subject::task(&task)).is_visible() {
            return Err(AppError::NotFound);
        }
        let project = work.visible_project(&viewer, task.project_id).await?;
        ensure_ability(&project, ClientAbilities::on(&viewer, &project).comment_on_tasks)?;
        let new = NewMessage { body, visibility: Visibility::Client };
        let message = work.insert_message(&project, Some(task.id), UserRef::Client(client.id()), new).await?;
        work.commit().await?;
        Ok(message)
    }

    /// The client uploads a file to a project (always client-visible).
    ///
    /// # Errors
    /// `NotFound` unless the client sees the project; `Rule(ProjectArchived)`; `Forbidden`
    /// without `files` there; `Service` when the bytes cannot be stored.
    pub async fn portal_upload_file(
        &self,
        actor: &Actor,
        project: ProjectId,
        upload: NewUpload,
    ) -> AppResult<ProjectFile> {
        let mut work = self.begin(actor.workspace).await?;
        let (client, assignments) = work.viewer(actor).await?;
        let viewer = Viewer::new(&client, &assignments);
        let project = work.visible_project(&viewer, project).await?;
        ensure_ability(&project, ClientAbilities::on(&viewer, &project).upload_files)?;
        self.store_upload(work, &project, UserRef::Client(client.id()), upload).await
    }

    /// A file the client sees, with its bytes.
    ///
    /// # Errors
    /// `NotFound` unless the client sees the file.
    pub async fn portal_download_file(&self, actor: &Actor, id: FileId) -> AppResult<(ProjectFile, Vec<u8>)> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (client, assignments) = work.viewer(actor).await?;
        let file = work.uow.files().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        if !Viewer::new(&client, &assignments).decide(&Subject::file(&file)).is_visible() {
            return Err(AppError::NotFound);
        }
        drop(work);
        let bytes = self.services.files.get(&file.storage_key).await?;
        Ok((file, bytes))
    }
}

/// Refuses a client action: read-only in an archived project, forbidden without the permission.
fn ensure_ability(project: &Project, allowed: bool) -> AppResult<()> {
    if project.is_archived() {
        Err(RuleViolation::ProjectArchived.into())
    } else if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
