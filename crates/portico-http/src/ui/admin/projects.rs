//! Project pages: the list with a new-project form, and a project's page with its clients
//! and team, tasks, files, messages and approvals, each item with its visibility toggle.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use portico_app::forms::{MessageForm, ProjectEditForm, ProjectFilterForm, ProjectForm, TaskEditForm, TaskForm};
use portico_app::{AppError, ProjectDetail, ProjectSummary};
use portico_domain::approval::{self, ApprovalDecision, ApprovalSubject};
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::client::Client;
use portico_domain::content::{Message, ProjectFile, Task, TaskState, Visibility};
use portico_domain::ids::{ClientId, ProjectId, StaffId, TaskId};
use portico_domain::impact::ProposedChange;
use portico_domain::permissions::PermissionSet;
use portico_domain::project::{Project, ProjectStatus};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::validation::ValidationErrors;
use portico_domain::world::ItemRef;
use portico_ports::repos::{ProjectOrder, ProjectQuery};
use portico_ports::{ListOrder as _, PageRequest};
use serde::Deserialize;

use super::clients::ConfirmPage;
use super::describe_impact;
use crate::state::AppState;
use crate::transfer::{attachment, read_upload};
use crate::ui::filters;
use crate::ui::page::{
    Ctx, FieldErrors, Layout, Section, UiError, UiForm, UiResult, given, page_id, redirect_with, render,
};
use crate::ui::pager::{PageAt, Pager};
use crate::ui::picker::{self, Kind, Picker};

#[derive(Template)]
#[template(path = "admin/projects.html")]
struct ListPage {
    layout: Layout,
    projects: Vec<ProjectRow>,
    show_archived: bool,
    /// The name searched for.
    q: String,
    order: ProjectOrder,
    pager: Pager,
    form: ProjectFields,
    errors: FieldErrors,
    /// The clients to put on the new project (admins only).
    clients: Option<Picker>,
    /// Active staff, to put on the new project's team.
    staff: Vec<Staff>,
}

/// A project in the list: its name and status, who is on it, how far its tasks are.
struct ProjectRow {
    id: ProjectId,
    name: String,
    status: ProjectStatus,
    deadline: Option<time::Date>,
    /// The first few clients' names.
    clients: Vec<String>,
    /// How many clients are not named.
    more_clients: usize,
    tasks: usize,
    open_tasks: usize,
}

impl ProjectRow {
    /// How many clients a row names before "and N more".
    const NAMED: usize = 3;

