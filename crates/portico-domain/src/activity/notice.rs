//! One person's notice of one event, from the moment it is decided until its mail is built:
//! when that may happen, and which notices go into one mail.

use time::{Duration, OffsetDateTime, Time};

use super::Delivery;
use crate::ids::{ActivityId, NotificationId, WorkspaceId};
use crate::names::named_enum;
use crate::staff::UserRef;

/// How long immediate notices to one person are gathered before their mail is built, so a
/// burst of activity makes one mail, not ten.
pub const GATHERING_WINDOW: Duration = Duration::minutes(2);

named_enum! {
    /// Where a notice is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum NoticeState {
        /// Waiting for its mail.
        Pending => "pending",
        /// Put into a mail.
        Sent => "sent",
        /// Left out when its mail was built: the rule or the person's choice no longer allows it.
        Dropped => "dropped",
    }
}

/// When the workspace's daily digest goes out: an hour of the day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestTime {
    hour: u8,
}

impl DigestTime {
    /// The digest at `hour` (0–23; larger hours wrap around the day).
    pub const fn at_hour(hour: u8) -> Self {
        Self { hour: hour % 24 }
    }

    /// The hour.
    pub const fn hour(self) -> u8 {
        self.hour
    }

    /// The first digest strictly after `at`.
    pub fn next_after(self, at: OffsetDateTime) -> OffsetDateTime {
        let at = at.to_offset(time::UtcOffset::UTC);
        let today = at.replace_time(Time::from_hms(self.hour, 0, 0).unwrap_or(Time::MIDNIGHT));
        if today > at { today } else { today + Duration::days(1) }
    }
}

impl Default for DigestTime {
    /// Eight in the morning.
    fn default() -> Self {
        Self::at_hour(8)
    }
}

/// One person's notice of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Identity.
    pub id: NotificationId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The event it tells of.
    pub event_id: ActivityId,
    /// Who is told.
    pub recipient: UserRef,
    /// `Immediate` or `DailyDigest`.
    pub delivery: Delivery,
    /// When its mail may be built: the end of the gathering window, or the next digest.
    pub due_at: OffsetDateTime,
    /// Where it is.
    pub state: NoticeState,
}

impl Notification {
    /// A pending notice of an event that happened `at`, due as its delivery says.
    pub fn pending(
        id: NotificationId,
        (workspace_id, event_id, at): (WorkspaceId, ActivityId, OffsetDateTime),
        recipient: UserRef,
        delivery: Delivery,
        digest: DigestTime,
    ) -> Self {
        let due_at = match delivery {
            Delivery::DailyDigest => digest.next_after(at),
            Delivery::Immediate | Delivery::Off => at + GATHERING_WINDOW,
        };
        Self { id, workspace_id, event_id, recipient, delivery, due_at, state: NoticeState::Pending }
    }

    /// Whether its mail may be built at `now`.
    pub fn is_due(&self, now: OffsetDateTime) -> bool {
        self.state == NoticeState::Pending && self.due_at <= now
    }
}

/// The mails to build at `now` from one person's pending notices, each a list of notices:
/// once any immediate notice is due, every pending immediate notice goes into one mail (the
/// window gathered them); the digest notices that are due go into another.
pub fn gather(pending: Vec<Notification>, now: OffsetDateTime) -> Vec<Vec<Notification>> {
    let (immediate, digest): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .filter(|n| n.state == NoticeState::Pending)
        .partition(|n| n.delivery != Delivery::DailyDigest);
    let mut mails = Vec::new();
    if immediate.iter().any(|n| n.is_due(now)) {
        mails.push(immediate);
    }
    let due: Vec<_> = digest.into_iter().filter(|n| n.is_due(now)).collect();
    if !due.is_empty() {
        mails.push(due);
    }
    mails
}
