//! The client portal: the signed-in client's projects, one project with what it may see and
//! do there, its invoices. An admin's "preview as client" renders the same pages, read-only.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use portico_app::forms::AnswerForm;
use portico_app::{Actor, AppError, Me};
use portico_domain::ids::{ApprovalId, ProjectId, TaskId};
use portico_domain::invoice::Ledger;
use portico_domain::portal::{
    PortalApproval, PortalApprovalSubject, PortalInvoice, PortalProject, PortalProjectSummary, PortalSections,
    ProjectSections,
};
use portico_domain::text::{Description, MessageBody};
use serde::Deserialize;

use super::page::{Ctx, Layout, Section, UiError, UiForm, UiResult, page_id, redirect_with, render};
use crate::state::AppState;
use crate::transfer::{attachment, read_upload};
use crate::ui::filters;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(projects))
        .route("/portal/projects/{id}", get(project))
        .route("/portal/projects/{id}/messages", post(post_message))
        .route("/portal/tasks/{id}/comments", post(comment))
        .route("/portal/approvals/{id}", post(answer))
        .route("/portal/files/{id}/download", get(download))
        .route("/portal/invoices", get(invoices))
        .route("/portal/invoices/{id}", get(invoice))
        .route("/portal/invoices/{id}/pdf", get(invoice_pdf))
        .route("/portal/statement", get(statement))
        .route("/portal/activity", get(super::activity::portal_feed))
        .route("/portal/activity/read", post(super::activity::mark_read))
        .route("/portal/notifications", get(super::notifications::portal_page).post(super::notifications::portal_save))
}

/// The agency's words on a portal home.
pub(super) fn welcome_of(ctx: &Ctx) -> Option<String> {
    ctx.workspace.settings.brand.welcome.as_ref().map(ToString::to_string)
}

#[derive(Template)]
#[template(path = "portal/projects.html")]
pub(super) struct ProjectsPage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) base: String,
    pub(super) invoices_link: Option<String>,
    /// For a preview: the client's page to go back to, and the client's name.
    pub(super) back_link: Option<(String, String)>,
    pub(super) projects: Vec<PortalProjectSummary>,
    pub(super) problem: Option<String>,
    /// The client's latest news, on their own home (not in a preview).
    pub(super) news: Option<super::activity::News>,
    /// The agency's welcome text, when it wrote one.
    pub(super) welcome: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/project.html")]
pub(super) struct ProjectPage {
    pub(super) layout: Layout,
    pub(super) base: String,
    pub(super) download_base: String,
    pub(super) project: PortalProject,
    /// The parts of the project the client's permissions open; the others are left out.
    pub(super) sections: ProjectSections,
    pub(super) read_only: bool,
    /// A refused message or comment: the form (`message`, `comment-{task id}`), what was
    /// typed, and why.
    pub(super) refused: Option<Refused>,
}

/// A message or comment the portal refused, shown again in its own form.
pub(super) struct Refused {
    form: String,
    body: String,
    error: String,
}

impl ProjectPage {
    /// What was typed into `form`, when it was the one refused.
    fn kept(&self, form: &str) -> &str {
        self.refused.as_ref().filter(|r| r.form == form).map_or("", |r| r.body.as_str())
    }

    /// Why `form` was refused.
    fn error_of(&self, form: &str) -> Option<&str> {
        self.refused.as_ref().filter(|r| r.form == form).map(|r| r.error.as_str())
    }

    /// What an approval asks about, as far as this client sees it: the task's description,
    /// or where to download the file.
    fn approval_shows<'a>(&'a self, approval: &'a PortalApproval) -> Shows<'a> {
        match &approval.subject {
            PortalApprovalSubject::Task { id, title } => Shows {
                name: title.as_str(),
                description: self.project.tasks.iter().find(|t| t.id == *id).and_then(|t| t.description.as_ref()),
                download: None,
            },
            PortalApprovalSubject::File { id, name } => Shows {
                name: name.as_str(),
                description: None,
                // Only a file this client sees is linked.
                download: (self.project.files.iter().any(|f| f.id == *id))
                    .then(|| format!("{}/{id}/download", self.download_base)),
            },
        }
    }
}

