//! Projects, teams and invoices: who may do what, and rules that refuse.

use portico_app::forms::{AmountInput, InvoiceForm, LineForm, ProjectForm, StaffForm, TaskForm};
use portico_app::{Actor, AppError};
use portico_domain::approval::ApprovalSubject;
use portico_domain::ids::StaffId;
use portico_domain::money::Locale;
use portico_domain::rules::RuleViolation;
use portico_ports::repos::ProjectQuery;
use portico_ports::{Conflict, PageRequest};
use portico_testkit::fixtures::Acme;

async fn member(acme: &Acme) -> (Actor, StaffId) {
    let form = StaffForm { name: "Mia Member".into(), email: "mia@studio.example".into(), role: "member".into() };
    let mia = acme.app.portico.create_staff(&acme.app.admin, form.parse().expect("valid")).await.expect("created");
    (Actor::staff(acme.app.workspace, mia.id), mia.id)
}

fn invoice_form(acme: &Acme, number: &str, project: bool) -> InvoiceForm {
    InvoiceForm {
        client_id: acme.sarah.to_string(),
        project_id: project.then(|| acme.globex_launch.to_string()),
        number: Some(number.into()),
        currency: "EUR".into(),
        lines: vec![LineForm {
            description: "Design".into(),
            quantity: "2".into(),
            unit_price: AmountInput::Minor(5_000),
            ..LineForm::default()
        }],
        ..InvoiceForm::default()
    }
}

#[tokio::test]
async fn members_work_only_on_their_projects() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let (mia, mia_id) = member(&acme).await;
    assert!(matches!(p.project_detail(&mia, acme.brand_refresh).await, Err(AppError::NotFound)));
    let task = TaskForm { title: "Sneak in".into(), visibility: "client".into(), ..TaskForm::default() };
    assert!(matches!(
        p.create_task(&mia, acme.brand_refresh, task.parse().expect("valid")).await,
        Err(AppError::NotFound)
    ));
    p.add_team_member(admin, acme.brand_refresh, mia_id).await.expect("joins");
    p.create_task(&mia, acme.brand_refresh, task.parse().expect("valid")).await.expect("now allowed");
    let own = ProjectForm { name: "Mia's side project".into(), ..ProjectForm::default() };
    let created = p.create_project(&mia, own.parse().expect("valid")).await.expect("members create projects");
    let listed = p.list_projects(&mia, &ProjectQuery::default(), &PageRequest::first()).await.expect("list");
    let mut names: Vec<String> = listed.items.iter().map(|p| p.details.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["Acme Corp Brand Refresh", "Mia's side project"]);
    assert!(
        p.project_detail(&mia, created.id)
            .await
            .expect("creator joins the team")
            .team
            .iter()
            .any(|(m, _)| m.staff_id == mia_id)
    );
    let with_client =
        ProjectForm { name: "X".into(), client_ids: vec![acme.sarah.to_string()], ..ProjectForm::default() };
    assert!(matches!(p.create_project(&mia, with_client.parse().expect("valid")).await, Err(AppError::Forbidden)));
    assert!(matches!(p.assign_client(&mia, created.id, acme.sarah, None).await, Err(AppError::Forbidden)));
    p.remove_team_member(admin, acme.brand_refresh, mia_id).await.expect("leaves");
    assert!(matches!(p.project_detail(&mia, acme.brand_refresh).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn assignment_rules_refuse_and_change_nothing() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    assert!(matches!(
        p.assign_client(admin, acme.brand_refresh, acme.sarah, None).await,
        Err(AppError::Conflict(Conflict::AlreadyAssigned))
    ));
    assert!(matches!(
        p.remove_client(admin, acme.globex_launch, acme.sarah).await,
        Err(AppError::Rule(RuleViolation::NotAssigned))
    ));
    p.delete_client(admin, acme.tom).await.expect("deleted");
    assert!(matches!(
        p.assign_client(admin, acme.brand_refresh, acme.tom, None).await,
        Err(AppError::Rule(RuleViolation::ClientDeleted))
    ));
    let detail = p.project_detail(admin, acme.brand_refresh).await.expect("detail");
    assert_eq!(detail.clients.len(), 3);
}

#[tokio::test]
async fn a_scope_narrows_one_project_for_one_client() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let overview = portico_domain::permissions::Preset::OverviewOnly.permissions();
    p.set_assignment_scope(admin, acme.brand_refresh, acme.sarah, Some(overview)).await.expect("narrowed");
    let view = p.portal_project(&acme.as_client(acme.sarah), acme.brand_refresh).await.expect("visible");
    assert!(view.tasks.is_empty() && view.files.is_empty() && view.approvals.is_empty());
    let james = p.portal_project(&acme.as_client(acme.james), acme.brand_refresh).await.expect("visible");
    assert_eq!(james.tasks.len(), 1, "James is not affected");
    let history = p.client_history(admin, acme.sarah).await.expect("history");
    assert_eq!(history[0].action, portico_domain::audit::AuditAction::AssignmentScopeChanged);
}

