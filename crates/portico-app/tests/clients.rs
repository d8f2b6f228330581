//! Client lifecycle: creation with its invitation, edits, email changes, deactivation,
//! deletion as a tombstone — and bad input that changes nothing.

use portico_app::forms::{ClientEditForm, ClientForm, PermissionsInput, StaffForm};
use portico_app::{Actor, AppError, ClientWarning};
use portico_domain::audit::{AuditAction, ERASED};
use portico_domain::client::DELETED_CLIENT_NAME;
use portico_domain::mail::{DeliveryState, MailContent};
use portico_domain::session::Session;
use portico_domain::staff::UserRef;
use portico_domain::status::ClientStatus;
use portico_domain::token::SecretToken;
use portico_ports::repos::ClientQuery;
use portico_ports::{Conflict, PageRequest};
use portico_testkit::fixtures::Acme;
use portico_testkit::harness::{TestApp, password};

fn sarah_form() -> ClientForm {
    ClientForm {
        name: "Sarah Chen".into(),
        email: "sarah@acme.example".into(),
        company: Some("Acme Corp".into()),
        phone: Some("+1 555 0100".into()),
        billing_address: Some("1 Main St\nSpringfield".into()),
        notes: Some("Prefers calls before 10am.".into()),
        permissions: PermissionsInput::Preset("full_access".into()),
        invite: true,
    }
}

async fn client_count(app: &TestApp) -> usize {
    let query = ClientQuery::default();
    app.portico.list_clients(&app.admin, &query, &PageRequest::first()).await.expect("list").items.len()
}

#[tokio::test]
async fn creating_a_client_queues_its_invitation_in_the_same_unit() {
    let app = TestApp::in_memory().await;
    let created = app.portico.create_client(&app.admin, sarah_form().parse().expect("valid")).await.expect("created");
    let client = &created.client;
    assert_eq!(client.status(), ClientStatus::Invited);
    assert_eq!(client.invited_at(), Some(portico_testkit::harness::START));
    assert!(created.warnings.is_empty());
    let log = app.portico.client_deliveries(&app.admin, client.id()).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].to.as_str(), "sarah@acme.example");
    assert_eq!(log[0].state, DeliveryState::Queued);
    let MailContent::Invitation { expires_at, .. } = &log[0].content else { panic!("an invitation") };
    assert_eq!(*expires_at, portico_testkit::harness::START + time::Duration::days(7));
    let history = app.portico.client_history(&app.admin, client.id()).await.expect("history");
    let actions: Vec<AuditAction> = history.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::InvitationIssued, AuditAction::ClientCreated]);
}

#[tokio::test]
async fn a_client_can_be_created_without_sending_the_invitation_yet() {
    let app = TestApp::in_memory().await;
    let form = ClientForm { invite: false, ..sarah_form() };
    let client = app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client;
    assert!(app.portico.client_deliveries(&app.admin, client.id()).await.expect("log").is_empty());
    assert_eq!(client.invited_at(), None);
    app.portico.resend_invitation(&app.admin, client.id()).await.expect("invite later");
    assert_eq!(app.portico.client_deliveries(&app.admin, client.id()).await.expect("log").len(), 1);
}

#[tokio::test]
async fn likely_typos_company_variants_and_no_permissions_are_warnings_not_errors() {
    let app = TestApp::in_memory().await;
    let sarah = app.portico.create_client(&app.admin, sarah_form().parse().expect("valid")).await.expect("created");
    let form = ClientForm {
        name: "James Ortiz".into(),
        email: "james@gmial.com".into(),
        company: Some("ACME Corporation".into()),
        ..ClientForm::default()
    };
    let created = app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("saved anyway");
    assert_eq!(
        created.warnings,
        [
            ClientWarning::EmailTypo {
                suggestion: portico_domain::email::EmailAddress::parse("james@gmail.com").expect("valid")
            },
            ClientWarning::CompanyVariant { in_use: "Acme Corp".into() },
            ClientWarning::NoPermissions,
        ]
    );
    let detail = app.portico.client_detail(&app.admin, created.client.id()).await.expect("detail");
    assert_eq!(detail.warnings, created.warnings, "the saved client is warned about the same");
    assert!(sarah.warnings.is_empty(), "nothing to check about Sarah when she was created");
    let detail = app.portico.client_detail(&app.admin, sarah.client.id()).await.expect("detail");
    assert!(detail.warnings.is_empty(), "nothing to check about Sarah: {:?}", detail.warnings);
    let groups = app.portico.companies(&app.admin).await.expect("directory");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].variants.len(), 2);
    let review = app.portico.client_review(&app.admin).await.expect("review");
    assert_eq!(review.company_variants.len(), 1);
}

