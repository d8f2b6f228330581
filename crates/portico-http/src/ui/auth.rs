//! Pages for getting in: log in and out, set a password from an invitation or reset link,
//! ask for a reset link, change one's own password.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use portico_app::{Actor, AppError, LinkError, Me};
use portico_domain::email::EmailAddress;
use portico_domain::password::NewPassword;
use portico_domain::token::{TokenPurpose, TokenRefusal};
use serde::Deserialize;

use super::page::{Ctx, FieldErrors, Layout, Section, UiError, UiForm, UiResult, flash_of, redirect_with, render};
use crate::extract::{PeerIp, session_cookie};
use crate::sign_in::{Refusal, ask_for_reset, attempt_login, new_session_cookie, owner_proved, session_cookie_header};
use crate::state::AppState;

/// `/`: where a person starts, by who they are.
pub(crate) async fn home(ctx: Result<Ctx, UiError>) -> Response {
    match ctx {
        Ok(ctx) => match ctx.me {
            Me::Staff(_) => Redirect::to("/admin/activity"),
            Me::Client(_) => Redirect::to("/portal"),
        }
        .into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    problem: Option<String>,
    errors: FieldErrors,
}

pub(crate) async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let flash = flash_of(&headers);
    let shown = flash.is_some();
    let page = LoginPage {
        layout: Layout::branded(&state, "Log in", flash).await,
        email: String::new(),
        problem: None,
        errors: FieldErrors::default(),
    };
    render(StatusCode::OK, &page, shown)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub(crate) async fn log_in(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    headers: HeaderMap,
    UiForm(form): UiForm<LoginForm>,
) -> UiResult {
    let layout = Layout::branded(&state, "Log in", None).await;
    let refused = |status, problem: String| {
        let page =
            LoginPage { layout, email: form.email.clone(), problem: Some(problem), errors: FieldErrors::default() };
        Ok(render(status, &page, false))
    };
    match attempt_login(&state, &ip, &headers, (&form.email, &form.password), None).await {
        Ok(login) => Ok(signed_in(&state, &login, "/")),
        Err(Refusal::Wrong) => refused(StatusCode::UNAUTHORIZED, "The email or password is wrong.".into()),
        Err(Refusal::TooMany(seconds)) => {
            refused(StatusCode::TOO_MANY_REQUESTS, format!("Too many attempts. Try again in {seconds} seconds."))
        }
        Err(Refusal::Busy) => refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many sign-ins are being checked right now. Try again in a second.".into(),
        ),
        Err(Refusal::Failed(error)) => Err(error.into()),
    }
}

/// A redirect that carries a fresh session cookie.
fn signed_in(state: &AppState, login: &portico_app::LoggedIn, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, new_session_cookie(state, login));
    response
}

pub(crate) async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> UiResult {
    if let Some(secret) = session_cookie(&headers, state.config().cookie_name()) {
        state.portico().log_out(&secret).await?;
    }
    let mut response = redirect_with("/login", "You are logged out.");
    response.headers_mut().append(header::SET_COOKIE, session_cookie_header(&state, "", 0));
    response.headers_mut().insert("clear-site-data", header::HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(response)
}

#[derive(Template)]
#[template(path = "auth/set_password.html")]
struct SetPasswordPage {
    layout: Layout,
    heading: &'static str,
    action: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

impl PasswordForm {
    /// The new password, when it is acceptable and typed the same twice.
    fn new_password(&self) -> Result<NewPassword, FieldErrors> {
        if self.password != self.confirm {
            return Err(("confirm", "does not match the new password").into());
        }
        NewPassword::parse(&self.password).map_err(|e| FieldErrors::from(("password", e.to_string().as_str())))
    }
}

/// Which link a set-password page serves.
#[derive(Clone, Copy)]
enum Link {
    Invitation,
    Reset,
}

impl Link {
    async fn page(self, state: &AppState, token: &str, errors: FieldErrors) -> SetPasswordPage {
        let (heading, path) = match self {
            Self::Invitation => ("Welcome — set your password", "invitation"),
            Self::Reset => ("Set a new password", "password-reset"),
        };
        let layout = Layout::branded(state, heading, None).await;
        SetPasswordPage { layout, heading, action: format!("/{path}/{token}"), errors }
    }
}

impl Link {
    const fn purpose(self) -> TokenPurpose {
        match self {
            Self::Invitation => TokenPurpose::Invitation,
            Self::Reset => TokenPurpose::PasswordReset,
        }
    }

    /// The password form when the link is live, or the page saying why it is not.
    async fn form_or_why(self, state: &AppState, token: &str) -> UiResult {
        match state.portico().check_link(token, self.purpose()).await {
            Ok(()) => Ok(render(StatusCode::OK, &self.page(state, token, FieldErrors::default()).await, false)),
            Err(AppError::Link(why)) => Ok(dead_link(why)),
            Err(error) => Err(error.into()),
        }
    }
}

/// Why a link does not work, in words for the person holding it. An unknown link gets the
/// same answer as a malformed one, so nobody learns which links exist.
#[derive(Template)]
#[template(path = "auth/link_dead.html")]
struct DeadLinkPage {
    layout: Layout,
    heading: &'static str,
    reason: &'static str,
    advice: &'static str,
}

fn dead_link(why: LinkError) -> Response {
    const ASK: &str = "Ask for a new link below: it goes to the address the account belongs to.";
    let (status, heading, reason, advice) = match why {
        LinkError::Refused(TokenRefusal::Used) => (
            StatusCode::GONE,
            "This link has been used",
            "Each link works once, and this one has been used already.",
            "If you set your password with it, log in. Otherwise ask for a new link below.",
        ),
        LinkError::Refused(TokenRefusal::Revoked) => (
            StatusCode::GONE,
            "This link was replaced",
            "A newer link was sent since, or this one was cancelled. Only the newest link works.",
            ASK,
        ),
        LinkError::Refused(TokenRefusal::Expired) => (
            StatusCode::GONE,
            "This link has expired",
            "Invitation links work for 7 days and password links for one hour.",
            ASK,
        ),
        LinkError::Malformed(_) | LinkError::Unknown | LinkError::Refused(TokenRefusal::WrongPurpose) => (
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "Check that the whole link was copied from the email; links are long.",
            ASK,
        ),
    };
    render(status, &DeadLinkPage { layout: Layout::public(heading, None), heading, reason, advice }, false)
}

pub(crate) async fn invitation_page(State(state): State<AppState>, Path(token): Path<String>) -> UiResult {
    Link::Invitation.form_or_why(&state, &token).await
}

pub(crate) async fn reset_page(State(state): State<AppState>, Path(token): Path<String>) -> UiResult {
    Link::Reset.form_or_why(&state, &token).await
}

pub(crate) async fn accept_invitation(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    Path(token): Path<String>,
    UiForm(form): UiForm<PasswordForm>,
) -> UiResult {
    use_link(&state, &ip, (Link::Invitation, &token), &form).await
}

pub(crate) async fn reset_password(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    Path(token): Path<String>,
    UiForm(form): UiForm<PasswordForm>,
) -> UiResult {
    use_link(&state, &ip, (Link::Reset, &token), &form).await
}

/// Sets the password through a link opened from `ip`, then logs the person in with it.
async fn use_link(state: &AppState, ip: &str, (link, token): (Link, &str), form: &PasswordForm) -> UiResult {
    let password = match form.new_password() {
        Ok(password) => password,
        Err(errors) => {
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &link.page(state, token, errors).await, false));
        }
    };
    let portico = state.portico();
    let used = match link {
        Link::Invitation => portico.accept_invitation(token, &password).await,
        Link::Reset => portico.reset_password(token, &password).await,
    };
    let actor = match used {
        Ok(actor) => actor,
        Err(AppError::Link(why)) => return Ok(dead_link(why)),
        Err(error) => return Err(error.into()),
    };
    let email = owner_proved(state, ip, &actor).await?;
    fresh_session(state, &actor, &email, &password, "/").await
}

