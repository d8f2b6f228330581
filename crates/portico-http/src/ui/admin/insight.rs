//! What admins look at: the portal as one client sees it, companies, the outbox, the review
//! report, and "who sees this item, and why not?".

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use portico_app::{AppError, ClientPreview, Explanation};
use portico_domain::client::Client;
use portico_domain::companies::CompanyGroup;
use portico_domain::ids::{ClientId, ProjectId};
use portico_domain::portal::{PortalInvoice, PortalSections};
use portico_domain::status::ClientStatus;
use portico_domain::world::ItemRef;
use portico_ports::PageRequest;
use serde::Deserialize;

use crate::state::AppState;
use crate::ui::admin::deliveries::DeliveryRow;
use crate::ui::filters;
use crate::ui::page::{Ctx, Layout, Section, UiError, UiForm, UiResult, page_id, redirect_with, render};
use crate::ui::pager::{PageAt, Pager};
use crate::ui::picker::{self, Kind, Picker};
use crate::ui::portal::{InvoicePage, InvoicesPage, NOT_ACTIVE, ProjectPage, ProjectsPage, project_list};

/// The layout of a preview page: the client's portal, bannered as a read-only preview.
fn preview_layout(ctx: &Ctx, preview: &ClientPreview, title: String) -> Layout {
    let mut layout = ctx.layout(title, Section::Clients);
    let name = preview.client.name().as_str();
    let sees = if preview.client.status() == ClientStatus::Invited {
        format!("as {name} will see it once they accept their invitation")
    } else {
        format!("exactly as {name} sees it")
    };
    layout.banner = Some(format!("Preview: the portal {sees}. Read-only — nothing here acts on their behalf."));
    layout
}

fn preview_base(client: ClientId) -> String {
    format!("/admin/clients/{client}/preview")
}

pub(crate) async fn preview(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let preview = state.portico().preview_as_client(&ctx.actor, page_id(&id)?).await?;
    let (projects, problem) = project_list(&state, &preview.actor).await?;
    let name = preview.client.name().as_str().to_owned();
    let base = preview_base(preview.client.id());
    let page = ProjectsPage {
        layout: preview_layout(&ctx, &preview, format!("{name}'s projects")),
        heading: format!("{name}'s projects"),
        invoices_link: PortalSections::of(&preview.client).invoices.then(|| format!("{base}/invoices")),
        back_link: Some((format!("/admin/clients/{}", preview.client.id()), name.clone())),
        base,
        projects,
        problem,
        news: None,
        welcome: crate::ui::portal::welcome_of(&ctx),
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn preview_project(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, project)): Path<(String, String)>,
) -> UiResult {
    let preview = state.portico().preview_as_client(&ctx.actor, page_id(&id)?).await?;
    let project: ProjectId = page_id(&project)?;
    let project = match state.portico().portal_project(&preview.actor, project).await {
        Ok(project) => project,
        Err(AppError::Unauthenticated) => return Err(UiError::Refused(StatusCode::NOT_FOUND, NOT_ACTIVE.into())),
        Err(AppError::NotFound) => {
            let name = preview.client.name().as_str();
            return Err(UiError::Refused(StatusCode::NOT_FOUND, format!("{name} does not see this project.")));
        }
        Err(error) => return Err(error.into()),
    };
    let page = ProjectPage {
        layout: preview_layout(&ctx, &preview, project.summary.name.as_str().to_owned()),
        base: preview_base(preview.client.id()),
        download_base: "/admin/files".into(),
        sections: project.sections,
        project,
        read_only: true,
        refused: None,
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn preview_invoices(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let preview = state.portico().preview_as_client(&ctx.actor, page_id(&id)?).await?;
    let (invoices, problem) = match state.portico().portal_invoices(&preview.actor).await {
        Ok(invoices) => (invoices, None),
        Err(AppError::Unauthenticated) => (Vec::new(), Some(NOT_ACTIVE.to_owned())),
        Err(error) => return Err(error.into()),
    };
    let name = preview.client.name().as_str().to_owned();
    let page = InvoicesPage {
        layout: preview_layout(&ctx, &preview, format!("{name}'s invoices")),
        heading: format!("{name}'s invoices"),
        base: format!("/admin/clients/{}/preview/invoices", preview.client.id()),
        invoices,
        problem,
    };
    Ok(render(StatusCode::OK, &page, false))
}

/// The client being previewed and one of their invoices, as the client sees it.
async fn previewed_invoice(
    state: &AppState,
    ctx: &Ctx,
    (id, invoice): (String, String),
) -> Result<(ClientPreview, PortalInvoice), UiError> {
    let preview = state.portico().preview_as_client(&ctx.actor, page_id(&id)?).await?;
    let invoice = state.portico().portal_invoice(&preview.actor, page_id(&invoice)?).await?;
    Ok((preview, invoice))
}

pub(crate) async fn preview_invoice(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ids): Path<(String, String)>,
) -> UiResult {
    let (preview, invoice) = previewed_invoice(&state, &ctx, ids).await?;
    let layout = preview_layout(&ctx, &preview, format!("Invoice {}", invoice.number));
    let back = format!("/admin/clients/{}/preview/invoices", preview.client.id());
    Ok(render(StatusCode::OK, &InvoicePage::new(layout, back, invoice), false))
}

pub(crate) async fn preview_invoice_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(ids): Path<(String, String)>,
) -> UiResult {
    let (_, invoice) = previewed_invoice(&state, &ctx, ids).await?;
    Ok(crate::transfer::invoice_pdf(state.portico(), &invoice, &ctx.workspace).await)
}

