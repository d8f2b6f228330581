//! What every page shares: the signed-in person, the layout with its navigation, flash
//! messages carried across a redirect, reading HTML forms, and turning refusals into pages.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use portico_app::mail::logo_path;
use portico_app::{Actor, AppError, Me};
use portico_domain::money::Locale;
use portico_domain::portal::PortalSections;
use portico_domain::staff::Role;
use portico_domain::validation::ValidationErrors;
use portico_domain::workspace::Workspace;
use serde::de::DeserializeOwned;

use crate::extract::session_cookie;
use crate::state::AppState;
use crate::ui::brand::accent_path;

const FLASH_COOKIE: &str = "portico_flash";

/// The signed-in person behind a page request (session cookie only: pages are for browsers).
pub(crate) struct Ctx {
    pub(crate) actor: Actor,
    pub(crate) me: Me,
    pub(crate) workspace: Workspace,
    pub(crate) flash: Option<String>,
}

impl Ctx {
    /// Whether the person is an admin.
    pub(crate) fn is_admin(&self) -> bool {
        matches!(&self.me, Me::Staff(staff) if staff.role == Role::Admin)
    }

    /// The half of the site that is the person's: `/admin` for staff, `/portal` for clients.
    pub(crate) const fn base(&self) -> &'static str {
        match self.me {
            Me::Staff(_) => "/admin",
            Me::Client(_) => "/portal",
        }
    }

    /// Refuses a page of the other half of the site (`base`): staff have no portal pages of
    /// their own, clients no admin pages.
    pub(crate) fn ensure_base(&self, base: &str) -> Result<(), UiError> {
        if self.base() == base { Ok(()) } else { Err(AppError::Forbidden.into()) }
    }

    /// The layout for a page of `section`.
    pub(crate) fn layout(&self, title: impl Into<String>, section: Section) -> Layout {
        let (name, nav) = match &self.me {
            Me::Staff(staff) => {
                let mut nav = vec![NavItem::new("/admin/activity", "What's new", section == Section::Activity)];
                if staff.role == Role::Admin {
                    nav.push(NavItem::new("/admin/clients", "Clients", section == Section::Clients));
                    nav.push(NavItem::new("/admin/companies", "Companies", section == Section::Companies));
                }
                nav.push(NavItem::new("/admin/projects", "Projects", section == Section::Projects));
                if staff.role == Role::Admin {
                    nav.push(NavItem::new("/admin/invoices", "Invoices", section == Section::Invoices));
                    nav.push(NavItem::new("/admin/outbox", "Outbox", section == Section::Outbox));
                    nav.push(NavItem::new("/admin/review", "Review", section == Section::Review));
                    nav.push(NavItem::new("/admin/import", "Import", section == Section::Import));
                    nav.push(NavItem::new("/admin/settings", "Settings", section == Section::Settings));
                }
                (staff.name.as_str().to_owned(), nav)
            }
            Me::Client(client) => {
                // Only the parts the client's permissions open; the others would be empty.
                let open = PortalSections::of(client);
                let mut nav = Vec::new();
                if open.projects || !open.invoices {
                    nav.push(NavItem::new("/portal", "Projects", section == Section::Portal));
                }
                if open.invoices {
                    nav.push(NavItem::new("/portal/invoices", "Invoices", section == Section::PortalInvoices));
                }
                nav.push(NavItem::new("/portal/activity", "What's new", section == Section::PortalActivity));
                (client.name().as_str().to_owned(), nav)
            }
        };
        let mut nav = nav;
        let account = if matches!(self.me, Me::Staff(_)) { "/admin/notifications" } else { "/portal/notifications" };
        nav.push(NavItem::new(account, "Account", section == Section::Account));
        Layout {
            title: title.into(),
            user: Some(name),
            nav,
            flash: self.flash.clone(),
            banner: None,
            brand: Some(BrandLook::of(&self.workspace)),
            locale: self.workspace.locale(),
        }
    }
}

/// How the workspace's brand shows on a page: its name or logo in the header, its colour
/// through a style sheet of its own.
pub(crate) struct BrandLook {
    pub(crate) name: String,
    pub(crate) accent: String,
    pub(crate) logo: Option<String>,
}

impl BrandLook {
    pub(crate) fn of(workspace: &Workspace) -> Self {
        let brand = &workspace.settings.brand;
        Self {
            name: workspace.name.to_string(),
            accent: accent_path(brand.colour),
            logo: brand.logo.as_ref().map(|logo| logo_path(workspace.id, logo)),
        }
    }
}

