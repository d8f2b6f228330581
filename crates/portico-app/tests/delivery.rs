//! Delivering the outbox through the application layer, with a recording mailer: retries,
//! dead letters, held mail, graceful stops, and password resets.

use portico_app::forms::ClientForm;
use portico_app::mail::{MailSettings, PublicUrl};
use portico_app::{AppError, LinkError};
use portico_domain::email::EmailAddress;
use portico_domain::mail::{DeliveryState, MailContent, RetryPolicy};
use portico_domain::staff::UserRef;
use portico_domain::token::{TokenPurpose, TokenRefusal};
use portico_ports::{PageRequest, SendError};
use portico_testkit::doubles::RecordingMailer;
use portico_testkit::fixtures::Acme;
use portico_testkit::harness::{TestApp, password};
use time::Duration;

fn settings() -> MailSettings {
    MailSettings::new(PublicUrl::parse("https://portal.studio.example").expect("valid"))
}

fn never() -> bool {
    false
}

async fn invite(app: &TestApp, name: &str, email: &str) -> portico_domain::ids::ClientId {
    let form = ClientForm { name: name.into(), email: email.into(), ..ClientForm::default() };
    app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created").client.id()
}

async fn log(app: &TestApp, client: portico_domain::ids::ClientId) -> Vec<DeliveryState> {
    let log = app.portico.client_deliveries(&app.admin, client).await.expect("log");
    log.into_iter().map(|m| m.state).collect()
}

#[tokio::test]
async fn an_invitation_is_sent_once_with_a_working_link() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    let mailer = RecordingMailer::new();
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(report.sent, 1);
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "sarah@acme.example");
    let link = sent[0].text.split_whitespace().find(|w| w.starts_with("https://")).expect("a link");
    let secret = link.rsplit('/').next().expect("a secret");
    app.portico.accept_invitation(secret, &password()).await.expect("the link in the mail works");
    assert!(matches!(log(&app, sarah).await[..], [DeliveryState::Sent { .. }]));
    let again = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!((again.sent, mailer.sent().len()), (0, 1), "never sent twice");
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_after_a_backoff() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    let mailer = RecordingMailer::scripted([Err(SendError::Transient("451 4.3.0 try again later".into()))]);
    let first = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(first.retrying, 1);
    let [DeliveryState::Retrying { next_attempt_at, error }] = &log(&app, sarah).await[..] else { panic!("retrying") };
    assert_eq!(error, "451 4.3.0 try again later");
    let wait = *next_attempt_at - portico_testkit::harness::START;
    assert!(wait >= Duration::seconds(15) && wait < Duration::seconds(30), "{wait}");
    let early = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(early.sent, 0, "not before its time");
    app.clock.advance(Duration::seconds(30));
    let later = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(later.sent, 1);
    assert_eq!(mailer.sent().len(), 1);
}

#[tokio::test]
async fn a_permanent_refusal_is_dead_at_once_and_reported() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "nobody@acme.example").await;
    let mailer = RecordingMailer::scripted([Err(SendError::Permanent("550 5.1.1 no such user".into()))]);
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(report.dead, 1);
    assert_eq!(log(&app, sarah).await, [DeliveryState::Dead { error: "550 5.1.1 no such user".into() }]);
    let review = app.portico.client_review(&app.admin).await.expect("review");
    assert_eq!(review.failed_deliveries.len(), 1);
    app.portico.resend_invitation(&app.admin, sarah).await.expect("staff can resend");
    assert_eq!(app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round").sent, 1);
}

#[tokio::test]
async fn a_message_that_keeps_failing_dies_after_the_last_try() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    let refusals = (0..3).map(|_| Err(SendError::Transient("connection refused".into())));
    let mailer = RecordingMailer::scripted(refusals);
    let mut settings = settings();
    settings.retry = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    for _ in 0..3 {
        app.portico.deliver_due_mail(Some(&mailer), &settings, 50, &never).await.expect("round");
        app.clock.advance(Duration::hours(2));
    }
    assert_eq!(
        log(&app, sarah).await,
        [DeliveryState::Dead { error: "gave up after 3 tries: connection refused".into() }]
    );
}

#[tokio::test]
async fn without_a_mail_server_messages_are_held_with_their_links_until_one_is_configured() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    let report = app.portico.deliver_due_mail(None, &settings(), 50, &never).await.expect("round");
    assert_eq!(report.held.len(), 1);
    assert_eq!(report.held[0].kind, "invitation");
    let secret = app.invitation_secret(UserRef::Client(sarah)).await.expect("the held mail keeps its link");
    assert!(!format!("{report:?}").contains(&secret), "the report names no link");
    assert_eq!(log(&app, sarah).await, [DeliveryState::Held]);
    assert!(
        app.portico.deliver_due_mail(None, &settings(), 50, &never).await.expect("round").held.is_empty(),
        "held once"
    );
    let mailer = RecordingMailer::new();
    assert_eq!(app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round").sent, 1);
}

#[tokio::test]
async fn a_stopping_worker_gives_untried_messages_back() {
    let app = TestApp::in_memory().await;
    for n in 0..3 {
        invite(&app, &format!("Client {n}"), &format!("c{n}@acme.example")).await;
    }
    let mailer = RecordingMailer::new();
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &|| true).await.expect("round");
    assert_eq!((report.released, report.sent), (3, 0));
    let next = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!(next.sent, 3, "released messages go out on the next round, without waiting for a lease");
}

