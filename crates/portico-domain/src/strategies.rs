//! Proptest strategies for Portico data (feature `proptest`).
//!
//! Downstream property tests can generate valid value types, clients in every status,
//! permission sets, and whole [`World`]s — a workspace with clients, projects, assignments
//! (some narrowed, some ended), items of every kind and visibility, and invoices — as well
//! as inputs that must be refused.

use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

use crate::approval::{ApprovalRequest, ApprovalSubject};
use crate::assignment::{Assignment, Tenure};
use crate::client::{Client, ClientProfile};
use crate::company::CompanyName;
use crate::content::{ContentType, FileName, Message, ProjectFile, StorageKey, Task, TaskState, Visibility};
use crate::email::EmailAddress;
use crate::ids::{
    ApprovalId, AssignmentId, ClientId, FileId, InvoiceId, MessageId, PaymentId, ProjectId, StaffId, TaskId,
    WorkspaceId,
};
use crate::invoice::{
    Invoice, InvoiceDraft, InvoiceLine, InvoiceNumber, IssuerSnapshot, LineDescription, PaymentInstructions,
    PaymentMethod, VoidReason,
};
use crate::money::{Currency, Money, Percent, Quantity};
use crate::permissions::{Permission, PermissionSet, Preset};
use crate::phone::Phone;
use crate::project::{Project, ProjectDetails, ProjectStatus};
use crate::staff::UserRef;
use crate::status::ClientStatus;
use crate::text::{BillingAddress, InternalNotes, MessageBody, PersonName, ProjectName, TaskTitle, WorkspaceName};
use crate::world::World;

/// The moment generated records are created at.
pub const EPOCH: OffsetDateTime = datetime!(2026-01-01 09:00 UTC);

fn must<T, E: std::fmt::Debug>(parsed: Result<T, E>) -> T {
    parsed.unwrap_or_else(|error| unreachable!("strategies only generate valid input: {error:?}"))
}

/// Any permission set that satisfies the dependency rule.
pub fn permission_set() -> impl Strategy<Value = PermissionSet> {
    subsequence(Permission::ALL.to_vec(), 0..=Permission::ALL.len()).prop_map(|ps| {
        // Add what each permission depends on, so every subset maps to a valid set.
        let closed = ps.iter().flat_map(|p| std::iter::once(*p).chain(p.requires()));
        must(PermissionSet::new(closed))
    })
}

/// One of the presets.
pub fn preset() -> impl Strategy<Value = Preset> {
    select(Preset::ALL.to_vec())
}

/// A plausible full name.
pub fn person_name() -> impl Strategy<Value = PersonName> {
    "[A-Z][a-z]{1,9} [A-Z][a-z]{1,12}".prop_map(|s| must(PersonName::parse(&s)))
}

/// A valid email address; `n` makes it unique.
pub fn email(n: usize) -> impl Strategy<Value = EmailAddress> {
    ("[a-z]{1,8}", select(vec!["acme.example", "globex.example", "Initech.Example"]))
        .prop_map(move |(local, domain)| must(EmailAddress::parse(&format!("{local}.{n}@{domain}"))))
}

/// A company name drawn from spelling variants of a few companies, so grouping gets exercised.
pub fn company_name() -> impl Strategy<Value = CompanyName> {
    select(vec!["Acme Corp", "Acme Corporation", "ACME", "Globex", "Globex Inc.", "Initech LLC", "Umbrella"])
        .prop_map(|s| must(CompanyName::parse(s)))
}

