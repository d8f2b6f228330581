//! The "what's new" pages: `/admin/activity` for staff (all, or one project), `/portal/activity`
//! for clients, and the portal home's latest few. Pages only show the use case's feed.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use portico_app::mail::notice_sentence;
use portico_app::{FeedPage, UNREAD_CAP};
use portico_domain::ids::{ActivityId, ProjectId};
use serde::Deserialize;
use time::OffsetDateTime;

use super::page::{Ctx, Layout, Section, UiForm, UiResult, page_id, redirect_with, render};
use crate::state::AppState;
use crate::ui::filters;

/// Events on one page of the feed.
const PAGE_SIZE: usize = 30;
/// Events the portal home shows.
pub(crate) const HOME_SIZE: usize = 5;

/// One event as a page shows it.
pub(crate) struct EntryView {
    pub(crate) sentence: String,
    pub(crate) link: String,
    pub(crate) at: OffsetDateTime,
    pub(crate) unread: bool,
}

/// The entries of `page`, in order.
pub(crate) fn entries(page: &FeedPage) -> Vec<EntryView> {
    page.entries
        .iter()
        .map(|e| EntryView {
            sentence: notice_sentence(&e.line),
            link: e.line.path.clone(),
            at: e.line.at,
            unread: e.unread,
        })
        .collect()
}

/// The latest few events a home page shows, with the unread count in words when there is one.
pub(crate) struct News {
    pub(crate) unread: Option<String>,
    pub(crate) entries: Vec<EntryView>,
}

impl News {
    /// The news of `page`.
    pub(crate) fn of(page: &FeedPage) -> Self {
        Self { unread: (page.unread > 0).then(|| unread_words(page.unread)), entries: entries(page) }
    }
}

/// "3", or "99+" beyond what is counted.
pub(crate) fn unread_words(unread: usize) -> String {
    if unread >= UNREAD_CAP { format!("{}+", UNREAD_CAP - 1) } else { unread.to_string() }
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    layout: Layout,
    base: &'static str,
    /// Whether the feed is a staff member's (its empty state points at the admin's work).
    staff_feed: bool,
    entries: Vec<EntryView>,
    unread: usize,
    unread_words: String,
    /// The newest event, to mark read up to (first page only).
    newest: Option<String>,
    older: Option<String>,
    project_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct FeedParams {
    project_id: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReadForm {
    up_to: String,
}

/// `GET /admin/activity`.
pub(crate) async fn admin_feed(State(state): State<AppState>, ctx: Ctx, Query(params): Query<FeedParams>) -> UiResult {
    feed_page(&state, &ctx, "/admin", &params).await
}

/// `GET /portal/activity`.
pub(crate) async fn portal_feed(State(state): State<AppState>, ctx: Ctx, Query(params): Query<FeedParams>) -> UiResult {
    feed_page(&state, &ctx, "/portal", &FeedParams { project_id: None, ..params }).await
}

async fn feed_page(state: &AppState, ctx: &Ctx, base: &'static str, params: &FeedParams) -> UiResult {
    ctx.ensure_base(base)?;
    let given = |raw: &Option<String>| raw.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let project: Option<ProjectId> = given(&params.project_id).map(|raw| page_id(&raw)).transpose()?;
    let cursor: Option<ActivityId> = given(&params.cursor).map(|raw| page_id(&raw)).transpose()?;
    let page = state.portico().feed(&ctx.actor, project, cursor, PAGE_SIZE).await?;
    let in_project = project.map_or(String::new(), |p| format!("&project_id={p}"));
    let view = ActivityPage {
        layout: ctx.layout("What's new", if base == "/admin" { Section::Activity } else { Section::PortalActivity }),
        base,
        staff_feed: base == "/admin",
        unread: page.unread,
        unread_words: unread_words(page.unread),
        newest: page.entries.first().filter(|_| cursor.is_none()).map(|e| e.id.to_string()),
        older: page.next.map(|id| format!("{base}/activity?cursor={id}{in_project}")),
        project_name: project.and(page.entries.iter().find_map(|e| e.line.project.as_ref()).map(ToString::to_string)),
        entries: entries(&page),
    };
    Ok(render(StatusCode::OK, &view, ctx.flash.is_some()))
}

/// `POST /admin/activity/read` and `/portal/activity/read`: marks the feed read up to the
/// event named, then back to the feed.
pub(crate) async fn mark_read(State(state): State<AppState>, ctx: Ctx, UiForm(form): UiForm<ReadForm>) -> UiResult {
    let up_to: ActivityId = page_id(&form.up_to)?;
    state.portico().mark_feed_read(&ctx.actor, up_to).await?;
    Ok(redirect_with(&format!("{}/activity", ctx.base()), "Marked as read."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_beyond_the_cap_read_as_more_than() {
        assert_eq!(unread_words(3), "3");
        assert_eq!(unread_words(UNREAD_CAP), "99+");
    }
}
