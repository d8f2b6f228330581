//! Client pages: the list with search and filters, a new client, a client's page with edit,
//! delivery log and history, and the status changes with their confirmations.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use portico_app::forms::{ClientEditForm, ClientFilterForm};
use portico_app::{AppError, ClientWarning};
use portico_domain::assignment::Assignment;
use portico_domain::audit::AuditEvent;
use portico_domain::client::{Client, ClientActions};
use portico_domain::ids::ClientId;
use portico_domain::impact::ProposedChange;
use portico_domain::permissions::{Permission, PermissionSet};
use portico_domain::project::Project;
use portico_domain::status::ClientStatus;
use portico_ports::repos::{ClientOrder, ClientQuery};
use portico_ports::{ListOrder as _, Page, PageRequest};
use serde::Deserialize;

use super::describe_impact;
use crate::client_body::ClientBody;
use crate::state::AppState;
use crate::ui::admin::deliveries::DeliveryRow;
use crate::ui::filters;
use crate::ui::page::{Ctx, FieldErrors, Layout, Section, UiForm, UiResult, given, page_id, redirect_with, render};
use crate::ui::pager::{PageAt, Pager};

#[derive(Template)]
#[template(path = "admin/clients.html")]
struct ListPage {
    layout: Layout,
    q: String,
    status: Option<ClientStatus>,
    company: String,
    order: ClientOrder,
    filtered: bool,
    clients: Vec<ClientRow>,
    pager: Pager,
    /// Refused filters, shown beside their fields.
    errors: FieldErrors,
}

/// A client in the list, from the domain's record.
struct ClientRow {
    id: ClientId,
    name: String,
    email: String,
    company: Option<String>,
    status: ClientStatus,
    last_login: Option<time::OffsetDateTime>,
}

impl From<&Client> for ClientRow {
    fn from(client: &Client) -> Self {
        let profile = client.profile();
        Self {
            id: client.id(),
            name: profile.name.to_string(),
            email: profile.email.to_string(),
            company: profile.company.as_ref().map(ToString::to_string),
            status: client.status(),
            last_login: client.last_login_at(),
        }
    }
}

impl ListPage {
    /// Whether the list is filtered by `status`.
    #[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass loop values by reference")]
    fn is_status(&self, status: &ClientStatus) -> bool {
        self.status == Some(*status)
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    sort: String,
    #[serde(flatten)]
    at: PageAt,
}

pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> UiResult {
    // The form's blank choices are "no filter".
    let form = ClientFilterForm {
        q: given(&query.q),
        status: given(&query.status),
        company: given(&query.company),
        sort: given(&query.sort),
    };
    let (filter, errors) = match form.parse() {
        Ok(filter) => (filter, FieldErrors::default()),
        Err(errors) => (ClientQuery::default(), FieldErrors::from(&errors)),
    };
    let (status, order) = (filter.status, filter.order);
    let portico = state.portico();
    let limit = PageRequest::DEFAULT_LIMIT;
    let (page, total) = if errors.is_empty() {
        let page = portico.list_clients(&ctx.actor, &filter, &query.at.request(limit)).await?;
        (page, Some(portico.count_clients(&ctx.actor, &filter).await?))
    } else {
        (Page { items: Vec::new(), next: None }, None)
    };
    let filters = [
        ("q", query.q.as_str()),
        ("status", query.status.as_str()),
        ("company", query.company.as_str()),
        ("sort", query.sort.as_str()),
    ];
    let pager = Pager::new("/admin/clients", &filters, &query.at, limit, page.items.len(), total, page.next.as_ref());
    let filtered = !(query.q.trim().is_empty() && query.status.is_empty() && query.company.trim().is_empty());
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        layout: ctx.layout("Clients", Section::Clients),
        q: query.q,
        status,
        order,
        company: query.company,
        filtered,
        clients: page.items.iter().map(Into::into).collect(),
        pager,
        errors,
    };
    Ok(render(code, &page, ctx.flash.is_some()))
}

#[derive(Template)]
#[template(path = "admin/client_new.html")]
struct NewPage {
    layout: Layout,
    form: ClientBody,
    invite: bool,
    errors: FieldErrors,
    /// Warnings to confirm or fix before the client is saved.
    checks: Option<Checks>,
}

/// Warnings about a client's form, asked about before it is saved: each with its one-click
/// fix, and the form as typed to save anyway (marked `checked`).
pub(crate) struct Checks {
    /// Where the forms post: the page's own form.
    action: String,
    warnings: Vec<WarningFix>,
    as_typed: Vec<(String, String)>,
    /// Whether saving also sends an invitation.
    invites: bool,
}

