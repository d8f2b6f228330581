//! Logging in and out, the signed-in person, invitations, password resets and API tokens.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{ApiTokenId, WorkspaceId};
use portico_domain::password::NewPassword;
use portico_domain::text::TokenLabel;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{ApiJson, Caller, PeerIp, path_id, session_cookie};
use crate::problem::{ApiResult, Problem};
use crate::sign_in::{Refusal, ask_for_reset, attempt_login, new_session_cookie, owner_proved, session_cookie_header};
use crate::state::AppState;
use crate::views::{ApiTokenView, CreatedTokenView, List, MeView, ResetAccepted};

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "sarah@acme.example", "password": "correct horse battery staple"}))]
pub(crate) struct LoginBody {
    /// Login address.
    pub(crate) email: String,
    /// Password.
    pub(crate) password: String,
    /// The workspace to log in to; the server's own when left out.
    pub(crate) workspace_id: Option<String>,
}

/// The workspace a login or reset names: blank or absent means the server's own; text that is
/// not an id at all is refused (it says nothing about any account).
fn workspace_id(given: Option<&str>) -> Result<Option<WorkspaceId>, Problem> {
    match given.map(str::trim).filter(|id| !id.is_empty()) {
        None => Ok(None),
        Some(id) => id.parse().map(Some).map_err(|_| Problem::invalid_field("workspace_id", "is not a valid id")),
    }
}

/// Logs in with email and password. Sets the session cookie; the answer is the person.
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()), request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = MeView),
        (status = 401, description = "The email or password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many sign-ins at this moment; retry after a second", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn login(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let credentials = (body.email.as_str(), body.password.as_str());
    let workspace = workspace_id(body.workspace_id.as_deref())?;
    let login = match attempt_login(&state, &ip, &headers, credentials, workspace).await {
        Ok(login) => login,
        Err(Refusal::TooMany(seconds)) => return Err(Problem::too_many(seconds)),
        Err(Refusal::Busy) => return Err(Problem::busy()),
        Err(Refusal::Wrong) => {
            return Err(Problem::new(StatusCode::UNAUTHORIZED, "login-failed", "The email or password is wrong."));
        }
        Err(Refusal::Failed(error)) => return Err(error.into()),
    };
    let me = state.portico().me(&login.actor).await?;
    let cookie = new_session_cookie(&state, &login);
    Ok(([(header::SET_COOKIE, cookie)], Json(MeView::from(&me))).into_response())
}

/// Ends the session: the cookie is cleared and the browser told to drop cached data.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(()),
    responses((status = 204, description = "Logged out (also when no session was open)")))]
pub(crate) async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(secret) = session_cookie(&headers, state.config().cookie_name()) {
        state.portico().log_out(&secret).await?;
    }
    let clear = session_cookie_header(&state, "", 0);
    let site_data = HeaderValue::from_static("\"cache\", \"cookies\", \"storage\"");
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear), (header::HeaderName::from_static("clear-site-data"), site_data)],
    )
        .into_response())
}

/// The signed-in person.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses(
        (status = 200, description = "Who is signed in", body = MeView),
        (status = 401, description = "Nobody", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn me(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Json<MeView>> {
    Ok(Json(MeView::from(&state.portico().me(&actor).await?)))
}

/// A one-time link's secret and the password to set.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"token": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "password": "correct horse battery staple"}))]
pub(crate) struct LinkPasswordBody {
    /// The secret from the link.
    pub(crate) token: String,
    /// The new password (10–256 characters, not a common one).
    pub(crate) password: String,
}

fn new_password(text: &str) -> Result<NewPassword, Problem> {
    NewPassword::parse(text).map_err(|e| Problem::invalid_field("password", e))
}

/// Accepts an invitation: sets the first password and activates the account. Log in next.
#[utoipa::path(post, path = "/auth/invitations/accept", tag = "auth", security(()), request_body = LinkPasswordBody,
    responses(
        (status = 204, description = "Accepted; log in with the new password"),
        (status = 400, description = "The link is not valid, used, expired or revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is refused", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn accept_invitation(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    ApiJson(body): ApiJson<LinkPasswordBody>,
) -> ApiResult<StatusCode> {
    let password = new_password(&body.password)?;
    let actor = state.portico().accept_invitation(&body.token, &password).await?;
    owner_proved(&state, &ip, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whose password to reset.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "sarah@acme.example"}))]
pub(crate) struct ResetBody {
    /// The login address.
    pub(crate) email: String,
    /// The workspace; the server's own when left out.
    pub(crate) workspace_id: Option<String>,
}

/// Asks for a password-reset link by email. The answer never says whether the address has an
/// account.
#[utoipa::path(post, path = "/auth/password-reset", tag = "auth", security(()), request_body = ResetBody,
    responses(
        (status = 202, description = "If the address has an account, a link is on its way", body = ResetAccepted),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn request_reset(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    ApiJson(body): ApiJson<ResetBody>,
) -> ApiResult<(StatusCode, Json<ResetAccepted>)> {
    let email = EmailAddress::parse(&body.email).map_err(|e| Problem::invalid_field("email", e))?;
    let workspace = workspace_id(body.workspace_id.as_deref())?;
    match ask_for_reset(&state, &ip, &email, workspace).await {
        Ok(()) | Err(Refusal::Wrong | Refusal::Busy) => {}
        Err(Refusal::TooMany(seconds)) => return Err(Problem::too_many(seconds)),
        Err(Refusal::Failed(error)) => return Err(error.into()),
    }
    let message = "If this address has an account, a link to set a new password is on its way.".to_owned();
    Ok((StatusCode::ACCEPTED, Json(ResetAccepted { message })))
}

/// Sets a new password with a reset link. Every session of the person ends.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth", security(()), request_body = LinkPasswordBody,
    responses(
        (status = 204, description = "The password is set; log in with it"),
        (status = 400, description = "The link is not valid, used, expired or revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is refused", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn confirm_reset(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    ApiJson(body): ApiJson<LinkPasswordBody>,
) -> ApiResult<StatusCode> {
    let password = new_password(&body.password)?;
    let actor = state.portico().reset_password(&body.token, &password).await?;
    owner_proved(&state, &ip, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new token's label.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"label": "Accounting sync"}))]
pub(crate) struct TokenBody {
    /// What the token is for.
    pub(crate) label: String,
}

/// Every API token of the workspace.
#[utoipa::path(get, path = "/tokens", tag = "auth",
    responses((status = 200, description = "Tokens, oldest first", body = List<ApiTokenView>)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<List<ApiTokenView>>> {
    let tokens = state.portico().list_api_tokens(&actor).await?;
    Ok(Json(List::all(tokens.iter().map(Into::into).collect())))
}

/// Creates an API token acting as the calling admin.
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = TokenBody,
    responses((status = 201, description = "Created; copy the secret now", body = CreatedTokenView)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<CreatedTokenView>)> {
    let label = TokenLabel::parse(&body.label).map_err(|e| Problem::invalid_field("label", e))?;
    let (token, secret) = state.portico().create_api_token(&actor, label).await?;
    let view = CreatedTokenView { token: (&token).into(), secret: secret.expose().to_owned() };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Revokes an API token at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = String, Path, description = "Token id")),
    responses((status = 200, description = "Revoked", body = ApiTokenView)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiTokenView>> {
    let token = state.portico().revoke_api_token(&actor, path_id::<ApiTokenId>(&id)?).await?;
    Ok(Json((&token).into()))
}
