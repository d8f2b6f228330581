//! Projects, their clients (with optional narrowing) and their team.

use portico_domain::activity::{Category, Delivery};
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest};
use portico_domain::assignment::{Assignment, Membership, Tenure};
use portico_domain::audit::{AuditAction, AuditSubject, FieldChange};
use portico_domain::client::Client;
use portico_domain::content::{Message, ProjectFile, Task, TaskState};
use portico_domain::ids::{AssignmentId, ClientId, ProjectId, StaffId};
use portico_domain::mail::MailContent;
use portico_domain::permissions::PermissionSet;
use portico_domain::project::{Project, ProjectDetails, ProjectEdit, ProjectStatus};
use portico_domain::rules::RuleViolation;
use portico_domain::staff::{Role, Staff, UserRef};
use portico_domain::visibility::{Subject, Viewer};
use portico_ports::repos::ProjectQuery;
use portico_ports::{Page, PageRequest};
use time::OffsetDateTime;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::{Work, by_staff};

/// A validated new project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    /// Name, description, deadline.
    pub details: ProjectDetails,
    /// Clients to assign at once (admins only).
    pub clients: Vec<ClientId>,
    /// Staff to put on the team at once (the creator joins anyway).
    pub team: Vec<StaffId>,
}

/// A project as staff see it: everything in it, internal items included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDetail {
    /// The project.
    pub project: Project,
    /// Its current clients with their assignments.
    pub clients: Vec<(Assignment, Client)>,
    /// Its current team.
    pub team: Vec<(Membership, Staff)>,
    /// All tasks.
    pub tasks: Vec<Task>,
    /// All files.
    pub files: Vec<ProjectFile>,
    /// All posts and comments.
    pub messages: Vec<Message>,
    /// All approval requests.
    pub approvals: Vec<ApprovalRequest>,
    /// All answers.
    pub answers: Vec<ApprovalAnswer>,
}

impl ProjectDetail {
    /// The project's clients whose "preview as client" shows it: those the visibility rule
    /// lets see it, an invited client as it will once it accepts (`Client::as_previewed`).
    pub fn previewable(&self) -> Vec<ClientId> {
        let project = Subject::project(&self.project);
        self.clients
            .iter()
            .filter(|(assignment, client)| {
                Viewer::new(&client.as_previewed(), [assignment]).decide(&project).is_visible()
            })
            .map(|(_, client)| client.id())
            .collect()
    }
}

/// What a list shows of a project beside its name: who is on it and how far its tasks are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSummary {
    /// The project.
    pub project: ProjectId,
    /// Its current clients, by name.
    pub clients: Vec<Client>,
    /// Its tasks in all.
    pub tasks: usize,
    /// Those not done yet.
    pub open_tasks: usize,
}

impl Portico {
    /// The summaries of `projects` (one page of a list), in the same order; projects the
    /// person may not list are left out. Any staff member.
    ///
    /// # Errors
    /// `Forbidden` for clients.
    pub async fn project_summaries(&self, actor: &Actor, projects: &[ProjectId]) -> AppResult<Vec<ProjectSummary>> {
        let mut work = self.begin_read(actor.workspace).await?;
        let staff = work.staff(actor).await?;
        let ws = actor.workspace;
        let mut summaries = Vec::with_capacity(projects.len());
        for &project in projects {
            let team = work.uow.memberships().current_for_project(ws, project).await?;
            if staff.role == Role::Member && !team.iter().any(|m| m.staff_id == staff.id) {
                continue;
            }
            let on_it: Vec<ClientId> =
                work.uow.assignments().current_for_project(ws, project).await?.iter().map(|a| a.client_id).collect();
            let mut clients = work.uow.clients().get_many(ws, &on_it).await?;
            clients.sort_by_key(|c| (c.name().sort_key(), c.id()));
            let tasks = work.uow.tasks().list_for_project(ws, project).await?;
            let open_tasks = tasks.iter().filter(|t| t.state != TaskState::Done).count();
            summaries.push(ProjectSummary { project, clients, tasks: tasks.len(), open_tasks });
        }
        Ok(summaries)
    }