impl Checks {
    /// The checks of `warnings` about `form`, posted to `action`; none without warnings.
    fn of(action: String, warnings: &[ClientWarning], form: &ClientBody) -> Option<Self> {
        if warnings.is_empty() {
            return None;
        }
        let as_typed = [form.to_form(), vec![seen(CHECKED)]].concat();
        let warnings = warnings.iter().map(|w| WarningFix::new(w, form)).collect();
        Some(Self { action, warnings, as_typed, invites: form.invite == Some(true) })
    }
}

/// The mark of a form whose warnings the admin has seen, saving it as typed.
const CHECKED: &str = "checked";
/// The mark of a form whose losses of access the admin has seen and confirmed.
const CONFIRMED: &str = "confirmed";

/// The hidden field saying the admin has seen what `mark` names.
fn seen(mark: &str) -> (String, String) {
    (mark.to_owned(), "yes".to_owned())
}

/// Whether the form carries `mark`.
fn has_seen(pairs: &[(String, String)], mark: &str) -> bool {
    pairs.iter().any(|(key, value)| key == mark && value == "yes")
}

/// A warning about a client's form, with the form as it would be with the fix applied.
struct WarningFix {
    message: String,
    /// The button's words and the fixed form's fields, when the warning has a fix.
    fix: Option<(String, Vec<(String, String)>)>,
}

impl WarningFix {
    fn new(warning: &ClientWarning, form: &ClientBody) -> Self {
        let message = warning.to_string();
        let fixed = |change: &dyn Fn(&mut ClientBody)| {
            let mut fixed = form.clone();
            change(&mut fixed);
            fixed.to_form()
        };
        let fix = match warning {
            ClientWarning::EmailTypo { suggestion } => {
                let email = suggestion.as_str().to_owned();
                Some((format!("Use {email}"), fixed(&|f: &mut ClientBody| f.email.clone_from(&email))))
            }
            ClientWarning::CompanyVariant { in_use } => {
                Some((format!("Use “{in_use}”"), fixed(&|f: &mut ClientBody| f.company = Some(in_use.clone()))))
            }
            ClientWarning::NoPermissions => None,
        };
        Self { message, fix }
    }
}