    fn of(project: &Project, summary: Option<&ProjectSummary>) -> Self {
        let clients = summary.map_or(&[][..], |s| s.clients.as_slice());
        Self {
            id: project.id,
            name: project.details.name.to_string(),
            status: project.status,
            deadline: project.details.deadline,
            clients: clients.iter().take(Self::NAMED).map(|c| c.name().to_string()).collect(),
            more_clients: clients.len().saturating_sub(Self::NAMED),
            tasks: summary.map_or(0, |s| s.tasks),
            open_tasks: summary.map_or(0, |s| s.open_tasks),
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    sort: String,
    #[serde(flatten)]
    at: PageAt,
}

#[derive(Deserialize, Default)]
pub(crate) struct ProjectFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    client_ids: Vec<String>,
    #[serde(default)]
    team_ids: Vec<String>,
    /// The clients searched for, and whether the form was sent to search (not to save).
    #[serde(default)]
    client_q: String,
    #[serde(default)]
    find: Option<String>,
}

impl ProjectFields {
    /// Whether the staff member's box is ticked.
    pub(crate) fn has_member(&self, id: &StaffId) -> bool {
        self.team_ids.iter().any(|s| s.parse::<StaffId>().ok().as_ref() == Some(id))
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    list: &ListQuery,
    form: ProjectFields,
    errors: FieldErrors,
) -> UiResult {
    let portico = state.portico();
    // Active projects unless the archived ones are asked for; a bad status is its field's error.
    let filter = ProjectFilterForm {
        q: Some(list.q.clone()),
        status: given(&list.status).or(Some("active".into())),
        sort: given(&list.sort),
    };
    let (query, errors) = match filter.parse() {
        Ok(query) => (query, errors),
        Err(refused) => {
            (ProjectQuery { status: Some(ProjectStatus::Active), ..ProjectQuery::default() }, errors.and(&refused))
        }
    };
    let limit = PageRequest::DEFAULT_LIMIT;
    let page = portico.list_projects(&ctx.actor, &query, &list.at.request(limit)).await?;
    let total = portico.count_projects(&ctx.actor, &query).await?;
    let ids: Vec<ProjectId> = page.items.iter().map(|p| p.id).collect();
    let summaries = portico.project_summaries(&ctx.actor, &ids).await?;
    let projects = page.items.iter().map(|p| ProjectRow::of(p, summaries.iter().find(|s| s.project == p.id))).collect();
    let filters = [("q", list.q.as_str()), ("status", list.status.as_str()), ("sort", list.sort.as_str())];
    let pager =
        Pager::new("/admin/projects", &filters, &list.at, limit, page.items.len(), Some(total), page.next.as_ref());
    let clients = if ctx.is_admin() {
        let matches = picker::clients(state, ctx, &form.client_q, &form.client_ids, &[]).await?;
        Some(Picker::new(Kind::Clients, "client_ids", "Clients", &form.client_q, matches).multiple())
    } else {
        None
    };
    let staff = portico.list_staff(&ctx.actor).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        layout: ctx.layout("Projects", Section::Projects),
        projects,
        show_archived: query.status == Some(ProjectStatus::Archived),
        q: list.q.clone(),
        order: query.order,
        pager,
        form,
        errors,
        clients,
        staff: staff.into_iter().filter(|s| s.active).collect(),
    };
    Ok(render(status, &page, ctx.flash.is_some()))
}

pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> UiResult {
    list_page(&state, &ctx, &query, ProjectFields::default(), FieldErrors::default()).await
}

pub(crate) async fn create(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<ProjectFields>) -> UiResult {
    if form.find.is_some() {
        return list_page(&state, &ctx, &ListQuery::default(), form, FieldErrors::default()).await;
    }
    let parsed = ProjectForm {
        name: form.name.clone(),
        description: given(&form.description),
        deadline: given(&form.deadline),
        client_ids: form.client_ids.clone(),
        team_ids: form.team_ids.clone(),
    }
    .parse();
    match parsed {
        Ok(new) => {
            let project = state.portico().create_project(&ctx.actor, new).await?;
            Ok(redirect_with(&format!("/admin/projects/{}", project.id), "The project is created."))
        }
        Err(errors) => list_page(&state, &ctx, &ListQuery::default(), form, FieldErrors::from(&errors)).await,
    }
}

#[derive(Template)]
#[template(path = "admin/project.html")]
struct ProjectPage {
    layout: Layout,
    project: Project,
    archived: bool,
    is_admin: bool,
    /// The clients to put on the project (admins, while it is active).
    assignable: Option<Picker>,
    clients: Vec<ClientOnProject>,
    team: Vec<(Membership, Staff)>,
    /// Active staff not on the team yet.
    joinable: Vec<Staff>,
    tasks: Vec<TaskRow>,
    files: Vec<FileRow>,
    /// The project's posts (comments are under their tasks).
    posts: Vec<MessageRow>,
    approvals: Vec<ApprovalRow>,
    errors: FieldErrors,
    /// What was typed into the form that was refused, to show it again.
    typed: Typed,
}

/// The input of one refused form of the project page (`task`, `message`, `comment-{task id}`);
/// its field errors are named `{form}.{field}`.
#[derive(Default)]
struct Typed {
    form: String,
    fields: ContentForm,
    /// The clients searched for in the form that adds one.
    client_q: String,
}

impl Typed {
    /// `fields` as typed into `form`.
    fn of(form: impl Into<String>, fields: ContentForm) -> Self {
        Self { form: form.into(), fields, client_q: String::new() }
    }