/// A complete, valid client profile; `n` makes the email unique.
pub fn client_profile(n: usize) -> impl Strategy<Value = ClientProfile> {
    (
        person_name(),
        email(n),
        proptest::option::of(company_name()),
        proptest::option::of("\\+[1-9][0-9]{1,2} [0-9]{3} [0-9]{4}".prop_map(|s| must(Phone::parse(&s)))),
        proptest::option::of(
            "[1-9][0-9]{0,3} [A-Z][a-z]{3,8} St\n[A-Z][a-z]{3,10}".prop_map(|s| must(BillingAddress::parse(&s))),
        ),
        proptest::option::of("[A-Za-z ,.]{1,60}".prop_filter_map("blank", |s| InternalNotes::parse(&s).ok())),
    )
        .prop_map(|(name, email, company, phone, billing_address, notes)| ClientProfile {
            name,
            email,
            company,
            phone,
            billing_address,
            notes,
        })
}

/// Any client status.
pub fn client_status() -> impl Strategy<Value = ClientStatus> {
    select(vec![ClientStatus::Invited, ClientStatus::Active, ClientStatus::Deactivated, ClientStatus::Deleted])
}

/// A client of `workspace` (number `n`) in any status, reached through legal transitions.
pub fn client(workspace: WorkspaceId, n: usize) -> impl Strategy<Value = Client> {
    (client_profile(n), permission_set(), client_status(), any::<bool>()).prop_map(
        move |(profile, permissions, status, had_accepted)| {
            let id = ClientId::from_uuid(Uuid::from_u128(0xC000 + n as u128));
            let mut client = Client::new(id, workspace, profile, permissions, EPOCH);
            let accept = status == ClientStatus::Active || (status != ClientStatus::Invited && had_accepted);
            if accept {
                must(client.accept_invitation(EPOCH));
            }
            match status {
                ClientStatus::Deactivated => drop(must(client.deactivate(EPOCH))),
                ClientStatus::Deleted => drop(must(client.delete(EPOCH))),
                ClientStatus::Invited | ClientStatus::Active => {}
            }
            client
        },
    )
}

/// Text that [`EmailAddress::parse`] must refuse.
pub fn invalid_email() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,10}",
        "[a-z]{1,5}@",
        "@[a-z]{1,5}\\.com",
        "[a-z]{1,5}@@[a-z]{1,5}\\.com",
        "[a-z]{1,5} [a-z]{1,5}@x\\.com",
        "[a-z]{1,5}@x\\.com\r\nBcc: [a-z]{1,5}@y\\.com",
        "[a-z]{1,5}\\.\\.[a-z]{1,5}@x\\.com",
    ]
}

fn id(kind: u128, n: usize) -> Uuid {
    Uuid::from_u128((kind << 64) + n as u128)
}

/// A whole world: up to `max_clients` clients and `max_projects` projects with content.
pub fn world(max_clients: usize, max_projects: usize) -> impl Strategy<Value = World> {
    let workspace_id = WorkspaceId::from_uuid(id(1, 1));
    let clients = (1..=max_clients.max(1))
        .prop_flat_map(move |count| (0..count).map(|n| client(workspace_id, n)).collect::<Vec<_>>());
    (clients, 1..=max_projects.max(1), any::<u64>()).prop_flat_map(move |(clients, project_count, seed)| {
        let projects: Vec<Project> = (0..project_count)
            .map(|n| {
                let details = ProjectDetails {
                    name: must(ProjectName::parse(&format!("Project {n}"))),
                    description: None,
                    deadline: None,
                };
                let mut project = Project::new(ProjectId::from_uuid(id(2, n)), workspace_id, details, EPOCH);
                if (seed >> n) & 1 == 1 {
                    project.status = ProjectStatus::Archived;
                }
                project
            })
            .collect();
        let pairs = clients.len() * projects.len();
        let assignments = proptest::collection::vec(assignment_shape(), pairs);
        let items = proptest::collection::vec(item_shape(), 0..=project_count * 8);
        let invoices = proptest::collection::vec(invoice_shape(), 0..=4);
        (Just(clients), Just(projects), assignments, items, invoices).prop_map(
            move |(clients, projects, assignments, items, invoices)| {
                build_world(workspace_id, clients, projects, &assignments, &items, &invoices)
            },
        )
    })
}