#[tokio::test]
async fn bad_input_reports_every_field_and_changes_nothing() {
    let app = TestApp::in_memory().await;
    let form = ClientForm {
        name: "  ".into(),
        email: "sarah(at)acme".into(),
        company: Some("Acme\r\nBcc: x@y.z".into()),
        phone: Some("call me".into()),
        billing_address: None,
        notes: Some("fine".into()),
        permissions: PermissionsInput::Names(vec!["tasks".into()]),
        invite: true,
    };
    let errors = form.parse().expect_err("invalid");
    let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "email", "company", "phone", "permissions"]);
    assert_eq!(errors.errors()[4].message, "\"tasks\" requires \"projects\"");
    assert_eq!(client_count(&app).await, 0);
}

#[tokio::test]
async fn a_taken_email_is_a_conflict_and_nothing_is_written() {
    let app = TestApp::in_memory().await;
    app.portico.create_client(&app.admin, sarah_form().parse().expect("valid")).await.expect("created");
    let again = ClientForm { name: "Someone Else".into(), email: "SARAH@acme.example".into(), ..ClientForm::default() };
    let result = app.portico.create_client(&app.admin, again.parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Conflict(Conflict::EmailTaken))));
    let staff = ClientForm { email: "ada@studio.example".into(), ..sarah_form() };
    let result = app.portico.create_client(&app.admin, staff.parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Conflict(Conflict::EmailTaken))), "staff addresses count too");
    assert_eq!(client_count(&app).await, 1);
    let outbox = app.portico.outbox(&app.admin, &PageRequest::first()).await.expect("outbox");
    assert_eq!(outbox.items.len(), 1, "no invitation for the refused client");
}

#[tokio::test]
async fn an_email_change_ends_sessions_and_links_and_tells_both_addresses() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (app, sarah) = (&acme.app, acme.sarah);
    let session = Session {
        hash: SecretToken::from_random_bytes([3; 32]).hash(),
        workspace_id: app.workspace,
        user: UserRef::Client(sarah),
        created_at: portico_testkit::harness::START,
        last_seen_at: portico_testkit::harness::START,
    };
    let mut uow = app.store.begin().await.expect("unit");
    uow.sessions().insert(&session).await.expect("session");
    uow.commit().await.expect("commit");
    let edit = ClientEditForm { email: Some("s.chen@acme.example".into()), ..ClientEditForm::default() };
    app.portico.edit_client(&app.admin, sarah, edit.parse().expect("valid")).await.expect("edited");
    let mut uow = app.store.begin().await.expect("unit");
    assert_eq!(uow.sessions().find_by_hash(&session.hash).await.expect("find"), None);
    drop(uow);
    let log = app.portico.client_deliveries(&app.admin, sarah).await.expect("log");
    let notices: Vec<&str> =
        log.iter().filter(|m| matches!(m.content, MailContent::EmailChanged { .. })).map(|m| m.to.as_str()).collect();
    assert_eq!(notices, ["s.chen@acme.example", "sarah@acme.example"]);
    // The old address is free again; the new one is taken.
    let reuse = ClientForm { name: "New Sarah".into(), email: "sarah@acme.example".into(), ..ClientForm::default() };
    app.portico.create_client(&app.admin, reuse.parse().expect("valid")).await.expect("old address is free");
}

#[tokio::test]
async fn an_invited_clients_email_fix_sends_a_fresh_invitation_and_kills_the_old_link() {
    let app = TestApp::in_memory().await;
    let typo = ClientForm { email: "sarah@acme.exmaple".into(), ..sarah_form() };
    let id = app.portico.create_client(&app.admin, typo.parse().expect("valid")).await.expect("created").client.id();
    let old_link = app.invitation_secret(UserRef::Client(id)).await.expect("invitation");
    let edit = ClientEditForm { email: Some("sarah@acme.example".into()), ..ClientEditForm::default() };
    app.portico.edit_client(&app.admin, id, edit.parse().expect("valid")).await.expect("edited");
    let new_link = app.invitation_secret(UserRef::Client(id)).await.expect("new invitation");
    assert_ne!(old_link, new_link);
    assert!(matches!(app.portico.accept_invitation(&old_link, &password()).await, Err(AppError::Link(_))));
    app.portico.accept_invitation(&new_link, &password()).await.expect("the new link works");
}

