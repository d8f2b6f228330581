//! Invoices: drafts and their edits, sending, payments, voiding and deleting drafts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use portico_app::csv;
use portico_app::forms::{AmountInput, DiscountInput, InvoiceFilterForm, InvoiceForm, LineForm, PaymentForm, VoidForm};
use portico_domain::invoice::Invoice;
use portico_domain::money::Locale;
use portico_domain::validation::ValidationErrors;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Patch, page_request};
use crate::extract::{ApiJson, ApiQuery, Caller, Object, path_id};
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::views::{InvoiceView, LedgerView, List};

/// One line of an invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"description": "Brand workshop", "quantity": "1.5", "unit_price_minor": 125_000, "tax_rate": "19", "tax_name": "VAT"}))]
pub(crate) struct LineBody {
    /// What is billed.
    pub(crate) description: String,
    /// How many: a decimal string with at most three places (`"1.5"`), exact where a JSON
    /// number would be a binary fraction.
    pub(crate) quantity: String,
    /// Price of one before tax, in minor units (cents).
    #[serde(deserialize_with = "crate::extract::whole_number")]
    pub(crate) unit_price_minor: i64,
    /// The tax rate in percent, up to three decimals (`"19"`, `"7.5"`); absent: no tax.
    pub(crate) tax_rate: Option<String>,
    /// The tax's name as printed (`"VAT"`).
    pub(crate) tax_name: Option<String>,
}

impl From<LineBody> for LineForm {
    fn from(line: LineBody) -> Self {
        Self {
            description: line.description,
            quantity: line.quantity,
            unit_price: AmountInput::Minor(line.unit_price_minor),
            tax_rate: line.tax_rate,
            tax_name: line.tax_name,
        }
    }
}

/// A discount on the whole invoice: a percentage or an amount, not both.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"percent": "10"}))]
pub(crate) struct DiscountBody {
    /// A percentage of the subtotal, up to three decimals (`"10"`).
    pub(crate) percent: Option<String>,
    /// A fixed amount in minor units, at most the subtotal.
    #[serde(default, deserialize_with = "crate::extract::optional_whole_number")]
    pub(crate) amount_minor: Option<i64>,
}

impl DiscountBody {
    fn input(self, errors: &mut ValidationErrors) -> DiscountInput {
        match (self.percent, self.amount_minor) {
            (Some(percent), None) => DiscountInput::Percent(percent),
            (None, Some(minor)) => DiscountInput::Amount(AmountInput::Minor(minor)),
            (None, None) => DiscountInput::None,
            (Some(_), Some(_)) => {
                errors.add("discount", "give a percent or an amount, not both");
                DiscountInput::None
            }
        }
    }
}

/// A new draft invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"client_id": "01a233df-289d-7743-8c35-36f545b78bac", "currency": "EUR", "net_days": 30, "discount": {"percent": "5"}, "lines": [{"description": "Brand workshop", "quantity": "2", "unit_price_minor": 125_000, "tax_rate": "19", "tax_name": "VAT"}]}))]
pub(crate) struct InvoiceBody {
    /// The client billed.
    pub(crate) client_id: String,
    /// The project billed.
    pub(crate) project_id: Option<String>,
    /// A number of its own, unique in the workspace; absent: the next of the workspace's
    /// pattern (`INV-2026-0001`), given when it is sent.
    pub(crate) number: Option<String>,
    /// ISO 4217 code.
    pub(crate) currency: String,
    /// The issue date (`YYYY-MM-DD`); absent: the day it is sent.
    pub(crate) issue_date: Option<String>,
    /// Due date (`YYYY-MM-DD`), or give `net_days`.
    pub(crate) due_date: Option<String>,
    /// Payment terms: due this many days after the issue date.
    #[serde(default, deserialize_with = "crate::extract::optional_whole_number")]
    pub(crate) net_days: Option<i64>,
    /// A discount on the subtotal.
    #[schema(value_type = Option<DiscountBody>)]
    pub(crate) discount: Option<Object<DiscountBody>>,
    /// A note for the client.
    pub(crate) notes: Option<String>,
    /// Terms printed at the bottom.
    pub(crate) terms: Option<String>,
    /// Lines.
    #[schema(value_type = Vec<LineBody>)]
    pub(crate) lines: Vec<Object<LineBody>>,
}