/// Whether a client–project pair has an assignment: none, current (maybe narrowed) or ended.
#[derive(Debug, Clone)]
enum AssignmentShape {
    None,
    Current(Option<PermissionSet>),
    Ended,
}

fn assignment_shape() -> impl Strategy<Value = AssignmentShape> {
    prop_oneof![
        2 => Just(AssignmentShape::None),
        4 => proptest::option::weighted(0.3, permission_set()).prop_map(AssignmentShape::Current),
        1 => Just(AssignmentShape::Ended),
    ]
}

/// An item to place: its kind (0 task, 1 file, 2 post, 3 comment, 4 approval), which project
/// (by index), visibility, authorship, and whether it strays into another workspace.
type ItemShape = (u8, usize, Visibility, bool, bool);

fn item_shape() -> impl Strategy<Value = ItemShape> {
    (
        0u8..5,
        any::<usize>(),
        select(vec![Visibility::Internal, Visibility::Client]),
        any::<bool>(),
        proptest::bool::weighted(0.05),
    )
}

/// An invoice to place: status steps (0 draft, 1 sent, 2 paid, 3 void), addressee and project (by index).
type InvoiceShape = (u8, usize, Option<usize>);

fn invoice_shape() -> impl Strategy<Value = InvoiceShape> {
    (0u8..4, any::<usize>(), proptest::option::of(any::<usize>()))
}

fn build_world(
    workspace_id: WorkspaceId,
    clients: Vec<Client>,
    projects: Vec<Project>,
    assignment_shapes: &[AssignmentShape],
    items: &[ItemShape],
    invoice_shapes: &[InvoiceShape],
) -> World {
    let mut world = World { clients, projects, ..World::new(workspace_id) };
    world.place_assignments(assignment_shapes);
    for (n, shape) in items.iter().enumerate() {
        world.place_item(n, *shape);
    }
    for (n, shape) in invoice_shapes.iter().enumerate() {
        world.place_invoice(n, *shape);
    }
    world
}

/// The staff member who does everything in a generated world.
fn world_staff() -> StaffId {
    StaffId::from_uuid(id(3, 0))
}

trait Placement {
    fn place_assignments(&mut self, shapes: &[AssignmentShape]);
    fn place_item(&mut self, n: usize, shape: ItemShape);
    fn place_invoice(&mut self, n: usize, shape: InvoiceShape);
}

impl Placement for World {
    fn place_assignments(&mut self, shapes: &[AssignmentShape]) {
        let staff = Some(world_staff());
        let pairs: Vec<(ClientId, ProjectId)> =
            self.clients.iter().flat_map(|c| self.projects.iter().map(move |p| (c.id(), p.id))).collect();
        for (n, ((client_id, project_id), shape)) in pairs.into_iter().zip(shapes).enumerate() {
            let mut tenure = Tenure::starting(EPOCH, staff);
            let scope = match shape {
                AssignmentShape::None => continue,
                AssignmentShape::Current(scope) => *scope,
                AssignmentShape::Ended => {
                    must(tenure.end(EPOCH, staff));
                    None
                }
            };
            self.assignments.push(Assignment {
                id: AssignmentId::from_uuid(id(4, n)),
                workspace_id: self.workspace_id,
                project_id,
                client_id,
                scope,
                tenure,
            });
        }
    }

