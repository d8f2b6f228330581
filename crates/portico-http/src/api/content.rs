//! What staff put in projects: tasks and comments, files, messages, approval requests, and
//! each item's visibility to clients.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use portico_app::forms::{MessageForm, TaskEditForm, TaskForm};
use portico_domain::approval::ApprovalSubject;
use portico_domain::content::Visibility;
use portico_domain::ids::{FileId, MessageId, TaskId};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Patch, UploadBody};
use crate::extract::{ApiJson, Caller, path_id};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::transfer::{attachment, read_upload};
use crate::views::{ApprovalView, FileView, MessageView, TaskView};

/// A new task.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"title": "Logo concepts", "due_date": "2026-04-15", "visibility": "client"}))]
pub(crate) struct TaskBody {
    /// Title.
    pub(crate) title: String,
    /// Description.
    pub(crate) description: Option<String>,
    /// Due date (`YYYY-MM-DD`).
    pub(crate) due_date: Option<String>,
    /// The staff member responsible.
    pub(crate) assignee: Option<String>,
    /// `internal` or `client`.
    pub(crate) visibility: String,
}

/// Changes to a task: absent fields stay, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"state": "in_progress", "assignee": null}))]
pub(crate) struct TaskPatchBody {
    /// Title.
    pub(crate) title: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) description: Patch<String>,
    /// `open`, `in_progress` or `done`.
    pub(crate) state: Option<String>,
    /// Due date.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) due_date: Patch<String>,
    /// The staff member responsible.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) assignee: Patch<String>,
    /// `internal` or `client`.
    pub(crate) visibility: Option<String>,
}

/// A post or comment.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"body": "Kick-off on Monday at 10:00.", "visibility": "client"}))]
pub(crate) struct MessageBody {
    /// Text.
    pub(crate) body: String,
    /// `internal` (default) or `client`.
    pub(crate) visibility: Option<String>,
}

impl From<MessageBody> for MessageForm {
    fn from(body: MessageBody) -> Self {
        Self { body: body.body, visibility: body.visibility }
    }
}

/// An item's new visibility.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"visibility": "internal"}))]
pub(crate) struct VisibilityBody {
    /// `internal` or `client`.
    pub(crate) visibility: String,
}

impl VisibilityBody {
    fn parse(&self) -> Result<Visibility, Problem> {
        self.visibility.parse().map_err(|_| Problem::invalid_field("visibility", "must be internal or client"))
    }
}

/// Adds a task to a project.
#[utoipa::path(post, path = "/projects/{id}/tasks", tag = "content", request_body = TaskBody,
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 201, description = "Created", body = TaskView),
        (status = 409, description = "The project is archived", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_task(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<(StatusCode, Json<TaskView>)> {
    let project = path_id(&id)?;
    let form = TaskForm {
        title: body.title,
        description: body.description,
        due_date: body.due_date,
        assignee: body.assignee,
        visibility: body.visibility,
    };
    let task = state.portico().create_task(&actor, project, form.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&task).into())))
}

/// Changes a task, its visibility included.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "content", request_body = TaskPatchBody,
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "The task as saved", body = TaskView)))]
pub(crate) async fn edit_task(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TaskPatchBody>,
) -> ApiResult<Json<TaskView>> {
    let id: TaskId = path_id(&id)?;
    let form = TaskEditForm {
        title: body.title,
        description: body.description,
        state: body.state,
        due_date: body.due_date,
        assignee: body.assignee,
        visibility: body.visibility,
    };
    Ok(Json((&state.portico().edit_task(&actor, id, form.parse()?).await?).into()))
}

/// Comments on a task.
#[utoipa::path(post, path = "/tasks/{id}/comments", tag = "content", request_body = MessageBody,
    params(("id" = String, Path, description = "Task id")),
    responses((status = 201, description = "Posted", body = MessageView)))]
pub(crate) async fn comment_on_task(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MessageBody>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let task: TaskId = path_id(&id)?;
    let message = state.portico().comment_on_task(&actor, task, MessageForm::from(body).parse()?).await?;
    Ok((StatusCode::CREATED, Json((&message).into())))
}