#[tokio::test]
async fn invoices_follow_their_rules() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let off_project =
        p.create_invoice(admin, invoice_form(&acme, "INV-9", true).parse(Locale::default()).expect("valid")).await;
    assert!(matches!(off_project, Err(AppError::Rule(RuleViolation::ClientNotOnProject))));
    let taken = p
        .create_invoice(admin, invoice_form(&acme, "inv-2026-001", false).parse(Locale::default()).expect("valid"))
        .await;
    assert!(matches!(taken, Err(AppError::Conflict(Conflict::InvoiceNumberTaken))));
    let draft = p
        .create_invoice(admin, invoice_form(&acme, "INV-2026-002", false).parse(Locale::default()).expect("valid"))
        .await
        .expect("drafted");
    let sarah = acme.as_client(acme.sarah);
    assert!(p.portal_invoices(&sarah).await.expect("portal").iter().all(|i| i.id != draft.id()), "drafts stay private");
    assert!(matches!(p.mark_invoice_paid(admin, draft.id()).await, Err(AppError::Rule(_))));
    p.send_invoice(admin, draft.id()).await.expect("sent");
    assert!(p.portal_invoices(&sarah).await.expect("portal").iter().any(|i| i.id == draft.id()));
    p.mark_invoice_paid(admin, draft.id()).await.expect("paid");
    let reason = portico_app::forms::VoidForm { reason: "Billed twice".into() }.parse().expect("valid");
    assert!(matches!(p.void_invoice(admin, draft.id(), reason).await, Err(AppError::Rule(_))), "a paid invoice stays");
    let paid =
        p.portal_invoices(&sarah).await.expect("portal").into_iter().find(|i| i.id == draft.id()).expect("shown");
    assert!(paid.payments.is_some_and(|p| p.paid_at.is_some()), "Sarah has the payments permission");
}

#[tokio::test]
async fn approvals_are_asked_on_client_visible_work_only() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let internal = p.request_approval(admin, ApprovalSubject::File(acme.internal_file)).await;
    assert!(matches!(internal, Err(AppError::Rule(RuleViolation::ApprovalOnInternalItem))));
    let twice = p.request_approval(admin, ApprovalSubject::Task(acme.shared_task)).await;
    assert!(matches!(twice, Err(AppError::Rule(RuleViolation::ApprovalPending))), "the first still waits");
    let sarah = acme.as_client(acme.sarah);
    let answer =
        portico_app::forms::AnswerForm { decision: "changes_requested".into(), comment: Some("Bigger logo".into()) };
    p.answer_approval(&sarah, acme.approval, answer.parse().expect("valid")).await.expect("answered");
    let again = portico_app::forms::AnswerForm { decision: "approved".into(), comment: None };
    p.answer_approval(&sarah, acme.approval, again.parse().expect("valid")).await.expect("answered again");
    let view = p.portal_project(&sarah, acme.brand_refresh).await.expect("visible");
    let mine = view.approvals[0].your_answer.as_ref().expect("answered");
    assert_eq!(mine.decision, portico_domain::approval::ApprovalDecision::Approved);
    let detail = p.project_detail(admin, acme.brand_refresh).await.expect("detail");
    assert_eq!(detail.answers.len(), 2, "every answer is kept");
    p.request_approval(admin, ApprovalSubject::Task(acme.shared_task)).await.expect("answered: a new round");
}

#[tokio::test]
async fn a_projects_previews_are_the_clients_the_visibility_rule_lets_see_it() {
    let acme = Acme::in_memory().await.expect("scenario");
    let (p, admin) = (&acme.app.portico, &acme.app.admin);
    let detail = p.project_detail(admin, acme.brand_refresh).await.expect("detail");
    let mut previews = detail.previewable();
    previews.sort();
    let mut expected = vec![acme.sarah, acme.james];
    expected.sort();
    assert_eq!(previews, expected, "Lisa is billing-only: her portal has no projects");
}
