//! Unit tests of the rule, and a property test against an independently written model.

use std::collections::BTreeSet;

use proptest::prelude::*;
use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::approval::ApprovalSubject;
use crate::client::ClientProfile;
use crate::email::EmailAddress;
use crate::ids::{ApprovalId, AssignmentId, TaskId};
use crate::invoice::InvoiceStatus;
use crate::permissions::Preset;
use crate::staff::UserRef;
use crate::strategies;
use crate::text::PersonName;
use crate::world::{ItemRef, World};

fn ws() -> WorkspaceId {
    WorkspaceId::from_uuid(Uuid::from_u128(1))
}

fn project_id() -> ProjectId {
    ProjectId::from_uuid(Uuid::from_u128(2))
}

fn active_client(permissions: PermissionSet) -> Client {
    let profile = ClientProfile {
        name: PersonName::parse("James Ortiz").expect("valid"),
        email: EmailAddress::parse("james@acme.example").expect("valid"),
        company: None,
        phone: None,
        billing_address: None,
        notes: None,
    };
    let now = datetime!(2026-01-01 0:00 UTC);
    let mut client = Client::new(ClientId::from_uuid(Uuid::from_u128(3)), ws(), profile, permissions, now);
    client.accept_invitation(now).expect("invited client accepts");
    client
}

fn assignment(client: &Client, scope: Option<PermissionSet>) -> Assignment {
    Assignment {
        id: AssignmentId::from_uuid(Uuid::from_u128(4)),
        workspace_id: ws(),
        project_id: project_id(),
        client_id: client.id(),
        scope,
        tenure: crate::assignment::Tenure::starting(datetime!(2026-01-01 0:00 UTC), None),
    }
}

fn item(kind: ItemKind, visibility: Visibility) -> Subject {
    Subject::InProject(ProjectItem { workspace_id: ws(), project_id: project_id(), kind, visibility, parent: None })
}

#[test]
fn an_assigned_collaborator_sees_client_visible_tasks_only() {
    let james = active_client(Preset::Collaborator.permissions());
    let on_project = assignment(&james, None);
    let viewer = Viewer::new(&james, [&on_project]);
    assert_eq!(viewer.decide(&item(ItemKind::Task, Visibility::Client)), Decision::Visible);
    assert_eq!(
        viewer.decide(&item(ItemKind::Task, Visibility::Internal)),
        Decision::Hidden(vec![HiddenReason::Internal(ItemKind::Task)])
    );
    assert_eq!(
        viewer.decide(&item(ItemKind::Approval, Visibility::Client)),
        Decision::Hidden(vec![HiddenReason::MissingPermission(Permission::Approvals)])
    );
}

#[test]
fn every_reason_is_reported_in_rule_order() {
    let mut client = active_client(Preset::BillingOnly.permissions());
    client.deactivate(datetime!(2026-01-02 0:00 UTC)).expect("legal");
    let viewer = Viewer::new(&client, []);
    assert_eq!(
        viewer.decide(&item(ItemKind::File, Visibility::Internal)).reasons(),
        [
            HiddenReason::ClientNotActive(ClientStatus::Deactivated),
            HiddenReason::NotAssigned,
            HiddenReason::MissingPermission(Permission::Projects),
            HiddenReason::MissingPermission(Permission::Files),
            HiddenReason::Internal(ItemKind::File),
        ]
    );
}

#[test]
fn a_scope_narrows_one_project_only() {
    let sarah = active_client(Preset::FullAccess.permissions());
    let narrowed = assignment(&sarah, Some(Preset::OverviewOnly.permissions()));
    let viewer = Viewer::new(&sarah, [&narrowed]);
    assert_eq!(viewer.decide(&item(ItemKind::Project, Visibility::Client)), Decision::Visible);
    assert_eq!(
        viewer.decide(&item(ItemKind::File, Visibility::Client)),
        Decision::Hidden(vec![HiddenReason::NarrowedOnProject(Permission::Files)])
    );
}

