//! Reads several use cases share: a client, an approval's subject, a current assignment,
//! authors' names, and the slice of the world the visibility rule is asked about.

use portico_domain::approval::ApprovalSubject;
use portico_domain::assignment::Assignment;
use portico_domain::client::{Client, ClientProfile};
use portico_domain::companies;
use portico_domain::content::Visibility;
use portico_domain::email::EmailWarning;
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::permissions::PermissionSet;
use portico_domain::portal::{Names, ProjectContent};
use portico_domain::rules::RuleViolation;
use portico_domain::staff::UserRef;
use portico_domain::world::{ItemRef, World};

use portico_ports::PageRequest;
use portico_ports::repos::ClientQuery;

use crate::error::{AppError, AppResult};
use crate::support::Work;
use crate::use_cases::ClientWarning;

impl Work {
    /// The client with this id in the unit's workspace.
    pub(crate) async fn client(&mut self, id: ClientId) -> AppResult<Client> {
        let ws = self.workspace();
        self.uow.clients().get(ws, id).await?.ok_or(AppError::NotFound)
    }

    /// The project and visibility of the task or file an approval is about.
    pub(crate) async fn approval_subject(&mut self, subject: ApprovalSubject) -> AppResult<(ProjectId, Visibility)> {
        let ws = self.workspace();
        let found = match subject {
            ApprovalSubject::Task(id) => self.uow.tasks().get(ws, id).await?.map(|t| (t.project_id, t.visibility)),
            ApprovalSubject::File(id) => self.uow.files().get(ws, id).await?.map(|f| (f.project_id, f.visibility)),
        };
        found.ok_or(AppError::NotFound)
    }

    /// The current assignment of `client` to `project`; `NotAssigned` when there is none.
    pub(crate) async fn current_assignment(&mut self, project: ProjectId, client: ClientId) -> AppResult<Assignment> {
        let ws = self.workspace();
        let current = self.uow.assignments().current(ws, project, client).await?;
        Ok(current.ok_or(RuleViolation::NotAssigned)?)
    }

    /// The display names of everyone who authored something in `content`: two queries, however
    /// many authors.
    pub(crate) async fn author_names(&mut self, content: &ProjectContent) -> AppResult<Names> {
        let ws = self.workspace();
        let authors = content.messages.iter().map(|m| m.author).chain(content.files.iter().map(|f| f.uploaded_by));
        let mut client_ids: Vec<ClientId> =
            authors.filter_map(|a| if let UserRef::Client(id) = a { Some(id) } else { None }).collect();
        client_ids.sort_unstable();
        client_ids.dedup();
        let mut names = Names::default();
        for staff in self.uow.staff().list(ws).await? {
            names.insert(UserRef::Staff(staff.id), &staff.name);
        }
        for client in self.uow.clients().get_many(ws, &client_ids).await? {
            names.insert(UserRef::Client(client.id()), Client::name(&client));
        }
        Ok(names)
    }

    /// A world slice: `clients`, their current assignments, `projects` with all their content,
    /// and the invoices addressed to those clients or billing those projects.
    pub(crate) async fn world(&mut self, clients: Vec<Client>, projects: &[ProjectId]) -> AppResult<World> {
        let ws = self.workspace();
        let mut world = World::new(ws);
        for client in &clients {
            world.assignments.extend(self.uow.assignments().current_for_client(ws, client.id()).await?);
            for invoice in self.uow.invoices().for_client_or_projects(ws, client.id(), projects).await? {
                if !world.invoices.iter().any(|i| i.id() == invoice.id()) {
                    world.invoices.push(invoice);
                }
            }
        }
        world.projects = self.uow.projects().get_many(ws, projects).await?;
        for &project in projects {
            world.tasks.extend(self.uow.tasks().list_for_project(ws, project).await?);
            world.files.extend(self.uow.files().list_for_project(ws, project).await?);
            world.messages.extend(self.uow.messages().list_for_project(ws, project).await?);
            world.approvals.extend(self.uow.approvals().list_for_project(ws, project).await?);
        }
        world.clients = clients;
        Ok(world)
    }

    /// Adds `item` — and the task or file it depends on — to `world`.
    pub(crate) async fn add_item(&mut self, world: &mut World, item: ItemRef) -> AppResult<()> {
        let ws = self.workspace();
        match item {
            ItemRef::Project(id) => {
                world.projects.push(self.uow.projects().get(ws, id).await?.ok_or(AppError::NotFound)?);
            }
            ItemRef::Task(id) => {
                world.tasks.push(self.uow.tasks().get(ws, id).await?.ok_or(AppError::NotFound)?);
            }
            ItemRef::File(id) => {
                world.files.push(self.uow.files().get(ws, id).await?.ok_or(AppError::NotFound)?);
            }
            ItemRef::Message(id) => {
                let message = self.uow.messages().get(ws, id).await?.ok_or(AppError::NotFound)?;
                if let Some(task) = message.task_id {
                    world.tasks.extend(self.uow.tasks().get(ws, task).await?);
                }
                world.messages.push(message);
            }
            ItemRef::Approval(id) => {
                let approval = self.uow.approvals().get(ws, id).await?.ok_or(AppError::NotFound)?;
                match approval.subject {
                    ApprovalSubject::Task(task) => {
                        world.tasks.extend(self.uow.tasks().get(ws, task).await?);
                    }
                    ApprovalSubject::File(file) => {
                        world.files.extend(self.uow.files().get(ws, file).await?);
                    }
                }
                world.approvals.push(approval);
            }
            ItemRef::Invoice(id) => {
                world.invoices.push(self.uow.invoices().get(ws, id).await?.ok_or(AppError::NotFound)?);
            }
        }
        Ok(())
    }

    /// What is worth a second look about a client's data, new or saved: a likely email typo,
    /// a company spelled differently from its other contacts, no permissions at all. The one
    /// place these are decided, for every page and the API.
    pub(crate) async fn client_warnings(
        &mut self,
        profile: &ClientProfile,
        permissions: PermissionSet,
    ) -> AppResult<Vec<ClientWarning>> {
        let ws = self.workspace();
        let mut warnings = Vec::new();
        if let Some(EmailWarning::LikelyTypo { suggestion }) = profile.email.warning() {
            warnings.push(ClientWarning::EmailTypo { suggestion });
        }
        if let Some(company) = &profile.company {
            let query = ClientQuery { company: Some(company.company_key().clone()), ..ClientQuery::default() };
            let same_company = self.uow.clients().search(ws, &query, &PageRequest::first()).await?;
            let groups = companies::group(&same_company.items);
            if let Some(in_use) = companies::suggest_spelling(&groups, company) {
                warnings.push(ClientWarning::CompanyVariant { in_use: in_use.to_owned() });
            }
        }
        if permissions.is_empty() {
            warnings.push(ClientWarning::NoPermissions);
        }
        Ok(warnings)
    }
}
