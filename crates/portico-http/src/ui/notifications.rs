//! Each person's notification choices as a page: `/admin/notifications` for staff and
//! `/portal/notifications` for clients, the pages every notice mail's footer links to. The
//! page only shows and posts the use case's settings; what a choice means is the domain's.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use portico_app::forms::NotificationForm;
use portico_app::{AppError, NotificationSettings};
use portico_domain::activity::Delivery;

use super::page::{Ctx, FieldErrors, Layout, Section, UiForm, UiResult, redirect_with, render};
use crate::state::AppState;

/// The form field of an admin's opt-in to every project's client activity.
const ALL_PROJECTS: &str = "all_projects";

/// One category's row: its select, with the delivery shown as chosen.
struct ChoiceRow {
    name: &'static str,
    label: &'static str,
    chosen: &'static str,
    /// The field its errors are filed under (`categories.files`).
    field: String,
}

#[derive(Template)]
#[template(path = "auth/notifications.html")]
struct NotificationsPage {
    layout: Layout,
    base: &'static str,
    rows: Vec<ChoiceRow>,
    deliveries: [Delivery; 3],
    /// An admin's opt-in as shown; `None` for everyone else, who has no such choice.
    all_projects: Option<bool>,
    errors: FieldErrors,
}

impl NotificationsPage {
    /// The page for `settings`, showing the values of `typed` where they are valid choices.
    fn new(ctx: &Ctx, settings: &NotificationSettings, typed: &BTreeMap<String, String>, errors: FieldErrors) -> Self {
        let rows = settings
            .categories
            .iter()
            .map(|&(category, delivery)| {
                let kept = typed.get(category.as_str()).and_then(|raw| Delivery::from_name(raw));
                ChoiceRow {
                    name: category.as_str(),
                    label: category.label(),
                    chosen: kept.unwrap_or(delivery).as_str(),
                    field: format!("categories.{}", category.as_str()),
                }
            })
            .collect();
        let all_projects =
            ctx.is_admin().then(|| opt_in(typed.get(ALL_PROJECTS)).ok().flatten().unwrap_or(settings.all_projects));
        Self {
            layout: ctx.layout("Notifications", Section::Account),
            base: ctx.base(),
            rows,
            deliveries: Delivery::ALL,
            all_projects,
            errors,
        }
    }
}

/// The opt-in as posted: `"true"` or `"false"`, or not given.
fn opt_in(raw: Option<&String>) -> Result<Option<bool>, FieldErrors> {
    match raw.map(String::as_str) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(FieldErrors::from((ALL_PROJECTS, "must be \"true\" or \"false\""))),
    }
}

/// `GET /admin/notifications`.
pub(crate) async fn admin_page(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    show(&state, &ctx, "/admin").await
}

/// `GET /portal/notifications`.
pub(crate) async fn portal_page(State(state): State<AppState>, ctx: Ctx) -> UiResult {
    show(&state, &ctx, "/portal").await
}

/// `POST /admin/notifications`.
pub(crate) async fn admin_save(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(typed): UiForm<BTreeMap<String, String>>,
) -> UiResult {
    save(&state, &ctx, "/admin", typed).await
}

/// `POST /portal/notifications`.
pub(crate) async fn portal_save(
    State(state): State<AppState>,
    ctx: Ctx,
    UiForm(typed): UiForm<BTreeMap<String, String>>,
) -> UiResult {
    save(&state, &ctx, "/portal", typed).await
}

async fn show(state: &AppState, ctx: &Ctx, base: &str) -> UiResult {
    ctx.ensure_base(base)?;
    let settings = state.portico().notification_settings(&ctx.actor).await?;
    let page = NotificationsPage::new(ctx, &settings, &BTreeMap::new(), FieldErrors::default());
    Ok(render(StatusCode::OK, &page, ctx.flash.is_some()))
}

/// Saves the posted choices; every field but the opt-in names a category. A refused form
/// is shown again with its errors and what was chosen, and nothing is saved.
async fn save(state: &AppState, ctx: &Ctx, base: &str, typed: BTreeMap<String, String>) -> UiResult {
    ctx.ensure_base(base)?;
    let mut categories = typed.clone();
    categories.remove(ALL_PROJECTS);
    let all_projects = opt_in(typed.get(ALL_PROJECTS));
    let parsed = NotificationForm { categories, all_projects: None }.parse();
    let errors = match (parsed, all_projects) {
        (Ok(mut choices), Ok(all_projects)) => {
            choices.all_projects = all_projects;
            match state.portico().set_notification_settings(&ctx.actor, choices).await {
                Ok(_) => {
                    return Ok(redirect_with(&format!("{base}/notifications"), "Your notification choices are saved."));
                }
                Err(AppError::Invalid(errors)) => FieldErrors::from(&errors),
                Err(error) => return Err(error.into()),
            }
        }
        (Err(errors), all_projects) => all_projects.err().unwrap_or_default().and(&errors),
        (Ok(_), Err(errors)) => errors,
    };
    let settings = state.portico().notification_settings(&ctx.actor).await?;
    let page = NotificationsPage::new(ctx, &settings, &typed, errors);
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opt_in_reads_true_false_or_nothing_and_refuses_the_rest() {
        assert_eq!(opt_in(None).ok(), Some(None));
        assert_eq!(opt_in(Some(&"true".to_owned())).ok(), Some(Some(true)));
        assert_eq!(opt_in(Some(&"false".to_owned())).ok(), Some(Some(false)));
        let refused = opt_in(Some(&"yes".to_owned())).expect_err("refused");
        assert!(refused.of(ALL_PROJECTS).is_some());
    }
}