#[test]
fn an_ended_assignment_hides_the_project() {
    let sarah = active_client(Preset::FullAccess.permissions());
    let mut ended = assignment(&sarah, None);
    ended.tenure.end(datetime!(2026-01-03 0:00 UTC), None).expect("current");
    let viewer = Viewer::new(&sarah, [&ended]);
    assert_eq!(viewer.decide(&item(ItemKind::Project, Visibility::Client)).reasons(), [HiddenReason::NotAssigned]);
}

#[test]
fn another_workspace_is_hidden_without_further_detail() {
    let sarah = active_client(Preset::FullAccess.permissions());
    let stray = Subject::InProject(ProjectItem {
        workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(99)),
        project_id: project_id(),
        kind: ItemKind::Task,
        visibility: Visibility::Internal,
        parent: None,
    });
    let on_project = assignment(&sarah, None);
    assert_eq!(Viewer::new(&sarah, [&on_project]).decide(&stray).reasons(), [HiddenReason::OtherWorkspace]);
}

#[test]
fn a_comment_needs_its_task_visible_and_both_permissions() {
    let mut permissions = PermissionSet::new([Permission::Projects, Permission::Messages]).expect("valid");
    let client = active_client(permissions);
    let on_project = assignment(&client, None);
    let viewer = Viewer::new(&client, [&on_project]);
    let comment = Subject::InProject(ProjectItem {
        workspace_id: ws(),
        project_id: project_id(),
        kind: ItemKind::Message,
        visibility: Visibility::Client,
        parent: Some((ItemKind::Task, Visibility::Internal)),
    });
    assert_eq!(
        viewer.decide(&comment).reasons(),
        [HiddenReason::MissingPermission(Permission::Tasks), HiddenReason::Internal(ItemKind::Task)]
    );
    permissions = Preset::Collaborator.permissions();
    let client = active_client(permissions);
    let on_project = assignment(&client, None);
    let approval = ApprovalRequest {
        id: ApprovalId::from_uuid(Uuid::from_u128(5)),
        workspace_id: ws(),
        project_id: project_id(),
        subject: ApprovalSubject::Task(TaskId::from_uuid(Uuid::from_u128(6))),
        requested_by: crate::ids::StaffId::from_uuid(Uuid::from_u128(7)),
        created_at: datetime!(2026-01-01 0:00 UTC),
    };
    assert_eq!(
        Viewer::new(&client, [&on_project]).decide(&Subject::approval(&approval, Visibility::Client)).reasons(),
        [HiddenReason::MissingPermission(Permission::Approvals)]
    );
}

#[test]
fn invoices_follow_their_own_rule() {
    let lisa = active_client(Preset::BillingOnly.permissions());
    let other = ClientId::from_uuid(Uuid::from_u128(50));
    let facts = |status: InvoiceStatus, client_id, project_id| {
        let issued = status != InvoiceStatus::Draft;
        Subject::Invoice(InvoiceFacts { workspace_id: ws(), issued, client_id, project_id })
    };
    let unassigned = Viewer::new(&lisa, []);
    assert!(unassigned.decide(&facts(InvoiceStatus::Sent, lisa.id(), None)).is_visible());
    assert!(unassigned.decide(&facts(InvoiceStatus::Void, lisa.id(), Some(project_id()))).is_visible());
    assert_eq!(unassigned.decide(&facts(InvoiceStatus::Draft, lisa.id(), None)).reasons(), [HiddenReason::NotIssued]);
    assert_eq!(
        unassigned.decide(&facts(InvoiceStatus::Sent, other, Some(project_id()))).reasons(),
        [HiddenReason::NotAddressed]
    );
    // Lisa has no `projects` permission, yet sees invoices of the project she is on.
    let on_project = assignment(&lisa, None);
    let assigned = Viewer::new(&lisa, [&on_project]);
    assert!(assigned.decide(&facts(InvoiceStatus::Paid, other, Some(project_id()))).is_visible());
    // A scope without invoices hides the project's invoices, not the ones addressed to her.
    let narrowed = assignment(&lisa, Some(Preset::OverviewOnly.permissions()));
    let narrowed = Viewer::new(&lisa, [&narrowed]);
    assert_eq!(
        narrowed.decide(&facts(InvoiceStatus::Sent, other, Some(project_id()))).reasons(),
        [HiddenReason::NarrowedOnProject(Permission::Invoices)]
    );
    assert!(narrowed.decide(&facts(InvoiceStatus::Sent, lisa.id(), Some(project_id()))).is_visible());
    let james = active_client(Preset::Collaborator.permissions());
    assert_eq!(
        Viewer::new(&james, []).decide(&facts(InvoiceStatus::Sent, james.id(), None)).reasons(),
        [HiddenReason::MissingPermission(Permission::Invoices)]
    );
}

