//! Health and the API description.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::views::Health;

/// Answers 200 when storage answers, 503 otherwise. For load balancers and monitoring.
#[utoipa::path(get, path = "/healthz", tag = "system", security(()),
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 503, description = "Storage is unavailable", body = Health),
    ))]
pub(crate) async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match state.portico().workspaces().await {
        Ok(_) => (StatusCode::OK, Json(Health { status: "ok".into() })),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "unavailable".into() }))
        }
    }
}

/// The OpenAPI document, generated once at start.
#[derive(Debug, Clone)]
pub(crate) struct OpenApiJson(pub(crate) Arc<String>);

/// This API's OpenAPI 3.1 description.
#[utoipa::path(get, path = "/openapi.json", tag = "system", security(()),
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub(crate) async fn openapi_json(Extension(document): Extension<OpenApiJson>) -> Response {
    let headers = [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    (headers, document.0.as_str().to_owned()).into_response()
}