    /// A search for clients to add.
    fn searching(client_q: String) -> Self {
        Self { client_q, ..Self::default() }
    }
}

/// A client on the project, and whether "preview as client" shows them this project.
struct ClientOnProject {
    assignment: Assignment,
    client: Client,
    previews: bool,
}

/// What the domain says one task, file or message allows.
struct ItemFacts {
    visibility: Visibility,
    /// The visibility the item can be switched to; none for a client's own post or upload.
    switch_to: Option<Visibility>,
    /// Whether the project's clients can be asked to approve it now (a client-visible task or
    /// file with no request waiting for an answer).
    approvable: bool,
}

impl ItemFacts {
    fn of(
        detail: &ProjectDetail,
        visibility: Visibility,
        switch_to: Option<Visibility>,
        subject: Option<ApprovalSubject>,
    ) -> Self {
        let approvable = subject
            .is_some_and(|subject| approval::can_ask_again(subject, visibility, &detail.approvals, &detail.answers));
        Self { visibility, switch_to, approvable }
    }
}

/// A task with its comments.
struct TaskRow {
    task: Task,
    facts: ItemFacts,
    comments: Vec<MessageRow>,
}

impl TaskRow {
    /// Whether the task is in `state`.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn is_state(&self, state: &TaskState) -> bool {
        self.task.state == *state
    }
}

/// A file with who uploaded it.
struct FileRow {
    file: ProjectFile,
    facts: ItemFacts,
    uploaded_by: String,
}

/// A post or comment with who wrote it.
struct MessageRow {
    message: Message,
    facts: ItemFacts,
    author: String,
}

/// The names the project page knows people by: its clients and the workspace's staff.
struct People<'a> {
    detail: &'a ProjectDetail,
    staff: &'a [Staff],
}

impl People<'_> {
    /// A person's name, or what they are when they are no longer on record here.
    fn name(&self, who: UserRef) -> String {
        let known = match who {
            UserRef::Staff(id) => self.staff.iter().find(|s| s.id == id).map(|s| s.name.to_string()),
            UserRef::Client(id) => {
                self.detail.clients.iter().find(|(_, c)| c.id() == id).map(|(_, c)| c.name().to_string())
            }
        };
        known.unwrap_or_else(|| match who {
            UserRef::Staff(_) => "A team member".into(),
            UserRef::Client(_) => "A client".into(),
        })
    }

    fn message(&self, message: &Message) -> MessageRow {
        MessageRow {
            facts: ItemFacts::of(self.detail, message.visibility, message.visibility_switch(), None),
            author: self.name(message.author),
            message: message.clone(),
        }
    }
}

impl ProjectPage {
    /// Whether `form` was refused.
    fn refused(&self, form: &str) -> bool {
        self.typed.form == form
    }

    /// What was typed into `field` of `form`, when that form was refused; blank otherwise.
    fn kept(&self, form: &str, field: &str) -> &str {
        if !self.refused(form) {
            return "";
        }
        let fields = &self.typed.fields;
        match field {
            "title" => &fields.title,
            "description" => &fields.description,
            "due_date" => &fields.due_date,
            "body" => &fields.body,
            _ => "",
        }
    }

    /// Whether "client-visible" was chosen in `form`, when that form was refused.
    fn kept_shared(&self, form: &str) -> bool {
        self.refused(form) && self.typed.fields.visibility.as_deref() == Some(Visibility::Client.as_str())
    }

    /// The error of `field` in `form`.
    fn error_in(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.of(&format!("{form}.{field}"))
    }

    /// The description, for the edit form.
    fn description(&self) -> &str {
        self.project.details.description.as_ref().map_or("", |d| d.as_str())
    }

    /// The deadline, for the edit form (`YYYY-MM-DD`, as a date field takes it).
    fn deadline(&self) -> String {
        self.project.details.deadline.map(|day| day.to_string()).unwrap_or_default()
    }
}