#[tokio::test]
async fn a_password_reset_answers_the_same_for_everyone_and_mails_only_real_people() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, app) = (&acme.app.portico, &acme.app);
    let outbox_size =
        || async { p.outbox(&app.admin, &PageRequest::new(None, 200)).await.expect("outbox").items.len() };
    let before = outbox_size().await;
    let unknown = EmailAddress::parse("nobody@nowhere.example").expect("valid");
    p.request_password_reset(app.workspace, &unknown).await.expect("same answer");
    assert_eq!(outbox_size().await, before, "no mail for an unknown address");
    p.deactivate_client(&app.admin, acme.tom).await.expect("deactivated");
    let tom = EmailAddress::parse("tom@globex.example").expect("valid");
    p.request_password_reset(app.workspace, &tom).await.expect("same answer");
    assert_eq!(outbox_size().await, before, "none for a deactivated client");
    let sarah = EmailAddress::parse("SARAH@acme.example").expect("valid");
    p.request_password_reset(app.workspace, &sarah).await.expect("same answer");
    let log = p.client_deliveries(&app.admin, acme.sarah).await.expect("log");
    let MailContent::PasswordReset { expires_at, .. } = &log[0].content else { panic!("a reset mail") };
    assert_eq!(*expires_at, portico_testkit::harness::START + Duration::hours(1));
    let token = app.link_secret(UserRef::Client(acme.sarah), TokenPurpose::PasswordReset).await.expect("kept");
    let new_password = portico_domain::password::NewPassword::parse("a brand new passphrase").expect("valid");
    p.reset_password(&token, &new_password).await.expect("the reset link works");
    assert!(
        app.link_secret(UserRef::Client(acme.sarah), TokenPurpose::PasswordReset).await.is_err(),
        "a used link's secret is erased from the outbox"
    );
    let reuse = p.reset_password(&token, &new_password).await;
    assert!(matches!(reuse, Err(AppError::Link(LinkError::Refused(TokenRefusal::Used)))));
    let history = p.client_history(&app.admin, acme.sarah).await.expect("history");
    assert_eq!(history[0].action, portico_domain::audit::AuditAction::PasswordReset);
}

#[tokio::test]
async fn reset_links_expire_after_an_hour_and_a_newer_one_replaces_them() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, app) = (&acme.app.portico, &acme.app);
    let sarah = EmailAddress::parse("sarah@acme.example").expect("valid");
    let reset_secret = || async {
        app.link_secret(UserRef::Client(acme.sarah), TokenPurpose::PasswordReset).await.expect("a reset mail")
    };
    p.request_password_reset(app.workspace, &sarah).await.expect("asked");
    let first = reset_secret().await;
    p.request_password_reset(app.workspace, &sarah).await.expect("asked again");
    let second = reset_secret().await;
    assert_ne!(first, second);
    let kept = p.client_deliveries(&app.admin, acme.sarah).await.expect("log");
    assert_eq!(kept.iter().filter(|m| m.keeps_link(None)).count(), 1, "the replaced link's secret is erased");
    let refused = p.reset_password(&first, &password()).await;
    assert!(matches!(refused, Err(AppError::Link(LinkError::Refused(TokenRefusal::Revoked)))), "superseded");
    app.clock.advance(Duration::hours(1));
    let expired = p.reset_password(&second, &password()).await;
    assert!(matches!(expired, Err(AppError::Link(LinkError::Refused(TokenRefusal::Expired)))));
}

#[tokio::test]
async fn an_invited_client_asking_for_a_reset_gets_a_fresh_invitation() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    let old = app.invitation_secret(UserRef::Client(sarah)).await.expect("queued");
    let email = EmailAddress::parse("sarah@acme.example").expect("valid");
    app.portico.request_password_reset(app.workspace, &email).await.expect("asked");
    let new = app.invitation_secret(UserRef::Client(sarah)).await.expect("queued again");
    assert_ne!(old, new);
    app.portico.accept_invitation(&new, &password()).await.expect("the fresh invitation works");
}

#[tokio::test]
async fn a_resend_before_delivery_cancels_the_older_mail_and_sends_only_the_live_link() {
    let app = TestApp::in_memory().await;
    let sarah = invite(&app, "Sarah Chen", "sarah@acme.example").await;
    app.portico.resend_invitation(&app.admin, sarah).await.expect("resent");
    let live = app.invitation_secret(UserRef::Client(sarah)).await.expect("the newest link is kept");
    let mailer = RecordingMailer::new();
    let report = app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round");
    assert_eq!((report.sent, report.dead), (1, 1));
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.contains(&live), "the mail that went carries the live link");
    assert_eq!(
        log(&app, sarah).await,
        [
            DeliveryState::Sent { at: portico_testkit::harness::START, reply: "250 2.0.0 accepted".into() },
            DeliveryState::Dead { error: "cancelled: its link was replaced or used before it could go".into() },
        ]
    );
}

#[tokio::test]
async fn the_review_counts_the_clients_whose_notifications_keep_failing() {
    let acme = Acme::in_memory().await.expect("scenario");
    let app = &acme.app;
    let refusals = (0..100).map(|_| Err(SendError::Permanent("550 5.1.1 no such user".into())));
    let mailer = RecordingMailer::scripted(refusals);
    let deliver = async || {
        while app.portico.deliver_due_mail(Some(&mailer), &settings(), 50, &never).await.expect("round").dead > 0 {}
    };
    deliver().await;
    app.clock.advance(Duration::minutes(2));
    app.portico.send_due_notices(50).await.expect("a notice round");
    deliver().await;
    let review = app.portico.client_review(&app.admin).await.expect("review");
    assert!(review.failing_notifications.is_empty(), "one dead notice each is not yet a pattern: {review:?}");
    app.clock.set(time::macros::datetime!(2026-03-03 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the digest round");
    deliver().await;
    let review = app.portico.client_review(&app.admin).await.expect("review");
    assert_eq!(review.failing_notifications, [acme.sarah], "her approval and invoice mail, then her digest");
}