/// Where a page belongs, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Activity,
    Clients,
    Companies,
    Projects,
    Invoices,
    Outbox,
    Review,
    Import,
    Settings,
    Portal,
    PortalInvoices,
    PortalActivity,
    Account,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, UiError> {
        let config = state.config();
        let secret = session_cookie(&parts.headers, config.cookie_name()).ok_or(UiError::LogIn)?;
        let actor = state.portico().authenticate(&secret, config.session).await?;
        let (me, workspace) = state.portico().me_and_workspace(&actor).await?;
        Ok(Self { actor, me, workspace, flash: flash_of(&parts.headers) })
    }
}

/// One link of the navigation.
pub(crate) struct NavItem {
    pub(crate) href: &'static str,
    pub(crate) label: &'static str,
    pub(crate) current: bool,
}

impl NavItem {
    fn new(href: &'static str, label: &'static str, current: bool) -> Self {
        Self { href, label, current }
    }
}

/// What the base template needs.
pub(crate) struct Layout {
    pub(crate) title: String,
    pub(crate) user: Option<String>,
    pub(crate) nav: Vec<NavItem>,
    pub(crate) flash: Option<String>,
    pub(crate) banner: Option<String>,
    /// The workspace's brand; Portico's own look without one.
    pub(crate) brand: Option<BrandLook>,
    /// How amounts and dates are written.
    pub(crate) locale: Locale,
}

impl Layout {
    /// The layout of a page for people who are not signed in, in Portico's own look.
    pub(crate) fn public(title: impl Into<String>, flash: Option<String>) -> Self {
        Self {
            title: title.into(),
            user: None,
            nav: Vec::new(),
            flash,
            banner: None,
            brand: None,
            locale: Locale::default(),
        }
    }

    /// [`Layout::public`] in the brand of the workspace people log in to here. A workspace
    /// that cannot be read leaves Portico's own look: the page still works.
    pub(crate) async fn branded(state: &AppState, title: impl Into<String>, flash: Option<String>) -> Self {
        let workspace = state.portico().workspace(state.config().workspace).await.ok();
        Self { brand: workspace.as_ref().map(BrandLook::of), ..Self::public(title, flash) }
    }
}

/// Renders a page. A flash shown on it is cleared, so it is shown once.
pub(crate) fn render(status: StatusCode, template: &impl Template, flash_shown: bool) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            if flash_shown {
                response.headers_mut().append(header::SET_COOKIE, flash_cookie(""));
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be shown.").into_response()
        }
    }
}

/// A 303 redirect to `to` carrying a message for the next page.
pub(crate) fn redirect_with(to: &str, flash: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, flash_cookie(flash));
    response
}

fn flash_cookie(message: &str) -> HeaderValue {
    let encoded = utf8_percent_encode(message, NON_ALPHANUMERIC);
    let max_age = if message.is_empty() { 0 } else { 60 };
    let cookie = format!("{FLASH_COOKIE}={encoded}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("portico_flash=; Max-Age=0"))
}

/// The flash message a request carries, if any.
pub(crate) fn flash_of(headers: &HeaderMap) -> Option<String> {
    let value = session_cookie(headers, FLASH_COOKIE)?;
    let text = percent_decode_str(&value).decode_utf8().ok()?.into_owned();
    Some(text).filter(|t| !t.is_empty())
}

/// Why a page was not served, as people see it.
#[derive(Debug)]
pub(crate) enum UiError {
    /// Not signed in (or no longer): to the login page.
    LogIn,
    /// A page of refusal with this status and message.
    Refused(StatusCode, String),
}

impl From<AppError> for UiError {
    /// The status is the API's for the same error (one mapping, in `problem.rs`); only the
    /// words are the pages' own, and a lost session goes to the login page.
    fn from(error: AppError) -> Self {
        let words = match &error {
            AppError::Unauthenticated => return Self::LogIn,
            AppError::NotFound => Some("There is nothing here, or you may not see it.".to_owned()),
            AppError::Forbidden => Some("This page is not for your account.".to_owned()),
            AppError::Invalid(errors) => Some(errors.to_string()),
            AppError::Rule(rule) => Some(capitalised(&rule.to_string())),
            AppError::Conflict(conflict) => Some(capitalised(&conflict.to_string())),
            AppError::Link(_) => {
                Some("This link cannot be used: it is not valid, was used already, or has expired.".to_owned())
            }
            AppError::Storage(_) | AppError::Service(_) => None,
        };
        let problem = crate::problem::Problem::from(error);
        let status = problem.status();
        Self::Refused(status, words.or(problem.detail).unwrap_or_default())
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default() + "."
}

impl From<crate::problem::Problem> for UiError {
    /// A refusal worded for the API (an unreadable upload) shown as a page.
    fn from(problem: crate::problem::Problem) -> Self {
        Self::Refused(problem.status(), problem.detail.unwrap_or_default())
    }
}

impl From<ValidationErrors> for UiError {
    fn from(errors: ValidationErrors) -> Self {
        let listed: Vec<String> =
            errors.errors().iter().map(|e| format!("{} {}", e.field.replace('_', " "), e.message)).collect();
        Self::Refused(StatusCode::UNPROCESSABLE_ENTITY, capitalised(&listed.join("; ")))
    }
}

/// The page shown for a refusal.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    message: String,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            Self::LogIn => Redirect::to("/login").into_response(),
            Self::Refused(status, message) => {
                let title = status.canonical_reason().unwrap_or("Error").to_owned();
                let page = ErrorPage { layout: Layout::public(title, None), message };
                render(status, &page, false)
            }
        }
    }
}