/// An approval request as the project page shows it: what it is about, when it was asked,
/// and each client's answers with the current one marked (the domain's grouping).
struct ApprovalRow {
    subject: String,
    asked: time::OffsetDateTime,
    answers: Vec<AnswerRow>,
}

/// One client's answer, current or kept as history.
struct AnswerRow {
    client: String,
    decision: ApprovalDecision,
    comment: Option<String>,
    at: time::OffsetDateTime,
    current: bool,
}

impl ApprovalRow {
    /// The requests of `detail`, newest first.
    fn all_of(detail: &ProjectDetail) -> Vec<Self> {
        let client_name = |id: ClientId| {
            detail
                .clients
                .iter()
                .find(|(_, c)| c.id() == id)
                .map_or_else(|| "A former client".to_owned(), |(_, c)| c.name().to_string())
        };
        let mut rows: Vec<Self> = detail
            .approvals
            .iter()
            .map(|request| {
                let subject = match request.subject {
                    ApprovalSubject::Task(id) => {
                        let title = detail.tasks.iter().find(|t| t.id == id).map(|t| t.title.to_string());
                        format!("Task “{}”", title.unwrap_or_default())
                    }
                    ApprovalSubject::File(id) => {
                        let name = detail.files.iter().find(|f| f.id == id).map(|f| f.name.to_string());
                        format!("File “{}”", name.unwrap_or_default())
                    }
                };
                let answers = approval::answers_by_client(request, &detail.answers)
                    .into_iter()
                    .map(|(answer, current)| AnswerRow {
                        client: client_name(answer.client_id),
                        decision: answer.decision,
                        comment: answer.comment.as_ref().map(ToString::to_string),
                        at: answer.answered_at,
                        current,
                    })
                    .collect();
                Self { subject, asked: request.created_at, answers }
            })
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.asked));
        rows
    }
}

async fn project_page(state: &AppState, ctx: &Ctx, id: ProjectId, errors: FieldErrors, typed: Typed) -> UiResult {
    let portico = state.portico();
    let detail = portico.project_detail(&ctx.actor, id).await?;
    let staff = portico.list_staff(&ctx.actor).await?;
    let archived = detail.project.is_archived();
    let is_admin = ctx.is_admin();
    let assignable = if is_admin && !archived {
        let on_it: Vec<ClientId> = detail.clients.iter().map(|(a, _)| a.client_id).collect();
        let matches = picker::clients(state, ctx, &typed.client_q, &[], &on_it).await?;
        Some(Picker::new(Kind::Clients, "client_id", "Client", &typed.client_q, matches).not_on(id))
    } else {
        None
    };
    let people = People { detail: &detail, staff: &staff };
    let previewable = detail.previewable();
    let clients = (detail.clients.iter())
        .map(|(assignment, client)| ClientOnProject {
            assignment: assignment.clone(),
            client: client.clone(),
            previews: previewable.contains(&client.id()),
        })
        .collect();
    let tasks = (detail.tasks.iter())
        .map(|task| TaskRow {
            facts: ItemFacts::of(
                &detail,
                task.visibility,
                task.visibility_switch(),
                Some(ApprovalSubject::Task(task.id)),
            ),
            comments: detail
                .messages
                .iter()
                .filter(|m| m.task_id == Some(task.id))
                .map(|m| people.message(m))
                .collect(),
            task: task.clone(),
        })
        .collect();
    let files = (detail.files.iter())
        .map(|file| FileRow {
            facts: ItemFacts::of(
                &detail,
                file.visibility,
                file.visibility_switch(),
                Some(ApprovalSubject::File(file.id)),
            ),
            uploaded_by: people.name(file.uploaded_by),
            file: file.clone(),
        })
        .collect();
    let posts = detail.messages.iter().filter(|m| m.task_id.is_none()).map(|m| people.message(m)).collect();
    let joinable =
        staff.iter().filter(|s| s.active && !detail.team.iter().any(|(m, _)| m.staff_id == s.id)).cloned().collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ProjectPage {
        layout: ctx.layout(detail.project.details.name.to_string(), Section::Projects),
        archived,
        is_admin,
        assignable,
        clients,
        joinable,
        tasks,
        files,
        posts,
        approvals: ApprovalRow::all_of(&detail),
        team: detail.team,
        project: detail.project,
        errors,
        typed,
    };
    Ok(render(status, &page, ctx.flash.is_some()))
}

