//! Projects, who is on them (clients with an optional narrowing, and the team), and staff.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use portico_app::AppError;
use portico_app::forms::{ProjectEditForm, ProjectFilterForm, ProjectForm, StaffForm};
use portico_domain::ids::{ClientId, ProjectId, StaffId};
use portico_domain::permissions::PermissionSet;
use portico_domain::project::ProjectStatus;
use portico_domain::rules::RuleViolation;
use portico_domain::validation::ValidationErrors;
use portico_ports::Conflict;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Patch, optional_json, page_request};
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::views::{AssignmentView, List, ProjectDetailView, ProjectView, StaffView};

/// A new project.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Acme Corp Brand Refresh", "deadline": "2026-06-30", "client_ids": ["01a233df-289d-7743-8c35-36f545b78bac"]}))]
pub(crate) struct ProjectBody {
    /// Name.
    pub(crate) name: String,
    /// Description.
    pub(crate) description: Option<String>,
    /// Deadline (`YYYY-MM-DD`).
    pub(crate) deadline: Option<String>,
    /// Clients to put on it at once (admins only).
    #[serde(default)]
    pub(crate) client_ids: Vec<String>,
    /// Staff to put on the team at once (the creator joins anyway).
    #[serde(default)]
    pub(crate) team_ids: Vec<String>,
}

/// Changes to a project: absent fields stay, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"description": "Logo, palette and type for the 2026 relaunch.", "deadline": null}))]
pub(crate) struct ProjectPatchBody {
    /// Name.
    pub(crate) name: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) description: Patch<String>,
    /// Deadline (`YYYY-MM-DD`).
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) deadline: Patch<String>,
}

/// Which projects to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProjectListQuery {
    /// Part of the name.
    pub(crate) q: Option<String>,
    /// `active` or `archived`.
    pub(crate) status: Option<String>,
    /// `name` (the default), `newest` (created, newest first) or `deadline` (the nearest
    /// first, undated last).
    pub(crate) sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// Projects by name, newest or deadline: every project for admins, their own for members.
#[utoipa::path(get, path = "/projects", tag = "projects", params(ProjectListQuery),
    responses((status = 200, description = "One page of projects", body = List<ProjectView>)))]
pub(crate) async fn list_projects(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<ProjectListQuery>,
) -> ApiResult<Json<List<ProjectView>>> {
    let mut errors = ValidationErrors::new();
    let filter = errors.absorb(ProjectFilterForm { q: query.q, status: query.status, sort: query.sort }.parse());
    let page = page_request(&mut errors, query.cursor.as_deref(), query.limit);
    errors.into_result()?;
    // Without errors the filter parsed.
    let page = state.portico().list_projects(&actor, &filter.unwrap_or_default(), &page).await?;
    Ok(Json(List { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next.map(|c| c.encode()) }))
}

/// Creates a project; the creator joins its team.
#[utoipa::path(post, path = "/projects", tag = "projects", request_body = ProjectBody,
    responses(
        (status = 201, description = "Created", body = ProjectView),
        (status = 422, description = "Fields are not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ProjectBody>,
) -> ApiResult<(StatusCode, Json<ProjectView>)> {
    let form = ProjectForm {
        name: body.name,
        description: body.description,
        deadline: body.deadline,
        client_ids: body.client_ids,
        team_ids: body.team_ids,
    };
    let project = state.portico().create_project(&actor, form.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&project).into())))
}

/// A project with everything in it, internal items included. Staff on the project.
#[utoipa::path(get, path = "/projects/{id}", tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = ProjectDetailView),
        (status = 404, description = "No such project, or not on its team", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn get_project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectDetailView>> {
    Ok(Json((&state.portico().project_detail(&actor, path_id(&id)?).await?).into()))
}

/// Changes a project's name, description or deadline.
#[utoipa::path(patch, path = "/projects/{id}", tag = "projects", request_body = ProjectPatchBody,
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project as saved", body = ProjectView)))]
pub(crate) async fn edit_project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProjectPatchBody>,
) -> ApiResult<Json<ProjectView>> {
    let id: ProjectId = path_id(&id)?;
    let form = ProjectEditForm { name: body.name, description: body.description, deadline: body.deadline };
    Ok(Json((&state.portico().edit_project(&actor, id, form.parse()?).await?).into()))
}

/// Archives a project: it becomes read-only, and stays visible to its clients.
#[utoipa::path(post, path = "/projects/{id}/archive", tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "Archived", body = ProjectView)))]
pub(crate) async fn archive_project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectView>> {
    let project = state.portico().set_project_status(&actor, path_id(&id)?, ProjectStatus::Archived).await?;
    Ok(Json((&project).into()))
}