#[test]
fn reasons_read_as_sentences() {
    assert_eq!(HiddenReason::Internal(ItemKind::File).to_string(), "the file is internal");
    assert_eq!(
        HiddenReason::MissingPermission(Permission::Files).to_string(),
        "the client does not have the \"files\" permission"
    );
}

// ---------------------------------------------------------------------------------------------
// The reference model: the rule as `docs/domain.md` ("The visibility rule") states it,
// transcribed as plainly as possible, with
// permissions as sets of names and no shared code with the implementation above.

fn names(set: PermissionSet) -> BTreeSet<&'static str> {
    set.iter().map(Permission::as_str).collect()
}

/// The client's permission names on `project`, if it is currently assigned there.
fn model_permissions_on(world: &World, client: &Client, project: ProjectId) -> Option<BTreeSet<&'static str>> {
    let current = world
        .assignments
        .iter()
        .find(|a| a.client_id == client.id() && a.project_id == project && a.tenure.ended_at.is_none())?;
    let own = names(client.permissions());
    Some(match current.scope {
        None => own,
        Some(scope) => own.intersection(&names(scope)).copied().collect(),
    })
}

fn model_sees_in_project(
    world: &World,
    client: &Client,
    workspace: WorkspaceId,
    project: ProjectId,
    needs: &[&str],
    visibilities: &[Visibility],
) -> bool {
    workspace == client.workspace_id()
        && client.status() == ClientStatus::Active
        && model_permissions_on(world, client, project)
            .is_some_and(|perms| perms.contains("projects") && needs.iter().all(|n| perms.contains(n)))
        && visibilities.iter().all(|v| *v == Visibility::Client)
}

fn model_sees_invoice(world: &World, client: &Client, invoice: &Invoice) -> bool {
    let own = names(client.permissions());
    let addressed = invoice.client_id() == client.id() && own.contains("invoices");
    let via_project = invoice
        .project_id()
        .and_then(|p| model_permissions_on(world, client, p))
        .is_some_and(|perms| perms.contains("invoices"));
    invoice.workspace_id() == client.workspace_id()
        && client.status() == ClientStatus::Active
        && invoice.sent_at().is_some()
        && (addressed || via_project)
}

/// Every item of the world with its subject and the model's verdict for `client`.
pub(crate) fn model_verdicts(world: &World, client: &Client) -> Vec<(ItemRef, Subject, bool)> {
    let mut verdicts = Vec::new();
    for project in &world.projects {
        let sees = model_sees_in_project(world, client, project.workspace_id, project.id, &[], &[]);
        verdicts.push((ItemRef::Project(project.id), Subject::project(project), sees));
    }
    for task in &world.tasks {
        let sees =
            model_sees_in_project(world, client, task.workspace_id, task.project_id, &["tasks"], &[task.visibility]);
        verdicts.push((ItemRef::Task(task.id), Subject::task(task), sees));
    }
    for file in &world.files {
        let sees =
            model_sees_in_project(world, client, file.workspace_id, file.project_id, &["files"], &[file.visibility]);
        verdicts.push((ItemRef::File(file.id), Subject::file(file), sees));
    }
    for message in &world.messages {
        let task = message.task_id.and_then(|id| world.task(id));
        let (needs, visibilities) = match task {
            Some(task) => (vec!["messages", "tasks"], vec![message.visibility, task.visibility]),
            None => (vec!["messages"], vec![message.visibility]),
        };
        let sees =
            model_sees_in_project(world, client, message.workspace_id, message.project_id, &needs, &visibilities);
        verdicts.push((ItemRef::Message(message.id), Subject::message(message, task), sees));
    }
    for approval in &world.approvals {
        let (need, visibility) = match approval.subject {
            ApprovalSubject::Task(id) => ("tasks", world.task(id).map(|t| t.visibility)),
            ApprovalSubject::File(id) => ("files", world.file(id).map(|f| f.visibility)),
        };
        let visibility = visibility.expect("generated approvals point at existing items");
        let sees = model_sees_in_project(
            world,
            client,
            approval.workspace_id,
            approval.project_id,
            &["approvals", need],
            &[visibility],
        );
        verdicts.push((ItemRef::Approval(approval.id), Subject::approval(approval, visibility), sees));
    }
    for invoice in &world.invoices {
        verdicts.push((
            ItemRef::Invoice(invoice.id()),
            Subject::invoice(invoice),
            model_sees_invoice(world, client, invoice),
        ));
    }
    verdicts
}