pub(crate) async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    project_page(&state, &ctx, page_id(&id)?, FieldErrors::default(), Typed::default()).await
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<ProjectFields>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    let parsed = ProjectEditForm {
        name: Some(form.name.clone()),
        description: Some(given(&form.description)),
        deadline: Some(given(&form.deadline)),
    }
    .parse();
    match parsed {
        Ok(edit) => {
            state.portico().edit_project(&ctx.actor, id, edit).await?;
            Ok(redirect_with(&format!("/admin/projects/{id}"), "The project is saved."))
        }
        Err(errors) => project_page(&state, &ctx, id, FieldErrors::from(&errors), Typed::default()).await,
    }
}

#[derive(Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    status: String,
}

pub(crate) async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<StatusForm>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    let status = form.status.parse::<ProjectStatus>().map_err(|_| AppError::NotFound)?;
    state.portico().set_project_status(&ctx.actor, id, status).await?;
    let message =
        if status == ProjectStatus::Archived { "The project is archived." } else { "The project is active again." };
    Ok(redirect_with(&format!("/admin/projects/{id}"), message))
}

#[derive(Deserialize)]
pub(crate) struct AssignForm {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_q: String,
    /// Sent to search for clients, not to add one.
    #[serde(default)]
    find: Option<String>,
    #[serde(default)]
    narrow: String,
    #[serde(default)]
    scope: Vec<String>,
}

pub(crate) async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<AssignForm>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    if form.find.is_some() {
        return project_page(&state, &ctx, id, FieldErrors::default(), Typed::searching(form.client_q)).await;
    }
    let client: ClientId = page_id(&form.client_id)?;
    let scope = if form.narrow.is_empty() {
        None
    } else {
        match PermissionSet::parse(form.scope.iter().map(String::as_str)) {
            Ok(scope) => Some(scope),
            Err(error) => {
                let errors = FieldErrors::from(("scope", error.to_string().as_str()));
                return project_page(&state, &ctx, id, errors, Typed::default()).await;
            }
        }
    };
    state.portico().assign_client(&ctx.actor, id, client, scope).await?;
    Ok(redirect_with(&format!("/admin/projects/{id}#clients"), "The client is on the project."))
}

pub(crate) async fn confirm_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, client)): Path<(String, String)>,
) -> UiResult {
    let (project, client): (ProjectId, ClientId) = (page_id(&id)?, page_id(&client)?);
    let change = ProposedChange::RemoveFromProject { client, project };
    let losses = state.portico().preview_impact(&ctx.actor, &change).await?;
    let name = state.portico().client_detail(&ctx.actor, client).await?.client.name().as_str().to_owned();
    let page = ConfirmPage {
        layout: ctx.layout(format!("Remove {name} from this project?"), Section::Projects),
        explanation: vec![format!("{name} stops seeing this project and everything in it from their next page load.")],
        impact: describe_impact(&state, &ctx.actor, &losses).await?,
        action: format!("/admin/projects/{project}/clients/{client}/remove"),
        hidden: Vec::new(),
        button: "Remove from project".into(),
        cancel: format!("/admin/projects/{project}"),
        danger: true,
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, client)): Path<(String, String)>,
) -> UiResult {
    let (project, client): (ProjectId, ClientId) = (page_id(&id)?, page_id(&client)?);
    state.portico().remove_client(&ctx.actor, project, client).await?;
    Ok(redirect_with(&format!("/admin/projects/{project}#clients"), "The client is off the project."))
}