/// Makes an archived project active again.
#[utoipa::path(post, path = "/projects/{id}/unarchive", tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "Active again", body = ProjectView)))]
pub(crate) async fn unarchive_project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectView>> {
    let project = state.portico().set_project_status(&actor, path_id(&id)?, ProjectStatus::Active).await?;
    Ok(Json((&project).into()))
}

/// An assignment's optional narrowing.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"scope": ["projects", "tasks"]}))]
pub(crate) struct ScopeBody {
    /// Permission names the client keeps on this project; `null` or absent for all of its own.
    pub(crate) scope: Option<Vec<String>>,
}

/// Puts a client on a project, or changes its narrowing there. The body is optional.
#[utoipa::path(put, path = "/projects/{id}/clients/{client_id}", tag = "projects", request_body(content = Option<ScopeBody>),
    params(("id" = String, Path, description = "Project id"), ("client_id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "The current assignment", body = AssignmentView),
        (status = 409, description = "The client is deleted, or the project archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn put_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<AssignmentView>> {
    let (project, client): (ProjectId, ClientId) = (path_id(&id)?, path_id(&client_id)?);
    let body: ScopeBody = optional_json(&headers, &body)?.unwrap_or_default();
    let scope = match body.scope {
        None => None,
        Some(names) => Some(
            PermissionSet::parse(names.iter().map(String::as_str)).map_err(|e| Problem::invalid_field("scope", e))?,
        ),
    };
    let portico = state.portico();
    let assignment = match portico.assign_client(&actor, project, client, scope).await {
        Err(AppError::Rule(RuleViolation::AlreadyAssigned) | AppError::Conflict(Conflict::AlreadyAssigned)) => {
            portico.set_assignment_scope(&actor, project, client, scope).await?
        }
        other => other?,
    };
    Ok(Json(AssignmentView::new(&assignment, None, None)))
}

/// Takes a client off a project; it stops seeing the project at once.
#[utoipa::path(delete, path = "/projects/{id}/clients/{client_id}", tag = "projects",
    params(("id" = String, Path, description = "Project id"), ("client_id" = String, Path, description = "Client id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The client is not on the project", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn remove_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, client_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    state.portico().remove_client(&actor, path_id(&id)?, path_id(&client_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts a staff member on a project's team.
#[utoipa::path(put, path = "/projects/{id}/team/{staff_id}", tag = "projects",
    params(("id" = String, Path, description = "Project id"), ("staff_id" = String, Path, description = "Staff id")),
    responses((status = 204, description = "On the team")))]
pub(crate) async fn put_team_member(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, staff_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (project, staff): (ProjectId, StaffId) = (path_id(&id)?, path_id(&staff_id)?);
    match state.portico().add_team_member(&actor, project, staff).await {
        Ok(_) | Err(AppError::Rule(RuleViolation::AlreadyAssigned) | AppError::Conflict(Conflict::AlreadyAssigned)) => {
            Ok(StatusCode::NO_CONTENT)
        }
        Err(error) => Err(error.into()),
    }
}

/// Takes a staff member off a project's team.
#[utoipa::path(delete, path = "/projects/{id}/team/{staff_id}", tag = "projects",
    params(("id" = String, Path, description = "Project id"), ("staff_id" = String, Path, description = "Staff id")),
    responses((status = 204, description = "Off the team")))]
pub(crate) async fn remove_team_member(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((id, staff_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    state.portico().remove_team_member(&actor, path_id(&id)?, path_id(&staff_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new staff member.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Ada Lovelace", "email": "ada@studio.example", "role": "member"}))]
pub(crate) struct StaffBody {
    /// Full name.
    pub(crate) name: String,
    /// Login address.
    pub(crate) email: String,
    /// `admin` or `member`.
    pub(crate) role: String,
}

/// The team, by name. Any staff member.
#[utoipa::path(get, path = "/staff", tag = "projects",
    responses((status = 200, description = "Staff", body = List<StaffView>)))]
pub(crate) async fn list_staff(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<StaffView>>> {
    let staff = state.portico().list_staff(&actor).await?;
    Ok(Json(List::all(staff.iter().map(Into::into).collect())))
}

/// Adds a staff member and emails their invitation. Admins only.
#[utoipa::path(post, path = "/staff", tag = "projects", request_body = StaffBody,
    responses(
        (status = 201, description = "Added", body = StaffView),
        (status = 409, description = "The email is in use", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_staff(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<StaffBody>,
) -> ApiResult<(StatusCode, Json<StaffView>)> {
    let form = StaffForm { name: body.name, email: body.email, role: body.role };
    let staff = state.portico().create_staff(&actor, form.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&staff).into())))
}