    /// Creates a project; its creator joins the team. Clients may be assigned at once by
    /// admins only. Any staff member.
    ///
    /// # Errors
    /// `Forbidden` for clients, or for members assigning clients; `NotFound` for an unknown
    /// client or staff member; `Rule(ClientDeleted)`.
    pub async fn create_project(&self, actor: &Actor, new: NewProject) -> AppResult<Project> {
        let mut work = self.begin(actor.workspace).await?;
        let staff = work.staff(actor).await?;
        if !new.clients.is_empty() && staff.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let project = Project::new(work.new_id(ProjectId::from_uuid), actor.workspace, new.details, work.now);
        work.uow.projects().insert(&project).await?;
        let change = FieldChange::plain("name", None, Some(&project.details.name));
        work.audit(
            by_staff(&staff),
            AuditSubject::Project(project.id),
            None,
            AuditAction::ProjectCreated,
            vec![change],
        )
        .await?;
        let mut team = new.team;
        if !team.contains(&staff.id) {
            team.insert(0, staff.id);
        }
        for member in team {
            work.join_team(&staff, &project, member).await?;
        }
        for client in new.clients {
            self.assign(&mut work, &staff, &project, client, None).await?;
        }
        work.commit().await?;
        Ok(project)
    }

    /// Changes a project's name, description or deadline. Staff on the project.
    ///
    /// # Errors
    /// `NotFound` (also for members not on it), `Rule(ProjectArchived)`.
    pub async fn edit_project(&self, actor: &Actor, id: ProjectId, edit: ProjectEdit) -> AppResult<Project> {
        let mut work = self.begin(actor.workspace).await?;
        let (staff, mut project) = work.staff_project(actor, id).await?;
        let changes = project.apply_edit(edit, work.now)?;
        if !changes.is_empty() {
            work.uow.projects().update(&project).await?;
            work.audit(by_staff(&staff), AuditSubject::Project(id), None, AuditAction::ProjectEdited, changes).await?;
            work.commit().await?;
        }
        Ok(project)
    }

    /// Archives (`Archived`) or unarchives (`Active`) a project. Archived projects stay
    /// visible to their clients, read-only. Staff on the project.
    ///
    /// # Errors
    /// `NotFound`, `Rule(ProjectAlready)`.
    pub async fn set_project_status(&self, actor: &Actor, id: ProjectId, status: ProjectStatus) -> AppResult<Project> {
        let mut work = self.begin(actor.workspace).await?;
        let (staff, mut project) = work.staff_project(actor, id).await?;
        let change = project.set_status(status, work.now)?;
        work.uow.projects().update(&project).await?;
        let action = match status {
            ProjectStatus::Archived => AuditAction::ProjectArchived,
            ProjectStatus::Active => AuditAction::ProjectUnarchived,
        };
        work.audit(by_staff(&staff), AuditSubject::Project(id), None, action, vec![change]).await?;
        work.commit().await?;
        Ok(project)
    }