#[derive(Deserialize)]
pub(crate) struct MemberForm {
    #[serde(default)]
    staff_id: String,
}

pub(crate) async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<MemberForm>,
) -> UiResult {
    let (project, staff): (ProjectId, StaffId) = (page_id(&id)?, page_id(&form.staff_id)?);
    state.portico().add_team_member(&ctx.actor, project, staff).await?;
    Ok(redirect_with(&format!("/admin/projects/{project}#team"), "The team member is added."))
}

pub(crate) async fn remove_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, staff)): Path<(String, String)>,
) -> UiResult {
    let (project, staff): (ProjectId, StaffId) = (page_id(&id)?, page_id(&staff)?);
    state.portico().remove_team_member(&ctx.actor, project, staff).await?;
    Ok(redirect_with(&format!("/admin/projects/{project}#team"), "The team member is off the project."))
}

#[derive(Deserialize, Default)]
pub(crate) struct ContentForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    task_id: String,
    #[serde(default)]
    file_id: String,
}

pub(crate) async fn create_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<ContentForm>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    let parsed = TaskForm {
        title: form.title.clone(),
        description: given(&form.description),
        due_date: given(&form.due_date),
        assignee: None,
        visibility: form.visibility.clone().unwrap_or_else(|| "internal".into()),
    }
    .parse();
    match parsed {
        Ok(new) => {
            state.portico().create_task(&ctx.actor, id, new).await?;
            Ok(redirect_with(&format!("/admin/projects/{id}#tasks"), "The task is added."))
        }
        Err(errors) => project_page(&state, &ctx, id, refusal("task", errors), Typed::of("task", form)).await,
    }
}

/// The field errors of the refused `form`, named `{form}.{field}` so that forms sharing a
/// field name on one page each show their own.
fn refusal(form: &str, errors: ValidationErrors) -> FieldErrors {
    let mut named = ValidationErrors::new();
    named.extend_prefixed(form, errors);
    FieldErrors::from(&named)
}

fn message_form(form: &ContentForm) -> MessageForm {
    MessageForm {
        body: form.body.clone(),
        visibility: Some(form.visibility.clone().unwrap_or_else(|| "internal".into())),
    }
}

pub(crate) async fn post_message(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<ContentForm>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    match message_form(&form).parse() {
        Ok(message) => {
            state.portico().post_message(&ctx.actor, id, message).await?;
            Ok(redirect_with(&format!("/admin/projects/{id}#messages"), "The message is posted."))
        }
        Err(errors) => project_page(&state, &ctx, id, refusal("message", errors), Typed::of("message", form)).await,
    }
}

fn back_to(project: &str, anchor: &str) -> String {
    match project.parse::<ProjectId>() {
        Ok(id) => format!("/admin/projects/{id}#{anchor}"),
        Err(_) => "/admin/projects".to_owned(),
    }
}

pub(crate) async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<ContentForm>,
) -> UiResult {
    let task: TaskId = page_id(&id)?;
    match message_form(&form).parse() {
        Ok(comment) => {
            state.portico().comment_on_task(&ctx.actor, task, comment).await?;
            Ok(redirect_with(&back_to(&form.project_id, &format!("task-{task}")), "The comment is posted."))
        }
        Err(errors) => {
            let project: ProjectId = page_id(&form.project_id)?;
            let name = format!("comment-{task}");
            project_page(&state, &ctx, project, refusal(&name, errors), Typed::of(name, form)).await
        }
    }
}

pub(crate) async fn update_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<ContentForm>,
) -> UiResult {
    let task: TaskId = page_id(&id)?;
    let edit = TaskEditForm { state: Some(form.state.clone()), ..TaskEditForm::default() }.parse()?;
    state.portico().edit_task(&ctx.actor, task, edit).await?;
    Ok(redirect_with(&back_to(&form.project_id, &format!("task-{task}")), "The task is updated."))
}

