//! Error answers as RFC 9457 problem details (`application/problem+json`).
//!
//! Every refusal of the API goes through [`Problem`], so clients meet one shape: a `type`, a
//! short `title`, the `status`, a `detail` for people and, for invalid input, `errors` naming
//! each field. Server faults are logged with their cause and answered without it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portico_app::{AppError, LinkError};
use portico_domain::validation::ValidationErrors;
use portico_ports::{Conflict, RepoError};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of problem answers.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field as the request named it (`email`, `lines[2].quantity`).
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// A stable identifier of the kind of problem (`urn:portico:problem:<kind>`).
    #[serde(rename = "type", serialize_with = "problem_type")]
    #[schema(value_type = String, example = "urn:portico:problem:invalid-input")]
    pub kind: &'static str,
    /// A short summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this case, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The refused fields of invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For 429: seconds until a retry may succeed (also sent as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Members particular to one kind of problem (RFC 9457 extensions), such as the full
    /// report of a refused import.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: Option<Box<serde_json::Map<String, serde_json::Value>>>,
}

impl Problem {
    /// A problem of `status` with a `kind` slug and a detail.
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        Self {
            kind,
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: Some(detail.into()),
            errors: Vec::new(),
            retry_after: None,
            extensions: None,
        }
    }

    /// 422 naming the refused fields.
    pub fn invalid(errors: &ValidationErrors) -> Self {
        let mut problem =
            Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", "Some fields are not valid; see errors.");
        problem.errors = (errors.errors().iter())
            .map(|e| FieldProblem { field: e.field.clone(), message: e.message.clone() })
            .collect();
        problem
    }

    /// 422 for one invalid field.
    pub fn invalid_field(field: &str, message: impl std::fmt::Display) -> Self {
        Self::invalid(&ValidationErrors::single(field, message))
    }

    /// 400 for a request that cannot be read at all.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed-request", detail)
    }

    /// The same problem, naming one more refused field.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.errors.push(FieldProblem { field: field.into(), message: message.into() });
        self
    }

    /// 404, the same for "does not exist" and "not yours".
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "There is nothing here, or you may not see it.")
    }

    /// 401.
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "Log in first.")
    }

    /// 429 with the number of seconds to wait.
    pub fn too_many(retry_after: u64) -> Self {
        let detail = format!("Too many attempts; try again in {retry_after} seconds.");
        let mut problem = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", detail);
        problem.retry_after = Some(retry_after);
        problem
    }

    /// 503: too many sign-ins are being checked at this moment.
    pub fn busy() -> Self {
        let detail = "Too many sign-ins are being checked right now; try again in a second.";
        let mut problem = Self::new(StatusCode::SERVICE_UNAVAILABLE, "busy", detail);
        problem.retry_after = Some(1);
        problem
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn problem_type<S: serde::Serializer>(kind: &&'static str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("urn:portico:problem:{kind}"))
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid(errors) => Self::invalid(&errors),
            AppError::NotFound => Self::not_found(),
            AppError::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden", "You may not do this."),
            AppError::Unauthenticated => Self::unauthenticated(),
            AppError::Rule(rule) => Self::new(StatusCode::CONFLICT, "rule", rule.to_string()),
            AppError::Conflict(conflict) => conflict_problem(conflict),
            AppError::Link(link) => {
                let detail = match link {
                    LinkError::Malformed(_) | LinkError::Unknown => "The link is not valid.".to_owned(),
                    LinkError::Refused(refusal) => format!("The link cannot be used: {refusal}."),
                };
                Self::new(StatusCode::BAD_REQUEST, "link", detail)
            }
            AppError::Storage(RepoError::Unavailable(cause)) => {
                tracing::error!(error = %cause, "storage unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Storage is unavailable; nothing was changed.",
                )
            }
            error @ (AppError::Storage(_) | AppError::Service(_)) => {
                tracing::error!(%error, "request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something failed on our side; nothing was changed.",
                )
            }
        }
    }
}

impl From<ValidationErrors> for Problem {
    fn from(errors: ValidationErrors) -> Self {
        Self::invalid(&errors)
    }
}

/// Uniqueness conflicts on a field the caller typed are field errors; the others are 409.
fn conflict_problem(conflict: Conflict) -> Problem {
    let field = match conflict {
        Conflict::EmailTaken => "email",
        Conflict::InvoiceNumberTaken => "number",
        Conflict::AlreadyAssigned | Conflict::ApprovalPending | Conflict::DuplicateId => {
            return Problem::new(StatusCode::CONFLICT, "conflict", conflict.to_string());
        }
    };
    let mut problem = Problem::new(StatusCode::CONFLICT, "conflict", conflict.to_string());
    problem.errors.push(FieldProblem { field: field.to_owned(), message: "is already in use".to_owned() });
    problem
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, Problem>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn body_of(problem: Problem) -> (StatusCode, serde_json::Value, Option<String>) {
        let response = problem.into_response();
        let status = response.status();
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let retry = response.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap_or_default().to_owned());
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        (status, serde_json::from_slice(&bytes).unwrap_or_default(), retry)
    }

    #[tokio::test]
    async fn invalid_input_names_every_field() {
        let mut errors = ValidationErrors::new();
        errors.add("email", "must contain @");
        errors.add("name", "must not be blank");
        let (status, body, _) = body_of(AppError::Invalid(errors).into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "email");
        assert_eq!(body["errors"][1]["message"], "must not be blank");
        assert_eq!(body["status"], 422);
    }

    #[tokio::test]
    async fn each_refusal_has_its_status() {
        let cases = [
            (AppError::NotFound, StatusCode::NOT_FOUND),
            (AppError::Forbidden, StatusCode::FORBIDDEN),
            (AppError::Unauthenticated, StatusCode::UNAUTHORIZED),
            (AppError::Conflict(Conflict::EmailTaken), StatusCode::CONFLICT),
            (AppError::Link(LinkError::Unknown), StatusCode::BAD_REQUEST),
            (AppError::Service("disk full".into()), StatusCode::INTERNAL_SERVER_ERROR),
        ];
        for (error, expected) in cases {
            let (status, body, _) = body_of(error.into()).await;
            assert_eq!(status, expected);
            assert!(!body["detail"].as_str().unwrap_or_default().contains("disk"), "causes stay in the log");
        }
    }

    #[tokio::test]
    async fn rate_limits_say_when_to_retry() {
        let (status, body, retry) = body_of(Problem::too_many(42)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body["retry_after"], 42);
        assert_eq!(retry.as_deref(), Some("42"));
    }
}