    fn place_item(&mut self, n: usize, (kind, project, visibility, by_client, strays): ItemShape) {
        let staff = world_staff();
        let project_id = self.projects[project % self.projects.len()].id;
        // A few items stray into another workspace: nobody here may ever see them.
        let ws = if strays { WorkspaceId::from_uuid(id(1, 2)) } else { self.workspace_id };
        let client_author = self.clients.first().filter(|_| by_client).map(|c| UserRef::Client(c.id()));
        let author = client_author.unwrap_or(UserRef::Staff(staff));
        // What a client posts is always client-visible.
        let visibility = if client_author.is_some() { Visibility::Client } else { visibility };
        let last_task = self.tasks.iter().rev().find(|t| t.project_id == project_id && t.workspace_id == ws);
        let last_task = last_task.map(|t| t.id);
        match kind {
            0 => self.tasks.push(Task {
                id: TaskId::from_uuid(id(5, n)),
                workspace_id: ws,
                project_id,
                title: must(TaskTitle::parse(&format!("Task {n}"))),
                description: None,
                state: TaskState::Open,
                due_date: None,
                assignee: None,
                visibility,
                created_by: staff,
                created_at: EPOCH,
                updated_at: EPOCH,
            }),
            1 => {
                let file_id = FileId::from_uuid(id(6, n));
                self.files.push(ProjectFile {
                    id: file_id,
                    workspace_id: ws,
                    project_id,
                    name: must(FileName::parse(&format!("file-{n}.pdf"))),
                    content_type: must(ContentType::parse("application/pdf")),
                    size_bytes: 1024,
                    storage_key: StorageKey::for_file(file_id),
                    uploaded_by: author,
                    visibility,
                    created_at: EPOCH,
                });
            }
            2 | 3 => self.messages.push(Message {
                id: MessageId::from_uuid(id(7, n)),
                workspace_id: ws,
                project_id,
                task_id: if kind == 3 { last_task } else { None },
                author,
                body: must(MessageBody::parse(&format!("Message {n}"))),
                visibility,
                created_at: EPOCH,
            }),
            _ => {
                let last_file = self.files.iter().rev().find(|f| f.project_id == project_id && f.workspace_id == ws);
                let subject = last_file.map(|f| ApprovalSubject::File(f.id)).or(last_task.map(ApprovalSubject::Task));
                if let Some(subject) = subject {
                    self.approvals.push(ApprovalRequest {
                        id: ApprovalId::from_uuid(id(8, n)),
                        workspace_id: ws,
                        project_id,
                        subject,
                        requested_by: staff,
                        created_at: EPOCH,
                    });
                }
            }
        }
    }

    fn place_invoice(&mut self, n: usize, (steps, addressee, project): InvoiceShape) {
        let eur = must(Currency::parse("EUR"));
        let client = &self.clients[addressee % self.clients.len()];
        let draft = InvoiceDraft {
            number: None,
            client_id: client.id(),
            project_id: project.map(|p| self.projects[p % self.projects.len()].id),
            currency: eur,
            lines: vec![InvoiceLine {
                description: must(LineDescription::parse("Work")),
                quantity: must(Quantity::units(1)),
                unit_price: Money::new(10_000, eur),
                tax_rate: Percent::ZERO,
                tax_name: None,
            }],
            discount: None,
            notes: None,
            terms: None,
            issue_date: None,
            due: None,
        };
        let mut invoice = must(Invoice::new(InvoiceId::from_uuid(id(9, n)), self.workspace_id, draft, EPOCH));
        // A deleted client cannot be sent an invoice; such an invoice stays a draft.
        let issuer = IssuerSnapshot {
            name: must(WorkspaceName::parse("Northwind Studio")),
            address: None,
            payment_instructions: Some(must(PaymentInstructions::parse("IBAN DE00 1234"))),
        };
        let number = InvoiceNumber::parse(&format!("INV-{n:03}")).ok();
        if steps >= 1
            && invoice.send(client, issuer, number, &crate::invoice::ReminderSchedule::default(), EPOCH).is_ok()
        {
            match steps {
                2 => {
                    let settle = invoice.settling_payment(EPOCH.date(), PaymentMethod::BankTransfer);
                    must(invoice.record_payment(PaymentId::from_uuid(id(10, n)), settle, EPOCH));
                }
                3 => must(invoice.void(must(VoidReason::parse("Sent twice")), EPOCH)),
                _ => {}
            }
        }
        self.invoices.push(invoice);
    }
}
