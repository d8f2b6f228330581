//! Taking over a fresh installation: a console link for the first admin until one has a
//! password.

use portico_domain::email::EmailAddress;
use portico_domain::text::{PersonName, WorkspaceName};
use portico_testkit::harness::{TestApp, password};

#[tokio::test]
async fn the_first_admin_link_is_renewed_until_used_and_then_never_given() {
    let app = TestApp::in_memory().await;
    let fresh = app.portico.create_workspace(WorkspaceName::parse("Fresh").expect("valid")).await.expect("created").id;
    let name = || PersonName::parse("Administrator").expect("valid");
    let email = || EmailAddress::parse("admin@localhost").expect("valid");
    let first = app.portico.first_admin_link(fresh, name(), email()).await.expect("runs").expect("a link");
    let second = app.portico.first_admin_link(fresh, name(), email()).await.expect("runs").expect("a new link");
    assert_ne!(first, second);
    assert!(app.portico.accept_invitation(first.expose(), &password()).await.is_err(), "the older link is revoked");
    app.portico.accept_invitation(second.expose(), &password()).await.expect("the newest link works");
    assert_eq!(app.portico.first_admin_link(fresh, name(), email()).await.expect("runs"), None);
    assert!(app.portico.log_in(fresh, "admin@localhost", portico_testkit::harness::PASSWORD, None).await.is_ok());
}

#[tokio::test]
async fn a_workspace_whose_admin_has_a_password_gets_no_link() {
    let app = TestApp::in_memory().await;
    let name = PersonName::parse("Administrator").expect("valid");
    let email = EmailAddress::parse("admin@localhost").expect("valid");
    assert_eq!(app.portico.first_admin_link(app.workspace, name, email).await.expect("runs"), None);
}