pub(crate) async fn upload_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    let mut upload = read_upload(multipart, true).await?;
    upload.visibility = Some(upload.visibility.unwrap_or_else(|| "internal".into()));
    state.portico().upload_file(&ctx.actor, id, upload.parse()?).await?;
    Ok(redirect_with(&format!("/admin/projects/{id}#files"), "The file is uploaded."))
}

pub(crate) async fn download(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let (file, bytes) = state.portico().download_file(&ctx.actor, page_id(&id)?).await?;
    Ok(attachment(&file, bytes))
}

#[derive(Deserialize)]
pub(crate) struct VisibilityQuery {
    #[serde(default)]
    to: String,
    #[serde(default)]
    project: String,
}

/// The item a visibility page is about.
fn item_of(kind: &str, id: &str) -> Result<ItemRef, UiError> {
    match kind {
        "task" => Ok(ItemRef::Task(page_id(id)?)),
        "file" => Ok(ItemRef::File(page_id(id)?)),
        "message" => Ok(ItemRef::Message(page_id(id)?)),
        _ => Err(AppError::NotFound.into()),
    }
}

/// Before an item changes visibility: who would lose it (turning something client-visible
/// loses no one anything, and needs no confirmation beyond the button).
pub(crate) async fn confirm_visibility(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    Query(query): Query<VisibilityQuery>,
) -> UiResult {
    let item = item_of(&kind, &id)?;
    let visibility: Visibility = query.to.parse().map_err(|_| AppError::NotFound)?;
    let losses =
        state.portico().preview_impact(&ctx.actor, &ProposedChange::SetVisibility { item, visibility }).await?;
    let described = state.portico().describe_items(&ctx.actor, &[item]).await?;
    let what = described.first().map_or_else(|| kind.clone(), |(_, text)| text.clone());
    let (title, line) = match visibility {
        Visibility::Internal => (format!("Make the {what} internal?"), "Only your team will see it.".to_owned()),
        Visibility::Client => (
            format!("Make the {what} client-visible?"),
            "The project's clients with the matching permission will see it.".to_owned(),
        ),
    };
    let page = ConfirmPage {
        layout: ctx.layout(title, Section::Projects),
        explanation: vec![line],
        impact: describe_impact(&state, &ctx.actor, &losses).await?,
        action: format!("/admin/visibility/{kind}/{id}"),
        hidden: vec![("to".into(), query.to.clone())],
        button: "Change visibility".into(),
        cancel: back_to(&query.project, "main"),
        danger: visibility == Visibility::Internal && !losses.is_empty(),
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn set_visibility(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    UiForm(form): UiForm<VisibilityQuery>,
) -> UiResult {
    let visibility: Visibility = form.to.parse().map_err(|_| AppError::NotFound)?;
    let portico = state.portico();
    let project = match item_of(&kind, &id)? {
        ItemRef::Task(task) => {
            let edit = TaskEditForm { visibility: Some(form.to.clone()), ..TaskEditForm::default() }.parse()?;
            portico.edit_task(&ctx.actor, task, edit).await?.project_id
        }
        ItemRef::File(file) => portico.set_file_visibility(&ctx.actor, file, visibility).await?.project_id,
        ItemRef::Message(message) => portico.set_message_visibility(&ctx.actor, message, visibility).await?.project_id,
        _ => return Err(AppError::NotFound.into()),
    };
    let word = if visibility == Visibility::Client { "client-visible" } else { "internal" };
    Ok(redirect_with(&format!("/admin/projects/{project}"), &format!("The {kind} is {word} now.")))
}

pub(crate) async fn request_approval(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(form): UiForm<ContentForm>,
) -> UiResult {
    // The form names the task or the file to approve.
    let subject = if form.file_id.is_empty() {
        ApprovalSubject::Task(page_id(&form.task_id)?)
    } else {
        ApprovalSubject::File(page_id(&form.file_id)?)
    };
    state.portico().request_approval(&ctx.actor, subject).await?;
    Ok(redirect_with(&back_to(&form.project_id, "approvals"), "The clients are asked for their approval."))
}