/// Checks that each reason given is actually true of the world.
fn reason_holds(world: &World, client: &Client, subject: &Subject, reason: HiddenReason) -> bool {
    let project = subject.project_id();
    let perms_on = project.and_then(|p| model_permissions_on(world, client, p));
    match reason {
        HiddenReason::OtherWorkspace => match subject {
            Subject::InProject(item) => item.workspace_id != client.workspace_id(),
            Subject::Invoice(invoice) => invoice.workspace_id != client.workspace_id(),
        },
        HiddenReason::ClientNotActive(status) => status == client.status() && status != ClientStatus::Active,
        HiddenReason::NotAssigned => perms_on.is_none(),
        HiddenReason::MissingPermission(p) => !client.permissions().contains(p),
        HiddenReason::NarrowedOnProject(p) => {
            client.permissions().contains(p) && perms_on.is_some_and(|perms| !perms.contains(p.as_str()))
        }
        HiddenReason::Internal(kind) => match subject {
            Subject::InProject(item) => {
                (item.kind == kind && item.visibility == Visibility::Internal)
                    || item.parent == Some((kind, Visibility::Internal))
            }
            Subject::Invoice(_) => false,
        },
        HiddenReason::NotIssued => matches!(subject, Subject::Invoice(i) if !i.issued),
        HiddenReason::NotAddressed => {
            matches!(subject, Subject::Invoice(i) if i.client_id != client.id())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_rule_agrees_with_the_reference_model(world in strategies::world(4, 3)) {
        for client in &world.clients {
            let viewer = Viewer::new(client, &world.assignments);
            for (_, subject, model_sees) in model_verdicts(&world, client) {
                let decision = viewer.decide(&subject);
                prop_assert_eq!(decision.is_visible(), model_sees, "subject {:?} for client {:?}", subject, client);
                for reason in decision.reasons() {
                    prop_assert!(reason_holds(&world, client, &subject, *reason), "false reason {:?} for {:?}", reason, subject);
                }
            }
        }
    }

    #[test]
    fn a_narrowing_scope_never_reveals_more(world in strategies::world(3, 2), scope in strategies::permission_set()) {
        for client in &world.clients {
            let before = Viewer::new(client, &world.assignments);
            let narrowed: Vec<Assignment> = world.assignments.iter().cloned().map(|mut a| {
                a.scope = Some(a.scope.map_or(scope, |s| s.intersection(&scope)));
                a
            }).collect();
            let after = Viewer::new(client, &narrowed);
            for (_, subject, _) in model_verdicts(&world, client) {
                prop_assert!(before.decide(&subject).is_visible() || !after.decide(&subject).is_visible());
            }
        }
    }

    #[test]
    fn nothing_is_visible_to_a_client_that_is_not_active(world in strategies::world(4, 2)) {
        for client in world.clients.iter().filter(|c| !c.is_active()) {
            let viewer = Viewer::new(client, &world.assignments);
            for (_, subject, _) in model_verdicts(&world, client) {
                prop_assert!(!viewer.decide(&subject).is_visible());
            }
        }
    }

    #[test]
    fn client_authored_items_are_always_client_visible(world in strategies::world(2, 2)) {
        let authored = world.messages.iter().map(|m| (m.author, m.visibility))
            .chain(world.files.iter().map(|f| (f.uploaded_by, f.visibility)));
        for (author, visibility) in authored {
            if matches!(author, UserRef::Client(_)) {
                prop_assert_eq!(visibility, Visibility::Client);
            }
        }
    }
}
