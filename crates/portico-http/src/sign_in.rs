//! Signing in and asking for a reset, with their attempt limits: one place for the JSON API
//! and the pages, so both count the same attempts and give the same answers.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue};
use portico_app::{AppError, LoggedIn};
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;

use crate::extract::session_cookie;
use crate::state::AppState;

/// Why a sign-in did not open a session.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Too many attempts: wait this many seconds.
    TooMany(u64),
    /// The email and password do not open an account (the one answer for every such case).
    Wrong,
    /// Something failed on the server's side.
    Failed(AppError),
}

/// Tries `email` and `password` on `workspace` (the server's own when `None`), from `ip`,
/// replacing the session the request's cookie names.
pub(crate) async fn attempt_login(
    state: &AppState,
    ip: &str,
    headers: &HeaderMap,
    credentials: (&str, &str),
    workspace: Option<&str>,
) -> Result<LoggedIn, Refusal> {
    let (email, password) = credentials;
    let now = Instant::now();
    let account = email.trim().to_lowercase();
    let limiters = state.limiters();
    limiters
        .login_ip
        .check(ip, now)
        .and_then(|()| limiters.login_account.check(&account, now))
        .map_err(Refusal::TooMany)?;
    let config = state.config();
    let workspace = match workspace {
        None => Some(config.workspace),
        Some(id) => id.parse::<WorkspaceId>().ok(),
    };
    let replaces = session_cookie(headers, config.cookie_name());
    let outcome = match workspace {
        Some(workspace) => state.portico().log_in(workspace, email, password, replaces.as_deref()).await,
        None => Err(AppError::Unauthenticated),
    };
    match outcome {
        Ok(login) => {
            limiters.login_account.clear(&account);
            Ok(login)
        }
        Err(AppError::Unauthenticated) => {
            limiters.login_ip.record(ip, now);
            limiters.login_account.record(&account, now);
            Err(Refusal::Wrong)
        }
        Err(other) => Err(Refusal::Failed(other)),
    }
}

/// Asks for a reset link for `email`, counting the request; the outcome never says whether
/// the address has an account.
///
/// # Errors
/// The seconds to wait when over the limit, or a server failure.
pub(crate) async fn ask_for_reset(
    state: &AppState,
    ip: &str,
    email: &EmailAddress,
    workspace: Option<&str>,
) -> Result<(), Refusal> {
    let now = Instant::now();
    let limiters = state.limiters();
    limiters
        .reset_ip
        .hit(ip, now)
        .and_then(|()| limiters.reset_account.hit(email.normalized(), now))
        .map_err(Refusal::TooMany)?;
    let workspace = workspace.map_or(Some(state.config().workspace), |id| id.parse().ok());
    if let Some(workspace) = workspace {
        state.portico().request_password_reset(workspace, email).await.map_err(Refusal::Failed)?;
    }
    Ok(())
}

/// The `Set-Cookie` value for a session: `HttpOnly`, `SameSite=Lax`, `Secure` over https.
/// An empty `value` with `max_age` 0 clears it.
pub(crate) fn session_cookie_header(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let config = state.config();
    let secure = if config.public_url.is_https() { "; Secure" } else { "" };
    let cookie = format!("{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}", config.cookie_name());
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The cookie for a fresh session.
pub(crate) fn new_session_cookie(state: &AppState, login: &LoggedIn) -> HeaderValue {
    session_cookie_header(state, login.secret.expose(), state.config().session.absolute_timeout.whole_seconds())
}
