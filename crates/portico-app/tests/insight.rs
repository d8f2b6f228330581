//! "Why can't they see it?", "who loses access if…?", the review report.

use portico_domain::content::Visibility;
use portico_domain::impact::ProposedChange;
use portico_domain::permissions::{Permission, Preset};
use portico_domain::status::ClientStatus;
use portico_domain::visibility::{Decision, HiddenReason, ItemKind};
use portico_domain::world::ItemRef;
use portico_testkit::fixtures::Acme;
use time::Duration;

async fn acme() -> Acme {
    Acme::in_memory().await.expect("the scenario builds")
}

#[tokio::test]
async fn explain_gives_the_rules_reasons() {
    let acme = acme().await;
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let visible = p.explain_visibility(admin, acme.sarah, ItemRef::Task(acme.shared_task)).await.expect("explained");
    assert_eq!(visible.decision, Decision::Visible);
    let internal = p.explain_visibility(admin, acme.sarah, ItemRef::Task(acme.internal_task)).await.expect("explained");
    assert_eq!(internal.decision.reasons(), [HiddenReason::Internal(ItemKind::Task)]);
    let lisa = p.explain_visibility(admin, acme.lisa, ItemRef::File(acme.shared_file)).await.expect("explained");
    assert_eq!(
        lisa.decision.reasons(),
        [HiddenReason::MissingPermission(Permission::Projects), HiddenReason::MissingPermission(Permission::Files)]
    );
    let tom = p.explain_visibility(admin, acme.tom, ItemRef::Approval(acme.approval)).await.expect("explained");
    assert!(tom.decision.reasons().contains(&HiddenReason::NotAssigned));
    let comment = p.project_detail(admin, acme.brand_refresh).await.expect("detail").messages;
    let comment = comment.iter().find(|m| m.task_id.is_some()).expect("a comment");
    let james = p.explain_visibility(admin, acme.james, ItemRef::Message(comment.id)).await.expect("explained");
    assert_eq!(james.decision, Decision::Visible);
    let invoice = p.explain_visibility(admin, acme.james, ItemRef::Invoice(acme.invoice)).await.expect("explained");
    assert_eq!(invoice.decision.reasons(), [HiddenReason::MissingPermission(Permission::Invoices)]);
}

#[tokio::test]
async fn explain_refuses_unknown_items_and_non_admins() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let unknown = ItemRef::Task(portico_domain::ids::TaskId::from_uuid(uuid::Uuid::from_u128(77_777)));
    assert!(matches!(
        p.explain_visibility(&acme.app.admin, acme.sarah, unknown).await,
        Err(portico_app::AppError::NotFound)
    ));
    let sarah = acme.as_client(acme.sarah);
    let asked = p.explain_visibility(&sarah, acme.sarah, ItemRef::Task(acme.internal_task)).await;
    assert!(matches!(asked, Err(portico_app::AppError::Forbidden)));
}

#[tokio::test]
async fn impact_preview_lists_what_each_client_would_lose_and_changes_nothing() {
    let acme = acme().await;
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let removal = ProposedChange::RemoveFromProject { client: acme.james, project: acme.brand_refresh };
    let losses = p.preview_impact(admin, &removal).await.expect("preview");
    assert_eq!(losses.len(), 1);
    assert_eq!(losses[0].client, acme.james);
    assert!(losses[0].items.contains(&ItemRef::Project(acme.brand_refresh)));
    assert!(losses[0].items.contains(&ItemRef::Task(acme.shared_task)));
    assert!(losses[0].items.contains(&ItemRef::File(acme.shared_file)));
    assert!(p.portal_projects(&acme.as_client(acme.james)).await.expect("portal").len() == 1, "nothing changed");

    let hide =
        ProposedChange::SetVisibility { item: ItemRef::File(acme.shared_file), visibility: Visibility::Internal };
    let mut who: Vec<_> =
        p.preview_impact(admin, &hide).await.expect("preview").into_iter().map(|l| l.client).collect();
    who.sort();
    let mut expected = vec![acme.sarah, acme.james];
    expected.sort();
    assert_eq!(who, expected, "Lisa never saw the file; Tom is on another project");

    let narrow = ProposedChange::SetPermissions { client: acme.lisa, permissions: Preset::OverviewOnly.permissions() };
    let losses = p.preview_impact(admin, &narrow).await.expect("preview");
    assert_eq!(losses[0].items.iter().copied().collect::<Vec<_>>(), [ItemRef::Invoice(acme.invoice)]);

    let deactivate = ProposedChange::Deactivate { client: acme.tom };
    let losses = p.preview_impact(admin, &deactivate).await.expect("preview");
    assert!(losses[0].items.contains(&ItemRef::Task(acme.globex_task)));
}

#[tokio::test]
async fn the_review_report_finds_what_needs_attention() {
    let acme = acme().await;
    let (p, admin, app) = (&acme.app.portico, &acme.app.admin, &acme.app);
    let form = portico_app::forms::ClientForm {
        name: "Old Invite".into(),
        email: "old@x.example".into(),
        ..Default::default()
    };
    let stale = p.create_client(admin, form.parse().expect("valid")).await.expect("created").client.id();
    p.remove_client(admin, acme.globex_launch, acme.tom).await.expect("removed");
    app.clock.advance(Duration::days(8));
    let review = p.client_review(admin).await.expect("report");
    assert_eq!(review.active_without_active_project, [acme.tom]);
    assert_eq!(review.stale_invitations, [stale]);
    assert_eq!(review.never_logged_in, [stale], "accepting an invitation logs the client in");
    let client = p.client_detail(admin, stale).await.expect("detail").client;
    assert_eq!(client.status(), ClientStatus::Invited);
}
