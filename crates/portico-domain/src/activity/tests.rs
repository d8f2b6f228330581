//! Who is told: unit tests, and a property test against a model written apart from the rule.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::assignment::{Membership, Tenure};
use crate::email::EmailAddress;
use crate::ids::{ClientId, MembershipId, StaffId};
use crate::staff::{Role, Staff};
use crate::strategies::{self, EPOCH};
use crate::text::PersonName;
use crate::visibility::tests::model_verdicts;
use crate::world::World;

fn staff_member(n: usize, role: Role, active: bool, workspace: WorkspaceId) -> Staff {
    Staff {
        id: StaffId::from_uuid(Uuid::from_u128(0x5_0000 + n as u128)),
        workspace_id: workspace,
        name: PersonName::parse(&format!("Staff {n}")).expect("a name"),
        email: EmailAddress::parse(&format!("staff{n}@studio.example")).expect("an address"),
        role,
        active,
        created_at: EPOCH,
    }
}

fn membership(n: usize, project: ProjectId, staff: StaffId, current: bool, workspace: WorkspaceId) -> Membership {
    let mut tenure = Tenure::starting(EPOCH, None);
    if !current {
        tenure.end(EPOCH, None).expect("a current tenure ends");
    }
    Membership {
        id: MembershipId::from_uuid(Uuid::from_u128(0x6_0000 + n as u128)),
        workspace_id: workspace,
        project_id: project,
        staff_id: staff,
        tenure,
    }
}

fn event(
    actor: UserRef,
    kind: ActivityKind,
    item: ItemRef,
    project: Option<ProjectId>,
    world: &World,
) -> ActivityEvent {
    ActivityEvent {
        id: ActivityId::from_uuid(Uuid::from_u128(0x7_0000)),
        workspace_id: world.workspace_id,
        project_id: project,
        actor,
        kind,
        item,
        at: EPOCH,
    }
}

#[test]
fn each_kind_of_news_has_its_category() {
    let world = World::new(WorkspaceId::from_uuid(Uuid::from_u128(1)));
    let actor = UserRef::Staff(StaffId::from_uuid(Uuid::nil()));
    let id = Uuid::from_u128(9);
    let cases = [
        (ActivityKind::Shared, ItemRef::Task(crate::ids::TaskId::from_uuid(id)), Category::Tasks),
        (ActivityKind::Shared, ItemRef::File(crate::ids::FileId::from_uuid(id)), Category::Files),
        (ActivityKind::Shared, ItemRef::Message(crate::ids::MessageId::from_uuid(id)), Category::Messages),
        (ActivityKind::Commented, ItemRef::Message(crate::ids::MessageId::from_uuid(id)), Category::Messages),
        (ActivityKind::ApprovalAnswered, ItemRef::Approval(crate::ids::ApprovalId::from_uuid(id)), Category::Approvals),
        (ActivityKind::InvoiceSent, ItemRef::Invoice(crate::ids::InvoiceId::from_uuid(id)), Category::Invoices),
    ];
    for (kind, item, category) in cases {
        assert_eq!(event(actor, kind, item, None, &world).category(), category, "{kind}");
    }
}

#[test]
fn clients_default_to_approvals_and_invoices_at_once_and_a_digest_for_the_rest() {
    let defaults = NotificationDefaults::default();
    let client = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(3)));
    assert_eq!(defaults.of(client, Category::Invoices), Delivery::Immediate);
    assert_eq!(defaults.of(client, Category::Approvals), Delivery::Immediate);
    assert_eq!(defaults.of(client, Category::Files), Delivery::DailyDigest);
    let mut mine = Preferences::default();
    mine.choose(Category::Invoices, Delivery::Off);
    assert_eq!(mine.delivery(client, Category::Invoices, &defaults), Delivery::Off, "a choice beats the default");
    assert_eq!(mine.resolved(client, &defaults).len(), Category::ALL.len());
}

/// How the model hears of a category: the person's choice, else the workspace default.
fn model_delivery(preferences: &HashMap<UserRef, Preferences>, user: UserRef, category: Category) -> Delivery {
    let chosen = preferences.get(&user).and_then(|p| p.chosen.get(&category).copied());
    chosen.unwrap_or(match (user, category) {
        (UserRef::Staff(_), _)
        | (UserRef::Client(_), Category::Approvals | Category::Invoices | Category::Projects) => Delivery::Immediate,
        (UserRef::Client(_), _) => Delivery::DailyDigest,
    })
}