/// Logs `actor` in at `email` with the password they just set.
async fn fresh_session(
    state: &AppState,
    actor: &Actor,
    email: &EmailAddress,
    password: &NewPassword,
    to: &str,
) -> UiResult {
    let login = state.portico().log_in(actor.workspace, email.as_str(), password.expose(), None).await?;
    Ok(signed_in(state, &login, to))
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    sent: bool,
    errors: FieldErrors,
}

pub(crate) async fn forgot_page() -> Response {
    let page = ForgotPage {
        layout: Layout::public("Forgot password", None),
        email: String::new(),
        sent: false,
        errors: FieldErrors::default(),
    };
    render(StatusCode::OK, &page, false)
}

#[derive(Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub(crate) async fn forgot(
    State(state): State<AppState>,
    PeerIp(ip): PeerIp,
    UiForm(form): UiForm<ForgotForm>,
) -> UiResult {
    let page = |sent, errors| ForgotPage {
        layout: Layout::public("Forgot password", None),
        email: form.email.clone(),
        sent,
        errors,
    };
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(error) => {
            let errors = FieldErrors::from(("email", error.to_string().as_str()));
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(false, errors), false));
        }
    };
    match ask_for_reset(&state, &ip, &email, None).await {
        Ok(()) | Err(Refusal::Wrong | Refusal::Busy) => {
            Ok(render(StatusCode::OK, &page(true, FieldErrors::default()), false))
        }
        Err(Refusal::TooMany(seconds)) => {
            let message = format!("too many requests; try again in {seconds} seconds");
            Ok(render(
                StatusCode::TOO_MANY_REQUESTS,
                &page(false, FieldErrors::from(("email", message.as_str()))),
                false,
            ))
        }
        Err(Refusal::Failed(error)) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "auth/change_password.html")]
struct ChangePasswordPage {
    layout: Layout,
    /// The person's half of the site, for the account's tabs.
    base: &'static str,
    errors: FieldErrors,
}

pub(crate) async fn change_password_page(ctx: Ctx) -> Response {
    let page = ChangePasswordPage {
        layout: ctx.layout("Password", Section::Account),
        base: ctx.base(),
        errors: FieldErrors::default(),
    };
    render(StatusCode::OK, &page, ctx.flash.is_some())
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(form): UiForm<PasswordForm>,
) -> UiResult {
    let refused = |errors: FieldErrors| {
        let page = ChangePasswordPage { layout: ctx.layout("Password", Section::Account), base: ctx.base(), errors };
        Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page, false))
    };
    let password = match form.new_password() {
        Ok(password) => password,
        Err(errors) => return refused(errors),
    };
    match state.portico().change_password(&ctx.actor, &form.current_password, &password).await {
        Ok(()) => {}
        Err(AppError::Invalid(errors)) => return refused(FieldErrors::from(&errors)),
        Err(error) => return Err(error.into()),
    }
    let email = ctx.me.email().clone();
    let response = fresh_session(&state, &ctx.actor, &email, &password, "/account/password").await?;
    let mut flashed = redirect_with("/account/password", "Your password is changed. Other sessions were logged out.");
    for cookie in response.headers().get_all(header::SET_COOKIE) {
        flashed.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    Ok(flashed)
}
