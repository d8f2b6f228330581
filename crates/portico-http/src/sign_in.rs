//! Signing in and asking for a reset, with their attempt limits: one place for the JSON API
//! and the pages, so both count the same attempts and give the same answers.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue};
use portico_app::{Actor, AppError, LoggedIn};
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;

use crate::extract::session_cookie;
use crate::state::AppState;

/// Why a sign-in did not open a session.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Too many attempts: wait this many seconds.
    TooMany(u64),
    /// Too many sign-ins are being checked at this moment: try again in a second.
    Busy,
    /// The email and password do not open an account (the one answer for every such case).
    Wrong,
    /// Something failed on the server's side.
    Failed(AppError),
}

/// The slots one login attempt holds in the three counters, taken before the password is
/// verified. A wrong password keeps them; anything else gives back what should not count.
struct Slots<'a> {
    state: &'a AppState,
    ip: &'a str,
    account: String,
    pair: String,
    at: Instant,
}

impl<'a> Slots<'a> {
    /// Takes a slot per IP, per account and per IP × account, or none: a refusal by one
    /// counter gives back the slots the others had granted.
    fn take(state: &'a AppState, ip: &'a str, email: &str) -> Result<Self, Refusal> {
        let at = Instant::now();
        // The same key for every spelling of one address; text that is no address is a key too.
        let account = EmailAddress::parse(email)
            .map_or_else(|_| email.trim().to_ascii_lowercase(), |address| address.normalized().to_owned());
        let pair = pair_key(ip, &account);
        let limiters = state.limiters();
        limiters.login_ip.take(ip, at).map_err(Refusal::TooMany)?;
        if let Err(wait) = limiters.login_account.take(&account, at) {
            limiters.login_ip.give_back(ip, at);
            return Err(Refusal::TooMany(wait));
        }
        if let Err(wait) = limiters.login_pair.take(&pair, at) {
            limiters.login_ip.give_back(ip, at);
            limiters.login_account.give_back(&account, at);
            return Err(Refusal::TooMany(wait));
        }
        Ok(Self { state, ip, account, pair, at })
    }

    /// The password was right: the account's failures are forgotten and this attempt does
    /// not count against the IP.
    fn succeeded(self) {
        let limiters = self.state.limiters();
        limiters.login_ip.give_back(self.ip, self.at);
        limiters.login_account.clear(&self.account);
        limiters.login_pair.clear(&self.pair);
    }

    /// The attempt failed on the server's side: it does not count.
    fn undone(self) {
        let limiters = self.state.limiters();
        limiters.login_ip.give_back(self.ip, self.at);
        limiters.login_account.give_back(&self.account, self.at);
        limiters.login_pair.give_back(&self.pair, self.at);
    }
}

/// Tries `email` and `password` on `workspace` (the server's own when `None`), from `ip`,
/// replacing the session the request's cookie names.
///
/// The attempt takes its slots in the counters first, then waits for a place among the
/// password checks running at once: a burst beyond the limits is refused before any
/// password is verified, and a flood of distinct accounts is answered `Busy` at once instead
/// of queueing up CPU work.
pub(crate) async fn attempt_login(
    state: &AppState,
    ip: &str,
    headers: &HeaderMap,
    credentials: (&str, &str),
    workspace: Option<WorkspaceId>,
) -> Result<LoggedIn, Refusal> {
    let (email, password) = credentials;
    let slots = Slots::take(state, ip, email)?;
    let Ok(_checking) = state.password_checks().try_acquire() else {
        slots.undone();
        return Err(Refusal::Busy);
    };
    let config = state.config();
    let workspace = workspace.unwrap_or(config.workspace);
    let replaces = session_cookie(headers, config.cookie_name());
    let outcome = state.portico().log_in(workspace, email, password, replaces.as_deref()).await;
    match outcome {
        Ok(login) => {
            slots.succeeded();
            Ok(login)
        }
        Err(AppError::Unauthenticated) => Err(Refusal::Wrong),
        Err(other) => {
            slots.undone();
            Err(Refusal::Failed(other))
        }
    }
}

/// After `actor` set a password through a one-time link, from `ip`: forgets the failed
/// logins of their address across all IPs, and from `ip` — its owner just proved who they
/// are, so a stranger's guesses must not keep them out, even from the same network. The
/// failures counted for the stranger's own IP × account stay, so the stranger gains nothing.
/// Returns the address, to log in with.
///
/// # Errors
/// Storage failures.
pub(crate) async fn owner_proved(state: &AppState, ip: &str, actor: &Actor) -> Result<EmailAddress, AppError> {
    let email = state.portico().me(actor).await?.email().clone();
    let limiters = state.limiters();
    limiters.login_account.clear(email.normalized());
    limiters.login_pair.clear(&pair_key(ip, email.normalized()));
    Ok(email)
}

/// The key of the per IP × account counter.
fn pair_key(ip: &str, account: &str) -> String {
    format!("{ip} {account}")
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
    workspace: Option<WorkspaceId>,
) -> Result<(), Refusal> {
    let now = Instant::now();
    let limiters = state.limiters();
    limiters.reset_ip.take(ip, now).map_err(Refusal::TooMany)?;
    if let Err(wait) = limiters.reset_account.take(email.normalized(), now) {
        limiters.reset_ip.give_back(ip, now);
        return Err(Refusal::TooMany(wait));
    }
    let workspace = workspace.unwrap_or(state.config().workspace);
    state.portico().request_password_reset(workspace, email).await.map_err(Refusal::Failed)
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