#[derive(Template)]
#[template(path = "admin/companies.html")]
struct CompaniesPage {
    layout: Layout,
    /// Contacts grouped by company, however they spell it (the domain's grouping).
    companies: Vec<CompanyGroup>,
}

pub(crate) async fn companies(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let page = CompaniesPage {
        layout: ctx.layout("Companies", Section::Companies),
        companies: state.portico().companies(&ctx.actor).await?,
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: Layout,
    mail: Vec<DeliveryRow>,
    pager: Pager,
}

pub(crate) async fn outbox(State(state): State<AppState>, ctx: Ctx, Query(at): Query<PageAt>) -> UiResult {
    let limit = PageRequest::DEFAULT_LIMIT;
    let page = state.portico().outbox(&ctx.actor, &at.request(limit)).await?;
    let url = &state.config().public_url;
    let page = OutboxPage {
        layout: ctx.layout("Outbox", Section::Outbox),
        mail: DeliveryRow::all(state.portico(), &page.items, url),
        pager: Pager::new("/admin/outbox", &[], &at, limit, page.items.len(), None, page.next.as_ref()),
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

#[derive(Template)]
#[template(path = "admin/review.html")]
struct ReviewPage {
    layout: Layout,
    idle: Vec<Client>,
    stale: Vec<Client>,
    never: Vec<Client>,
    variants: Vec<CompanyGroup>,
    failed: usize,
    failing: Vec<Client>,
}

pub(crate) async fn review(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let portico = state.portico();
    let review = portico.client_review(&ctx.actor).await?;
    let named: Vec<ClientId> = [
        &review.active_without_active_project,
        &review.stale_invitations,
        &review.never_logged_in,
        &review.failing_notifications,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect();
    let mut clients = portico.clients_by_id(&ctx.actor, &named).await?;
    clients.sort_by_key(|c| (c.name().sort_key(), c.id()));
    let pick =
        |ids: &[ClientId]| -> Vec<Client> { clients.iter().filter(|c| ids.contains(&c.id())).cloned().collect() };
    let page = ReviewPage {
        layout: ctx.layout("Client review", Section::Review),
        idle: pick(&review.active_without_active_project),
        stale: pick(&review.stale_invitations),
        never: pick(&review.never_logged_in),
        variants: review.company_variants,
        failed: review.failed_deliveries.len(),
        failing: pick(&review.failing_notifications),
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

#[derive(Deserialize)]
pub(crate) struct BulkForm {
    #[serde(default)]
    client_ids: Vec<String>,
}

/// Deactivates the clients ticked on the review page.
pub(crate) async fn bulk_deactivate(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(form): UiForm<BulkForm>,
) -> UiResult {
    let mut done = 0;
    for id in &form.client_ids {
        state.portico().deactivate_client(&ctx.actor, page_id(id)?).await?;
        done += 1;
    }
    let message = match done {
        0 => "Nothing was selected.".to_owned(),
        1 => "One client is deactivated.".to_owned(),
        n => format!("{n} clients are deactivated."),
    };
    Ok(redirect_with("/admin/review", &message))
}

#[derive(Template)]
#[template(path = "admin/explain.html")]
struct ExplainPage {
    layout: Layout,
    item_kind: String,
    item_id: String,
    item_name: String,
    client: Picker,
    /// The rule's answer for the chosen client.
    answer: Option<Explanation>,
}

#[derive(Deserialize)]
pub(crate) struct ExplainQuery {
    #[serde(default)]
    item_kind: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_q: String,
    /// Sent to search for a client, not to explain.
    #[serde(default)]
    find: Option<String>,
}

pub(crate) async fn explain(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ExplainQuery>) -> UiResult {
    let item = match query.item_kind.as_str() {
        "task" => ItemRef::Task(page_id(&query.item_id)?),
        "file" => ItemRef::File(page_id(&query.item_id)?),
        "message" => ItemRef::Message(page_id(&query.item_id)?),
        "invoice" => ItemRef::Invoice(page_id(&query.item_id)?),
        "project" => ItemRef::Project(page_id(&query.item_id)?),
        _ => return Err(AppError::NotFound.into()),
    };
    let portico = state.portico();
    let item_name =
        portico.describe_items(&ctx.actor, &[item]).await?.pop().map(|(_, text)| text).ok_or(AppError::NotFound)?;
    let chosen = picker::kept(query.find.as_deref(), "client_id", &query.client_id).to_owned();
    let matches = picker::clients(&state, &ctx, &query.client_q, &[chosen], &[]).await?;
    let client = Picker::new(Kind::Clients, "client_id", "Client", &query.client_q, matches);
    let answer = match query.client_id.parse::<ClientId>() {
        Ok(client) if query.find.is_none() => Some(portico.explain_visibility(&ctx.actor, client, item).await?),
        _ => None,
    };
    let page = ExplainPage {
        layout: ctx.layout(format!("Who sees the {item_name}?"), Section::Projects),
        item_kind: query.item_kind,
        item_id: query.item_id,
        item_name,
        client,
        answer,
    };
    Ok(render(StatusCode::OK, &page, false))
}