/// Posts a message on a project.
#[utoipa::path(post, path = "/projects/{id}/messages", tag = "content", request_body = MessageBody,
    params(("id" = String, Path, description = "Project id")),
    responses((status = 201, description = "Posted", body = MessageView)))]
pub(crate) async fn post_message(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MessageBody>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let project = path_id(&id)?;
    let message = state.portico().post_message(&actor, project, MessageForm::from(body).parse()?).await?;
    Ok((StatusCode::CREATED, Json((&message).into())))
}

/// Makes a message or comment internal or client-visible.
#[utoipa::path(patch, path = "/messages/{id}", tag = "content", request_body = VisibilityBody,
    params(("id" = String, Path, description = "Message id")),
    responses((status = 200, description = "Changed", body = MessageView)))]
pub(crate) async fn set_message_visibility(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VisibilityBody>,
) -> ApiResult<Json<MessageView>> {
    let id: MessageId = path_id(&id)?;
    Ok(Json((&state.portico().set_message_visibility(&actor, id, body.parse()?).await?).into()))
}

/// Uploads a file to a project (multipart: `file`, optional `visibility`, default internal).
#[utoipa::path(post, path = "/projects/{id}/files", tag = "content",
    request_body(content = UploadBody, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 201, description = "Stored", body = FileView),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn upload_file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<FileView>)> {
    let project = path_id(&id)?;
    let upload = read_upload(multipart, true).await?;
    let file = state.portico().upload_file(&actor, project, upload.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&file).into())))
}

/// Makes a file internal or client-visible.
#[utoipa::path(patch, path = "/files/{id}", tag = "content", request_body = VisibilityBody,
    params(("id" = String, Path, description = "File id")),
    responses((status = 200, description = "Changed", body = FileView)))]
pub(crate) async fn set_file_visibility(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VisibilityBody>,
) -> ApiResult<Json<FileView>> {
    let id: FileId = path_id(&id)?;
    Ok(Json((&state.portico().set_file_visibility(&actor, id, body.parse()?).await?).into()))
}

/// Downloads a file, always as an attachment.
#[utoipa::path(get, path = "/files/{id}/download", tag = "content", params(("id" = String, Path, description = "File id")),
    responses((status = 200, description = "The file, with the media type it was uploaded with", body = super::FileBytes, content_type = "*/*",
        headers(("Content-Disposition" = String, description = "`attachment`, with the file name")))))]
pub(crate) async fn download_file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (file, bytes) = state.portico().download_file(&actor, path_id(&id)?).await?;
    Ok(attachment(&file, bytes))
}

/// What to ask approval for: one of `task_id` and `file_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"task_id": "01a233df-28ce-77a3-b9a5-3bb618d7b085"}))]
pub(crate) struct ApprovalBody {
    /// A client-visible task.
    pub(crate) task_id: Option<String>,
    /// A client-visible file.
    pub(crate) file_id: Option<String>,
}

/// Asks the project's clients to approve a task or a file.
#[utoipa::path(post, path = "/approvals", tag = "content", request_body = ApprovalBody,
    responses(
        (status = 201, description = "Requested", body = ApprovalView),
        (status = 409, description = "The item is internal", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn request_approval(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ApprovalBody>,
) -> ApiResult<(StatusCode, Json<ApprovalView>)> {
    let invalid = Problem::invalid_field;
    let subject = match (body.task_id, body.file_id) {
        (Some(task), None) => ApprovalSubject::Task(task.parse().map_err(|_| invalid("task_id", "is not a valid id"))?),
        (None, Some(file)) => ApprovalSubject::File(file.parse().map_err(|_| invalid("file_id", "is not a valid id"))?),
        _ => return Err(invalid("task_id", "give exactly one of task_id and file_id")),
    };
    let request = state.portico().request_approval(&actor, subject).await?;
    Ok((StatusCode::CREATED, Json(ApprovalView::new(&request, &[]))))
}
