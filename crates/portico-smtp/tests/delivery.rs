//! Mail delivery against a real SMTP server on loopback, on SQLite and on PostgreSQL:
//! invitations arrive with working links, an outage loses nothing and duplicates nothing,
//! temporary refusals are retried, permanent ones are dead at once, and a server that never
//! answers costs one timeout, not the worker; notices reach the inboxes the rule allows, and
//! their one-click link unsubscribes, and what was hidden before a mail is built stays out;
//! an invoice arrives with its PDF, its reminders come on their days and stop once it is paid,
//! and two reminder rounds at once send a reminder once.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use portico_app::NewTask;
use portico_app::forms::{AmountInput, ClientForm, PaymentForm, SettingsForm};
use portico_app::mail::{MailSettings, PublicUrl};
use portico_domain::activity::Category;
use portico_domain::content::Visibility;
use portico_domain::ids::ClientId;
use portico_domain::mail::DeliveryState;
use portico_domain::money::{Currency, Locale};
use portico_domain::staff::UserRef;
use portico_domain::text::TaskTitle;
use portico_ports::{PageRequest, Store};
use portico_smtp::{SmtpConfig, SmtpMailer};
use portico_testkit::harness::{TestApp, password};
use support::{Behaviour, SmtpServer, attachment, free_port, header, html, plain_text, silent_server};
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

/// Runs delivery rounds until one finds nothing to try (some given up, like invitations
/// whose links were used, send nothing but are not the end).
async fn drain(app: &TestApp, mailer: &SmtpMailer) {
    loop {
        let report = app.portico.deliver_due_mail(Some(mailer), &settings(), 50, &never).await.expect("round");
        if report.sent + report.dead + report.retrying == 0 {
            return;
        }
    }
}

/// The Acme scenario's notices reach exactly the right inboxes: Lisa the invoice itself (not
/// a notice of it) and nothing about tasks, James the shared work the next morning but not the invoice, nobody an
/// internal item, and the admin who did it all nothing.
async fn notices_reach_exactly_the_inboxes_the_rule_allows(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let acme = portico_testkit::fixtures::Acme::on(store).await.expect("the scenario builds");
    let app = &acme.app;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    app.clock.advance(Duration::minutes(2));
    app.portico.send_due_notices(50).await.expect("a notice round");
    app.clock.set(time::macros::datetime!(2026-03-03 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the digest round");
    drain(app, &mailer).await;
    // Every mail but the scenario's invitations and "added to a project" notes.
    let notices: Vec<String> = server
        .messages()
        .into_iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| !s.contains(" invited you ") && !s.contains(" added you to ")))
        .collect();
    let to =
        |address: &str| -> Vec<&String> { notices.iter().filter(|m| header(m, "X-RcptTo") == Some(address)).collect() };
    let lisa = to("lisa@acme.example");
    assert_eq!(lisa.len(), 1);
    assert_eq!(header(lisa[0], "Subject"), Some("Invoice INV-2026-001 from Studio North"));
    let james = to("james@acme.example");
    let subjects: Vec<_> = james.iter().map(|m| header(m, "Subject")).collect();
    assert_eq!(james.len(), 1, "one digest: {subjects:?}");
    let digest = plain_text(james[0]);
    assert!(digest.contains("logo-concepts.pdf") && digest.contains("Review logo concepts"), "{digest}");
    assert!(!digest.contains("INV-2026-001"), "James may not see invoices");
    assert!(james[0].contains("text/html"), "multipart: text and HTML");
    for mail in &notices {
        let text = plain_text(mail);
        for internal in ["budget.pdf", "Negotiate font licence", "Client is slow to pay."] {
            assert!(!text.contains(internal), "an internal item was mailed: {text}");
        }
    }
    assert!(to("ada@studio.example").is_empty(), "nobody hears of their own action");
    assert_eq!(to("sarah@acme.example").len(), 2, "Sarah: the approval and invoice at once, the rest next morning");
}

