//! The client portal: the signed-in client's projects, invoices and files, and what it may
//! post. Anything outside the client's share answers 404, exactly like what does not exist.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use portico_app::forms::AnswerForm;
use portico_domain::ids::{ApprovalId, ProjectId, TaskId};
use portico_domain::text::MessageBody;
use serde::Deserialize;
use utoipa::ToSchema;

use super::PortalUploadBody;
use crate::extract::{ApiJson, Caller, path_id};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::transfer::{attachment, read_upload};
use crate::views::{
    AnswerView, LedgerView, List, PortalFileView, PortalInvoiceView, PortalMessageView, PortalProjectSummaryView,
    PortalProjectView, instant,
};

/// The client's projects, by name.
#[utoipa::path(get, path = "/portal/projects", tag = "portal", security(("session" = [])),
    responses((status = 200, description = "Projects the client sees", body = List<PortalProjectSummaryView>)))]
pub(crate) async fn projects(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<PortalProjectSummaryView>>> {
    let projects = state.portico().portal_projects(&actor).await?;
    Ok(Json(List::all(projects.iter().map(Into::into).collect())))
}

/// One project with the tasks, files, messages and approvals the client may see.
#[utoipa::path(get, path = "/portal/projects/{id}", tag = "portal", security(("session" = [])), params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "The client's view of the project", body = PortalProjectView),
        (status = 404, description = "Not the client's", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn project(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PortalProjectView>> {
    Ok(Json((&state.portico().portal_project(&actor, path_id(&id)?).await?).into()))
}

/// The invoices the client may see, newest first.
#[utoipa::path(get, path = "/portal/invoices", tag = "portal", security(("session" = [])),
    responses((status = 200, description = "Invoices", body = List<PortalInvoiceView>)))]
pub(crate) async fn invoices(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<PortalInvoiceView>>> {
    let invoices = state.portico().portal_invoices(&actor).await?;
    Ok(Json(List::all(invoices.iter().map(Into::into).collect())))
}

/// One invoice the client may see: lines, taxes and totals; payments, balance and payment
/// instructions with the `payments` permission.
#[utoipa::path(get, path = "/portal/invoices/{id}", tag = "portal", security(("session" = [])), params(("id" = String, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The client's view of the invoice", body = PortalInvoiceView),
        (status = 404, description = "Not the client's, a draft, or no invoices permission", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PortalInvoiceView>> {
    Ok(Json((&state.portico().portal_invoice(&actor, path_id(&id)?).await?).into()))
}

/// One invoice the client may see, as a PDF: the same document the agency has, without the
/// payments for a client without the `payments` permission.
#[utoipa::path(get, path = "/portal/invoices/{id}/pdf", operation_id = "portal_invoice_pdf", tag = "portal", security(("session" = [])), params(("id" = String, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The PDF", body = super::FileBytes, content_type = "application/pdf",
        headers(("Content-Disposition" = String, description = "`attachment`, named for the invoice's number"))),
        (status = 404, description = "Not the client's, a draft, or no invoices permission", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn invoice_pdf(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let invoice = state.portico().portal_invoice(&actor, path_id(&id)?).await?;
    let workspace = state.portico().workspace(actor.workspace).await?;
    Ok(crate::transfer::invoice_pdf(state.portico(), &invoice, &workspace).await)
}

/// Downloads a file the client may see, as an attachment.
#[utoipa::path(get, path = "/portal/files/{id}/download", operation_id = "portal_download_file", tag = "portal", security(("session" = [])), params(("id" = String, Path, description = "File id")),
    responses(
        (status = 200, description = "The file, with the media type it was uploaded with", body = super::FileBytes, content_type = "*/*",
            headers(("Content-Disposition" = String, description = "`attachment`, with the file name"))),
        (status = 404, description = "Not the client's", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn download_file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (file, bytes) = state.portico().portal_download_file(&actor, path_id(&id)?).await?;
    Ok(attachment(&file, bytes))
}

/// What a client writes.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"body": "Looks great, thank you!"}))]
pub(crate) struct PortalPostBody {
    /// Text.
    pub(crate) body: String,
}

fn message_body(text: &str) -> Result<MessageBody, Problem> {
    MessageBody::parse(text).map_err(|e| Problem::invalid_field("body", e))
}

/// Posts a message on a project (needs the `messages` permission there).
#[utoipa::path(post, path = "/portal/projects/{id}/messages", operation_id = "portal_post_message", tag = "portal", security(("session" = [])), request_body = PortalPostBody,
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 201, description = "Posted", body = PortalMessageView),
        (status = 403, description = "Without the messages permission", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn post_message(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PortalPostBody>,
) -> ApiResult<(StatusCode, Json<PortalMessageView>)> {
    let project: ProjectId = path_id(&id)?;
    let message = state.portico().portal_post_message(&actor, project, message_body(&body.body)?).await?;
    Ok((StatusCode::CREATED, Json(PortalMessageView::own(&message))))
}

/// Comments on a task the client sees (needs the `messages` permission there).
#[utoipa::path(post, path = "/portal/tasks/{id}/comments", tag = "portal", security(("session" = [])), request_body = PortalPostBody,
    params(("id" = String, Path, description = "Task id")),
    responses((status = 201, description = "Posted", body = PortalMessageView)))]
pub(crate) async fn comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PortalPostBody>,
) -> ApiResult<(StatusCode, Json<PortalMessageView>)> {
    let task: TaskId = path_id(&id)?;
    let message = state.portico().portal_comment(&actor, task, message_body(&body.body)?).await?;
    Ok((StatusCode::CREATED, Json(PortalMessageView::own(&message))))
}

/// Uploads a file to a project (multipart: `file`; needs the `files` permission there).
/// What a client uploads is always visible to the project's clients.
#[utoipa::path(post, path = "/portal/projects/{id}/files", operation_id = "portal_upload_file", tag = "portal", security(("session" = [])),
    request_body(content = PortalUploadBody, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 201, description = "Stored", body = PortalFileView)))]
