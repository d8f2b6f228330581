//! # portico-http
//!
//! Portico on the web: the JSON API under `/api/v1` with its generated OpenAPI description,
//! server-side sessions and API tokens, and one security layer every answer passes through.
//!
//! The edge parses requests into the application's forms and domain types, calls one use case
//! of [`portico_app::Portico`], and turns the result into a view or a problem
//! (`application/problem+json`). No rule is decided here: who may see what is the domain's
//! visibility rule, reached through the use cases.
//!
//! ```no_run
//! # async fn demo(portico: portico_app::Portico, workspace: portico_domain::ids::WorkspaceId) -> std::io::Result<()> {
//! use portico_app::mail::PublicUrl;
//! use portico_http::{AppState, HttpConfig};
//! let url = PublicUrl::parse("http://127.0.0.1:8080").expect("a valid URL");
//! let app = portico_http::router(AppState::new(portico, HttpConfig::new(url, workspace)));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! portico_http::serve(listener, app, std::future::pending()).await
//! # }
//! ```

mod api;
mod client_body;
pub mod extract;
mod handover;
pub mod problem;
pub mod rate_limit;
pub mod security;
mod sign_in;
mod state;
mod transfer;
mod ui;
pub mod views;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::Extension;
use axum::http::{HeaderName, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use state::{AppState, AuthLimits, HttpConfig};

use crate::problem::Problem;

/// The header carrying each request's id (set when the client sends none, echoed back).
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The OpenAPI description of the API, as served at `/api/v1/openapi.json`: generated from
/// the routes, then finished with the refusals and the domain's bounds (`api::document`).
pub fn openapi() -> serde_json::Value {
    let mut document = serde_json::to_value(api::raw_openapi()).unwrap_or_default();
    api::finish_document(&mut document);
    document
}

/// [`openapi`] as the pretty-printed JSON the server serves.
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi()).unwrap_or_default()
}

/// The whole web application for `state`, with its security layers.
pub fn router(state: AppState) -> Router {
    let config = state.config();
    let (api, _) = api::routes(config.json_limit, config.upload_limit).split_for_parts();
    let document = api::OpenApiJson(Arc::new(openapi_json()));
    let api = api.layer(Extension(document)).fallback(not_found).method_not_allowed_fallback(method_not_allowed);

    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(security::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(|_| internal_error()))
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin));
    let pages = ui::routes(config.json_limit, config.upload_limit);
    Router::new().nest("/api/v1", api).merge(pages).fallback(ui::not_found).layer(layers).with_state(state)
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests in
/// flight. Peers' addresses reach the rate limits.
///
/// # Errors
/// When accepting connections fails.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

async fn not_found() -> Problem {
    Problem::not_found()
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "This method is not allowed here.")
}

fn internal_error() -> Response {
    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Something failed on our side.").into_response()
}