/// Lisa's invoice reaches her with its PDF attached and a portal link; its reminders come on
/// their days by the clock (one for a missed stretch, not a burst), each once; a payment
/// gets a receipt; a reminder queued before the invoice was paid is not sent; and once it is
/// paid, no reminder is due any more.
async fn an_invoice_mail_carries_its_pdf_and_reminders_stop_once_paid(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let acme = portico_testkit::fixtures::Acme::on(store.clone()).await.expect("the scenario builds");
    let app = &acme.app;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    drain(app, &mailer).await;
    let invoice_mail = mail_to_lisa(
        &server,
        "Invoice INV-2026-001 from Studio North",
        "invoice INV-2026-001 for €1,800.00, due on 30 April 2026",
    );
    let (part, pdf) = attachment(&invoice_mail).expect("the PDF is attached");
    assert!(part.contains("application/pdf") && part.contains("Invoice INV-2026-001.pdf"), "{part}");
    let document = portico_testkit::pdf::text(&pdf);
    assert!(document.contains("INV-2026-001") && document.contains("€1,800.00"), "{document}");
    let text = plain_text(&invoice_mail);
    assert!(text.contains(&format!("https://portal.studio.example/portal/invoices/{}", acme.invoice)), "{text}");

    let remind_on = |day: time::Date| async move {
        app.clock.set(day.with_hms(7, 0, 0).expect("a time").assume_utc());
        app.portico.send_due_reminders(50).await.expect("a reminder round")
    };
    assert_eq!(remind_on(time::macros::date!(2026 - 04 - 26)).await.queued, 0, "not before its day");
    assert_eq!(remind_on(time::macros::date!(2026 - 04 - 27)).await.queued, 1, "three days before");
    assert_eq!(app.portico.send_due_reminders(50).await.expect("again").queued, 0, "once");
    drain(app, &mailer).await;
    let reminder = mail_to_lisa(
        &server,
        "Reminder: invoice INV-2026-001 is due on 30 April 2026",
        "is due in 3 days, on 30 April 2026. The balance due is €1,800.00.",
    );
    assert!(attachment(&reminder).is_some(), "a reminder carries the invoice too");

    let payment = PaymentForm {
        amount: AmountInput::Typed("500".into()),
        paid_on: "2026-04-27".into(),
        method: "bank_transfer".into(),
        reference: Some("TX-1".into()),
    };
    let payment = payment.parse(Currency::parse("EUR").expect("known"), Locale::default()).expect("valid");
    app.portico.record_payment(&app.admin, acme.invoice, payment).await.expect("recorded");
    drain(app, &mailer).await;
    let receipt = "your payment of €500.00 for invoice INV-2026-001, made on 27 April 2026 by bank transfer \
        (reference TX-1).\n\nThe balance still due on the invoice is €1,300.00.";
    mail_to_lisa(&server, "Payment received for invoice INV-2026-001", receipt);

    // Down over the due date and a week after it: one reminder, the latest.
    assert_eq!(remind_on(time::macros::date!(2026 - 05 - 08)).await.queued, 1);
    drain(app, &mailer).await;
    let overdue = "was due on 30 April 2026, 7 days ago. The balance due is €1,300.00.";
    mail_to_lisa(&server, "Invoice INV-2026-001 is overdue", overdue);

    // Queued, then paid before it could go: it is not sent, the receipt is.
    assert_eq!(remind_on(time::macros::date!(2026 - 05 - 14)).await.queued, 1);
    app.portico.mark_invoice_paid(&app.admin, acme.invoice).await.expect("paid");
    drain(app, &mailer).await;
    mail_to_lisa(&server, "Payment received for invoice INV-2026-001", "Invoice INV-2026-001 is now paid in full.");
    let mut uow = store.begin().await.expect("a unit");
    let log = uow.outbox().about(app.workspace, UserRef::Client(acme.lisa)).await.expect("her log");
    let last = log.iter().filter(|m| m.content.kind() == "invoice_reminder").max_by_key(|m| m.created_at);
    assert_eq!(
        last.map(|m| m.state.clone()),
        Some(DeliveryState::Dead { error: "cancelled: the invoice is paid or void".into() })
    );
    drop(uow);
    assert_eq!(remind_on(time::macros::date!(2026 - 06 - 01)).await.queued, 0, "no reminder once paid");
    assert_eq!(server.messages().iter().filter(|m| header(m, "X-RcptTo") == Some("lisa@acme.example")).count(), 6);
}

/// The mail to Lisa titled `subject` whose text says `saying`, raw; the test fails, showing
/// what there is, if there is none.
fn mail_to_lisa(server: &SmtpServer, subject: &str, saying: &str) -> String {
    let titled: Vec<String> = server
        .messages()
        .into_iter()
        .filter(|m| header(m, "X-RcptTo") == Some("lisa@acme.example") && header(m, "Subject") == Some(subject))
        .collect();
    let texts: Vec<String> = titled.iter().map(|m| plain_text(m)).collect();
    let found = texts.iter().position(|text| text.contains(saying));
    let Some(at) = found else {
        panic!("no mail to Lisa titled {subject:?} says {saying:?}: {texts:#?}");
    };
    titled[at].clone()
}