/// The model's category, from the item's kind alone.
fn model_category(kind: ActivityKind, item: ItemRef) -> Category {
    match item {
        ItemRef::Task(_) => Category::Tasks,
        ItemRef::File(_) => Category::Files,
        ItemRef::Message(_) => Category::Messages,
        ItemRef::Approval(_) => Category::Approvals,
        ItemRef::Invoice(_) => Category::Invoices,
        ItemRef::Project(_) => unreachable!("no event is about a project itself ({kind})"),
    }
}

/// A staff member to generate: admin, active, their tie to each project (0 none, 1 current,
/// 2 ended), and an admin's opt-in to every project.
type StaffShape = (bool, bool, Vec<u8>, bool);

fn staff_shape() -> impl Strategy<Value = StaffShape> {
    (any::<bool>(), proptest::bool::weighted(0.8), proptest::collection::vec(0u8..3, 3), any::<bool>())
}

/// Someone's choices: (category index, delivery index) pairs.
type Choices = Vec<(usize, usize)>;

fn choices() -> impl Strategy<Value = Choices> {
    proptest::collection::vec((0..Category::ALL.len(), 0..Delivery::ALL.len()), 0..4)
}

fn preferences_of(choices: &Choices, all_projects: bool) -> Preferences {
    let chosen: BTreeMap<Category, Delivery> =
        choices.iter().map(|&(category, delivery)| (Category::ALL[category], Delivery::ALL[delivery])).collect();
    Preferences { chosen, all_projects }
}

/// Every item an event may be about, with the project it is in.
fn newsworthy(world: &World) -> Vec<(ItemRef, Option<ProjectId>)> {
    let tasks = world.tasks.iter().map(|t| (ItemRef::Task(t.id), Some(t.project_id)));
    let files = world.files.iter().map(|f| (ItemRef::File(f.id), Some(f.project_id)));
    let messages = world.messages.iter().map(|m| (ItemRef::Message(m.id), Some(m.project_id)));
    let approvals = world.approvals.iter().map(|a| (ItemRef::Approval(a.id), Some(a.project_id)));
    let invoices = world.invoices.iter().map(|i| (ItemRef::Invoice(i.id()), i.project_id()));
    tasks.chain(files).chain(messages).chain(approvals).chain(invoices).collect()
}