pub(crate) async fn upload_file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<PortalFileView>)> {
    let project: ProjectId = path_id(&id)?;
    let mut upload = read_upload(multipart, false).await?;
    upload.visibility = Some("client".to_owned());
    let file = state.portico().portal_upload_file(&actor, project, upload.parse()?).await?;
    Ok((StatusCode::CREATED, Json(PortalFileView::own(&file))))
}

/// A client's answer to an approval.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"decision": "changes_requested", "comment": "Could the blue be a little darker?"}))]
pub(crate) struct AnswerBody {
    /// `approved` or `changes_requested`.
    pub(crate) decision: String,
    /// A comment.
    pub(crate) comment: Option<String>,
}

/// Answers an approval request (needs the `approvals` permission). The latest answer counts.
#[utoipa::path(post, path = "/portal/approvals/{id}", tag = "portal", security(("session" = [])), request_body = AnswerBody,
    params(("id" = String, Path, description = "Approval id")),
    responses((status = 201, description = "Recorded", body = AnswerView)))]
pub(crate) async fn answer_approval(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<(StatusCode, Json<AnswerView>)> {
    let id: ApprovalId = path_id(&id)?;
    let form = AnswerForm { decision: body.decision, comment: body.comment };
    let answer = state.portico().answer_approval(&actor, id, form.parse()?).await?;
    let view = AnswerView {
        approval_id: answer.approval_id.to_string(),
        decision: answer.decision.as_str().to_owned(),
        comment: answer.comment.as_ref().map(|c| c.as_str().to_owned()),
        answered_at: instant(answer.answered_at),
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// The client's statement of account: their invoices, payments and voids with the running
/// balance, per currency. Only with the `payments` permission (404 without).
#[utoipa::path(get, path = "/portal/statement", operation_id = "portal_statement", tag = "portal", security(("session" = [])),
    responses(
        (status = 200, description = "The statement", body = List<LedgerView>),
        (status = 404, description = "No payments permission", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn statement(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<LedgerView>>> {
    let ledgers = state.portico().portal_statement(&actor).await?;
    Ok(Json(List::all(ledgers.iter().map(Into::into).collect())))
}