/// A notice's one-click link (RFC 8058) stops exactly the categories that mail carried: after
/// James unsubscribes from his digest, a newly shared task reaches Sarah's next digest and
/// not his.
async fn one_click_unsubscribing_stops_the_categories_of_that_mail(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let acme = portico_testkit::fixtures::Acme::on(store).await.expect("the scenario builds");
    let app = &acme.app;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    app.clock.set(time::macros::datetime!(2026-03-03 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the digest round");
    drain(app, &mailer).await;
    let digests = |address: &str| -> Vec<String> {
        server
            .messages()
            .into_iter()
            .filter(|m| {
                header(m, "X-RcptTo") == Some(address)
                    && header(m, "Subject").is_some_and(|s| s.contains("daily summary"))
            })
            .collect()
    };
    let james = digests("james@acme.example");
    assert_eq!(james.len(), 1);
    assert_eq!(header(&james[0], "List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let link = header(&james[0], "List-Unsubscribe").expect("a one-click link");
    let token = link
        .strip_prefix("<https://portal.studio.example/unsubscribe/")
        .and_then(|rest| rest.strip_suffix('>'))
        .expect("an https link to the unsubscribe page");
    assert!(
        plain_text(&james[0]).contains(&format!("Stop these mails: https://portal.studio.example/unsubscribe/{token}"))
    );
    let stopped = app.portico.unsubscribe(token).await.expect("the link works without logging in");
    assert_eq!(stopped.categories, [Category::Messages, Category::Files, Category::Tasks], "what the digest carried");

    let task = NewTask {
        title: TaskTitle::parse("Pick a typeface").expect("valid"),
        description: None,
        due_date: None,
        assignee: None,
        visibility: Visibility::Client,
    };
    app.portico.create_task(&app.admin, acme.brand_refresh, task).await.expect("shared");
    app.clock.set(time::macros::datetime!(2026-03-04 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the next digest round");
    drain(app, &mailer).await;
    assert_eq!(digests("james@acme.example").len(), 1, "no second digest for James");
    let sarah = digests("sarah@acme.example");
    let texts: Vec<String> = sarah.iter().map(String::as_str).map(plain_text).collect();
    assert!(texts.iter().any(|t| t.contains("Pick a typeface")), "Sarah still hears of it: {texts:?}");
}

/// The rule is asked again when a mail is built: the file shared on Monday and made internal
/// before Tuesday's digest is not in James's digest, though the rest of his news is.
async fn a_file_made_internal_before_the_digest_is_left_out_of_it(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let acme = portico_testkit::fixtures::Acme::on(store).await.expect("the scenario builds");
    let app = &acme.app;
    let mailer = mailer(server.port, StdDuration::from_secs(10));
    let hidden = app.portico.set_file_visibility(&app.admin, acme.shared_file, Visibility::Internal).await;
    hidden.expect("made internal");
    app.clock.set(time::macros::datetime!(2026-03-03 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the digest round");
    drain(app, &mailer).await;
    let to_james: Vec<String> = server
        .messages()
        .iter()
        .filter(|m| header(m, "X-RcptTo") == Some("james@acme.example"))
        .map(|m| plain_text(m))
        .collect();
    assert!(to_james.iter().any(|t| t.contains("Review logo concepts")), "the rest of his news: {to_james:?}");
    assert!(
        to_james.iter().all(|t| !t.contains("logo-concepts.pdf")),
        "the file is no longer his to see: {to_james:?}"
    );
}

/// Two notice rounds at once (two workers, or a round retried while the first still runs)
/// queue each person's mail exactly once: the second finds the notices settled and writes
/// nothing.
async fn two_notice_rounds_at_once_queue_each_mail_once(store: Arc<dyn Store>) {
    let acme = portico_testkit::fixtures::Acme::on(store.clone()).await.expect("the scenario builds");
    let app = &acme.app;
    app.clock.advance(Duration::minutes(2));
    let (first, second) = tokio::join!(app.portico.send_due_notices(50), app.portico.send_due_notices(50));
    let (first, second) = (first.expect("a round"), second.expect("a round"));
    // Lisa, the invoice's addressee, got the invoice itself rather than a notice of it.
    assert_eq!(first.mails + second.mails, 1, "Sarah's, once: {first:?} {second:?}");
    assert_eq!(app.portico.send_due_notices(50).await.expect("a round").mails, 0, "nothing is left to send");
    for (client, expected) in [(acme.sarah, 1), (acme.lisa, 0)] {
        let mut uow = store.begin().await.expect("a unit");
        let log = uow.outbox().about(app.workspace, portico_domain::staff::UserRef::Client(client)).await.expect("log");
        let notices = log.iter().filter(|m| matches!(m.content, portico_domain::mail::MailContent::Notice { .. }));
        assert_eq!(notices.count(), expected);
    }
}

/// Two reminder rounds at once (two workers on one database) send Lisa's reminder once: the
/// second finds it taken and writes nothing.
async fn two_reminder_rounds_at_once_queue_each_reminder_once(store: Arc<dyn Store>) {
    let acme = portico_testkit::fixtures::Acme::on(store.clone()).await.expect("the scenario builds");
    let app = &acme.app;
    app.clock.set(time::macros::datetime!(2026-04-27 07:00 UTC));
    let (first, second) = tokio::join!(app.portico.send_due_reminders(50), app.portico.send_due_reminders(50));
    let (first, second) = (first.expect("a round"), second.expect("a round"));
    assert_eq!(first.queued + second.queued, 1, "once: {first:?} {second:?}");
    assert_eq!(app.portico.send_due_reminders(50).await.expect("a round").queued, 0, "nothing is left to send");
    let mut uow = store.begin().await.expect("a unit");
    let log = uow.outbox().about(app.workspace, UserRef::Client(acme.lisa)).await.expect("her log");
    assert_eq!(log.iter().filter(|m| m.content.kind() == "invoice_reminder").count(), 1);
}

/// A workspace that chose a sender name, a colour and a logo: a test mail answers with the
/// server's reply, and its mail (the test and an invitation) comes under that name, in that
/// colour, with the logo.
async fn a_branded_workspace_mails_under_its_name_in_its_colour_with_its_logo(store: Arc<dyn Store>) {
    let server = SmtpServer::start(free_port(), Behaviour::Accept).await;
    let app = TestApp::on(store).await;
    let form = SettingsForm {
        brand_colour: Some("#0a7d5a".into()),
        sender_name: Some(Some("Northwind Billing".into())),
        ..SettingsForm::default()
    };
    app.portico.change_settings(&app.admin, form.parse().expect("valid")).await.expect("saved");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let workspace = app.portico.replace_logo(&app.admin, Some(png)).await.expect("a logo");
    let logo = settings().public_url.logo_link(workspace.id, workspace.settings.brand.logo.as_ref().expect("kept"));

    let smtp = mailer(server.port, StdDuration::from_secs(10));
    let test = app.portico.send_test_mail(&app.admin, Some(&smtp), &settings().public_url).await.expect("sent");
    let reply = test.outcome.expect("the server took it");
    assert!(reply.starts_with("250"), "the server's own words: {reply}");
    invite(&app, 1).await;
    assert_eq!(deliver_all(&app, &smtp).await, 1);

    let messages = server.messages();
    assert_eq!(messages.len(), 2, "the test mail and the invitation");
    for message in &messages {
        assert_eq!(header(message, "From"), Some("\"Northwind Billing\" <portal@studio.example>"));
        let html = html(message);
        assert!(html.contains(&format!("<img src=\"{logo}\"")), "the logo heads the mail: {html}");
        assert!(html.contains("#0a7d5a"), "in the brand colour: {html}");
    }
    let to: HashSet<&str> = messages.iter().filter_map(|m| header(m, "X-RcptTo")).collect();
    assert_eq!(to, HashSet::from([test.to.as_str(), "client1@acme.example"]), "the test mail goes to the admin");
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
    notices_reach_exactly_the_inboxes_the_rule_allows,
    two_notice_rounds_at_once_queue_each_mail_once,
    one_click_unsubscribing_stops_the_categories_of_that_mail,
    a_file_made_internal_before_the_digest_is_left_out_of_it,
    an_invoice_mail_carries_its_pdf_and_reminders_stop_once_paid,
    two_reminder_rounds_at_once_queue_each_reminder_once,
    a_branded_workspace_mails_under_its_name_in_its_colour_with_its_logo,
);