pub(crate) async fn new_page(ctx: Ctx) -> UiResult {
    if !ctx.is_admin() {
        return Err(AppError::Forbidden.into());
    }
    let form = ClientBody { preset: Some("collaborator".into()), ..ClientBody::default() };
    let page = NewPage {
        layout: ctx.layout("New client", Section::Clients),
        form,
        invite: true,
        errors: FieldErrors::default(),
        checks: None,
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> UiResult {
    let form = ClientBody::from_form(&pairs);
    let page = |status, errors: FieldErrors, checks: Option<Checks>, form: ClientBody| {
        let invite = form.invite == Some(true);
        let page = NewPage { layout: ctx.layout("New client", Section::Clients), form, invite, errors, checks };
        Ok(render(status, &page, false))
    };
    let new = match form.clone().into_form().and_then(|typed| typed.parse()) {
        Ok(new) => new,
        Err(errors) => return page(StatusCode::UNPROCESSABLE_ENTITY, FieldErrors::from(&errors), None, form),
    };
    // Warnings are asked about before anything is saved or any invitation queued.
    if !has_seen(&pairs, CHECKED) {
        let warnings = state.portico().check_new_client(&ctx.actor, &new).await?;
        if let Some(checks) = Checks::of("/admin/clients/new".to_owned(), &warnings, &form) {
            return page(StatusCode::OK, FieldErrors::default(), Some(checks), form);
        }
    }
    let new_invites = new.invite;
    match state.portico().create_client(&ctx.actor, new).await {
        Ok(created) => {
            let id = created.client.id();
            let sent = if new_invites { " The invitation is on its way." } else { "" };
            Ok(redirect_with(
                &format!("/admin/clients/{id}"),
                &format!("{} is saved.{sent}", created.client.name().as_str()),
            ))
        }
        Err(AppError::Conflict(_)) => {
            let taken = ("email", "is already used by another client or staff member").into();
            page(StatusCode::UNPROCESSABLE_ENTITY, taken, None, form)
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/client.html")]
struct ClientPage {
    layout: Layout,
    client: Client,
    /// What staff may do with the client now: the buttons the page shows.
    actions: ClientActions,
    warnings: Vec<WarningLine>,
    form: ClientBody,
    errors: FieldErrors,
    /// Warnings about the edit, asked about before it is saved.
    checks: Option<Checks>,
    /// Every assignment, current and ended, with its project.
    assignments: Vec<(Assignment, Project)>,
    deliveries: Vec<DeliveryRow>,
    /// The client's audit trail, newest first.
    history: Vec<AuditEvent>,
}

/// A warning about a saved client, with its one-click fix when there is one.
struct WarningLine {
    message: String,
    /// The company spelling other contacts use, to adopt.
    use_company: Option<String>,
}

impl From<&ClientWarning> for WarningLine {
    fn from(warning: &ClientWarning) -> Self {
        let use_company = match warning {
            ClientWarning::CompanyVariant { in_use } => Some(in_use.clone()),
            ClientWarning::EmailTypo { .. } | ClientWarning::NoPermissions => None,
        };
        Self { message: warning.to_string(), use_company }
    }
}

/// The client page, with the edit form holding `form` (the saved values when `None`).
async fn client_page(
    state: &AppState,
    ctx: &Ctx,
    id: ClientId,
    form: Option<(ClientBody, FieldErrors)>,
    checks: Option<Checks>,
) -> UiResult {
    let portico = state.portico();
    let detail = portico.client_detail(&ctx.actor, id).await?;
    let deliveries = portico.client_deliveries(&ctx.actor, id).await?;
    let history = portico.client_history(&ctx.actor, id).await?;
    let actions = detail.client.actions();
    let refused = form.as_ref().is_some_and(|(_, errors)| !errors.is_empty());
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (form, errors) = form.unwrap_or_else(|| (ClientBody::of(&detail.client), FieldErrors::default()));
    let url = &state.config().public_url;
    let page = ClientPage {
        layout: ctx.layout(detail.client.name().to_string(), Section::Clients),
        actions,
        warnings: detail.warnings.iter().map(Into::into).collect(),
        form,
        errors,
        checks,
        deliveries: DeliveryRow::all(state.portico(), &deliveries, url),
        history: history.into_iter().rev().collect(),
        client: detail.client,
        assignments: detail.assignments,
    };
    Ok(render(status, &page, ctx.flash.is_some()))
}

pub(crate) async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    client_page(&state, &ctx, page_id(&id)?, None, None).await
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let form = ClientBody::from_form(&pairs);
    let confirmed = has_seen(&pairs, CONFIRMED);
    let edit = match form.clone().into_edit().and_then(|typed| typed.parse()) {
        Ok(edit) => edit,
        Err(errors) => return client_page(&state, &ctx, id, Some((form, FieldErrors::from(&errors))), None).await,
    };
    // Warnings about what the edit changes are asked about before anything is saved.
    if !has_seen(&pairs, CHECKED) {
        let warnings = state.portico().check_client_edit(&ctx.actor, id, &edit).await?;
        if let Some(checks) = Checks::of(format!("/admin/clients/{id}"), &warnings, &form) {
            return client_page(&state, &ctx, id, Some((form, FieldErrors::default())), Some(checks)).await;
        }
    }
    if let Some(permissions) = edit.permissions
        && !confirmed
    {
        let client = state.portico().client_detail(&ctx.actor, id).await?.client;
        if client.permissions().missing_from(&permissions).next().is_some() {
            return confirm_narrowing(&state, &ctx, &client, permissions, &form, has_seen(&pairs, CHECKED)).await;
        }
    }
    match state.portico().edit_client(&ctx.actor, id, edit).await {
        Ok(client) => {
            Ok(redirect_with(&format!("/admin/clients/{id}"), &format!("{} is saved.", client.name().as_str())))
        }
        Err(AppError::Conflict(_)) => {
            let errors = FieldErrors::from(("email", "is already used by another client or staff member"));
            client_page(&state, &ctx, id, Some((form, errors)), None).await
        }
        Err(error) => Err(error.into()),
    }
}

/// Before permissions shrink: who loses what, with the edit carried through.
async fn confirm_narrowing(
    state: &AppState,
    ctx: &Ctx,
    client: &Client,
    permissions: PermissionSet,
    form: &ClientBody,
    checked: bool,
) -> UiResult {
    let id = client.id();
    let change = ProposedChange::SetPermissions { client: id, permissions };
    let losses = state.portico().preview_impact(&ctx.actor, &change).await?;
    let name = client.name().as_str();
    let removed: Vec<&str> = client.permissions().missing_from(&permissions).map(Permission::as_str).collect();
    let page = ConfirmPage {
        layout: ctx.layout(format!("Narrow {name}'s permissions?"), Section::Clients),
        explanation: vec![format!("{name} loses: {}. This applies from their next page load.", removed.join(", "))],
        impact: describe_impact(state, &ctx.actor, &losses).await?,
        action: format!("/admin/clients/{id}"),
        // What the admin has already seen is carried, so it is not asked again.
        hidden: [form.to_form(), vec![seen(CONFIRMED)], if checked { vec![seen(CHECKED)] } else { Vec::new() }]
            .concat(),
        button: "Save the narrower permissions".into(),
        cancel: format!("/admin/clients/{id}"),
        danger: !losses.is_empty(),
    };
    Ok(render(StatusCode::OK, &page, false))
}

#[derive(Deserialize)]
pub(crate) struct CompanyForm {
    #[serde(default)]
    company: String,
}

/// Adopts the company spelling other contacts use.
pub(crate) async fn use_company(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<CompanyForm>,
) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let edit = ClientEditForm { company: Some(Some(form.company.clone())), ..ClientEditForm::default() }.parse()?;
    state.portico().edit_client(&ctx.actor, id, edit).await?;
    Ok(redirect_with(&format!("/admin/clients/{id}"), &format!("The company is now “{}”.", form.company)))
}

pub(crate) async fn resend(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    state.portico().resend_invitation(&ctx.actor, id).await?;
    Ok(redirect_with(
        &format!("/admin/clients/{id}#deliveries"),
        "A new invitation is on its way; older links no longer work.",
    ))
}

pub(crate) async fn send_reset(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let client = state.portico().send_password_reset(&ctx.actor, id).await?;
    let message =
        format!("A password-reset link is on its way to {}; older reset links no longer work.", client.email());
    Ok(redirect_with(&format!("/admin/clients/{id}#deliveries"), &message))
}

#[derive(Template)]
#[template(path = "admin/confirm.html")]
pub(crate) struct ConfirmPage {
    pub(crate) layout: Layout,
    pub(crate) explanation: Vec<String>,
    pub(crate) impact: Vec<(String, Vec<String>)>,
    pub(crate) action: String,
    pub(crate) hidden: Vec<(String, String)>,
    pub(crate) button: String,
    pub(crate) cancel: String,
    pub(crate) danger: bool,
}

pub(crate) async fn confirm_deactivate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let client = state.portico().client_detail(&ctx.actor, id).await?.client;
    let losses = state.portico().preview_impact(&ctx.actor, &ProposedChange::Deactivate { client: id }).await?;
    let name = client.name().as_str();
    let page = ConfirmPage {
        layout: ctx.layout(format!("Deactivate {name}?"), Section::Clients),
        explanation: vec![
            format!("{name} will be logged out at once and cannot log in until reactivated."),
            "Their profile, projects and history stay; you can reactivate them at any time.".into(),
        ],
        impact: describe_impact(&state, &ctx.actor, &losses).await?,
        action: format!("/admin/clients/{id}/deactivate"),
        hidden: Vec::new(),
        button: "Deactivate".into(),
        cancel: format!("/admin/clients/{id}"),
        danger: true,
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn deactivate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let client = state.portico().deactivate_client(&ctx.actor, id).await?;
    Ok(redirect_with(
        &format!("/admin/clients/{id}"),
        &format!("{} is deactivated and logged out.", client.name().as_str()),
    ))
}

pub(crate) async fn reactivate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let client = state.portico().reactivate_client(&ctx.actor, id).await?;
    Ok(redirect_with(&format!("/admin/clients/{id}"), &format!("{} is reactivated.", client.name().as_str())))
}

pub(crate) async fn confirm_delete(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    let client = state.portico().client_detail(&ctx.actor, id).await?.client;
    let losses = state.portico().preview_impact(&ctx.actor, &ProposedChange::Delete { client: id }).await?;
    let name = client.name().as_str();
    let page = ConfirmPage {
        layout: ctx.layout(format!("Delete {name}?"), Section::Clients),
        explanation: vec![
            format!(
                "{name} will be logged out for good. Their name, email, phone, address and notes are erased, also from the history and the outbox."
            ),
            "What they posted stays in the projects, credited to “Deleted client”. This cannot be undone.".into(),
        ],
        impact: describe_impact(&state, &ctx.actor, &losses).await?,
        action: format!("/admin/clients/{id}/delete"),
        hidden: Vec::new(),
        button: "Delete for good".into(),
        cancel: format!("/admin/clients/{id}"),
        danger: true,
    };
    Ok(render(StatusCode::OK, &page, false))
}

pub(crate) async fn delete(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id: ClientId = page_id(&id)?;
    state.portico().delete_client(&ctx.actor, id).await?;
    Ok(redirect_with("/admin/clients", "The client is deleted and their personal data erased."))
}
