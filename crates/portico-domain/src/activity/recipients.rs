//! Who is told of an event, and how: the one place that decides it, asked when the event
//! happens and again when its mail is built.

use std::collections::HashMap;

use super::{ActivityEvent, ActivityKind, Delivery, NotificationDefaults, Preferences};
use crate::assignment::Membership;
use crate::ids::{ClientId, StaffId};
use crate::staff::{Staff, UserRef};
use crate::world::{ItemRef, World};

/// Everything [`told`] needs to know about the people around an event.
#[derive(Debug, Clone, Copy)]
pub struct Audience<'a> {
    /// The event's slice of the workspace: the clients who might be told with their
    /// assignments, and the item (with the task a comment hangs on, or an approval's subject).
    pub world: &'a World,
    /// The staff who might be told.
    pub staff: &'a [Staff],
    /// The team memberships of the event's project (current and ended).
    pub team: &'a [Membership],
    /// Each person's choices; someone absent has chosen nothing.
    pub preferences: &'a HashMap<UserRef, Preferences>,
    /// The workspace's defaults.
    pub defaults: &'a NotificationDefaults,
}

/// One person to tell, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recipient {
    /// Who.
    pub user: UserRef,
    /// `Immediate` or `DailyDigest`, never `Off`.
    pub delivery: Delivery,
}

/// How `user` is told of `event`, or `None` when they are not:
/// - nobody is told of their own action;
/// - a client is told only of an item the visibility rule shows them — but not of an
///   invoice sent to them, which reaches them as the invoice mail itself;
/// - staff are told only of what clients do, when active and on the project's team (or an
///   admin who opted in to every project);
/// - and only when their preference for the event's category is not `Off`.
pub fn told(event: &ActivityEvent, audience: &Audience<'_>, user: UserRef) -> Option<Delivery> {
    if user == event.actor {
        return None;
    }
    let preferences = audience.preferences.get(&user);
    let may_know = match user {
        UserRef::Client(id) => {
            shows_client(event, audience.world, id) && !mailed_the_invoice(event, audience.world, id)
        }
        UserRef::Staff(id) => {
            let all_projects = preferences.is_some_and(|p| p.all_projects);
            event.is_client_activity()
                && audience.staff.iter().find(|s| s.id == id).is_some_and(|staff| {
                    staff.active && (on_team(audience.team, event, id) || (staff.is_admin() && all_projects))
                })
        }
    };
    let delivery = preferences.map_or_else(
        || audience.defaults.of(user, event.category()),
        |p| p.delivery(user, event.category(), audience.defaults),
    );
    (may_know && delivery != Delivery::Off).then_some(delivery)
}

/// Whether the visibility rule shows `client` the item `event` is about, in `world` (which
/// holds the client, their assignments and the item): what a client may hear of, by mail or
/// in their feed.
pub fn shows_client(event: &ActivityEvent, world: &World, client: ClientId) -> bool {
    world.client(client).is_some_and(|client| {
        let subject = world.subject(event.item);
        subject.is_some_and(|subject| world.viewer(client).decide(&subject).is_visible())
    })
}

/// Whether `event` is the sending of an invoice addressed to `client`, who gets the invoice
/// mail instead of a notice of it.
fn mailed_the_invoice(event: &ActivityEvent, world: &World, client: ClientId) -> bool {
    let ItemRef::Invoice(id) = event.item else {
        return false;
    };
    event.kind == ActivityKind::InvoiceSent && world.invoices.iter().any(|i| i.id() == id && i.client_id() == client)
}

/// Everyone in `audience` who is told of `event` ([`told`]), each once.
pub fn recipients(event: &ActivityEvent, audience: &Audience<'_>) -> Vec<Recipient> {
    let clients = audience.world.clients.iter().map(|c| UserRef::Client(c.id()));
    let staff = audience.staff.iter().map(|s| UserRef::Staff(s.id));
    let mut seen = std::collections::HashSet::new();
    clients
        .chain(staff)
        .filter(|user| seen.insert(*user))
        .filter_map(|user| told(event, audience, user).map(|delivery| Recipient { user, delivery }))
        .collect()
}

/// Whether `staff` is currently on the team of the event's project.
fn on_team(team: &[Membership], event: &ActivityEvent, staff: StaffId) -> bool {
    event.project_id.is_some_and(|project| {
        team.iter().any(|m| m.project_id == project && m.staff_id == staff && m.tenure.is_current())
    })
}