fn kind_for(item: ItemRef, world: &World, second: bool) -> ActivityKind {
    match item {
        ItemRef::Message(id) if world.messages.iter().any(|m| m.id == id && m.task_id.is_some()) => {
            ActivityKind::Commented
        }
        ItemRef::Approval(_) if second => ActivityKind::ApprovalAnswered,
        ItemRef::Approval(_) => ActivityKind::ApprovalRequested,
        ItemRef::Invoice(_) if second => ActivityKind::InvoicePaid,
        ItemRef::Invoice(_) => ActivityKind::InvoiceSent,
        _ => ActivityKind::Shared,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Over random worlds, people and choices: a client is told only of what the rule shows
    /// them, and every client shown it who wants the category is told exactly once (but the
    /// addressee of a sent invoice, who gets the invoice itself); staff hear
    /// only of client activity on their projects (or every project, for an opted-in admin);
    /// nobody hears of their own action.
    #[test]
    fn exactly_the_people_the_rule_and_their_choices_allow_are_told(
        world in strategies::world(5, 3),
        staff_shapes in proptest::collection::vec(staff_shape(), 0..4),
        client_choices in proptest::collection::vec(choices(), 5),
        staff_choices in proptest::collection::vec(choices(), 4),
        pick in any::<usize>(),
        actor_pick in any::<usize>(),
        second in any::<bool>(),
    ) {
        let items = newsworthy(&world);
        prop_assume!(!items.is_empty());
        let (item, project) = items[pick % items.len()];
        let ws = world.workspace_id;
        let staff: Vec<Staff> = staff_shapes.iter().enumerate()
            .map(|(n, (admin, active, _, _))| staff_member(n, if *admin { Role::Admin } else { Role::Member }, *active, ws))
            .collect();
        let mut team = Vec::new();
        for (n, (member, (_, _, ties, _))) in staff.iter().zip(&staff_shapes).enumerate() {
            for (p, tie) in world.projects.iter().zip(ties) {
                if *tie > 0 {
                    team.push(membership(n * 8 + team.len(), p.id, member.id, *tie == 1, ws));
                }
            }
        }
        let mut preferences = HashMap::new();
        for (client, choices) in world.clients.iter().zip(&client_choices) {
            preferences.insert(UserRef::Client(client.id()), preferences_of(choices, false));
        }
        for (member, (choices, shape)) in staff.iter().zip(staff_choices.iter().zip(&staff_shapes)) {
            preferences.insert(UserRef::Staff(member.id), preferences_of(choices, shape.3));
        }
        let people: Vec<UserRef> = world.clients.iter().map(|c| UserRef::Client(c.id()))
            .chain(staff.iter().map(|s| UserRef::Staff(s.id)))
            .collect();
        let actor = people[actor_pick % people.len()];
        let kind = kind_for(item, &world, second);
        let news = event(actor, kind, item, project, &world);
        let defaults = NotificationDefaults::default();
        let audience = Audience { world: &world, staff: &staff, team: &team, preferences: &preferences, defaults: &defaults };

        let told = recipients(&news, &audience);
        let category = model_category(kind, item);
        let mut expected = Vec::new();
        for client in &world.clients {
            let user = UserRef::Client(client.id());
            let shown = model_verdicts(&world, client).into_iter().any(|(i, _, sees)| i == item && sees);
            let delivery = model_delivery(&preferences, user, category);
            // The addressee of an invoice just sent gets the invoice mail, not a notice.
            let mailed = kind == ActivityKind::InvoiceSent
                && world.invoices.iter().any(|i| ItemRef::Invoice(i.id()) == item && i.client_id() == client.id());
            if user != actor && shown && !mailed && delivery != Delivery::Off {
                expected.push(Recipient { user, delivery });
            }
        }
        for (member, shape) in staff.iter().zip(&staff_shapes) {
            let user = UserRef::Staff(member.id);
            let on_team = project.is_some_and(|p| team.iter().any(|m| m.project_id == p && m.staff_id == member.id && m.tenure.ended_at.is_none()));
            let opted_in = member.role == Role::Admin && shape.3;
            let delivery = model_delivery(&preferences, user, category);
            if matches!(actor, UserRef::Client(_)) && user != actor && member.active && (on_team || opted_in) && delivery != Delivery::Off {
                expected.push(Recipient { user, delivery });
            }
        }
        prop_assert_eq!(&told, &expected);
        for recipient in &told {
            prop_assert_eq!(super::told(&news, &audience, recipient.user), Some(recipient.delivery), "asked again, the same answer");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A client's feed holds exactly the events whose item the model shows them, never their
    /// own; a member's, the projects of their teams; an admin's, everyone else's events.
    #[test]
    fn a_feed_holds_what_the_rule_shows_its_reader_and_never_their_own_action(
        world in strategies::world(5, 3),
        pick in any::<usize>(),
        actor_pick in any::<usize>(),
        second in any::<bool>(),
        teams_pick in any::<u8>(),
    ) {
        let items = newsworthy(&world);
        prop_assume!(!items.is_empty() && !world.clients.is_empty());
        let (item, project) = items[pick % items.len()];
        let admin = staff_member(0, Role::Admin, true, world.workspace_id);
        let member = staff_member(1, Role::Member, true, world.workspace_id);
        let people: Vec<UserRef> = world.clients.iter().map(|c| UserRef::Client(c.id()))
            .chain([UserRef::Staff(admin.id), UserRef::Staff(member.id)])
            .collect();
        let actor = people[actor_pick % people.len()];
        let news = event(actor, kind_for(item, &world, second), item, project, &world);
        for client in &world.clients {
            let shown = model_verdicts(&world, client).into_iter().any(|(i, _, sees)| i == item && sees);
            let reader = Reader::Client { id: client.id(), world: &world };
            prop_assert_eq!(in_feed(&news, &reader), shown && actor != UserRef::Client(client.id()));
        }
        let teams: Vec<ProjectId> = world.projects.iter().enumerate()
            .filter(|(n, _)| teams_pick & (1 << n) != 0).map(|(_, p)| p.id).collect();
        let reads = |id: StaffId, admin: bool| in_feed(&news, &Reader::Staff { id, admin, teams: &teams });
        prop_assert_eq!(reads(admin.id, true), actor != UserRef::Staff(admin.id));
        let on_team = project.is_some_and(|p| teams.contains(&p));
        prop_assert_eq!(reads(member.id, false), on_team && actor != UserRef::Staff(member.id));
    }
}

#[test]
fn a_read_mark_only_moves_forward_and_what_follows_it_is_new() {
    let world = World::new(WorkspaceId::from_uuid(Uuid::from_u128(1)));
    let actor = UserRef::Staff(StaffId::from_uuid(Uuid::from_u128(2)));
    let item = ItemRef::Project(ProjectId::from_uuid(Uuid::from_u128(3)));
    let at = |minutes: i64, id: u128| ActivityEvent {
        id: ActivityId::from_uuid(Uuid::from_u128(id)),
        at: EPOCH + time::Duration::minutes(minutes),
        ..event(actor, ActivityKind::Shared, item, None, &world)
    };
    let (first, same_time, later) = (at(1, 9), at(1, 10), at(2, 1));
    assert!(is_unread(&first, None), "nothing read: all is new");
    let mark = FeedMark::advanced(None, FeedMark::of(&first));
    assert!(!is_unread(&first, Some(mark)));
    assert!(is_unread(&same_time, Some(mark)), "same time, later id");
    assert!(is_unread(&later, Some(mark)));
    let mark = FeedMark::advanced(Some(mark), FeedMark::of(&later));
    assert_eq!(FeedMark::advanced(Some(mark), FeedMark::of(&first)), mark, "reading an older event unreads nothing");
    assert!(!is_unread(&same_time, Some(mark)));
}

mod notices {
    use time::macros::datetime;

    use super::*;

    fn notice(n: u128, delivery: Delivery, at: time::OffsetDateTime) -> Notification {
        let ws = WorkspaceId::from_uuid(Uuid::from_u128(1));
        let event = ActivityId::from_uuid(Uuid::from_u128(100 + n));
        let who = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(3)));
        Notification::pending(
            crate::ids::NotificationId::from_uuid(Uuid::from_u128(n)),
            (ws, event, at),
            who,
            delivery,
            DigestTime::at_hour(8),
        )
    }

    #[test]
    fn the_digest_is_the_next_one_strictly_after_the_event() {
        let digest = DigestTime::at_hour(8);
        assert_eq!(digest.next_after(datetime!(2026-12-02 07:59 UTC)), datetime!(2026-12-02 08:00 UTC));
        assert_eq!(digest.next_after(datetime!(2026-12-02 08:00 UTC)), datetime!(2026-12-03 08:00 UTC));
        assert_eq!(digest.next_after(datetime!(2026-12-31 23:00 UTC)), datetime!(2027-01-01 08:00 UTC));
        assert_eq!(DigestTime::at_hour(30).hour(), 6, "hours wrap around the day");
    }

    #[test]
    fn immediate_notices_wait_out_the_window_then_leave_together() {
        let first = notice(1, Delivery::Immediate, datetime!(2026-12-02 10:00 UTC));
        let second = notice(2, Delivery::Immediate, datetime!(2026-12-02 10:01 UTC));
        let digest = notice(3, Delivery::DailyDigest, datetime!(2026-12-02 10:00 UTC));
        assert_eq!(first.due_at, datetime!(2026-12-02 10:02 UTC));
        let pending = vec![first.clone(), second.clone(), digest.clone()];
        assert!(gather(pending.clone(), datetime!(2026-12-02 10:01:59 UTC)).is_empty(), "still gathering");
        let mails = gather(pending.clone(), datetime!(2026-12-02 10:02 UTC));
        assert_eq!(mails, vec![vec![first, second]], "one mail with both, the digest waits");
        let next_morning = gather(pending, datetime!(2026-12-03 08:00 UTC));
        assert_eq!(next_morning.len(), 2);
        assert_eq!(next_morning[1], vec![digest]);
    }
}
