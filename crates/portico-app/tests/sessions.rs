//! Logging in: one answer for every failure, sessions that time out and rotate, and a
//! person's access ending the moment they are deactivated.

use portico_app::forms::{ClientForm, PermissionsInput, ProjectForm};
use portico_app::{AppError, Me};
use portico_domain::ids::ClientId;
use portico_domain::session::SessionPolicy;
use portico_domain::text::MessageBody;
use portico_testkit::harness::{PASSWORD, TestApp};
use time::Duration;

async fn active_client(app: &TestApp) -> ClientId {
    let form = ClientForm { name: "Sarah Chen".into(), email: "sarah@acme.example".into(), ..ClientForm::default() };
    let id = app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client.id();
    app.activate(id).await.expect("activated");
    id
}

#[tokio::test]
async fn a_right_password_opens_a_session_that_names_its_person() {
    let app = TestApp::in_memory().await;
    let id = active_client(&app).await;
    let login = app.portico.log_in(app.workspace, "SARAH@acme.example", PASSWORD, None).await.expect("logs in");
    assert_eq!(login.actor, app.client(id));
    let actor = app.portico.authenticate(login.secret.expose(), SessionPolicy::default()).await.expect("live");
    assert_eq!(actor, app.client(id));
    match app.portico.me(&actor).await.expect("me") {
        Me::Client(client) => assert_eq!(client.id(), id),
        Me::Staff(staff) => panic!("a client logged in, got staff {staff:?}"),
    }
}

#[tokio::test]
async fn every_failed_login_gets_the_same_answer() {
    let app = TestApp::in_memory().await;
    let id = active_client(&app).await;
    let invited = ClientForm { name: "Ivy".into(), email: "ivy@acme.example".into(), ..ClientForm::default() };
    app.portico.create_client(&app.admin, invited.parse().expect("valid")).await.expect("created");
    app.portico.deactivate_client(&app.admin, id).await.expect("deactivated");
    for (email, password) in [
        ("nobody@acme.example", PASSWORD),
        ("not an address", PASSWORD),
        ("ada@studio.example", "wrong password"),
        ("ivy@acme.example", PASSWORD),
        ("sarah@acme.example", PASSWORD),
    ] {
        let outcome = app.portico.log_in(app.workspace, email, password, None).await;
        assert!(matches!(outcome, Err(AppError::Unauthenticated)), "{email}: {outcome:?}");
    }
}