#[tokio::test]
async fn deleting_a_client_leaves_a_tombstone_and_orphans_nothing() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (app, p) = (&acme.app, &acme.app.portico);
    let lisa = acme.as_client(acme.lisa);
    let james = acme.as_client(acme.james);
    let post = p
        .portal_post_message(&james, acme.brand_refresh, portico_domain::text::MessageBody::parse("Hi").expect("valid"))
        .await
        .expect("posted");
    p.delete_client(&app.admin, acme.james).await.expect("deleted");
    p.delete_client(&app.admin, acme.lisa).await.expect("deleted");
    let tombstone = p.client_detail(&app.admin, acme.james).await.expect("kept").client;
    assert_eq!(tombstone.name().as_str(), DELETED_CLIENT_NAME);
    assert!(tombstone.profile().notes.is_none() && tombstone.profile().phone.is_none());
    assert!(matches!(p.portal_projects(&james).await, Err(AppError::Unauthenticated)));
    assert!(matches!(p.portal_invoices(&lisa).await, Err(AppError::Unauthenticated)));
    // His post stays, attributed to the tombstone.
    let sarah = acme.as_client(acme.sarah);
    let view = p.portal_project(&sarah, acme.brand_refresh).await.expect("visible");
    assert_eq!(view.messages.iter().find(|m| m.id == post.id).map(|m| m.author.as_str()), Some(DELETED_CLIENT_NAME));
    // Lisa's sent invoice keeps its billing snapshot.
    let invoices = p
        .list_invoices(&app.admin, &portico_ports::repos::InvoiceQuery::default(), &PageRequest::first())
        .await
        .expect("invoices");
    let billing = invoices.items[0].billing().expect("snapshot");
    assert_eq!(billing.name.as_str(), "Lisa Park");
    // Personal data is gone from the audit trail and the outbox too.
    for event in p.client_history(&app.admin, acme.james).await.expect("history") {
        for change in event.changes.iter().filter(|c| c.personal) {
            assert!(change.before.iter().chain(&change.after).all(|v| v == ERASED), "{change:?}");
        }
    }
    for message in p.client_deliveries(&app.admin, acme.james).await.expect("log") {
        assert!(message.to.as_str().ends_with("@deleted.invalid"));
    }
    // Assignments ended, the address is free, and deleting twice is refused.
    assert!(
        p.project_detail(&app.admin, acme.brand_refresh)
            .await
            .expect("detail")
            .clients
            .iter()
            .all(|(a, _)| a.client_id != acme.james)
    );
    let reuse = ClientForm { name: "James Again".into(), email: "james@acme.example".into(), ..ClientForm::default() };
    p.create_client(&app.admin, reuse.parse().expect("valid")).await.expect("address reusable");
    assert!(matches!(p.delete_client(&app.admin, acme.james).await, Err(AppError::Rule(_))));
}

#[tokio::test]
async fn members_cannot_manage_clients() {
    let app = TestApp::in_memory().await;
    let form = StaffForm { name: "Mia Member".into(), email: "mia@studio.example".into(), role: "member".into() };
    let mia = app.portico.create_staff(&app.admin, form.parse().expect("valid")).await.expect("created");
    let mia = Actor::staff(app.workspace, mia.id);
    let result = app.portico.create_client(&mia, sarah_form().parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Forbidden)));
    assert!(matches!(app.portico.client_review(&mia).await, Err(AppError::Forbidden)));
    assert_eq!(client_count(&app).await, 0);
}

#[tokio::test]
async fn illegal_status_moves_are_refused_and_change_nothing() {
    let app = TestApp::in_memory().await;
    let id =
        app.portico.create_client(&app.admin, sarah_form().parse().expect("valid")).await.expect("created").client.id();
    assert!(matches!(app.portico.reactivate_client(&app.admin, id).await, Err(AppError::Rule(_))));
    let history = app.portico.client_history(&app.admin, id).await.expect("history");
    assert_eq!(history.len(), 2, "no event for a refused move");
    let unknown = portico_domain::ids::ClientId::from_uuid(uuid::Uuid::from_u128(9_999));
    assert!(matches!(app.portico.deactivate_client(&app.admin, unknown).await, Err(AppError::NotFound)));
}