/// Changes to a draft: absent fields stay, `null` clears an optional one; `lines` replaces
/// every line.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"net_days": 14, "lines": [{"description": "Brand workshop", "quantity": "3", "unit_price_minor": 125_000}]}))]
pub(crate) struct InvoicePatchBody {
    /// The client billed.
    pub(crate) client_id: Option<String>,
    /// The project billed.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) project_id: Patch<String>,
    /// A number of its own; `null`: the next of the pattern when sent.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) number: Patch<String>,
    /// ISO 4217 code.
    pub(crate) currency: Option<String>,
    /// The issue date.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) issue_date: Patch<String>,
    /// Due date; setting it clears `net_days`.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) due_date: Patch<String>,
    /// Payment terms in days; setting them clears `due_date`.
    #[serde(default, deserialize_with = "crate::extract::optional_whole_number")]
    pub(crate) net_days: Option<i64>,
    /// A discount; `null` removes it.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<DiscountBody>)]
    pub(crate) discount: Patch<Object<DiscountBody>>,
    /// A note for the client.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) notes: Patch<String>,
    /// Terms printed at the bottom.
    #[serde(default, deserialize_with = "super::patch")]
    #[schema(value_type = Option<String>)]
    pub(crate) terms: Patch<String>,
    /// Every line, replacing the draft's.
    #[schema(value_type = Option<Vec<LineBody>>)]
    pub(crate) lines: Option<Vec<Object<LineBody>>>,
}

/// A payment received.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"amount_minor": 50_000, "paid_on": "2026-04-12", "method": "bank_transfer", "reference": "TX-2291"}))]
pub(crate) struct PaymentBody {
    /// How much, in minor units, at most the balance.
    #[serde(deserialize_with = "crate::extract::whole_number")]
    pub(crate) amount_minor: i64,
    /// The day the money arrived (`YYYY-MM-DD`, not after tomorrow).
    pub(crate) paid_on: String,
    /// `bank_transfer`, `card`, `cash` or `other`.
    pub(crate) method: String,
    /// The agency's reference for it.
    pub(crate) reference: Option<String>,
}

/// Why an invoice is voided.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"reason": "Issued to the wrong company."}))]
pub(crate) struct VoidBody {
    /// The reason, kept with the invoice.
    pub(crate) reason: String,
}

/// The staff answer for an invoice, as of today.
fn view(state: &AppState, invoice: &Invoice) -> Json<InvoiceView> {
    Json(InvoiceView::of(invoice, state.portico().today()))
}

/// A form from the lines of a body, each read from an object.
fn lines(lines: Vec<Object<LineBody>>) -> Vec<LineForm> {
    lines.into_iter().map(|Object(line)| line.into()).collect()
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
    let mut errors = ValidationErrors::new();
    let form = InvoiceForm {
        client_id: body.client_id,
        project_id: body.project_id,
        number: body.number,
        currency: body.currency,
        issue_date: body.issue_date,
        due_date: body.due_date,
        net_days: body.net_days.map(|n| n.to_string()),
        discount: body.discount.map_or(DiscountInput::None, |Object(d)| d.input(&mut errors)),
        notes: body.notes,
        terms: body.terms,
        lines: lines(body.lines),
    };
    let draft = parse(&form, errors)?;
    let invoice = state.portico().create_invoice(&actor, draft).await?;
    Ok((StatusCode::CREATED, view(&state, &invoice)))
}

/// Parses `form` (amounts in minor units, so the locale only reads rates), adding the
/// errors found before it.
fn parse(
    form: &InvoiceForm,
    mut errors: ValidationErrors,
) -> Result<portico_domain::invoice::InvoiceDraft, ValidationErrors> {
    let draft = errors.absorb(form.parse(Locale::default()));
    errors.into_result()?;
    Ok(draft.unwrap_or_else(|| unreachable!("no errors, so a draft")))
}

/// One invoice, with its totals, payments and balance.
#[utoipa::path(get, path = "/invoices/{id}", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "The invoice", body = InvoiceView)))]
pub(crate) async fn get_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(view(&state, &state.portico().invoice(&actor, path_id(&id)?).await?))
}

