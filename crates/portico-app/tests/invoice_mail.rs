//! Mailing an invoice again: a copy to its addressee, audited; refused for a void invoice and
//! for a client who may no longer see it, with nothing queued; and never open to clients.

use portico_app::AppError;
use portico_domain::audit::AuditAction;
use portico_domain::invoice::VoidReason;
use portico_domain::mail::MailContent;
use portico_domain::rules::RuleViolation;
use portico_domain::staff::UserRef;
use portico_testkit::fixtures::Acme;

/// How many invoice mails (of any kind) Lisa has in the outbox.
async fn invoice_mails(acme: &Acme) -> usize {
    let mut uow = acme.app.store.begin().await.expect("a unit");
    let log = uow.outbox().about(acme.app.workspace, UserRef::Client(acme.lisa)).await.expect("her log");
    log.iter().filter(|m| matches!(m.content, MailContent::Invoice { .. })).count()
}

#[tokio::test]
async fn an_invoice_is_mailed_again_only_to_an_addressee_who_sees_it() {
    let acme = Acme::in_memory().await.expect("the scenario builds");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    assert_eq!(invoice_mails(&acme).await, 1, "sending mailed it");
    p.email_invoice(admin, acme.invoice).await.expect("mailed again");
    assert_eq!(invoice_mails(&acme).await, 2);
    let history = p.invoice_history(admin, acme.invoice).await.expect("its history");
    assert!(history.iter().any(|e| e.action == AuditAction::InvoiceEmailed), "audited: {history:?}");

    let lisa = acme.as_client(acme.lisa);
    assert!(matches!(p.email_invoice(&lisa, acme.invoice).await, Err(AppError::Forbidden)), "staff only");

    p.set_client_permissions(admin, acme.lisa, portico_domain::permissions::PermissionSet::empty())
        .await
        .expect("permissions taken away");
    let refused = p.email_invoice(admin, acme.invoice).await;
    assert!(matches!(refused, Err(AppError::Rule(RuleViolation::InvoiceNotShownToClient))), "{refused:?}");
    assert_eq!(invoice_mails(&acme).await, 2, "nothing queued");

    p.void_invoice(admin, acme.invoice, VoidReason::parse("Wrong client").expect("valid")).await.expect("voided");
    let refused = p.email_invoice(admin, acme.invoice).await;
    assert!(matches!(refused, Err(AppError::Rule(RuleViolation::InvoiceStatus { .. }))), "{refused:?}");
}