/// What the portal shows of an approval's subject.
struct Shows<'a> {
    /// The task's title or the file's name.
    name: &'a str,
    description: Option<&'a Description>,
    /// Where to download the file to review.
    download: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/invoices.html")]
pub(super) struct InvoicesPage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    /// Where each invoice's page is: `{base}/{id}`.
    pub(super) base: String,
    pub(super) invoices: Vec<PortalInvoice>,
    pub(super) problem: Option<String>,
}

impl InvoicesPage {
    /// Whether the list has a balance column: the viewer has `payments` (every invoice then
    /// carries its payments).
    fn shows_balances(&self) -> bool {
        self.invoices.iter().any(|i| i.payments.is_some())
    }

    /// Whether to link the statement: the client's own portal (not a preview) with balances.
    fn shows_statement(&self) -> bool {
        self.base == "/portal/invoices" && self.shows_balances()
    }
}

/// What a portal page shows for `actor`: its projects, or why there are none to show.
pub(super) async fn project_list(
    state: &AppState,
    actor: &Actor,
) -> Result<(Vec<PortalProjectSummary>, Option<String>), UiError> {
    match state.portico().portal_projects(actor).await {
        Ok(projects) => Ok((projects, None)),
        Err(AppError::Unauthenticated) => Ok((Vec::new(), Some(NOT_ACTIVE.to_owned()))),
        Err(error) => Err(error.into()),
    }
}

/// Why a previewed client sees nothing.
pub(super) const NOT_ACTIVE: &str = "This client is not active, so the portal shows them nothing.";

/// Why a client whose permissions open nothing sees an empty portal.
pub(super) const NOTHING_OPEN: &str =
    "Your account does not include any projects or invoices yet. The team can change what you see.";

async fn projects(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let Me::Client(client) = &ctx.me else {
        return Err(AppError::Forbidden.into());
    };
    let sections = PortalSections::of(client);
    if sections.starts_at_invoices() {
        return Ok(Redirect::to("/portal/invoices").into_response());
    }
    let (projects, problem) = project_list(&state, &ctx.actor).await?;
    let problem = problem.or_else(|| (!sections.projects).then(|| NOTHING_OPEN.to_owned()));
    let latest = state.portico().feed(&ctx.actor, None, None, super::activity::HOME_SIZE).await?;
    let page = ProjectsPage {
        layout: ctx.layout("Your projects", Section::Portal),
        heading: "Your projects".into(),
        base: "/portal".into(),
        invoices_link: None,
        back_link: None,
        projects,
        problem,
        news: Some(super::activity::News::of(&latest)),
        welcome: welcome_of(&ctx),
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

async fn project(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    project_page_of(&state, &ctx, page_id(&id)?, None).await
}

/// The client's page of project `id`, with `refused` shown in its form.
async fn project_page_of(state: &AppState, ctx: &Ctx, id: ProjectId, refused: Option<Refused>) -> UiResult {
    let project = state.portico().portal_project(&ctx.actor, id).await?;
    let page = ProjectPage {
        layout: ctx.layout(project.summary.name.to_string(), Section::Portal),
        base: "/portal".into(),
        download_base: "/portal/files".into(),
        sections: project.sections,
        project,
        read_only: false,
        refused,
    };
    let status = if page.refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(status, &page, ctx.flash.is_some()))
}

#[derive(Deserialize)]
struct PostForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: Option<String>,
}

/// The message typed into `form`, or the form refused with what was typed and why.
fn body_of(form_name: String, form: &PostForm) -> Result<MessageBody, Refused> {
    MessageBody::parse(&form.body).map_err(|e| Refused {
        form: form_name,
        body: form.body.clone(),
        error: e.to_string(),
    })
}

fn project_page(id: &str) -> String {
    match id.parse::<ProjectId>() {
        Ok(id) => format!("/portal/projects/{id}"),
        Err(_) => "/portal".to_owned(),
    }
}

