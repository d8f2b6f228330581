//! The "what's new" feed: which events a person reads in the app, and which of them are new
//! to them. Mail and feed agree on clients (both ask [`shows_client`]); staff read every
//! event of the projects they work on, not only what clients do, because the feed is their
//! view of the workspace, not a call on their attention.

use time::OffsetDateTime;

use super::{ActivityEvent, shows_client};
use crate::ids::{ActivityId, ClientId, ProjectId, StaffId};
use crate::staff::UserRef;
use crate::world::World;

/// Who reads a feed, with what the rule needs to know about them.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// A staff member: an admin reads every project, a member those of their teams.
    Staff {
        /// Who.
        id: StaffId,
        /// Whether they are an admin.
        admin: bool,
        /// The projects whose team they are on now.
        teams: &'a [ProjectId],
    },
    /// A client, in a world holding them, their assignments and the events' items.
    Client {
        /// Who.
        id: ClientId,
        /// Their slice of the workspace.
        world: &'a World,
    },
}

impl Reader<'_> {
    /// The reader as a person.
    pub fn user(&self) -> UserRef {
        match self {
            Self::Staff { id, .. } => UserRef::Staff(*id),
            Self::Client { id, .. } => UserRef::Client(*id),
        }
    }
}

/// Whether `reader` reads `event` in their feed: never their own action; a client only what
/// the visibility rule shows them now; a member only the projects of their teams (an invoice
/// billing no project is the admins' alone).
pub fn in_feed(event: &ActivityEvent, reader: &Reader<'_>) -> bool {
    if event.actor == reader.user() {
        return false;
    }
    match reader {
        Reader::Staff { admin: true, .. } => true,
        Reader::Staff { admin: false, teams, .. } => event.project_id.is_some_and(|p| teams.contains(&p)),
        Reader::Client { id, world } => shows_client(event, world, *id),
    }
}

/// A place in the feed's order (time, then id): where a person has read up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedMark {
    /// The event's time.
    pub at: OffsetDateTime,
    /// The event's id, for events at the same time.
    pub id: ActivityId,
}

impl FeedMark {
    /// The mark of `event`.
    pub fn of(event: &ActivityEvent) -> Self {
        Self { at: event.at, id: event.id }
    }

    /// Whether `event` comes after the mark: new to someone who read up to here.
    pub fn is_before(&self, event: &ActivityEvent) -> bool {
        *self < Self::of(event)
    }

    /// The mark after reading up to `to`: marks only move forward, so marking an older
    /// event read (another tab, a stale page) unreads nothing.
    pub fn advanced(mark: Option<Self>, to: Self) -> Self {
        mark.map_or(to, |mark| mark.max(to))
    }
}

/// Whether `event` is new to someone who has read up to `mark` (nothing read: all is new).
pub fn is_unread(event: &ActivityEvent, mark: Option<FeedMark>) -> bool {
    mark.is_none_or(|mark| mark.is_before(event))
}
