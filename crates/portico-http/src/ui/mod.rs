//! The web pages: the admin console under `/admin`, the client portal under `/portal`, and the
//! pages for getting in. Server-rendered with askama (escaped by default), plain HTML forms
//! that work without JavaScript, posting back to the same use cases as the JSON API. Pages
//! decide nothing themselves: every refusal is a use case's answer.

mod activity;
mod admin;
mod auth;
mod brand;
mod filters;
mod notifications;
mod page;
mod pager;
mod picker;
mod portal;
mod unsubscribe;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, post};

use portico_domain::content::Visibility;

use crate::state::AppState;

const STYLESHEET: &str = include_str!("../../static/portico.css");
const SCRIPT: &str = include_str!("../../static/portico.js");
const ICON: &str = include_str!("../../static/favicon.svg");

/// Every page, with the body limits of `json_limit` for forms and `upload_limit` for files.
pub(crate) fn routes(form_limit: usize, upload_limit: usize) -> Router<AppState> {
    let uploads = Router::new()
        .route("/admin/projects/{id}/files", post(admin::projects::upload_file))
        .route("/portal/projects/{id}/files", post(portal::upload_file))
        .route("/admin/import/check", post(admin::import::check))
        .route("/admin/import/apply", post(admin::import::apply))
        .route("/admin/settings/logo", post(admin::settings::upload_logo))
        .layer(DefaultBodyLimit::max(upload_limit));
    let pages = Router::new()
        .route("/", get(auth::home))
        .route("/login", get(auth::login_page).post(auth::log_in))
        .route("/logout", post(auth::log_out))
        .route("/invitation/{token}", get(auth::invitation_page).post(auth::accept_invitation))
        .route("/password-reset/{token}", get(auth::reset_page).post(auth::reset_password))
        .route("/unsubscribe/{token}", get(unsubscribe::page).post(unsubscribe::unsubscribe))
        .route("/forgot-password", get(auth::forgot_page).post(auth::forgot))
        .route("/account/password", get(auth::change_password_page).post(auth::change_password))
        .merge(admin::routes())
        .merge(portal::routes())
        .route("/brand/accent/{file}", get(brand::accent))
        .route("/brand/{workspace}/logo/{key}", get(brand::logo))
        .route("/static/portico.css", get(|| async { static_file(STYLESHEET, "text/css; charset=utf-8") }))
        .route("/static/portico.js", get(|| async { static_file(SCRIPT, "text/javascript; charset=utf-8") }))
        .route("/static/favicon.svg", get(|| async { static_file(ICON, "image/svg+xml") }))
        .layer(DefaultBodyLimit::max(form_limit));
    pages.merge(uploads)
}

/// Anything unknown: a problem under `/api/`, a page elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::problem::Problem::not_found().into_response()
    } else {
        page::UiError::Refused(StatusCode::NOT_FOUND, "There is no such page.".into()).into_response()
    }
}

fn static_file(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
    ];
    (headers, body)
}

/// No error for a form field (for templates).
pub(crate) const NO_ERROR: Option<&str> = None;

/// A stored name (`in_progress`, `changes_requested`) as words.
pub(crate) fn label(name: &str) -> String {
    name.replace('_', " ")
}

/// A stable name as a label starting with a capital: `projects` → "Projects".
pub(crate) fn title(name: &str) -> String {
    let label = label(name);
    let mut chars = label.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// How a visibility reads on a page.
#[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass values by reference")]
pub(crate) fn visibility_word(visibility: &Visibility) -> &'static str {
    match visibility {
        Visibility::Client => "client-visible",
        Visibility::Internal => "internal",
    }
}

/// How `locale` writes an amount (`€1,234.50`, `1.234,50 €`), for choosing one.
#[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass values by reference")]
pub(crate) fn locale_example(locale: &portico_domain::money::Locale) -> String {
    use portico_domain::money::{Currency, Money};
    Money::new(123_450, Currency::EUR).display_in(*locale).to_string()
}

/// A size in bytes, rounded for people.
#[allow(clippy::trivially_copy_pass_by_ref, reason = "templates pass values by reference")]
pub(crate) fn size(bytes: &u64) -> String {
    const KIB: u64 = 1024;
    match *bytes {
        b if b < KIB => format!("{b} bytes"),
        b if b < KIB * KIB => format!("{} KB", b.div_ceil(KIB)),
        b => {
            let tenths = (b * 10).div_ceil(KIB * KIB);
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_well() {
        assert_eq!(label("changes_requested"), "changes requested");
        assert_eq!(
            (size(&12), size(&2048), size(&(3 * 1024 * 1024))),
            ("12 bytes".into(), "2 KB".into(), "3.0 MB".into())
        );
    }
}
