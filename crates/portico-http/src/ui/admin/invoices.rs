//! Invoice pages: the list, an invoice with its payments and history, the draft form's
//! routes, and the commands with their confirmations (void with a reason, delete a draft).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use portico_app::AppError;
use portico_app::forms::{AmountInput, InvoiceFilterForm, PaymentForm, VoidForm};
use portico_domain::audit::AuditEvent;
use portico_domain::client::Client;
use portico_domain::ids::{ClientId, InvoiceId, PaymentId};
use portico_domain::invoice::{Invoice, InvoiceStatus, Ledger, PaymentMethod};
use portico_domain::money::Locale;
use portico_ports::repos::{BalanceFilter, InvoiceOrder, InvoiceSum};
use portico_ports::{ListOrder as _, Page, PageRequest};
use serde::Deserialize;

use super::deliveries::DeliveryRow;
use super::invoice_form::{self, InvoiceFields};
use crate::state::AppState;
use crate::ui::filters;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiForm, UiResult, given, page_id, redirect_with, render};
use crate::ui::pager::{PageAt, Pager};

/// The locale amounts are shown and typed in, until workspaces choose one.

#[derive(Template)]
#[template(path = "admin/invoices.html")]
struct InvoicesPage {
    layout: Layout,
    status: Option<InvoiceStatus>,
    order: InvoiceOrder,
    /// The client and project the list is narrowed to (ids and name), if any.
    for_client: Option<String>,
    for_project: Option<String>,
    list: ListQuery,
    pager: Pager,
    invoices: Vec<Invoice>,
    /// What every invoice the filters find comes to, per currency.
    sums: Vec<InvoiceSum>,
    today: time::Date,
    /// The names of the clients the listed invoices are addressed to, by id.
    names: HashMap<String, String>,
    errors: FieldErrors,
}

impl InvoicesPage {
    /// Whether the list is filtered by `status`.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn is_status(&self, status: &InvoiceStatus) -> bool {
        self.status == Some(*status)
    }

    fn client_name(&self, invoice: &Invoice) -> &str {
        self.names.get(&invoice.client_id().to_string()).map_or("a former client", String::as_str)
    }

    fn balance_is(&self, name: &str) -> bool {
        self.list.balance.trim().eq_ignore_ascii_case(name)
    }

    fn overdue(&self, invoice: &Invoice) -> bool {
        invoice.is_overdue(self.today)
    }

    fn named(&self, id: &str) -> &str {
        self.names.get(id).map_or("a former client", String::as_str)
    }
}

/// The list's filters and place, as its address says.
#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    balance: String,
    #[serde(default)]
    sort: String,
    #[serde(flatten)]
    at: PageAt,
}

pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx, Query(list): Query<ListQuery>) -> UiResult {
    let portico = state.portico();
    // The selects' blank choices are "all".
    let filter = InvoiceFilterForm {
        status: given(&list.status),
        client_id: given(&list.client_id),
        project_id: given(&list.project_id),
        balance: given(&list.balance),
        sort: given(&list.sort),
    };
    let (query, errors) = match filter.parse(portico.today()) {
        Ok(query) => (Some(query), FieldErrors::default()),
        Err(refused) => (None, FieldErrors::default().and_in("filter", &refused)),
    };
    let limit = PageRequest::DEFAULT_LIMIT;
    let (page, total, sums) = match &query {
        Some(query) => {
            let page = portico.list_invoices(&ctx.actor, query, &list.at.request(limit)).await?;
            let sums = portico.invoice_sums(&ctx.actor, query).await?;
            (page, Some(portico.count_invoices(&ctx.actor, query).await?), sums)
        }
        None => (Page { items: Vec::new(), next: None }, None, Vec::new()),
    };
    let filters = [
        ("status", list.status.as_str()),
        ("balance", list.balance.as_str()),
        ("client_id", list.client_id.as_str()),
        ("project_id", list.project_id.as_str()),
        ("sort", list.sort.as_str()),
    ];
    let pager = Pager::new("/admin/invoices", &filters, &list.at, limit, page.items.len(), total, page.next.as_ref());
    let mut addressed: Vec<ClientId> = page.items.iter().map(Invoice::client_id).collect();
    addressed.extend(query.as_ref().and_then(|q| q.client));
    let names = portico.clients_by_id(&ctx.actor, &addressed).await?;
    let names = names.iter().map(|c| (c.id().to_string(), c.name().to_string())).collect();
    let for_project = match query.as_ref().and_then(|q| q.project) {
        Some(project) => Some(portico.project_detail(&ctx.actor, project).await?.project.details.name.to_string()),
        None => None,
    };
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = InvoicesPage {
        layout: ctx.layout("Invoices", Section::Invoices),
        status: query.as_ref().and_then(|q| q.status),
        order: query.as_ref().map(|q| q.order).unwrap_or_default(),
        for_client: query.as_ref().and_then(|q| q.client).map(|c| c.to_string()),
        for_project,
        list,
        pager,
        invoices: page.items,
        sums,
        today: portico.today(),
        names,
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

/// Who is being invoiced, by name, for the detail page.
struct Addressee {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "admin/invoice.html")]
struct InvoicePage {
    layout: Layout,
    invoice: Invoice,
    today: time::Date,
    client: Addressee,
    history: Vec<AuditEvent>,
    /// The mail the invoice sent its client.
    deliveries: Vec<DeliveryRow>,
    /// The payment form as typed (or as it starts: the balance, today, bank transfer).
    payment: PaymentFields,
    errors: FieldErrors,
}

impl InvoicePage {
    fn overdue(&self) -> bool {
        self.invoice.is_overdue(self.today)
    }

    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn method_is(&self, method: &PaymentMethod) -> bool {
        self.payment.method == method.as_str()
    }

    fn title(invoice: &Invoice) -> String {
        invoice.number().map_or_else(|| "Draft invoice".to_owned(), |n| format!("Invoice {n}"))
    }
}

/// A payment as typed on the invoice page.
#[derive(Deserialize, Default)]
pub(crate) struct PaymentFields {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    reference: String,
}

impl PaymentFields {
    /// The form as it starts: the whole balance, received today, by bank transfer.
    fn settling(invoice: &Invoice, today: time::Date, locale: Locale) -> Self {
        Self {
            amount: invoice.balance().typed_in(locale),
            paid_on: today.to_string(),
            method: PaymentMethod::BankTransfer.as_str().to_owned(),
            reference: String::new(),
        }
    }
}

async fn invoice_page(
    state: &AppState,
    ctx: &Ctx,
    invoice: Invoice,
    payment: Option<PaymentFields>,
    errors: FieldErrors,
) -> UiResult {
    let portico = state.portico();
    let today = portico.today();
    let names = portico.clients_by_id(&ctx.actor, &[invoice.client_id()]).await?;
    let name = names.first().map_or_else(|| "A former client".to_owned(), |c| c.name().to_string());
    let client = Addressee { id: invoice.client_id().to_string(), name };
    let history = portico.invoice_history(&ctx.actor, invoice.id()).await?;
    let mail = portico.invoice_deliveries(&ctx.actor, invoice.id()).await?;
    let deliveries = DeliveryRow::all(portico, &mail, &state.config().public_url);
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = InvoicePage {
        layout: ctx.layout(InvoicePage::title(&invoice), Section::Invoices),
        payment: payment.unwrap_or_else(|| PaymentFields::settling(&invoice, today, ctx.workspace.locale())),
        invoice,
        today,
        client,
        history,
        deliveries,
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

pub(crate) async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().invoice(&ctx.actor, page_id(&id)?).await?;
    invoice_page(&state, &ctx, invoice, None, FieldErrors::default()).await
}

pub(crate) async fn pdf(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().invoice_document(&ctx.actor, page_id(&id)?).await?;
    Ok(crate::transfer::invoice_pdf(state.portico(), &invoice, &ctx.workspace).await)
}

pub(crate) async fn new_page(State(state): State<AppState>, ctx: Ctx, Query(start): Query<NewQuery>) -> UiResult {
    let form =
        InvoiceFields::blank(ctx.workspace.settings.billing.currency.code(), start.client_id.unwrap_or_default());
    invoice_form::page(&state, &ctx, None, form, FieldErrors::default()).await
}

/// What a new invoice may start with: the client, from its page.
#[derive(Deserialize, Default)]
pub(crate) struct NewQuery {
    client_id: Option<String>,
}

pub(crate) async fn create(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<InvoiceFields>) -> UiResult {
    invoice_form::save(&state, &ctx, None, form).await
}

pub(crate) async fn edit_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().invoice(&ctx.actor, page_id(&id)?).await?;
    if !invoice.actions().edit {
        return Ok(redirect_with(&format!("/admin/invoices/{}", invoice.id()), "Only drafts can be edited."));
    }
    let form = invoice_form::of_invoice(&invoice, ctx.workspace.locale());
    invoice_form::page(&state, &ctx, Some(&invoice), form, FieldErrors::default()).await
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<InvoiceFields>,
) -> UiResult {
    let invoice = state.portico().invoice(&ctx.actor, page_id(&id)?).await?;
    invoice_form::save(&state, &ctx, Some(&invoice), form).await
}

/// The address of an invoice's page.
fn at(invoice: &Invoice) -> String {
    format!("/admin/invoices/{}", invoice.id())
}

pub(crate) async fn send(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().send_invoice(&ctx.actor, page_id(&id)?).await?;
    let number = invoice.number().map(ToString::to_string).unwrap_or_default();
    Ok(redirect_with(&at(&invoice), &format!("Invoice {number} is sent: the client can see it now.")))
}

pub(crate) async fn record_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(fields): UiForm<PaymentFields>,
) -> UiResult {
    let id: InvoiceId = page_id(&id)?;
    let portico = state.portico();
    let invoice = portico.invoice(&ctx.actor, id).await?;
    let form = PaymentForm {
        amount: AmountInput::Typed(fields.amount.clone()),
        paid_on: fields.paid_on.clone(),
        method: fields.method.clone(),
        reference: Some(fields.reference.clone()),
    };
    let recorded = match form.parse(invoice.currency(), ctx.workspace.locale()) {
        Ok(payment) => portico.record_payment(&ctx.actor, id, payment).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match recorded {
        Ok(paid) => {
            let what = if paid.status() == InvoiceStatus::Paid {
                "The invoice is paid in full."
            } else {
                "The payment is recorded."
            };
            Ok(redirect_with(&at(&paid), what))
        }
        Err(AppError::Invalid(errors)) => {
            invoice_page(&state, &ctx, invoice, Some(fields), FieldErrors::default().and_in("payment", &errors)).await
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn email(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().email_invoice(&ctx.actor, page_id(&id)?).await?;
    Ok(redirect_with(&format!("{}#deliveries", at(&invoice)), "The invoice is on its way to the client again."))
}

pub(crate) async fn mark_paid(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().mark_invoice_paid(&ctx.actor, page_id(&id)?).await?;
    Ok(redirect_with(&at(&invoice), "The invoice is paid in full."))
}

pub(crate) async fn remove_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, payment)): Path<(String, String)>,
) -> UiResult {
    let payment: PaymentId = page_id(&payment)?;
    let invoice = state.portico().remove_payment(&ctx.actor, payment).await?;
    Ok(redirect_with(&at(&invoice), "The payment is removed; the balance is open again."))
}

#[derive(Template)]
#[template(path = "admin/invoice_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    invoice: Invoice,
    /// `void` or `delete`.
    action: &'static str,
    reason: String,
    errors: FieldErrors,
}

