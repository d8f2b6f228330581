//! The signed-in person's notification choices.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use portico_app::NotificationSettings;
use portico_app::forms::NotificationForm;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::{ApiJson, Caller, Object};
use crate::problem::ApiResult;
use crate::state::AppState;

/// How the signed-in person hears of each category.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"categories": {"messages": "daily_digest", "files": "daily_digest", "tasks": "daily_digest",
    "approvals": "immediate", "invoices": "immediate", "projects": "immediate"}, "all_projects": false}))]
pub(crate) struct NotificationsView {
    /// Every category (`messages`, `files`, `tasks`, `approvals`, `invoices`, `projects`)
    /// with its delivery (`immediate`, `daily_digest` or `off`): the person's choice, or the
    /// workspace's default.
    pub(crate) categories: BTreeMap<String, String>,
    /// Whether an admin hears of client activity on every project, not only their own.
    pub(crate) all_projects: bool,
}

impl From<NotificationSettings> for NotificationsView {
    fn from(settings: NotificationSettings) -> Self {
        let categories = settings.categories.into_iter().map(|(c, d)| (c.as_str().to_owned(), d.as_str().to_owned()));
        Self { categories: categories.collect(), all_projects: settings.all_projects }
    }
}

/// A delivery (`immediate`, `daily_digest` or `off`) for some categories.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryChoices {
    /// Posts and comments.
    pub(crate) messages: Option<String>,
    /// Shared files.
    pub(crate) files: Option<String>,
    /// Shared tasks.
    pub(crate) tasks: Option<String>,
    /// Approvals asked and answered.
    pub(crate) approvals: Option<String>,
    /// Invoices sent and paid.
    pub(crate) invoices: Option<String>,
    /// Being added to a project.
    pub(crate) projects: Option<String>,
}

impl CategoryChoices {
    /// The categories given, by name, for the shared form.
    pub(crate) fn given(self) -> BTreeMap<String, String> {
        let all = [
            ("messages", self.messages),
            ("files", self.files),
            ("tasks", self.tasks),
            ("approvals", self.approvals),
            ("invoices", self.invoices),
            ("projects", self.projects),
        ];
        all.into_iter().filter_map(|(name, delivery)| delivery.map(|d| (name.to_owned(), d))).collect()
    }
}

/// New choices; categories left out keep theirs.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"categories": {"files": "off", "messages": "immediate"}}))]
pub(crate) struct NotificationsBody {
    /// The categories to change.
    #[schema(value_type = Option<CategoryChoices>)]
    pub(crate) categories: Option<Object<CategoryChoices>>,
    /// Admins only: hear of client activity on every project.
    pub(crate) all_projects: Option<bool>,
}

/// How the signed-in person hears of each category.
#[utoipa::path(get, path = "/me/notifications", tag = "auth",
    responses((status = 200, description = "The person's notification choices", body = NotificationsView)))]
pub(crate) async fn get_notifications(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<NotificationsView>> {
    Ok(Json(state.portico().notification_settings(&actor).await?.into()))
}

/// Changes how the signed-in person hears of some categories.
#[utoipa::path(put, path = "/me/notifications", tag = "auth", request_body = NotificationsBody,
    responses((status = 200, description = "The choices as they are now", body = NotificationsView)))]
pub(crate) async fn put_notifications(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<NotificationsBody>,
) -> ApiResult<Json<NotificationsView>> {
    let categories = body.categories.map(|Object(given)| given.given()).unwrap_or_default();
    let choices = NotificationForm { categories, all_projects: body.all_projects }.parse()?;
    Ok(Json(state.portico().set_notification_settings(&actor, choices).await?.into()))
}