/// The invoice as a PDF: the document its client receives, with payments and balance.
/// A draft is not a document yet (409).
#[utoipa::path(get, path = "/invoices/{id}/pdf", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "The PDF", body = super::FileBytes, content_type = "application/pdf",
        headers(("Content-Disposition" = String, description = "`attachment`, named for the invoice's number")))))]
pub(crate) async fn invoice_pdf(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let invoice = state.portico().invoice_document(&actor, path_id(&id)?).await?;
    let workspace = state.portico().workspace(actor.workspace).await?;
    Ok(crate::transfer::invoice_pdf(state.portico(), &invoice, &workspace).await)
}

/// Changes a draft; a sent invoice is fixed (409).
#[utoipa::path(patch, path = "/invoices/{id}", tag = "invoices", request_body = InvoicePatchBody,
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "The draft as changed", body = InvoiceView)))]
pub(crate) async fn edit_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InvoicePatchBody>,
) -> ApiResult<Json<InvoiceView>> {
    let id = path_id(&id)?;
    let current = state.portico().invoice(&actor, id).await?;
    let draft = parse(&patched(&current, body)?, ValidationErrors::new())?;
    Ok(view(&state, &state.portico().update_invoice(&actor, id, draft).await?))
}

/// The form of `current` with the changes of `body` made.
fn patched(current: &Invoice, body: InvoicePatchBody) -> Result<InvoiceForm, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut form = InvoiceForm::of_draft(current.draft(), None);
    if let Some(client) = body.client_id {
        form.client_id = client;
    }
    if let Some(currency) = body.currency {
        form.currency = currency;
    }
    for (field, change) in [
        (&mut form.project_id, body.project_id),
        (&mut form.number, body.number),
        (&mut form.issue_date, body.issue_date),
        (&mut form.notes, body.notes),
        (&mut form.terms, body.terms),
    ] {
        if let Some(value) = change {
            *field = value;
        }
    }
    if let Some(due) = body.due_date {
        (form.due_date, form.net_days) = (due, None);
    }
    if let Some(days) = body.net_days {
        (form.due_date, form.net_days) = (None, Some(days.to_string()));
    }
    if let Some(discount) = body.discount {
        form.discount = discount.map_or(DiscountInput::None, |Object(d)| d.input(&mut errors));
    }
    if let Some(new_lines) = body.lines {
        form.lines = lines(new_lines);
    }
    errors.into_result().map(|()| form)
}

/// Deletes a draft; a sent invoice is voided instead (409).
#[utoipa::path(delete, path = "/invoices/{id}", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 204, description = "Deleted")))]
pub(crate) async fn delete_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.portico().delete_invoice(&actor, path_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which invoices to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct InvoiceListQuery {
    /// Only this client's.
    pub(crate) client_id: Option<String>,
    /// Only this project's.
    pub(crate) project_id: Option<String>,
    /// `draft`, `sent`, `partially_paid`, `paid` or `void`.
    pub(crate) status: Option<String>,
    /// `outstanding` (sent or partially paid, with a balance) or `overdue` (outstanding and
    /// past due today).
    pub(crate) balance: Option<String>,
    /// `number` (the newest number first, drafts without one last; the default) or `due`
    /// (the nearest due date first, undated last).
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
        balance: query.balance,
        sort: query.sort,
    };
    let filter = errors.absorb(filter.parse(state.portico().today()));
    let page = page_request(&mut errors, query.cursor.as_deref(), query.limit);
    errors.into_result()?;
    // Without errors the filter parsed.
    let page = state.portico().list_invoices(&actor, &filter.unwrap_or_default(), &page).await?;
    let today = state.portico().today();
    let items = page.items.iter().map(|invoice| InvoiceView::of(invoice, today)).collect();
    Ok(Json(List { items, next_cursor: page.next.map(|c| c.encode()) }))
}

/// Sends a draft: numbered from the workspace's pattern unless it has a number, with the
/// billing details captured; the client can see it from now on.
#[utoipa::path(post, path = "/invoices/{id}/send", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Sent", body = InvoiceView)))]
pub(crate) async fn send_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(view(&state, &state.portico().send_invoice(&actor, path_id(&id)?).await?))
}

/// Mails an issued invoice to its client again, with its PDF (409 for a draft, a void
/// invoice, or a client who may not see it now).
#[utoipa::path(post, path = "/invoices/{id}/email", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Queued for the client", body = InvoiceView)))]
pub(crate) async fn email_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(view(&state, &state.portico().email_invoice(&actor, path_id(&id)?).await?))
}

