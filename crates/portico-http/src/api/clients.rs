//! Client profiles: list, create, read, edit, delete, the status actions, import and export.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use portico_app::forms::{ClientEditForm, ClientFilterForm};
use portico_app::{ImportMode, ImportOptions, ImportReport};
use portico_domain::ids::ClientId;
use portico_domain::validation::ValidationErrors;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Patch, page_request};
use crate::client_body::{ClientBody, PermissionsBody, permissions_of};
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::views::{ClientCreatedView, ClientDetailView, ClientView, ImportReportView, List};
use portico_app::csv;

/// Changes to a client: absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"phone": null, "permissions": ["projects", "tasks", "files"]}))]
pub(crate) struct ClientPatchBody {
    /// Full name.
    pub(crate) name: Option<String>,
    /// Login address (changing it ends the client's sessions and notifies both addresses).
    pub(crate) email: Option<String>,
    /// Company.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) company: Patch<String>,
    /// Phone.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) phone: Patch<String>,
    /// Billing address.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) billing_address: Patch<String>,
    /// Internal notes.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) notes: Patch<String>,
    /// Permissions (names or a preset).
    pub(crate) permissions: Option<PermissionsBody>,
    /// A preset name, as an alternative to `permissions`.
    pub(crate) preset: Option<String>,
}

/// Which clients to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ClientListQuery {
    /// Part of the name, email or company.
    pub(crate) q: Option<String>,
    /// `invited`, `active`, `deactivated` or `deleted` (default: all but deleted).
    pub(crate) status: Option<String>,
    /// A company name: every contact of that company, however spelled.
    pub(crate) company: Option<String>,
    /// `name` (default) or `newest` (the newest first).
    pub(crate) sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// Clients by name, filtered, one page at a time.
#[utoipa::path(get, path = "/clients", tag = "clients", params(ClientListQuery),
    responses(
        (status = 200, description = "One page of clients", body = List<ClientView>),
        (status = 422, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list_clients(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<ClientListQuery>,
) -> ApiResult<Json<List<ClientView>>> {
    let mut errors = ValidationErrors::new();
    let filter = ClientFilterForm { q: query.q, status: query.status, company: query.company, sort: query.sort };
    let filter = errors.absorb(filter.parse());
    let page = page_request(&mut errors, query.cursor.as_deref(), query.limit);
    errors.into_result()?;
    // Without errors the filter parsed.
    let page = state.portico().list_clients(&actor, &filter.unwrap_or_default(), &page).await?;
    Ok(Json(List { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next.map(|c| c.encode()) }))
}

/// Creates a client and, unless `invite` is false, sends its invitation.
#[utoipa::path(post, path = "/clients", tag = "clients", request_body = ClientBody,
    responses(
        (status = 201, description = "Created, with warnings worth a look", body = ClientCreatedView),
        (status = 409, description = "The email is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields are not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ClientBody>,
) -> ApiResult<(StatusCode, Json<ClientCreatedView>)> {
    let form = body.into_form()?;
    let created = state.portico().create_client(&actor, form.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&created).into())))
}

/// A client with its assignment history.
#[utoipa::path(get, path = "/clients/{id}", tag = "clients", params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = ClientDetailView),
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn get_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientDetailView>> {
    let detail = state.portico().client_detail(&actor, path_id(&id)?).await?;
    Ok(Json((&detail).into()))
}

/// Changes fields of a client, permissions included.
#[utoipa::path(patch, path = "/clients/{id}", tag = "clients", request_body = ClientPatchBody,
    params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client as saved", body = ClientView),
        (status = 409, description = "The email is in use, or the client is deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields are not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn edit_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ClientPatchBody>,
) -> ApiResult<Json<ClientView>> {
    let id: ClientId = path_id(&id)?;
    let form = ClientEditForm {
        name: body.name,
        email: body.email,
        company: body.company,
        phone: body.phone,
        billing_address: body.billing_address,
        notes: body.notes,
        permissions: permissions_of(body.permissions, body.preset)?,
    };
    let client = state.portico().edit_client(&actor, id, form.parse()?).await?;
    Ok(Json((&client).into()))
}