#[tokio::test]
async fn logging_in_again_ends_the_session_the_browser_had() {
    let app = TestApp::in_memory().await;
    let first = app.portico.log_in(app.workspace, "ada@studio.example", PASSWORD, None).await.expect("logs in");
    let second = app
        .portico
        .log_in(app.workspace, "ada@studio.example", PASSWORD, Some(first.secret.expose()))
        .await
        .expect("logs in");
    assert_ne!(first.secret, second.secret);
    let policy = SessionPolicy::default();
    assert!(matches!(app.portico.authenticate(first.secret.expose(), policy).await, Err(AppError::Unauthenticated)));
    assert!(app.portico.authenticate(second.secret.expose(), policy).await.is_ok());
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_limit() {
    let app = TestApp::in_memory().await;
    let policy = SessionPolicy::default();
    let idle = app.portico.log_in(app.workspace, "ada@studio.example", PASSWORD, None).await.expect("logs in");
    let busy = app.portico.log_in(app.workspace, "ada@studio.example", PASSWORD, None).await.expect("logs in");
    for _ in 0..24 {
        app.clock.advance(Duration::minutes(29));
        app.portico.authenticate(busy.secret.expose(), policy).await.expect("used within the idle timeout");
    }
    // 24 × 29 minutes is past 11 hours: the idle one died long ago, the busy one lives on.
    assert!(app.portico.authenticate(idle.secret.expose(), policy).await.is_err());
    app.clock.advance(Duration::minutes(29));
    assert!(
        matches!(app.portico.authenticate(busy.secret.expose(), policy).await, Err(AppError::Unauthenticated)),
        "twelve hours after login every session ends"
    );
}

#[tokio::test]
async fn deactivation_and_logout_end_sessions_at_once() {
    let app = TestApp::in_memory().await;
    let id = active_client(&app).await;
    let policy = SessionPolicy::default();
    let client = app.portico.log_in(app.workspace, "sarah@acme.example", PASSWORD, None).await.expect("logs in");
    let admin = app.portico.log_in(app.workspace, "ada@studio.example", PASSWORD, None).await.expect("logs in");
    app.portico.deactivate_client(&app.admin, id).await.expect("deactivated");
    assert!(matches!(app.portico.authenticate(client.secret.expose(), policy).await, Err(AppError::Unauthenticated)));
    app.portico.log_out(admin.secret.expose()).await.expect("logged out");
    assert!(matches!(app.portico.authenticate(admin.secret.expose(), policy).await, Err(AppError::Unauthenticated)));
    app.portico.log_out("not a secret at all").await.expect("unknown sessions end quietly");
}

#[tokio::test]
async fn api_tokens_act_as_their_admin_until_revoked() {
    let app = TestApp::in_memory().await;
    let label = portico_domain::text::TokenLabel::parse("Accounting sync").expect("valid");
    let (token, secret) = app.portico.create_api_token(&app.admin, label).await.expect("created");
    assert_eq!(app.portico.authenticate_api_token(secret.expose()).await.expect("opens"), app.admin);
    assert_eq!(
        app.portico.list_api_tokens(&app.admin).await.expect("lists"),
        [token.clone()].map(|mut t| {
            t.last_used_at = Some(portico_testkit::harness::START);
            t
        })
    );
    app.portico.revoke_api_token(&app.admin, token.id).await.expect("revoked");
    let refused = app.portico.authenticate_api_token(secret.expose()).await;
    assert!(matches!(refused, Err(AppError::Unauthenticated)), "{refused:?}");
    assert!(matches!(app.portico.authenticate_api_token("garbage").await, Err(AppError::Unauthenticated)));
}

#[tokio::test]
async fn only_admins_manage_api_tokens() {
    let app = TestApp::in_memory().await;
    let id = active_client(&app).await;
    let label = portico_domain::text::TokenLabel::parse("Mine").expect("valid");
    let refused = app.portico.create_api_token(&app.client(id), label).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_ends_every_session() {
    let app = TestApp::in_memory().await;
    let id = active_client(&app).await;
    let policy = SessionPolicy::default();
    let login = app.portico.log_in(app.workspace, "sarah@acme.example", PASSWORD, None).await.expect("logs in");
    let new = portico_domain::password::NewPassword::parse("a brand new passphrase").expect("valid");
    let refused = app.portico.change_password(&app.client(id), "not my password", &new).await;
    assert!(matches!(&refused, Err(AppError::Invalid(e)) if e.errors()[0].field == "current_password"), "{refused:?}");
    assert!(app.portico.authenticate(login.secret.expose(), policy).await.is_ok(), "a refused change ends nothing");
    app.portico.change_password(&app.client(id), PASSWORD, &new).await.expect("changed");
    assert!(app.portico.authenticate(login.secret.expose(), policy).await.is_err());
    assert!(app.portico.log_in(app.workspace, "sarah@acme.example", PASSWORD, None).await.is_err());
    assert!(app.portico.log_in(app.workspace, "sarah@acme.example", "a brand new passphrase", None).await.is_ok());
}

/// A new client who may see and do everything, not yet active.
async fn full_access(app: &TestApp, name: &str, email: &str) -> ClientId {
    let form = ClientForm {
        name: name.into(),
        email: email.into(),
        permissions: PermissionsInput::Preset("full_access".into()),
        ..ClientForm::default()
    };
    app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client.id()
}

#[tokio::test]
async fn only_admins_preview_the_portal_and_a_preview_sees_what_the_client_sees_but_never_acts() {
    let app = TestApp::in_memory().await;
    let id = full_access(&app, "Sarah Chen", "sarah@acme.example").await;
    app.activate(id).await.expect("activated");
    let invited = full_access(&app, "James Okafor", "james@acme.example").await;
    let project = ProjectForm {
        name: "Brand Refresh".into(),
        client_ids: vec![id.to_string(), invited.to_string()],
        ..ProjectForm::default()
    };
    let project = app.portico.create_project(&app.admin, project.parse().expect("valid")).await.expect("created");

    let preview = app.portico.preview_as_client(&app.admin, id).await.expect("admins may");
    assert_eq!(preview.actor.user, app.client(id).user);
    assert!(preview.actor.is_preview());
    let seen = app.portico.portal_projects(&preview.actor).await.expect("reads");
    assert_eq!(seen, app.portico.portal_projects(&app.client(id)).await.expect("reads"), "what the client sees");
    assert_eq!(seen.len(), 1);
    let body = MessageBody::parse("posted by a preview").expect("valid");
    let acted = app.portico.portal_post_message(&preview.actor, project.id, body).await;
    assert!(matches!(acted, Err(AppError::Forbidden)), "a preview never acts: {acted:?}");

    // An invited client: the preview shows what they will see once they accept.
    let preview = app.portico.preview_as_client(&app.admin, invited).await.expect("previewable");
    assert_eq!(app.portico.portal_projects(&preview.actor).await.expect("reads").len(), 1);
    let own = app.portico.portal_projects(&app.client(invited)).await;
    assert!(matches!(own, Err(AppError::Unauthenticated)), "the client itself cannot read yet");

    let refused = app.portico.preview_as_client(&app.client(id), id).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    app.portico.deactivate_client(&app.admin, id).await.expect("deactivated");
    let preview = app.portico.preview_as_client(&app.admin, id).await.expect("still previewable");
    assert!(app.portico.portal_projects(&preview.actor).await.is_err(), "a deactivated client sees nothing");
}