    /// One page of projects by name: all of them for admins, their own for members.
    ///
    /// # Errors
    /// `Forbidden` for clients; `Invalid` for a bad cursor.
    pub async fn list_projects(
        &self,
        actor: &Actor,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> AppResult<Page<Project>> {
        let mut work = self.begin_read(actor.workspace).await?;
        let query = Self::projects_of(&work.staff(actor).await?, query);
        Ok(work.uow.projects().search(actor.workspace, &query, page).await?)
    }

    /// How many projects [`list_projects`](Self::list_projects) finds over all its pages.
    ///
    /// # Errors
    /// `Forbidden` for clients.
    pub async fn count_projects(&self, actor: &Actor, query: &ProjectQuery) -> AppResult<u64> {
        let mut work = self.begin_read(actor.workspace).await?;
        let query = Self::projects_of(&work.staff(actor).await?, query);
        Ok(work.uow.projects().count(actor.workspace, &query).await?)
    }

    /// `query` as `staff` may list it: members only see the projects they are on.
    fn projects_of(staff: &Staff, query: &ProjectQuery) -> ProjectQuery {
        let mut query = query.clone();
        if staff.role == Role::Member {
            query.team_member = Some(staff.id);
        }
        query
    }

    /// A project with everything in it, for staff on it.
    ///
    /// # Errors
    /// `NotFound` (also for members not on it).
    pub async fn project_detail(&self, actor: &Actor, id: ProjectId) -> AppResult<ProjectDetail> {
        let mut work = self.begin_read(actor.workspace).await?;
        let (_, project) = work.staff_project(actor, id).await?;
        let ws = actor.workspace;
        let assignments = work.uow.assignments().current_for_project(ws, id).await?;
        let client_ids: Vec<ClientId> = assignments.iter().map(|a| a.client_id).collect();
        let clients = work.uow.clients().get_many(ws, &client_ids).await?;
        let memberships = work.uow.memberships().current_for_project(ws, id).await?;
        let staff = work.uow.staff().list(ws).await?;
        Ok(ProjectDetail {
            clients: pair(assignments, &clients, |a, c| a.client_id == c.id()),
            team: pair(memberships, &staff, |m, s| m.staff_id == s.id),
            tasks: work.uow.tasks().list_for_project(ws, id).await?,
            files: work.uow.files().list_for_project(ws, id).await?,
            messages: work.uow.messages().list_for_project(ws, id).await?,
            approvals: work.uow.approvals().list_for_project(ws, id).await?,
            answers: work.uow.approvals().answers_for_project(ws, id).await?,
            project,
        })
    }

    /// Puts a client on a project, optionally narrowing its permissions there. The client
    /// is emailed when the workspace setting says so, it is active and has not turned its
    /// `projects` notices off. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(ClientDeleted)`, `Conflict(AlreadyAssigned)`.
    pub async fn assign_client(
        &self,
        actor: &Actor,
        project: ProjectId,
        client: ClientId,
        scope: Option<PermissionSet>,
    ) -> AppResult<Assignment> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let project = work.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
        let assignment = self.assign(&mut work, &admin, &project, client, scope).await?;
        work.commit().await?;
        Ok(assignment)
    }

    /// Replaces the narrowing of a client's assignment (`None`: no narrowing). Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(NotAssigned)`.
    pub async fn set_assignment_scope(
        &self,
        actor: &Actor,
        project: ProjectId,
        client: ClientId,
        scope: Option<PermissionSet>,
    ) -> AppResult<Assignment> {
        let action = AuditAction::AssignmentScopeChanged;
        self.change_assignment(actor, project, client, action, |assignment, _, _| {
            let display =
                |scope: Option<PermissionSet>| scope.map_or_else(|| "(no narrowing)".to_owned(), |s| s.to_string());
            let change = FieldChange::plain("scope", Some(&display(assignment.scope)), Some(&display(scope)));
            assignment.scope = scope;
            Ok(vec![change])
        })
        .await
    }

    /// Takes a client off a project: the project disappears from its portal at once; what it
    /// posted stays. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(NotAssigned)`.
    pub async fn remove_client(&self, actor: &Actor, project: ProjectId, client: ClientId) -> AppResult<Assignment> {
        self.change_assignment(actor, project, client, AuditAction::ClientUnassigned, |assignment, admin, now| {
            assignment.tenure.end(now, Some(admin.id))?;
            Ok(vec![])
        })
        .await
    }

