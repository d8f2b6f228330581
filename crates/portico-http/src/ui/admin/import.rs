//! CSV import in two steps: upload and see what every row would do, then confirm.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use portico_app::{ImportMode, ImportOptions, ImportReport, RowOutcome};
use serde::Deserialize;

use crate::state::AppState;
use crate::ui::page::{Ctx, Layout, Section, UiError, UiForm, UiResult, redirect_with, render};
use portico_app::csv;

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    layout: Layout,
    preview: Option<ImportReport>,
    rows: Vec<(usize, String)>,
    file_name: String,
    csv: String,
    mode: ImportMode,
    invite: bool,
}

impl ImportPage {
    /// Whether rows whose address is taken update that client.
    fn upserts(&self) -> bool {
        self.mode == ImportMode::Upsert
    }
}

pub(crate) async fn page(ctx: Ctx) -> UiResult {
    if !ctx.is_admin() {
        return Err(portico_app::AppError::Forbidden.into());
    }
    let page = ImportPage {
        layout: ctx.layout("Import clients", Section::Import),
        preview: None,
        rows: Vec::new(),
        file_name: String::new(),
        csv: String::new(),
        mode: ImportMode::Create,
        invite: false,
    };
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

/// Each row's result for people: what it would do, or everything wrong with it.
fn row_results(report: &ImportReport) -> Vec<(usize, String)> {
    let mut rows: Vec<(usize, String)> = (report.outcomes.iter())
        .map(|(row, outcome)| {
            let text = match outcome {
                RowOutcome::Create => "new client",
                RowOutcome::Update => "updates the client with this email",
                RowOutcome::Unchanged => "already up to date",
            };
            (*row, text.to_owned())
        })
        .collect();
    for problem in &report.problems {
        let text = format!("{}: {}", problem.field, problem.message);
        match rows.iter_mut().find(|(row, _)| *row == problem.row) {
            Some((_, existing)) => {
                existing.push_str("; ");
                existing.push_str(&text);
            }
            None => rows.push((problem.row, text)),
        }
    }
    rows.sort_by_key(|(row, _)| *row);
    rows
}

fn options(mode: &str, invite: bool, dry_run: bool) -> ImportOptions {
    ImportOptions { mode: import_mode(mode), dry_run, invite }
}

/// The mode a form names; anything but `upsert` creates only.
fn import_mode(name: &str) -> ImportMode {
    ImportMode::ALL.into_iter().find(|mode| mode.as_str() == name).unwrap_or_default()
}

/// Runs an import of `bytes`, reporting file-level problems like row problems.
async fn run(state: &AppState, ctx: &Ctx, bytes: &[u8], options: ImportOptions) -> Result<ImportReport, UiError> {
    match csv::read_import(bytes) {
        Ok(rows) => Ok(state.portico().import_clients(&ctx.actor, rows, options, &|_| ()).await?),
        Err(problems) => {
            state.portico().ensure_admin(&ctx.actor).await?;
            Ok(ImportReport { problems, ..ImportReport::default() })
        }
    }
}

/// Step one: the uploaded file, checked without writing anything.
pub(crate) async fn check(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let refused = |status: StatusCode| UiError::Refused(status, "The file could not be read.".into());
    let mut multipart = multipart.map_err(|r| refused(r.status()))?;
    let (mut bytes, mut file_name, mut mode, mut invite) = (Vec::new(), String::new(), String::from("create"), false);
    while let Some(field) = multipart.next_field().await.map_err(|e| refused(e.status()))? {
        match field.name() {
            Some("file") => {
                file_name = field.file_name().unwrap_or("the file").to_owned();
                bytes = field.bytes().await.map_err(|e| refused(e.status()))?.to_vec();
            }
            Some("mode") => mode = field.text().await.map_err(|e| refused(e.status()))?,
            Some("invite") => invite = true,
            _ => {}
        }
    }
    let report = run(&state, &ctx, &bytes, options(&mode, invite, true)).await?;
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ImportPage {
        layout: ctx.layout("Import clients", Section::Import),
        rows: row_results(&report),
        preview: Some(report),
        file_name,
        csv: String::from_utf8_lossy(&bytes).into_owned(),
        mode: import_mode(&mode),
        invite,
    };
    Ok(render(status, &page, false))
}

#[derive(Deserialize)]
pub(crate) struct ApplyForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    invite: Option<String>,
}

/// Step two: the confirmed import, all or nothing.
pub(crate) async fn apply(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<ApplyForm>) -> UiResult {
    let report = run(&state, &ctx, form.csv.as_bytes(), options(&form.mode, form.invite.is_some(), false)).await?;
    if !report.problems.is_empty() {
        return Ok(redirect_with(
            "/admin/import",
            "The file changed and has problems now; nothing was imported. Please check it again.",
        ));
    }
    let message =
        format!("Imported: {} new, {} updated, {} unchanged.", report.created, report.updated, report.unchanged);
    Ok(redirect_with("/admin/clients", &message))
}