async fn post_message(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<PostForm>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    match body_of("message".to_owned(), &form) {
        Ok(body) => {
            state.portico().portal_post_message(&ctx.actor, id, body).await?;
            Ok(redirect_with(&format!("/portal/projects/{id}#messages"), "Your message is posted."))
        }
        Err(refused) => project_page_of(&state, &ctx, id, Some(refused)).await,
    }
}

async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<PostForm>,
) -> UiResult {
    let id: TaskId = page_id(&id)?;
    match body_of(format!("comment-{id}"), &form) {
        Ok(body) => {
            state.portico().portal_comment(&ctx.actor, id, body).await?;
            Ok(redirect_with(&format!("{}#task-{id}", project_page(&form.project_id)), "Your comment is posted."))
        }
        Err(refused) => project_page_of(&state, &ctx, page_id(&form.project_id)?, Some(refused)).await,
    }
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    UiForm(form): UiForm<PostForm>,
) -> UiResult {
    let id: ApprovalId = page_id(&id)?;
    let answer = AnswerForm { decision: form.decision.clone(), comment: form.comment.clone() }.parse()?;
    state.portico().answer_approval(&ctx.actor, id, answer).await?;
    Ok(redirect_with(&format!("{}#approvals", project_page(&form.project_id)), "Thank you — your answer is recorded."))
}

pub(super) async fn upload_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let id: ProjectId = page_id(&id)?;
    let mut upload = read_upload(multipart, false).await?;
    upload.visibility = Some("client".to_owned());
    state.portico().portal_upload_file(&ctx.actor, id, upload.parse()?).await?;
    Ok(redirect_with(&format!("/portal/projects/{id}#files"), "Your file is uploaded."))
}

async fn download(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let id = page_id(&id)?;
    let (file, bytes): (_, Vec<u8>) = state.portico().portal_download_file(&ctx.actor, id).await?;
    Ok(attachment(&file, bytes))
}

async fn invoices(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    // Without `invoices` there is no invoice this client may see, so no page of them either.
    if matches!(&ctx.me, Me::Client(client) if !PortalSections::of(client).invoices) {
        return Err(AppError::NotFound.into());
    }
    let invoices = state.portico().portal_invoices(&ctx.actor).await?;
    let page = InvoicesPage {
        layout: ctx.layout("Invoices", Section::PortalInvoices),
        heading: "Invoices".into(),
        base: "/portal/invoices".into(),
        invoices,
        problem: None,
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

#[derive(Template)]
#[template(path = "portal/invoice.html")]
pub(super) struct InvoicePage {
    pub(super) layout: Layout,
    /// The invoice list this page belongs to.
    pub(super) back: String,
    pub(super) invoice: PortalInvoice,
}

impl InvoicePage {
    /// The page of one invoice the client sees.
    pub(super) fn new(layout: Layout, back: String, invoice: PortalInvoice) -> Self {
        Self { layout, back, invoice }
    }

    fn title(invoice: &PortalInvoice) -> String {
        format!("Invoice {}", invoice.number)
    }
}

#[derive(Template)]
#[template(path = "portal/statement.html")]
struct StatementPage {
    layout: Layout,
    ledgers: Vec<Ledger>,
    /// Where each invoice's page is: `{invoice_base}/{id}`.
    invoice_base: &'static str,
}

async fn statement(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    let ledgers = state.portico().portal_statement(&ctx.actor).await?;
    let page = StatementPage {
        layout: ctx.layout("Statement of account", Section::PortalInvoices),
        ledgers,
        invoice_base: "/portal/invoices",
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

async fn invoice_pdf(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().portal_invoice(&ctx.actor, page_id(&id)?).await?;
    Ok(crate::transfer::invoice_pdf(state.portico(), &invoice, &ctx.workspace).await)
}

async fn invoice(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> UiResult {
    let invoice = state.portico().portal_invoice(&ctx.actor, page_id(&id)?).await?;
    let layout = ctx.layout(InvoicePage::title(&invoice), Section::PortalInvoices);
    let page = InvoicePage::new(layout, "/portal/invoices".into(), invoice);
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}