impl ConfirmPage {
    fn is_void(&self) -> bool {
        self.action == "void"
    }

    /// Who the invoice was issued to, by name.
    fn addressee(&self) -> &str {
        self.invoice.billing().map_or("the client", |b| b.name.as_str())
    }
}

fn confirm_page(ctx: &Ctx, invoice: Invoice, action: &'static str, reason: String, errors: FieldErrors) -> Response {
    let number = invoice.number().map_or_else(|| "this draft".to_owned(), ToString::to_string);
    let title = if action == "void" { format!("Void invoice {number}?") } else { format!("Delete {number}?") };
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ConfirmPage { layout: ctx.layout(title, Section::Invoices), invoice, action, reason, errors };
    render(code, &page, ctx.flash.is_some())
}

pub(crate) async fn confirm_void(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().invoice(&ctx.actor, page_id(&id)?).await?;
    Ok(confirm_page(&ctx, invoice, "void", String::new(), FieldErrors::default()))
}

/// The reason for voiding, as typed.
#[derive(Deserialize, Default)]
pub(crate) struct ReasonFields {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn void(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(fields): UiForm<ReasonFields>,
) -> UiResult {
    let id: InvoiceId = page_id(&id)?;
    let portico = state.portico();
    match (VoidForm { reason: fields.reason.clone() }).parse() {
        Ok(reason) => {
            let invoice = portico.void_invoice(&ctx.actor, id, reason).await?;
            let number = invoice.number().map(ToString::to_string).unwrap_or_default();
            Ok(redirect_with(&at(&invoice), &format!("Invoice {number} is void.")))
        }
        Err(errors) => {
            let invoice = portico.invoice(&ctx.actor, id).await?;
            Ok(confirm_page(&ctx, invoice, "void", fields.reason, FieldErrors::from(&errors)))
        }
    }
}

pub(crate) async fn confirm_delete(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().invoice(&ctx.actor, page_id(&id)?).await?;
    Ok(confirm_page(&ctx, invoice, "delete", String::new(), FieldErrors::default()))
}

pub(crate) async fn delete(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    state.portico().delete_invoice(&ctx.actor, page_id(&id)?).await?;
    Ok(redirect_with("/admin/invoices", "The draft is deleted."))
}

#[derive(Template)]
#[template(path = "admin/statement.html")]
struct StatementPage {
    layout: Layout,
    client: Client,
    ledgers: Vec<Ledger>,
    /// Where each invoice's page is: `{invoice_base}/{id}`.
    invoice_base: &'static str,
}

pub(crate) async fn statement(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let (client, ledgers) = state.portico().client_statement(&ctx.actor, page_id(&id)?).await?;
    let layout = ctx.layout(format!("Statement of {}", client.name()), Section::Clients);
    let page = StatementPage { layout, client, ledgers, invoice_base: "/admin/invoices" };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}
