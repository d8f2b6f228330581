//! Mail delivery against a real SMTP server on loopback, on SQLite and on PostgreSQL:
//! invitations arrive with working links, an outage loses nothing and duplicates nothing,
//! temporary refusals are retried, permanent ones are dead at once, and a server that never
//! answers costs one timeout, not the worker.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use portico_app::forms::ClientForm;
use portico_app::mail::{MailSettings, PublicUrl};
use portico_domain::ids::ClientId;
use portico_domain::mail::DeliveryState;
use portico_ports::{PageRequest, Store};
use portico_smtp::{SmtpConfig, SmtpMailer};
use portico_testkit::harness::{TestApp, password};
use support::{Behaviour, SmtpServer, free_port, header, plain_text, silent_server};
use time::Duration;

const FROM: &str = "Studio North <portal@studio.example>";

fn mailer(port: u16, timeout: StdDuration) -> SmtpMailer {
    let mut config = SmtpConfig::from_url(&format!("smtp://127.0.0.1:{port}?tls=none"), FROM).expect("valid");
    config.timeout = timeout;
    SmtpMailer::new(&config).expect("a mailer")
}

fn settings() -> MailSettings {
    MailSettings::new(PublicUrl::parse("https://portal.studio.example").expect("valid"))
}

fn never() -> bool {
    false
}

async fn invite(app: &TestApp, n: usize) -> ClientId {
    let form =
        ClientForm { name: format!("Client {n}"), email: format!("client{n}@acme.example"), ..ClientForm::default() };
    app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client.id()
}

async fn states(app: &TestApp) -> Vec<DeliveryState> {
    let page = app.portico.outbox(&app.admin, &PageRequest::new(None, PageRequest::MAX_LIMIT)).await.expect("outbox");
    page.items.into_iter().map(|m| m.state).collect()
}

/// Runs delivery rounds until one sends nothing.
async fn deliver_all(app: &TestApp, mailer: &SmtpMailer) -> usize {
    let mut sent = 0;
    loop {
        let report = app.portico.deliver_due_mail(Some(mailer), &settings(), 50, &never).await.expect("round");
        if report.sent == 0 {
            return sent;
        }
        sent += report.sent;
    }
}

async fn an_invitation_arrives_with_a_working_link(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let app = TestApp::on(store).await;
    invite(&app, 1).await;
    assert_eq!(deliver_all(&app, &mailer(server.port, StdDuration::from_secs(10))).await, 1);
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(header(message, "Subject"), Some("Studio North invited you to their client portal"));
    assert_eq!(header(message, "X-RcptTo"), Some("client1@acme.example"));
    assert!(header(message, "Message-ID").is_some_and(|id| id.ends_with("@portal.studio.example>")));
    assert!(message.contains("text/html"), "multipart: text and HTML");
    let text = plain_text(message);
    let link =
        text.split_whitespace().find(|w| w.starts_with("https://portal.studio.example/invitation/")).expect("a link");
    let secret = link.rsplit('/').next().expect("a secret");
    app.portico.accept_invitation(secret, &password()).await.expect("the link in the mail works");
    assert!(!text.contains(portico_testkit::harness::PASSWORD), "never a password");
}

async fn an_outage_loses_nothing_and_sends_nothing_twice(store: Arc<dyn Store>) {
    let port = free_port();
    let app = TestApp::on(store).await;
    for n in 0..200 {
        invite(&app, n).await;
    }
    let mailer = mailer(port, StdDuration::from_secs(10));
    let mut refused = 0;
    for _ in 0..4 {
        let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
        refused += report.retrying;
    }
    assert_eq!(refused, 200, "with the server down every try fails for now");
    let server = SmtpServer::start(port, Behaviour::Accept).await;
    app.clock.advance(Duration::hours(2));
    assert_eq!(deliver_all(&app, &mailer).await, 200);
    app.clock.advance(Duration::days(1));
    assert_eq!(deliver_all(&app, &mailer).await, 0, "nothing is sent again");
    let messages = server.messages();
    let ids: HashSet<&str> = messages.iter().filter_map(|m| header(m, "Message-ID")).collect();
    assert_eq!((messages.len(), ids.len()), (200, 200), "every message exactly once");
    assert!(states(&app).await.iter().all(|s| matches!(s, DeliveryState::Sent { .. })));
}

async fn a_temporary_refusal_is_retried_and_delivered(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::FailFirst(1)).await;
    let app = TestApp::on(store).await;
    let client = invite(&app, 1).await;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    let first = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(first.retrying, 1);
    let log = app.portico.client_deliveries(&app.admin, client).await.expect("log");
    let DeliveryState::Retrying { error, .. } = &log[0].state else { panic!("retrying, got {:?}", log[0].state) };
    assert!(error.contains("451"), "{error}");
    app.clock.advance(Duration::minutes(1));
    assert_eq!(deliver_all(&app, &mailer).await, 1);
    assert_eq!(server.messages().len(), 1);
}

async fn a_permanent_refusal_is_dead_at_once_and_visible_in_the_log(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Refuse).await;
    let app = TestApp::on(store).await;
    let client = invite(&app, 1).await;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(report.dead, 1);
    let log = app.portico.client_deliveries(&app.admin, client).await.expect("log");
    let DeliveryState::Dead { error } = &log[0].state else { panic!("dead, got {:?}", log[0].state) };
    assert!(error.contains("550") && error.contains("No such user"), "{error}");
    assert_eq!(app.portico.client_review(&app.admin).await.expect("review").failed_deliveries.len(), 1);
}

async fn a_server_that_never_answers_costs_one_timeout_per_try(store: Arc<dyn Store>) {
    let (port, _server) = silent_server().await;
    let app = TestApp::on(store).await;
    invite(&app, 1).await;
    invite(&app, 2).await;
    let mailer = mailer(port, StdDuration::from_secs(1));
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(report.retrying, 2, "each try gave up at its timeout and the worker moved on");
    assert!(states(&app).await.iter().all(|s| matches!(s, DeliveryState::Retrying { .. })));
}

macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() {
                super::$scenario(portico_testdb::TempSqlite::shared().await).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() {
                super::$scenario(portico_testdb::TempPostgres::shared().await).await;
            })*
        }
    };
}

on_both_engines!(
    an_invitation_arrives_with_a_working_link,
    an_outage_loses_nothing_and_sends_nothing_twice,
    a_temporary_refusal_is_retried_and_delivered,
    a_permanent_refusal_is_dead_at_once_and_visible_in_the_log,
    a_server_that_never_answers_costs_one_timeout_per_try,
);