/// An id from a page's path; text that cannot be an id is a page that does not exist.
pub(crate) fn page_id<T: std::str::FromStr>(raw: &str) -> Result<T, UiError> {
    raw.parse().map_err(|_| UiError::from(AppError::NotFound))
}

/// The result of a page handler.
pub(crate) type UiResult = Result<Response, UiError>;

/// An HTML form body (`application/x-www-form-urlencoded`), with repeated keys as lists.
pub(crate) struct UiForm<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for UiForm<T> {
    type Rejection = UiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, UiError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|r| UiError::Refused(r.status(), "The form could not be read.".into()))?;
        serde_html_form::from_bytes(&bytes)
            .map(UiForm)
            .map_err(|_| UiError::Refused(StatusCode::BAD_REQUEST, "The form could not be read.".into()))
    }
}

/// A form field or filter as typed, `None` when blank: an empty box means "none".
pub(crate) fn given(text: &str) -> Option<String> {
    Some(text.to_owned()).filter(|t| !t.trim().is_empty())
}

/// Field errors of a form, to show next to their fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// The message for `field`, if it was refused.
    pub(crate) fn of(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field || f.starts_with(&format!("{field}["))).map(|(_, m)| m.as_str())
    }

    /// The message for exactly `field` (not for its list items).
    pub(crate) fn only(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Whether a field outside `form` was refused (the errors of another form on the page).
    pub(crate) fn outside(&self, form: &str) -> bool {
        let prefix = format!("{form}.");
        self.0.iter().any(|(field, _)| !field.starts_with(&prefix))
    }

    /// Whether nothing was refused.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These errors and `more`.
    pub(crate) fn and(mut self, more: &ValidationErrors) -> Self {
        self.0.extend(Self::from(more).0);
        self
    }

    /// These errors and `more`, named as fields of `form` (`filter.client_id`), for a page
    /// with two forms using one field name.
    pub(crate) fn and_in(mut self, form: &str, more: &ValidationErrors) -> Self {
        self.0.extend(more.errors().iter().map(|e| (format!("{form}.{}", e.field), e.message.clone())));
        self
    }
}

impl From<&ValidationErrors> for FieldErrors {
    fn from(errors: &ValidationErrors) -> Self {
        Self(errors.errors().iter().map(|e| (e.field.clone(), e.message.clone())).collect())
    }
}

impl From<(&str, &str)> for FieldErrors {
    fn from((field, message): (&str, &str)) -> Self {
        Self(vec![(field.to_owned(), message.to_owned())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_messages_survive_the_cookie_round_trip() {
        let cookie = flash_cookie("Saved “Sarah Chen”; invitation sent.");
        let value = cookie.to_str().expect("ascii").split(';').next().expect("a pair").to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&value).expect("valid"));
        assert_eq!(flash_of(&headers).as_deref(), Some("Saved “Sarah Chen”; invitation sent."));
        assert!(flash_cookie("").to_str().unwrap_or_default().contains("Max-Age=0"));
    }

    #[test]
    fn field_errors_are_found_by_field_and_by_list_field() {
        let errors =
            FieldErrors(vec![("email".into(), "must contain @".into()), ("lines[0].quantity".into(), "bad".into())]);
        assert_eq!(errors.of("email"), Some("must contain @"));
        assert_eq!(errors.of("lines"), Some("bad"));
        assert_eq!(errors.of("name"), None);
    }
}
