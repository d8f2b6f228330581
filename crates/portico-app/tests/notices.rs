//! Notices in the Acme scenario: each contact is told exactly what the rule shows them, in
//! the mail their choices ask for — and asked again when the mail is built.

use portico_domain::activity::{ActivityKind, Category, Delivery, Preferences};
use portico_domain::content::Visibility;
use portico_domain::ids::ClientId;
use portico_domain::mail::{MailContent, NoticeLine};
use portico_domain::staff::UserRef;
use portico_testkit::fixtures::Acme;
use time::Duration;
use time::macros::datetime;

async fn acme() -> Acme {
    Acme::in_memory().await.expect("the scenario builds")
}

/// The notice mails `client` has been sent so far, oldest first: (digest, lines).
async fn notices(acme: &Acme, client: ClientId) -> Vec<(bool, Vec<NoticeLine>)> {
    let mut uow = acme.app.store.begin().await.expect("a unit");
    let mut mails = uow.outbox().about(acme.app.workspace, UserRef::Client(client)).await.expect("the log");
    mails.reverse();
    mails
        .into_iter()
        .filter_map(|m| match m.content {
            MailContent::Notice { digest, lines } => Some((digest, lines)),
            _ => None,
        })
        .collect()
}

fn titles(lines: &[NoticeLine]) -> Vec<&str> {
    lines.iter().map(|l| l.title.as_str()).collect()
}

#[tokio::test]
async fn each_contact_hears_at_once_of_what_it_wants_and_sees_and_of_the_rest_next_morning() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let round = p.send_due_notices(50).await.expect("a round");
    assert_eq!(round.mails, 0, "the window still gathers");

    acme.app.clock.advance(Duration::minutes(2));
    let round = p.send_due_notices(50).await.expect("a round");
    // Sarah sees the approval and the project's invoice; Lisa, whom the invoice is addressed
    // to, gets the invoice mail itself and no notice of it.
    let sarah = notices(&acme, acme.sarah).await;
    assert_eq!(sarah.len(), 1, "{sarah:?}");
    let (digest, lines) = &sarah[0];
    assert!(!digest);
    let kinds: Vec<ActivityKind> = lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [ActivityKind::ApprovalRequested, ActivityKind::InvoiceSent]);
    assert!(lines.iter().all(|l| l.path.starts_with("/portal/")), "links into the portal: {lines:?}");
    assert!(notices(&acme, acme.lisa).await.is_empty(), "{:?}", notices(&acme, acme.lisa).await);
    assert!(notices(&acme, acme.james).await.is_empty(), "James's categories come in the digest");
    assert_eq!(round.mails, 1);

    acme.app.clock.set(datetime!(2026-03-03 08:00 UTC));
    p.send_due_notices(50).await.expect("a round");
    let james = notices(&acme, acme.james).await;
    assert_eq!(james.len(), 1);
    let (digest, lines) = &james[0];
    assert!(digest);
    let mut seen = titles(lines);
    seen.sort_unstable();
    assert_eq!(seen, ["Kick-off on Monday.", "Review logo concepts", "Three concepts attached.", "logo-concepts.pdf"]);
    for internal in ["Negotiate font licence", "budget.pdf", "Client is slow to pay."] {
        assert!(!seen.contains(&internal), "nobody hears of internal work");
    }
    let tom = notices(&acme, acme.tom).await;
    assert_eq!(
        tom.iter().map(|(_, lines)| titles(lines)).collect::<Vec<_>>(),
        [vec!["Launch plan"]],
        "his own project only"
    );
    assert!(notices(&acme, acme.lisa).await.is_empty(), "nothing new Lisa may see");
    assert_eq!(p.send_due_notices(50).await.expect("a round").mails, 0, "each notice goes once");
}

#[tokio::test]
async fn an_item_made_internal_before_its_mail_is_built_is_left_out_and_an_empty_mail_not_sent() {
    let acme = acme().await;
    let p = &acme.app.portico;
    acme.app.clock.advance(Duration::minutes(2));
    p.send_due_notices(50).await.expect("the scenario's notices go");
    let before = notices(&acme, acme.sarah).await.len();
    let mut choices = Preferences::default();
    choices.choose(Category::Tasks, Delivery::Immediate);
    let mut uow = acme.app.store.begin().await.expect("a unit");
    uow.preferences().put(acme.app.workspace, UserRef::Client(acme.sarah), &choices).await.expect("put");
    uow.commit().await.expect("commit");

    let task = portico_app::forms::TaskForm {
        title: "Surprise".to_owned(),
        visibility: "client".to_owned(),
        ..portico_app::forms::TaskForm::default()
    };
    let task = p.create_task(&acme.app.admin, acme.brand_refresh, task.parse().expect("valid")).await.expect("created");
    let hide = portico_domain::content::TaskEdit { visibility: Some(Visibility::Internal), ..Default::default() };
    p.edit_task(&acme.app.admin, task.id, hide).await.expect("made internal");
    acme.app.clock.advance(Duration::minutes(2));
    let round = p.send_due_notices(50).await.expect("a round");
    assert_eq!(notices(&acme, acme.sarah).await.len(), before, "no mail about a task she can no longer see");
    assert!(round.dropped >= 1, "{round:?}");
    assert_eq!(round.mails, 0);
}

#[tokio::test]
async fn a_client_who_turned_projects_off_is_not_mailed_when_added_to_one() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let mut off = Preferences::default();
    off.choose(Category::Projects, Delivery::Off);
    let mut uow = acme.app.store.begin().await.expect("a unit");
    uow.preferences().put(acme.app.workspace, UserRef::Client(acme.sarah), &off).await.expect("put");
    uow.commit().await.expect("commit");
    for client in [acme.sarah, acme.james] {
        p.assign_client(&acme.app.admin, acme.globex_launch, client, None).await.expect("assigned");
    }
    let added = |log: Vec<portico_domain::mail::OutboxMessage>| {
        log.iter().filter(|m| matches!(&m.content, MailContent::AddedToProject { project_id, .. } if *project_id == acme.globex_launch)).count()
    };
    let mut uow = acme.app.store.begin().await.expect("a unit");
    let ws = acme.app.workspace;
    assert_eq!(added(uow.outbox().about(ws, UserRef::Client(acme.sarah)).await.expect("log")), 0);
    assert_eq!(
        added(uow.outbox().about(ws, UserRef::Client(acme.james)).await.expect("log")),
        1,
        "the default sends it"
    );
}
