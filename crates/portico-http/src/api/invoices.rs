//! Invoices: drafts, sending, payment and voiding.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portico_app::forms::{InvoiceFilterForm, InvoiceForm, LineForm};
use portico_domain::validation::ValidationErrors;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::page_request;
use crate::extract::{ApiJson, ApiQuery, Caller, Object, path_id};
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::views::{InvoiceView, List};

/// One line of a new invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"description": "Brand workshop", "quantity": "1.5", "unit_price_minor": 125_000}))]
pub(crate) struct LineBody {
    /// What is billed.
    pub(crate) description: String,
    /// How many: a decimal string with at most three places (`"1.5"`), exact where a JSON
    /// number would be a binary fraction.
    pub(crate) quantity: String,
    /// Price of one, in minor units (cents).
    #[serde(deserialize_with = "crate::extract::whole_number")]
    pub(crate) unit_price_minor: i64,
}

/// A new draft invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"client_id": "01a233df-289d-7743-8c35-36f545b78bac", "number": "ACME-001", "currency": "EUR", "due_date": "2026-05-01", "lines": [{"description": "Brand workshop", "quantity": "2", "unit_price_minor": 125_000}]}))]
pub(crate) struct InvoiceBody {
    /// The client billed.
    pub(crate) client_id: String,
    /// The project billed.
    pub(crate) project_id: Option<String>,
    /// Invoice number, unique in the workspace.
    pub(crate) number: String,
    /// ISO 4217 code.
    pub(crate) currency: String,
    /// Due date (`YYYY-MM-DD`).
    pub(crate) due_date: Option<String>,
    /// Lines.
    #[schema(value_type = Vec<LineBody>)]
    pub(crate) lines: Vec<Object<LineBody>>,
}

/// Creates a draft invoice. Clients see it only once it is sent.
#[utoipa::path(post, path = "/invoices", tag = "invoices", request_body = InvoiceBody,
    responses(
        (status = 201, description = "The draft", body = InvoiceView),
        (status = 409, description = "The number is in use", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<InvoiceBody>,
) -> ApiResult<(StatusCode, Json<InvoiceView>)> {
    let lines = (body.lines.into_iter())
        .map(|Object(line)| LineForm {
            description: line.description,
            quantity: line.quantity,
            unit_price_minor: line.unit_price_minor,
        })
        .collect();
    let form = InvoiceForm {
        client_id: body.client_id,
        project_id: body.project_id,
        number: body.number,
        currency: body.currency,
        due_date: body.due_date,
        lines,
    };
    let invoice = state.portico().create_invoice(&actor, form.parse()?).await?;
    Ok((StatusCode::CREATED, Json((&invoice).into())))
}

/// Which invoices to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct InvoiceListQuery {
    /// Only this client's.
    pub(crate) client_id: Option<String>,
    /// Only this project's.
    pub(crate) project_id: Option<String>,
    /// `draft`, `sent`, `paid` or `void`.
    pub(crate) status: Option<String>,
    /// `number` (the newest number first, the default) or `due` (the nearest due date
    /// first, undated last).
    pub(crate) sort: Option<String>,
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// Invoices, the newest number first or by due date.
#[utoipa::path(get, path = "/invoices", tag = "invoices", params(InvoiceListQuery),
    responses((status = 200, description = "One page of invoices", body = List<InvoiceView>)))]
pub(crate) async fn list_invoices(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<InvoiceListQuery>,
) -> ApiResult<Json<List<InvoiceView>>> {
    let mut errors = ValidationErrors::new();
    let filter = InvoiceFilterForm {
        client_id: query.client_id,
        project_id: query.project_id,
        status: query.status,
        sort: query.sort,
    };
    let filter = errors.absorb(filter.parse());
    let page = page_request(&mut errors, query.cursor.as_deref(), query.limit);
    errors.into_result()?;
    // Without errors the filter parsed.
    let page = state.portico().list_invoices(&actor, &filter.unwrap_or_default(), &page).await?;
    Ok(Json(List { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next.map(|c| c.encode()) }))
}

/// Sends a draft: the billing details are captured and the client can see it.
#[utoipa::path(post, path = "/invoices/{id}/send", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Sent", body = InvoiceView)))]
pub(crate) async fn send_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(Json((&state.portico().send_invoice(&actor, path_id(&id)?).await?).into()))
}

/// Marks a sent invoice paid.
#[utoipa::path(post, path = "/invoices/{id}/mark-paid", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Paid", body = InvoiceView)))]
pub(crate) async fn mark_invoice_paid(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(Json((&state.portico().mark_invoice_paid(&actor, path_id(&id)?).await?).into()))
}

/// Voids a draft or sent invoice.
#[utoipa::path(post, path = "/invoices/{id}/void", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Void", body = InvoiceView)))]
pub(crate) async fn void_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(Json((&state.portico().void_invoice(&actor, path_id(&id)?).await?).into()))
}
