//! The "what's new" feed in the app: each person's events, newest first, through the feed
//! rule ([`in_feed`]) — a client's only through the visibility rule, asked as things are now —
//! with what is new since they last marked it read.

use portico_domain::activity::{ActivityEvent, FeedMark, Reader, in_feed, is_unread};
use portico_domain::ids::{ActivityId, ProjectId};
use portico_domain::mail::NoticeLine;
use portico_domain::staff::{Role, UserRef};
use portico_domain::world::World;
use portico_ports::PageRequest;
use portico_ports::repos::{FeedQuery, FeedScope, ProjectQuery};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::Work;
use crate::use_cases::notices::describe;

/// Events read from storage at a time while filling a page through the rule.
const BATCH: usize = 100;
/// The most events one page looks through: a client on a busy workspace with little shared
/// gets a shorter page (and a cursor to go on) rather than a scan of all history.
const SCAN_LIMIT: usize = 1_000;
/// Unread events are counted up to this many ("99+" beyond).
pub const UNREAD_CAP: usize = 100;

/// One event as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The event, the cursor and the mark to read up to.
    pub id: ActivityId,
    /// Who did what to which item, where, and its link in the reader's area.
    pub line: NoticeLine,
    /// Whether it came after the reader's read mark.
    pub unread: bool,
}

/// A page of a feed, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    /// The events.
    pub entries: Vec<FeedEntry>,
    /// The cursor of the next (older) page; `None` at the end.
    pub next: Option<ActivityId>,
    /// How many events of the whole feed are unread, up to [`UNREAD_CAP`].
    pub unread: usize,
}

/// Who reads, owned: what [`Reader`] borrows.
struct ReaderData {
    user: UserRef,
    admin: bool,
    teams: Vec<ProjectId>,
    /// A client's slice of the workspace (empty for staff).
    world: World,
    scope: FeedScope,
}

impl ReaderData {
    fn reader(&self) -> Reader<'_> {
        match self.user {
            UserRef::Staff(id) => Reader::Staff { id, admin: self.admin, teams: &self.teams },
            UserRef::Client(id) => Reader::Client { id, world: &self.world },
        }
    }
}

impl Portico {
    /// A page of the signed-in person's feed, older than `cursor`, of at most `limit` events:
    /// staff read the workspace (members the projects of their teams), or one `project`;
    /// clients read what the rule shows them.
    ///
    /// # Errors
    /// `NotFound` for a project the person may not open or a cursor that names no event of
    /// their feed; `Unauthenticated` when they may no longer log in.
    pub async fn feed(
        &self,
        actor: &Actor,
        project: Option<ProjectId>,
        cursor: Option<ActivityId>,
        limit: usize,
    ) -> AppResult<FeedPage> {
        let mut work = self.begin_read(actor.workspace).await?;
        let who = reader_of(&mut work, actor, project).await?;
        let before = match cursor {
            Some(id) => Some(mark_in_feed(&mut work, &who, id).await?),
            None => None,
        };
        let mark = work.uow.activity().read_mark(actor.workspace, actor.user).await?;
        let limit = limit.clamp(1, PageRequest::MAX_LIMIT);
        let (events, more) = collect(&mut work, &who, before, None, limit).await?;
        let unread = count_unread(&mut work, &who, mark).await?;
        let mut world = who.world.clone();
        let mut entries = Vec::with_capacity(events.len());
        for event in &events {
            if let Some(line) = describe(&mut work, &mut world, event, who.user).await? {
                entries.push(FeedEntry { id: event.id, line, unread: is_unread(event, mark) });
            }
        }
        // A page cut short by the scan goes on from its last event; one that found nothing in
        // the whole scan ends there (a cursor must name an event of the reader's feed).
        let next = if more { events.last().map(|e| e.id) } else { None };
        Ok(FeedPage { entries, next, unread })
    }

    /// How many events of the signed-in person's whole feed are unread, up to [`UNREAD_CAP`].
    ///
    /// # Errors
    /// `Unauthenticated` when the person may no longer log in.
    pub async fn unread_count(&self, actor: &Actor) -> AppResult<usize> {
        let mut work = self.begin_read(actor.workspace).await?;
        let who = reader_of(&mut work, actor, None).await?;
        let mark = work.uow.activity().read_mark(actor.workspace, actor.user).await?;
        count_unread(&mut work, &who, mark).await
    }

