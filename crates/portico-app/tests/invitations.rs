//! Invitation links: single use, seven days, superseded by a resend, ended by deactivation.

use portico_app::forms::ClientForm;
use portico_app::{AppError, LinkError};
use portico_domain::ids::ClientId;
use portico_domain::staff::UserRef;
use portico_domain::status::ClientStatus;
use portico_domain::token::TokenRefusal;
use portico_testkit::harness::{TestApp, password};
use time::Duration;

async fn invited(app: &TestApp) -> (ClientId, String) {
    let form = ClientForm { name: "Sarah Chen".into(), email: "sarah@acme.example".into(), ..ClientForm::default() };
    let id = app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client.id();
    (id, app.invitation_secret(UserRef::Client(id)).await.expect("queued"))
}

fn refused(result: &Result<portico_app::Actor, AppError>) -> Option<TokenRefusal> {
    match result {
        Err(AppError::Link(LinkError::Refused(refusal))) => Some(*refusal),
        _ => None,
    }
}

#[tokio::test]
async fn accepting_activates_the_client_once() {
    let app = TestApp::in_memory().await;
    let (id, link) = invited(&app).await;
    let actor = app.portico.accept_invitation(&link, &password()).await.expect("accepted");
    assert_eq!(actor, app.client(id));
    let client = app.portico.client_detail(&app.admin, id).await.expect("detail").client;
    assert_eq!(client.status(), ClientStatus::Active);
    assert!(client.last_login_at().is_some());
    assert_eq!(refused(&app.portico.accept_invitation(&link, &password()).await), Some(TokenRefusal::Used));
}

#[tokio::test]
async fn links_expire_after_seven_days_to_the_second() {
    let app = TestApp::in_memory().await;
    let (_, link) = invited(&app).await;
    app.clock.advance(Duration::days(7));
    assert_eq!(refused(&app.portico.accept_invitation(&link, &password()).await), Some(TokenRefusal::Expired));
    let app = TestApp::in_memory().await;
    let (_, link) = invited(&app).await;
    app.clock.advance(Duration::days(7) - Duration::seconds(1));
    app.portico.accept_invitation(&link, &password()).await.expect("still valid");
}

#[tokio::test]
async fn a_resend_supersedes_older_links() {
    let app = TestApp::in_memory().await;
    let (id, first) = invited(&app).await;
    app.portico.resend_invitation(&app.admin, id).await.expect("resent");
    let second = app.invitation_secret(UserRef::Client(id)).await.expect("queued");
    assert_ne!(first, second);
    assert_eq!(refused(&app.portico.accept_invitation(&first, &password()).await), Some(TokenRefusal::Revoked));
    app.portico.accept_invitation(&second, &password()).await.expect("the newest link works");
}

#[tokio::test]
async fn deactivation_and_deletion_revoke_open_links() {
    let app = TestApp::in_memory().await;
    let (id, link) = invited(&app).await;
    app.portico.deactivate_client(&app.admin, id).await.expect("deactivated");
    assert_eq!(refused(&app.portico.accept_invitation(&link, &password()).await), Some(TokenRefusal::Revoked));
    app.portico.reactivate_client(&app.admin, id).await.expect("reactivated");
    let client = app.portico.client_detail(&app.admin, id).await.expect("detail").client;
    assert_eq!(client.status(), ClientStatus::Invited, "it never accepted, so it is invited again");
    app.portico.resend_invitation(&app.admin, id).await.expect("resent");
    let link = app.invitation_secret(UserRef::Client(id)).await.expect("queued");
    app.portico.delete_client(&app.admin, id).await.expect("deleted");
    assert_eq!(refused(&app.portico.accept_invitation(&link, &password()).await), Some(TokenRefusal::Revoked));
}

#[tokio::test]
async fn malformed_and_unknown_links_are_refused_without_changes() {
    let app = TestApp::in_memory().await;
    let (id, _) = invited(&app).await;
    let malformed = app.portico.accept_invitation("not-a-link", &password()).await;
    assert!(matches!(malformed, Err(AppError::Link(LinkError::Malformed(_)))));
    let unknown = app.portico.accept_invitation(&"ab".repeat(32), &password()).await;
    assert!(matches!(unknown, Err(AppError::Link(LinkError::Unknown))));
    let client = app.portico.client_detail(&app.admin, id).await.expect("detail").client;
    assert_eq!(client.status(), ClientStatus::Invited);
}
