//! The JSON API under `/api/v1`. Every route is registered through utoipa, so the OpenAPI
//! description served at `/api/v1/openapi.json` is generated from the routes themselves.

mod activity;
mod auth;
mod clients;
mod content;
mod document;
mod insight;
mod invoices;
mod notifications;
mod portal;
mod projects;
mod settings;
mod system;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode, header};
use portico_domain::validation::ValidationErrors;
use portico_ports::{Cursor, PageRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) use document::finish as finish_document;
pub(crate) use system::OpenApiJson;

use crate::extract::parse_json;
use crate::problem::Problem;
use crate::state::AppState;

/// The API's description, completed by the routes.
#[derive(OpenApi)]
#[openapi(
    info(title = "Portico API", description = "Client management with a client portal. Every list answers \
        `{items, next_cursor}`; every error is `application/problem+json`."),
    modifiers(&Security),
    security(("session" = []), ("bearer" = [])),
    tags(
        (name = "auth", description = "Logging in, invitations, password resets, API tokens"),
        (name = "clients", description = "Client profiles, import and export (admins)"),
        (name = "insight", description = "History, deliveries, companies, review, visibility tools (admins)"),
        (name = "projects", description = "Projects, assignments and the team (staff)"),
        (name = "content", description = "Tasks, comments, files, messages, approvals (staff)"),
        (name = "invoices", description = "Invoices (admins)"),
        (name = "settings", description = "The workspace's brand, billing and notification defaults (admins)"),
        (name = "activity", description = "The \"what's new\" feed and its read mark (everyone signed in)"),
        (name = "portal", description = "The signed-in client's share"),
        (name = "system", description = "Health and this description"),
    )
)]
struct ApiDoc;

/// The two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let cookie = ApiKey::Cookie(ApiKeyValue::with_description(
            "portico_session",
            "The browser session (`__Host-portico_session` over https), set by /auth/login.",
        ));
        components.add_security_scheme("session", SecurityScheme::ApiKey(cookie));
        let bearer =
            HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("An API token (POST /tokens)."));
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer.build()));
    }
}

/// Every API route, with its body limit: `json_limit` for everything, `upload_limit` for
/// routes that take files or CSV.
pub(crate) fn routes(json_limit: usize, upload_limit: usize) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(clients::import_clients))
        .routes(routes!(content::upload_file))
        .routes(routes!(portal::upload_file))
        .routes(routes!(settings::upload_logo, settings::remove_logo))
        .layer(DefaultBodyLimit::max(upload_limit));
    let json = OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(notifications::get_notifications, notifications::put_notifications))
        .routes(routes!(activity::staff_feed))
        .routes(routes!(activity::portal_feed))
        .routes(routes!(activity::mark_read))
        .routes(routes!(activity::unread_count))
        .routes(routes!(auth::accept_invitation))
        .routes(routes!(auth::request_reset))
        .routes(routes!(auth::confirm_reset))
        .routes(routes!(auth::list_tokens, auth::create_token))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(clients::list_clients, clients::create_client))
        .routes(routes!(clients::get_client, clients::edit_client, clients::delete_client))
        .routes(routes!(clients::deactivate_client))
        .routes(routes!(clients::reactivate_client))
        .routes(routes!(clients::resend_invitation))
        .routes(routes!(clients::send_password_reset))
        .routes(routes!(clients::export_clients))
        .routes(routes!(insight::client_history))
        .routes(routes!(insight::client_deliveries))
        .routes(routes!(insight::explain_visibility))
        .routes(routes!(insight::companies))
        .routes(routes!(insight::client_review))
        .routes(routes!(insight::outbox))
        .routes(routes!(insight::impact_preview))
        .routes(routes!(projects::list_projects, projects::create_project))
        .routes(routes!(projects::get_project, projects::edit_project))
        .routes(routes!(projects::archive_project))
        .routes(routes!(projects::unarchive_project))
        .routes(routes!(projects::put_client, projects::remove_client))
        .routes(routes!(projects::put_team_member, projects::remove_team_member))
        .routes(routes!(projects::list_staff, projects::create_staff))
        .routes(routes!(content::create_task))
        .routes(routes!(content::edit_task))
        .routes(routes!(content::comment_on_task))
        .routes(routes!(content::post_message))
        .routes(routes!(content::set_message_visibility))
        .routes(routes!(content::set_file_visibility))
        .routes(routes!(content::download_file))
        .routes(routes!(content::request_approval))
        .routes(routes!(invoices::list_invoices, invoices::create_invoice))
        .routes(routes!(invoices::get_invoice, invoices::edit_invoice, invoices::delete_invoice))
        .routes(routes!(invoices::invoice_pdf))
        .routes(routes!(invoices::client_statement))
        .routes(routes!(invoices::export_invoices))
        .routes(routes!(invoices::export_payments))
        .routes(routes!(invoices::send_invoice))
        .routes(routes!(invoices::mark_invoice_paid))
        .routes(routes!(invoices::email_invoice))
        .routes(routes!(invoices::record_payment))
        .routes(routes!(invoices::remove_payment))
        .routes(routes!(invoices::void_invoice))
        .routes(routes!(portal::projects))
        .routes(routes!(portal::project))
        .routes(routes!(portal::invoices))
        .routes(routes!(portal::invoice))
        .routes(routes!(portal::invoice_pdf))
        .routes(routes!(portal::statement))
        .routes(routes!(portal::download_file))
        .routes(routes!(portal::post_message))
        .routes(routes!(portal::comment))
        .routes(routes!(portal::answer_approval))
        .routes(routes!(settings::get_settings, settings::patch_settings))
        .routes(routes!(settings::send_test_mail))
        .routes(routes!(settings::settings_history))
        .routes(routes!(system::healthz))
        .routes(routes!(system::openapi_json))
        .layer(DefaultBodyLimit::max(json_limit));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(uploads).merge(json)
}

