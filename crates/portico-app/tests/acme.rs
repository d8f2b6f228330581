//! The guide's example end to end: each Acme contact sees exactly its share, and changes
//! take effect on the very next request.

use portico_app::AppError;
use portico_domain::ids::ProjectId;
use portico_domain::permissions::Preset;
use portico_domain::portal::PortalProject;
use portico_domain::text::MessageBody;
use portico_testkit::fixtures::Acme;

async fn acme() -> Acme {
    Acme::in_memory().await.expect("the scenario builds")
}

fn titles(view: &PortalProject) -> Vec<String> {
    view.tasks.iter().map(|t| t.title.to_string()).collect()
}

#[tokio::test]
async fn sarah_sees_the_client_visible_work_and_can_approve() {
    let acme = acme().await;
    let sarah = acme.as_client(acme.sarah);
    let p = &acme.app.portico;
    let projects = p.portal_projects(&sarah).await.expect("portal");
    assert_eq!(projects.iter().map(|s| s.id).collect::<Vec<_>>(), [acme.brand_refresh]);
    let view = p.portal_project(&sarah, acme.brand_refresh).await.expect("visible");
    assert_eq!(titles(&view), ["Review logo concepts"]);
    assert_eq!(view.tasks[0].comments.len(), 1);
    assert_eq!(view.files.iter().map(|f| f.name.to_string()).collect::<Vec<_>>(), ["logo-concepts.pdf"]);
    assert_eq!(view.messages.iter().map(|m| m.body.to_string()).collect::<Vec<_>>(), ["Kick-off on Monday."]);
    assert_eq!(view.approvals.len(), 1);
    assert!(view.abilities.answer_approvals && view.abilities.post_messages && view.abilities.upload_files);
    // Sarah has invoices too, and sees the project's invoice addressed to Lisa — without Lisa's address.
    let invoices = p.portal_invoices(&sarah).await.expect("portal");
    assert_eq!(invoices.len(), 1);
    assert!(!invoices[0].billed_to.yours && invoices[0].billed_to.address.is_none());
}

