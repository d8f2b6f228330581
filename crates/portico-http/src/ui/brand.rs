//! The workspace's brand as browsers fetch it: the accent colour as a style sheet (the
//! Content Security Policy allows no inline styles) and the logo.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portico_domain::ids::WorkspaceId;
use portico_domain::workspace::{BrandColour, LogoKind};

use crate::state::AppState;
use crate::ui::page::UiError;

/// How long brand files may be cached: for good, since their address changes with them.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// What an opened logo may do: nothing. An SVG can hold scripts; in `<img>` they never run,
/// and opened on its own this policy sandboxes it and forbids every script and fetch.
const LOGO_POLICY: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/// The address of the style sheet that gives pages `colour` (in its legible form).
pub(crate) fn accent_path(colour: BrandColour) -> String {
    format!("/brand/accent/{}.css", colour.legible().to_string().trim_start_matches('#'))
}

/// `/brand/accent/{rrggbb}.css`: the accent for any colour, made legible here again, so
/// the address can be trusted no more than any other input.
pub(crate) async fn accent(Path(file): Path<String>) -> Result<Response, UiError> {
    let colour = file.strip_suffix(".css").and_then(|hex| BrandColour::parse(hex).ok()).ok_or_else(not_found)?;
    let css = format!(":root {{ --accent: {}; }}\n", colour.legible());
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static(FOREVER)),
    ];
    Ok((headers, css).into_response())
}

/// `/brand/{workspace}/logo/{key}`: the current logo, for anyone (the login page shows it).
pub(crate) async fn logo(
    State(state): State<AppState>,
    Path((workspace, key)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let workspace: WorkspaceId = workspace.parse().map_err(|_| not_found())?;
    let (kind, bytes) = state.portico().logo(workspace, &key).await?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(kind.content_type())),
        (header::CACHE_CONTROL, HeaderValue::from_static(FOREVER)),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(LOGO_POLICY)),
        (header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition(kind))),
    ];
    Ok((headers, bytes).into_response())
}

/// Shown where it is used; an SVG opened on its own is offered as a download instead.
const fn disposition(kind: LogoKind) -> &'static str {
    match kind {
        LogoKind::Png => "inline",
        LogoKind::Svg => "attachment; filename=\"logo.svg\"",
    }
}

fn not_found() -> UiError {
    UiError::Refused(StatusCode::NOT_FOUND, "There is no such page.".into())
}