/// Records a payment of the whole balance, received today.
#[utoipa::path(post, path = "/invoices/{id}/mark-paid", tag = "invoices", params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Paid", body = InvoiceView)))]
pub(crate) async fn mark_invoice_paid(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(view(&state, &state.portico().mark_invoice_paid(&actor, path_id(&id)?).await?))
}

/// Records a payment against a sent invoice; one that pays the balance settles it, one
/// above the balance is refused (422 on `amount_minor`).
#[utoipa::path(post, path = "/invoices/{id}/payments", tag = "invoices", request_body = PaymentBody,
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 201, description = "The invoice with the payment", body = InvoiceView)))]
pub(crate) async fn record_payment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PaymentBody>,
) -> ApiResult<(StatusCode, Json<InvoiceView>)> {
    let id = path_id(&id)?;
    let invoice = state.portico().invoice(&actor, id).await?;
    let form = PaymentForm {
        amount: AmountInput::Minor(body.amount_minor),
        paid_on: body.paid_on,
        method: body.method,
        reference: body.reference,
    };
    let payment = form.parse(invoice.currency(), Locale::default())?;
    let invoice = state.portico().record_payment(&actor, id, payment).await?;
    Ok((StatusCode::CREATED, view(&state, &invoice)))
}

/// Removes a payment recorded by mistake (not on a void invoice: 409).
#[utoipa::path(delete, path = "/payments/{id}", tag = "invoices", params(("id" = String, Path, description = "Payment id")),
    responses((status = 200, description = "The invoice without the payment", body = InvoiceView)))]
pub(crate) async fn remove_payment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(view(&state, &state.portico().remove_payment(&actor, path_id(&id)?).await?))
}

/// Voids a sent or partially paid invoice, with the reason; its number stays taken. A
/// draft is deleted instead (409).
#[utoipa::path(post, path = "/invoices/{id}/void", tag = "invoices", request_body = VoidBody,
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, description = "Void", body = InvoiceView)))]
pub(crate) async fn void_invoice(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VoidBody>,
) -> ApiResult<Json<InvoiceView>> {
    let reason = VoidForm { reason: body.reason }.parse()?;
    Ok(view(&state, &state.portico().void_invoice(&actor, path_id(&id)?, reason).await?))
}

/// A client's statement of account: issued invoices, payments and voids with the running
/// balance, one ledger per currency.
#[utoipa::path(get, path = "/clients/{id}/statement", tag = "invoices", params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "The statement", body = List<LedgerView>)))]
pub(crate) async fn client_statement(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<List<LedgerView>>> {
    let (_, ledgers) = state.portico().client_statement(&actor, path_id(&id)?).await?;
    Ok(Json(List::all(ledgers.iter().map(Into::into).collect())))
}

/// Every invoice as CSV for spreadsheets and accounting (amounts as plain decimals,
/// formula-like cells defused).
#[utoipa::path(get, path = "/invoices/export.csv", tag = "invoices",
    responses((status = 200, description = "The invoices", body = String, content_type = "text/csv")))]
pub(crate) async fn export_invoices(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Response> {
    let invoices = state.portico().export_invoices(&actor).await?;
    let ids: Vec<_> = invoices.iter().map(Invoice::client_id).collect();
    let clients = state.portico().clients_by_id(&actor, &ids).await?;
    let name = |invoice: &Invoice| match invoice.billing() {
        Some(billing) => billing.name.as_str().to_owned(),
        None => {
            clients.iter().find(|c| c.id() == invoice.client_id()).map(|c| c.name().to_string()).unwrap_or_default()
        }
    };
    Ok(crate::transfer::csv_download("invoices.csv", csv::write_invoices(&invoices, state.portico().today(), name)))
}

/// Every payment as CSV, with the number of the invoice it paid.
#[utoipa::path(get, path = "/payments/export.csv", tag = "invoices",
    responses((status = 200, description = "The payments", body = String, content_type = "text/csv")))]
pub(crate) async fn export_payments(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Response> {
    let invoices = state.portico().export_invoices(&actor).await?;
    Ok(crate::transfer::csv_download("payments.csv", csv::write_payments(&invoices)))
}