/// Deletes a client: personal data is erased, the record stays as a tombstone.
#[utoipa::path(delete, path = "/clients/{id}", tag = "clients", params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Already deleted", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn delete_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.portico().delete_client(&actor, path_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops a client from logging in; its sessions end at once.
#[utoipa::path(post, path = "/clients/{id}/deactivate", tag = "clients", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Deactivated", body = ClientView)))]
pub(crate) async fn deactivate_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientView>> {
    Ok(Json((&state.portico().deactivate_client(&actor, path_id(&id)?).await?).into()))
}

/// Lets a deactivated client log in again.
#[utoipa::path(post, path = "/clients/{id}/reactivate", tag = "clients", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Reactivated", body = ClientView)))]
pub(crate) async fn reactivate_client(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientView>> {
    Ok(Json((&state.portico().reactivate_client(&actor, path_id(&id)?).await?).into()))
}

/// Sends a fresh invitation (older links stop working).
#[utoipa::path(post, path = "/clients/{id}/resend-invitation", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "Invitation queued", body = ClientView),
        (status = 409, description = "The client already accepted", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn resend_invitation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientView>> {
    Ok(Json((&state.portico().resend_invitation(&actor, path_id(&id)?).await?).into()))
}

/// Sends an active client a password-reset link by mail. The link is never shown to staff:
/// whoever holds it can become the client.
#[utoipa::path(post, path = "/clients/{id}/password-reset", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "Reset mail queued", body = ClientView),
        (status = 409, description = "The client is not active", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn send_password_reset(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientView>> {
    Ok(Json((&state.portico().send_password_reset(&actor, path_id(&id)?).await?).into()))
}

/// How to run an import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// Check and report only.
    pub(crate) dry_run: Option<bool>,
    /// `create` (default: existing addresses are problems) or `upsert` (they are updated).
    pub(crate) mode: Option<String>,
    /// Send new clients their invitations.
    pub(crate) invite: Option<bool>,
}

/// Imports clients from CSV (`text/csv`). A dry run reports per row; a real run writes all
/// rows or, with any problem, none.
#[utoipa::path(post, path = "/clients/import", tag = "clients", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "Header row: name,email[,company,phone,billing_address,notes,permissions]"),
    responses(
        (status = 200, description = "The report; `applied` says whether anything was written", body = ImportReportView),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows have problems; nothing was written. A problem whose `errors` name \
            each row and column, carrying the report's members too", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn import_clients(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("text/csv") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Send the file as text/csv.",
        ));
    }
    let mode = match query.mode.as_deref().map(str::trim) {
        None => ImportMode::Create,
        Some(name) => (ImportMode::ALL.into_iter().find(|mode| mode.as_str() == name))
            .ok_or_else(|| Problem::invalid_field("mode", "must be create or upsert"))?,
    };
    let options =
        ImportOptions { mode, dry_run: query.dry_run.unwrap_or(false), invite: query.invite.unwrap_or(false) };
    let report = match csv::read_import(&body) {
        Ok(rows) => state.portico().import_clients(&actor, rows, options, &|_| ()).await?,
        Err(problems) => {
            // Only admins may learn anything about the file.
            state.portico().ensure_admin(&actor).await?;
            ImportReport { problems, ..ImportReport::default() }
        }
    };
    let view = ImportReportView::from(&report);
    if report.problems.is_empty() {
        return Ok(Json(view).into_response());
    }
    let detail = format!("{} problem(s) in the file; nothing was written.", report.problems.len());
    let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "import-rejected", detail);
    for row in &report.problems {
        problem = problem.with_field(format!("row {}, {}", row.row, row.field), row.message.clone());
    }
    if let Ok(serde_json::Value::Object(members)) = serde_json::to_value(&view) {
        problem.extensions = Some(Box::new(members));
    }
    Err(problem)
}

/// Every client that is not deleted, as CSV for spreadsheets (formula-like cells defused).
#[utoipa::path(get, path = "/clients/export.csv", tag = "clients",
    responses((status = 200, description = "The clients", body = String, content_type = "text/csv")))]
pub(crate) async fn export_clients(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Response> {
    let clients = state.portico().export_clients(&actor).await?;
    Ok(crate::transfer::csv_download("clients.csv", csv::write_export(&clients)))
}