    /// Marks the signed-in person's feed read up to the event `up_to` (which must be in it).
    /// The mark only moves forward; returns how many events are still unread.
    ///
    /// # Errors
    /// `NotFound` for an event that is not in the person's feed.
    pub async fn mark_feed_read(&self, actor: &Actor, up_to: ActivityId) -> AppResult<usize> {
        let mut work = self.begin(actor.workspace).await?;
        let who = reader_of(&mut work, actor, None).await?;
        let target = mark_in_feed(&mut work, &who, up_to).await?;
        work.uow.activity().advance_read_mark(actor.workspace, actor.user, target).await?;
        let mark = work.uow.activity().read_mark(actor.workspace, actor.user).await?;
        let unread = count_unread(&mut work, &who, mark).await?;
        work.commit().await?;
        Ok(unread)
    }
}

/// Who `actor` is as a feed reader, and where their feed reads from.
async fn reader_of(work: &mut Work, actor: &Actor, project: Option<ProjectId>) -> AppResult<ReaderData> {
    let ws = actor.workspace;
    match actor.user {
        UserRef::Staff(_) => {
            let staff = match project {
                Some(project) => work.staff_project(actor, project).await?.0,
                None => work.staff(actor).await?,
            };
            let admin = staff.role == Role::Admin;
            let teams = if admin {
                Vec::new()
            } else {
                let query = ProjectQuery { team_member: Some(staff.id), ..ProjectQuery::default() };
                let page = PageRequest::new(None, PageRequest::MAX_LIMIT);
                work.uow.projects().search(ws, &query, &page).await?.items.into_iter().map(|p| p.id).collect()
            };
            let scope = match (project, admin) {
                (Some(project), _) => FeedScope::Projects { ids: vec![project], unscoped: false },
                (None, true) => FeedScope::Workspace,
                (None, false) => FeedScope::Projects { ids: teams.clone(), unscoped: false },
            };
            Ok(ReaderData { user: actor.user, admin, teams, world: World::new(ws), scope })
        }
        UserRef::Client(_) => {
            let (client, assignments) = work.reader(actor).await?;
            let mut projects: Vec<ProjectId> = assignments.iter().map(|a| a.project_id).collect();
            if let Some(project) = project {
                projects.retain(|p| *p == project);
            }
            let scope = FeedScope::Projects { ids: projects.clone(), unscoped: project.is_none() };
            let world = work.world(vec![client], &projects).await?;
            Ok(ReaderData { user: actor.user, admin: false, teams: Vec::new(), world, scope })
        }
    }
}

/// The place of event `id`, if it is in the reader's feed.
async fn mark_in_feed(work: &mut Work, who: &ReaderData, id: ActivityId) -> AppResult<FeedMark> {
    let ws = work.workspace();
    let event = work.uow.activity().get_many(ws, &[id]).await?.pop().ok_or(AppError::NotFound)?;
    if who.scope.holds(&event) && in_feed(&event, &who.reader()) {
        Ok(FeedMark::of(&event))
    } else {
        Err(AppError::NotFound)
    }
}

/// Up to `limit` events of the reader's feed between the marks, newest first, and whether
/// more may follow (the scan stopped short of the end).
async fn collect(
    work: &mut Work,
    who: &ReaderData,
    mut before: Option<FeedMark>,
    after: Option<FeedMark>,
    limit: usize,
) -> AppResult<(Vec<ActivityEvent>, bool)> {
    let ws = work.workspace();
    let reader = who.reader();
    let mut found = Vec::new();
    let mut scanned = 0;
    loop {
        let query = FeedQuery { scope: who.scope.clone(), before, after, limit: BATCH };
        let batch = work.uow.activity().feed(ws, &query).await?;
        let exhausted = batch.len() < BATCH;
        scanned += batch.len();
        for event in batch {
            before = Some(FeedMark::of(&event));
            if in_feed(&event, &reader) {
                found.push(event);
                if found.len() == limit {
                    return Ok((found, true));
                }
            }
        }
        if exhausted {
            return Ok((found, false));
        }
        if scanned >= SCAN_LIMIT {
            return Ok((found, true));
        }
    }
}

/// How many events of the reader's feed follow `mark`, up to [`UNREAD_CAP`].
async fn count_unread(work: &mut Work, who: &ReaderData, mark: Option<FeedMark>) -> AppResult<usize> {
    Ok(collect(work, who, None, mark, UNREAD_CAP).await?.0.len())
}
