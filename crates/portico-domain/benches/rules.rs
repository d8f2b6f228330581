//! Micro-benchmarks of the rules every portal request runs: the visibility decision, the
//! portal projection of a large project, and the company key behind duplicate detection.
//! Run with `cargo bench -p portico-domain` (or through `cargo xtask bench`).
#![allow(missing_docs, clippy::unwrap_used)] // A benchmark harness; its inputs are constants.

use divan::{Bencher, black_box};
use portico_domain::assignment::{Assignment, Tenure};
use portico_domain::client::{Client, ClientProfile};
use portico_domain::company::CompanyKey;
use portico_domain::content::{Message, Task, TaskState, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{AssignmentId, ClientId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId};
use portico_domain::permissions::Preset;
use portico_domain::portal::{self, Names, ProjectContent};
use portico_domain::project::{Project, ProjectDetails};
use portico_domain::staff::UserRef;
use portico_domain::text::{MessageBody, PersonName, ProjectName, TaskTitle};
use portico_domain::visibility::{Subject, Viewer};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-06-01 9:00 UTC);

fn main() {
    divan::main();
}

fn ws() -> WorkspaceId {
    WorkspaceId::from_uuid(Uuid::from_u128(1))
}

fn project() -> Project {
    let details =
        ProjectDetails { name: ProjectName::parse("Brand Refresh").unwrap(), description: None, deadline: None };
    Project::new(ProjectId::from_uuid(Uuid::from_u128(2)), ws(), details, NOW)
}

fn client() -> Client {
    let profile = ClientProfile {
        name: PersonName::parse("Sarah Chen").unwrap(),
        email: EmailAddress::parse("sarah@acme.example").unwrap(),
        company: None,
        phone: None,
        billing_address: None,
        notes: None,
    };
    let mut client =
        Client::new(ClientId::from_uuid(Uuid::from_u128(3)), ws(), profile, Preset::FullAccess.permissions(), NOW);
    client.accept_invitation(NOW).unwrap();
    client
}

fn assignment(client: &Client, project: &Project) -> Assignment {
    Assignment {
        id: AssignmentId::from_uuid(Uuid::from_u128(4)),
        workspace_id: ws(),
        project_id: project.id,
        client_id: client.id(),
        scope: Some(Preset::Collaborator.permissions()),
        tenure: Tenure::starting(NOW, None),
    }
}

/// A project of `items` items: nine tasks to a message, every other one shared with clients.
fn content(project: &Project, items: u128) -> ProjectContent {
    let staff = StaffId::from_uuid(Uuid::from_u128(5));
    let visibility = |n: u128| if n.is_multiple_of(2) { Visibility::Client } else { Visibility::Internal };
    let mut content = ProjectContent::default();
    for n in 0..items {
        if n % 10 == 9 {
            content.messages.push(Message {
                id: MessageId::from_uuid(Uuid::from_u128(1_000_000 + n)),
                workspace_id: ws(),
                project_id: project.id,
                task_id: None,
                author: UserRef::Staff(staff),
                body: MessageBody::parse("The next round is ready for review.").unwrap(),
                visibility: visibility(n),
                created_at: NOW,
            });
        } else {
            content.tasks.push(Task {
                id: TaskId::from_uuid(Uuid::from_u128(1_000_000 + n)),
                workspace_id: ws(),
                project_id: project.id,
                title: TaskTitle::parse("Review the wireframes").unwrap(),
                description: None,
                state: TaskState::Open,
                due_date: None,
                assignee: Some(staff),
                visibility: visibility(n),
                created_by: staff,
                created_at: NOW,
                updated_at: NOW,
            });
        }
    }
    content
}

/// One decision: may this client see this shared task?
#[divan::bench]
fn visibility_decision(bencher: Bencher<'_, '_>) {
    let (project, client) = (project(), client());
    let assignment = assignment(&client, &project);
    let task = content(&project, 1).tasks.remove(0);
    let viewer = Viewer::new(&client, [&assignment]);
    let subject = Subject::task(&task);
    bencher.bench_local(|| black_box(&viewer).decide(black_box(&subject)));
}

/// What the portal shows of a project of 10,000 items.
#[divan::bench]
fn portal_projection_10000_items(bencher: Bencher<'_, '_>) {
    let (project, client) = (project(), client());
    let assignment = assignment(&client, &project);
    let content = content(&project, 10_000);
    let viewer = Viewer::new(&client, [&assignment]);
    let names = Names::default();
    bencher.bench_local(|| portal::project(&viewer, black_box(&project), black_box(&content), &names));
}

/// The key that groups "Acme Corp", "ACME Corporation" and "Acme, Inc.".
#[divan::bench]
fn company_key(bencher: Bencher<'_, '_>) {
    bencher.bench_local(|| CompanyKey::of(black_box("The Ácme Corporation, Inc.")));
}