    /// Applies `change` to the current assignment of `client` to `project` and records it as
    /// `action`. Admins only.
    async fn change_assignment(
        &self,
        actor: &Actor,
        project: ProjectId,
        client: ClientId,
        action: AuditAction,
        change: impl FnOnce(&mut Assignment, &Staff, OffsetDateTime) -> Result<Vec<FieldChange>, RuleViolation>,
    ) -> AppResult<Assignment> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        // Unknown records are NotFound, so "not assigned" is only said of two that exist.
        work.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
        work.client(client).await?;
        let mut assignment = work.current_assignment(project, client).await?;
        let changes = change(&mut assignment, &admin, work.now)?;
        work.uow.assignments().update(&assignment).await?;
        let related = Some(AuditSubject::Project(project));
        work.audit(by_staff(&admin), AuditSubject::Client(client), related, action, changes).await?;
        work.commit().await?;
        Ok(assignment)
    }

    /// Puts a staff member on a project's team. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict(AlreadyAssigned)`.
    pub async fn add_team_member(&self, actor: &Actor, project: ProjectId, staff: StaffId) -> AppResult<Membership> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let project = work.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
        let membership = work.join_team(&admin, &project, staff).await?;
        work.commit().await?;
        Ok(membership)
    }

    /// Takes a staff member off a project's team. Admins only.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Rule(NotAssigned)`.
    pub async fn remove_team_member(&self, actor: &Actor, project: ProjectId, staff: StaffId) -> AppResult<Membership> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        work.uow.projects().get(actor.workspace, project).await?.ok_or(AppError::NotFound)?;
        work.uow.staff().get(actor.workspace, staff).await?.ok_or(AppError::NotFound)?;
        let mut membership =
            work.uow.memberships().current(actor.workspace, project, staff).await?.ok_or(RuleViolation::NotAssigned)?;
        membership.tenure.end(work.now, Some(admin.id))?;
        work.uow.memberships().update(&membership).await?;
        let related = Some(AuditSubject::Project(project));
        work.audit(by_staff(&admin), AuditSubject::Staff(staff), related, AuditAction::TeamMemberRemoved, vec![])
            .await?;
        work.commit().await?;
        Ok(membership)
    }

    async fn assign(
        &self,
        work: &mut Work,
        by: &Staff,
        project: &Project,
        client: ClientId,
        scope: Option<PermissionSet>,
    ) -> AppResult<Assignment> {
        let ws = work.workspace();
        let client = work.client(client).await?;
        if client.is_deleted() {
            return Err(RuleViolation::ClientDeleted.into());
        }
        let assignment = Assignment {
            id: work.new_id(AssignmentId::from_uuid),
            workspace_id: work.workspace(),
            project_id: project.id,
            client_id: client.id(),
            scope,
            tenure: Tenure::starting(work.now, Some(by.id)),
        };
        work.uow.assignments().insert(&assignment).await?;
        let changes = scope.map(|s| vec![FieldChange::plain("scope", None, Some(&s))]).unwrap_or_default();
        let related = Some(AuditSubject::Project(project.id));
        work.audit(by_staff(by), AuditSubject::Client(client.id()), related, AuditAction::ClientAssigned, changes)
            .await?;
        let workspace = work.uow.workspaces().get(ws).await?.ok_or(AppError::NotFound)?;
        // The client's `projects` choice may turn this notice off (any other choice sends it
        // at once: it is one mail, not a stream).
        let who = UserRef::Client(client.id());
        let chosen = work.choices_of(who).await?;
        let wanted =
            chosen.delivery(who, Category::Projects, &workspace.settings.notification_defaults) != Delivery::Off;
        if workspace.settings.notify_clients_on_assignment && client.is_active() && wanted {
            let mail =
                MailContent::AddedToProject { project_id: project.id, project_name: project.details.name.clone() };
            work.queue_mail(UserRef::Client(client.id()), (client.email(), client.name()), mail).await?;
        }
        Ok(assignment)
    }
}

/// Pairs each row with the record it refers to, dropping rows whose record is missing.
fn pair<R, T: Clone>(rows: Vec<R>, records: &[T], matches: impl Fn(&R, &T) -> bool) -> Vec<(R, T)> {
    rows.into_iter().filter_map(|row| records.iter().find(|r| matches(&row, r)).cloned().map(|r| (row, r))).collect()
}