#[tokio::test]
async fn james_sees_tasks_files_and_messages_but_no_approvals_or_invoices() {
    let acme = acme().await;
    let james = acme.as_client(acme.james);
    let p = &acme.app.portico;
    let view = p.portal_project(&james, acme.brand_refresh).await.expect("visible");
    assert_eq!(titles(&view), ["Review logo concepts"]);
    assert_eq!(view.files.len(), 1);
    assert!(view.approvals.is_empty());
    assert!(!view.abilities.answer_approvals);
    assert!(p.portal_invoices(&james).await.expect("portal").is_empty());
    let answer = portico_app::Answer { decision: portico_domain::approval::ApprovalDecision::Approved, comment: None };
    assert!(matches!(p.answer_approval(&james, acme.approval, answer).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn lisa_sees_only_invoices() {
    let acme = acme().await;
    let lisa = acme.as_client(acme.lisa);
    let p = &acme.app.portico;
    assert!(p.portal_projects(&lisa).await.expect("portal").is_empty());
    assert!(matches!(p.portal_project(&lisa, acme.brand_refresh).await, Err(AppError::NotFound)));
    assert!(matches!(p.portal_download_file(&lisa, acme.shared_file).await, Err(AppError::NotFound)));
    let invoices = p.portal_invoices(&lisa).await.expect("portal");
    assert_eq!(invoices.len(), 1);
    let invoice = &invoices[0];
    assert_eq!(invoice.number.as_str(), "INV-2026-001");
    assert_eq!(invoice.totals.total.to_string(), "1800.00 EUR");
    assert!(invoice.billed_to.yours);
    assert_eq!(invoice.billed_to.name.as_str(), "Lisa Park");
    assert_eq!(invoice.project.as_ref().map(|(_, name)| name.as_str()), Some("Acme Corp Brand Refresh"));
}

#[tokio::test]
async fn nothing_crosses_between_companies() {
    let acme = acme().await;
    let tom = acme.as_client(acme.tom);
    let p = &acme.app.portico;
    assert!(matches!(p.portal_project(&tom, acme.brand_refresh).await, Err(AppError::NotFound)));
    assert!(matches!(p.portal_download_file(&tom, acme.shared_file).await, Err(AppError::NotFound)));
    let body = MessageBody::parse("hello?").expect("valid");
    assert!(matches!(p.portal_post_message(&tom, acme.brand_refresh, body.clone()).await, Err(AppError::NotFound)));
    assert!(matches!(p.portal_comment(&tom, acme.shared_task, body).await, Err(AppError::NotFound)));
    let view = p.portal_project(&tom, acme.globex_launch).await.expect("his own project");
    assert_eq!(titles(&view), ["Launch plan"]);
    let sarah = acme.as_client(acme.sarah);
    assert!(matches!(p.portal_project(&sarah, acme.globex_launch).await, Err(AppError::NotFound)));
    let unknown = ProjectId::from_uuid(uuid::Uuid::from_u128(424_242));
    assert!(
        matches!(p.portal_project(&sarah, unknown).await, Err(AppError::NotFound)),
        "unknown and foreign look alike"
    );
}

#[tokio::test]
async fn internal_items_never_reach_the_portal() {
    let acme = acme().await;
    let p = &acme.app.portico;
    for client in [acme.sarah, acme.james] {
        let actor = acme.as_client(client);
        let view = p.portal_project(&actor, acme.brand_refresh).await.expect("visible");
        assert!(view.tasks.iter().all(|t| t.id != acme.internal_task));
        assert!(view.files.iter().all(|f| f.id != acme.internal_file));
        assert!(view.messages.iter().all(|m| m.id != acme.internal_message));
        assert!(matches!(p.portal_download_file(&actor, acme.internal_file).await, Err(AppError::NotFound)));
    }
}

#[tokio::test]
async fn a_permission_change_applies_on_the_next_request() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let james = acme.as_client(acme.james);
    p.set_client_permissions(&acme.app.admin, acme.james, Preset::OverviewOnly.permissions())
        .await
        .expect("admin edit");
    let view = p.portal_project(&james, acme.brand_refresh).await.expect("still visible");
    assert!(view.tasks.is_empty() && view.files.is_empty() && view.messages.is_empty());
    assert!(matches!(p.portal_download_file(&james, acme.shared_file).await, Err(AppError::NotFound)));
    let body = MessageBody::parse("Can I still post?").expect("valid");
    assert!(matches!(p.portal_post_message(&james, acme.brand_refresh, body).await, Err(AppError::Forbidden)));
}

#[tokio::test]
async fn removing_james_hides_the_project_at_once_and_keeps_his_posts() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let james = acme.as_client(acme.james);
    let body = MessageBody::parse("Uploaded the brief.").expect("valid");
    let post = p.portal_post_message(&james, acme.brand_refresh, body).await.expect("allowed");
    p.remove_client(&acme.app.admin, acme.brand_refresh, acme.james).await.expect("admin removes");
    assert!(p.portal_projects(&james).await.expect("portal").is_empty());
    assert!(matches!(p.portal_project(&james, acme.brand_refresh).await, Err(AppError::NotFound)));
    let detail = p.project_detail(&acme.app.admin, acme.brand_refresh).await.expect("staff view");
    assert!(detail.messages.iter().any(|m| m.id == post.id), "his post stays in the project");
    let sarah = acme.as_client(acme.sarah);
    let view = p.portal_project(&sarah, acme.brand_refresh).await.expect("visible");
    let his = view.messages.iter().find(|m| m.id == post.id).expect("co-clients still see it");
    assert_eq!(his.author, "James Ortiz");
}

#[tokio::test]
async fn deactivation_shuts_the_portal_and_reactivation_restores_exactly_the_same_access() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let sarah = acme.as_client(acme.sarah);
    let before = p.portal_project(&sarah, acme.brand_refresh).await.expect("visible");
    p.deactivate_client(&acme.app.admin, acme.sarah).await.expect("admin deactivates");
    assert!(matches!(p.portal_projects(&sarah).await, Err(AppError::Unauthenticated)));
    assert!(matches!(p.portal_invoices(&sarah).await, Err(AppError::Unauthenticated)));
    p.reactivate_client(&acme.app.admin, acme.sarah).await.expect("admin reactivates");
    assert_eq!(p.portal_project(&sarah, acme.brand_refresh).await.expect("visible again"), before);
}

#[tokio::test]
async fn archived_projects_stay_visible_and_read_only() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let sarah = acme.as_client(acme.sarah);
    p.set_project_status(&acme.app.admin, acme.brand_refresh, portico_domain::project::ProjectStatus::Archived)
        .await
        .expect("archives");
    let view = p.portal_project(&sarah, acme.brand_refresh).await.expect("still visible");
    assert_eq!(view.abilities, portico_domain::portal::ClientAbilities::default());
    let body = MessageBody::parse("One more thing").expect("valid");
    assert!(matches!(
        p.portal_post_message(&sarah, acme.brand_refresh, body).await,
        Err(AppError::Rule(portico_domain::rules::RuleViolation::ProjectArchived))
    ));
}

#[tokio::test]
async fn clients_cannot_use_staff_operations() {
    let acme = acme().await;
    let p = &acme.app.portico;
    let sarah = acme.as_client(acme.sarah);
    assert!(matches!(p.client_detail(&sarah, acme.sarah).await, Err(AppError::Forbidden)));
    assert!(matches!(p.project_detail(&sarah, acme.brand_refresh).await, Err(AppError::Forbidden)));
    assert!(matches!(p.deactivate_client(&sarah, acme.james).await, Err(AppError::Forbidden)));
    assert!(matches!(p.download_file(&sarah, acme.internal_file).await, Err(AppError::Forbidden)));
    assert!(matches!(p.portal_projects(&acme.app.admin).await, Err(AppError::Forbidden)), "staff have no portal");
}