/// The description as utoipa derives it from the routes, before [`finish_document`].
pub(crate) fn raw_openapi() -> utoipa::openapi::OpenApi {
    let (_, mut document) =
        routes(crate::HttpConfig::DEFAULT_JSON_LIMIT, crate::HttpConfig::DEFAULT_UPLOAD_LIMIT).split_for_parts();
    document.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    document
}

/// A field of a PATCH body: absent (`None`), `null` (`Some(None)`) or a value.
pub(crate) type Patch<T> = Option<Option<T>>;

/// Reads a present field of a PATCH body, `null` included, as `Some(..)`; serde's default
/// leaves an absent one `None`.
pub(crate) fn patch<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Patch<T>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The page asked for by `cursor` and `limit`, or field errors.
pub(crate) fn page_request(errors: &mut ValidationErrors, cursor: Option<&str>, limit: Option<usize>) -> PageRequest {
    let after = cursor
        .filter(|c| !c.is_empty())
        .and_then(|c| errors.check("cursor", Cursor::decode(c).map_err(|_| "is not a valid page cursor")));
    let limit = match limit {
        Some(limit) if !(1..=PageRequest::MAX_LIMIT).contains(&limit) => {
            errors.add("limit", format!("must be between 1 and {}", PageRequest::MAX_LIMIT));
            PageRequest::DEFAULT_LIMIT
        }
        limit => limit.unwrap_or(PageRequest::DEFAULT_LIMIT),
    };
    PageRequest::new(after, limit)
}

/// A JSON body that may be left out entirely.
pub(crate) fn optional_json<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<Option<T>, Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Send the body as application/json.",
        ));
    }
    parse_json(body).map(Some)
}

/// The parts of an upload form; any other part is refused.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "describes the multipart form in the OpenAPI document only")]
pub(crate) struct UploadBody {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `internal` (default) or `client`. A form part is never `null`: leave it out for the
    /// default.
    #[schema(value_type = String, required = false)]
    visibility: Option<String>,
}

/// The bytes of a downloaded file, for the OpenAPI document.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code, reason = "describes download answers in the OpenAPI document only")]
pub(crate) struct FileBytes(Vec<u8>);

/// The part of a client's upload form: a client's files are always shared with the project,
/// so it has no `visibility`.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "describes the multipart form in the OpenAPI document only")]
pub(crate) struct PortalUploadBody {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_fields_tell_absent_from_null() {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default, deserialize_with = "patch")]
            phone: Patch<String>,
        }
        let read = |json: &str| serde_json::from_str::<Body>(json).map(|b| b.phone).ok();
        assert_eq!(read("{}"), Some(None));
        assert_eq!(read(r#"{"phone": null}"#), Some(Some(None)));
        assert_eq!(read(r#"{"phone": "+44"}"#), Some(Some(Some("+44".into()))));
    }

    #[test]
    fn page_parameters_are_checked() {
        let mut errors = ValidationErrors::new();
        assert_eq!(page_request(&mut errors, None, Some(10)).limit(), 10);
        page_request(&mut errors, Some("not a cursor"), Some(0));
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["cursor", "limit"]);
    }
}
