//! The "what's new" feed: staff read their workspace (or one project), clients what the rule
//! shows them; each marks it read up to an event.

use axum::Json;
use axum::extract::State;
use portico_app::{FeedEntry, FeedPage};
use portico_domain::ids::{ActivityId, ProjectId};
use portico_domain::validation::ValidationErrors;
use portico_ports::PageRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::views::instant;

/// One event of a feed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedEntryView {
    /// The event: pass as `cursor` to read older ones, or as `up_to` to mark it read.
    pub(crate) id: String,
    /// `shared`, `commented`, `approval_requested`, `approval_answered`, `invoice_sent` or `invoice_paid`.
    pub(crate) kind: &'static str,
    /// The notification category it belongs to.
    pub(crate) category: &'static str,
    /// Who did it.
    pub(crate) actor: String,
    /// The project's name, if it happened in one.
    pub(crate) project: Option<String>,
    /// The item: a task's title, a file's name, the start of a message, an invoice's number.
    pub(crate) title: String,
    /// Where the item is, in the reader's area (`/admin/…` or `/portal/…`).
    pub(crate) link: String,
    /// When it happened.
    pub(crate) at: String,
    /// Whether it came after the reader's read mark.
    pub(crate) unread: bool,
}

impl From<&FeedEntry> for FeedEntryView {
    fn from(entry: &FeedEntry) -> Self {
        let line = &entry.line;
        Self {
            id: entry.id.to_string(),
            kind: line.kind.as_str(),
            category: line.category.as_str(),
            actor: line.actor.to_string(),
            project: line.project.as_ref().map(ToString::to_string),
            title: line.title.clone(),
            link: line.path.clone(),
            at: instant(line.at),
            unread: entry.unread,
        }
    }
}

/// A page of a feed, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedView {
    /// The events.
    pub(crate) items: Vec<FeedEntryView>,
    /// Pass as `cursor` for older events; `null` at the end.
    pub(crate) next_cursor: Option<String>,
    /// Unread events in the whole feed, counted up to 100.
    pub(crate) unread: usize,
}

impl From<FeedPage> for FeedView {
    fn from(page: FeedPage) -> Self {
        Self {
            items: page.entries.iter().map(Into::into).collect(),
            next_cursor: page.next.map(|id| id.to_string()),
            unread: page.unread,
        }
    }
}

/// Which page of a staff feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FeedQuery {
    /// Only this project's events.
    pub(crate) project_id: Option<String>,
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// Which page of a client's feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PortalFeedQuery {
    /// From `next_cursor` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub(crate) limit: Option<usize>,
}

/// How far the reader has read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"up_to": "01a233df-289d-7743-8c35-36f545b78bac"}))]
pub(crate) struct ReadBody {
    /// The newest event read: it and everything before it are read.
    pub(crate) up_to: String,
}

/// How many events are unread.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UnreadView {
    /// Unread events, counted up to 100.
    pub(crate) unread: usize,
}

/// The cursor, page size and project of a feed request, or their field errors.
fn feed_request(
    project: Option<&str>,
    cursor: Option<&str>,
    limit: Option<usize>,
) -> Result<(Option<ProjectId>, Option<ActivityId>, usize), Problem> {
    let mut errors = ValidationErrors::new();
    let project =
        errors.check_optional("project_id", project, |p| p.parse::<ProjectId>().map_err(|_| "is not a valid id"));
    let cursor =
        errors.check_optional("cursor", cursor, |c| c.parse::<ActivityId>().map_err(|_| "is not a valid page cursor"));
    let limit = match limit {
        Some(limit) if !(1..=PageRequest::MAX_LIMIT).contains(&limit) => {
            errors.add("limit", format!("must be between 1 and {}", PageRequest::MAX_LIMIT));
            0
        }
        limit => limit.unwrap_or(PageRequest::DEFAULT_LIMIT),
    };
    errors.into_result()?;
    Ok((project.flatten(), cursor.flatten(), limit))
}

/// The staff feed: what happened in the workspace (a member: on their teams' projects), or
/// in one project, newest first; never the reader's own actions. A client asking here reads
/// their own feed, as at `/portal/activity`.
#[utoipa::path(get, path = "/activity", tag = "activity", params(FeedQuery),
    responses(
        (status = 200, description = "A page of the feed", body = FeedView),
        (status = 404, description = "A project or cursor outside the reader's feed", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn staff_feed(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<FeedQuery>,
) -> ApiResult<Json<FeedView>> {
    let (project, cursor, limit) = feed_request(query.project_id.as_deref(), query.cursor.as_deref(), query.limit)?;
    Ok(Json(state.portico().feed(&actor, project, cursor, limit).await?.into()))
}

/// The client's feed: what happened that the visibility rule shows them, newest first.
#[utoipa::path(get, path = "/portal/activity", tag = "portal", security(("session" = [])), params(PortalFeedQuery),
    responses(
        (status = 200, description = "A page of the client's feed", body = FeedView),
        (status = 404, description = "A cursor outside the client's feed", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn portal_feed(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<PortalFeedQuery>,
) -> ApiResult<Json<FeedView>> {
    let (_, cursor, limit) = feed_request(None, query.cursor.as_deref(), query.limit)?;
    Ok(Json(state.portico().feed(&actor, None, cursor, limit).await?.into()))
}

/// Marks the signed-in person's feed read up to an event of it (marks only move forward).
#[utoipa::path(post, path = "/activity/read", tag = "activity", request_body = ReadBody,
    responses(
        (status = 200, description = "What is still unread", body = UnreadView),
        (status = 404, description = "Not an event of the reader's feed", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ReadBody>,
) -> ApiResult<Json<UnreadView>> {
    let up_to = body.up_to.parse::<ActivityId>().map_err(|_| {
        let mut errors = ValidationErrors::new();
        errors.add("up_to", "is not a valid id");
        errors
    })?;
    Ok(Json(UnreadView { unread: state.portico().mark_feed_read(&actor, up_to).await? }))
}

/// How many events of the signed-in person's feed are unread.
#[utoipa::path(get, path = "/activity/unread-count", tag = "activity",
    responses((status = 200, description = "Unread events, up to 100", body = UnreadView)))]
pub(crate) async fn unread_count(State(state): State<AppState>, Caller(actor): Caller) -> ApiResult<Json<UnreadView>> {
    Ok(Json(UnreadView { unread: state.portico().unread_count(&actor).await? }))
}
