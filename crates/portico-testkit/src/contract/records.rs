//! Records for the contract cases, with predictable ids and strictly increasing times.

use portico_domain::approval::{ApprovalRequest, ApprovalSubject};
use portico_domain::assignment::{Assignment, Membership, Tenure};
use portico_domain::client::{Client, ClientProfile};
use portico_domain::company::CompanyName;
use portico_domain::content::{ContentType, FileName, Message, ProjectFile, StorageKey, Task, TaskState, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{
    ApprovalId, AssignmentId, ClientId, FileId, InvoiceId, MembershipId, MessageId, OutboxId, ProjectId, StaffId,
    TaskId, WorkspaceId,
};
use portico_domain::invoice::{
    Discount, Due, Invoice, InvoiceDraft, InvoiceLine, InvoiceNotes, InvoiceNumber, InvoiceTerms, IssuerSnapshot,
    LineDescription, PaymentInput, PaymentInstructions, PaymentMethod, PaymentReference, TaxName,
};
use portico_domain::mail::{MailContent, OutboxMessage};
use portico_domain::money::{Currency, Money, Percent, Quantity};
use portico_domain::permissions::{PermissionSet, Preset};
use portico_domain::project::{Project, ProjectDetails};
use portico_domain::staff::{Role, Staff, UserRef};
use portico_domain::text::{BillingAddress, MessageBody, PersonName, ProjectName, TaskTitle, WorkspaceName};
use portico_domain::workspace::{Workspace, WorkspaceSettings};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::harness::START;

/// Makes records of one workspace; each gets a fresh id and a later time than the last.
#[derive(Debug)]
pub struct Records {
    /// The workspace the records belong to.
    pub workspace: WorkspaceId,
    next: u128,
    now: OffsetDateTime,
}

fn valid<T, E: std::fmt::Debug>(parsed: Result<T, E>) -> T {
    parsed.expect("contract records are valid")
}

impl Records {
    /// Records of a workspace numbered `n` (different `n`, different workspace and ids).
    pub fn new(n: u8) -> Self {
        let base = u128::from(n) << 96;
        Self { workspace: WorkspaceId::from_uuid(Uuid::from_u128(base + 1)), next: base + 2, now: START }
    }

    /// A fresh id.
    pub fn id(&mut self) -> Uuid {
        self.next += 1;
        Uuid::from_u128(self.next)
    }

    /// A later instant than any before.
    pub fn tick(&mut self) -> OffsetDateTime {
        self.now += Duration::seconds(1);
        self.now
    }

    /// The workspace record.
    pub fn workspace_record(&mut self) -> Workspace {
        Workspace {
            id: self.workspace,
            name: valid(WorkspaceName::parse("Contract Studio")),
            settings: WorkspaceSettings::default(),
            created_at: self.tick(),
        }
    }

    /// A staff member.
    pub fn staff(&mut self, name: &str, email: &str, role: Role) -> Staff {
        Staff {
            id: StaffId::from_uuid(self.id()),
            workspace_id: self.workspace,
            name: valid(PersonName::parse(name)),
            email: valid(EmailAddress::parse(email)),
            role,
            active: true,
            created_at: self.tick(),
        }
    }

    /// An invited client with every profile field set (company optional).
    pub fn client(&mut self, name: &str, email: &str, company: Option<&str>) -> Client {
        let profile = ClientProfile {
            name: valid(PersonName::parse(name)),
            email: valid(EmailAddress::parse(email)),
            company: company.map(|c| valid(CompanyName::parse(c))),
            phone: Some(valid(portico_domain::phone::Phone::parse("+44 20 7946 0958"))),
            billing_address: Some(valid(portico_domain::text::BillingAddress::parse("1 Main St\nLondon"))),
            notes: Some(valid(portico_domain::text::InternalNotes::parse("Prefers mornings.\nNo calls on Fridays."))),
        };
        let now = self.tick();
        Client::new(ClientId::from_uuid(self.id()), self.workspace, profile, Preset::Collaborator.permissions(), now)
    }

    /// An active project.
    pub fn project(&mut self, name: &str) -> Project {
        let details = ProjectDetails { name: valid(ProjectName::parse(name)), description: None, deadline: None };
        let now = self.tick();
        Project::new(ProjectId::from_uuid(self.id()), self.workspace, details, now)
    }

    /// A current assignment.
    pub fn assignment(&mut self, project: ProjectId, client: ClientId, scope: Option<PermissionSet>) -> Assignment {
        Assignment {
            id: AssignmentId::from_uuid(self.id()),
            workspace_id: self.workspace,
            project_id: project,
            client_id: client,
            scope,
            tenure: Tenure::starting(self.tick(), None),
        }
    }

    /// A current team membership.
    pub fn membership(&mut self, project: ProjectId, staff: StaffId) -> Membership {
        Membership {
            id: MembershipId::from_uuid(self.id()),
            workspace_id: self.workspace,
            project_id: project,
            staff_id: staff,
            tenure: Tenure::starting(self.tick(), None),
        }
    }

    /// A task.
    pub fn task(&mut self, project: ProjectId, by: StaffId, visibility: Visibility) -> Task {
        let now = self.tick();
        Task {
            id: TaskId::from_uuid(self.id()),
            workspace_id: self.workspace,
            project_id: project,
            title: valid(TaskTitle::parse("Draft the brief")),
            description: None,
            state: TaskState::Open,
            due_date: None,
            assignee: Some(by),
            visibility,
            created_by: by,
            created_at: now,
            updated_at: now,
        }
    }

    /// A file record.
    pub fn file(&mut self, project: ProjectId, by: UserRef, visibility: Visibility) -> ProjectFile {
        let id = FileId::from_uuid(self.id());
        ProjectFile {
            id,
            workspace_id: self.workspace,
            project_id: project,
            name: valid(FileName::parse("brief.pdf")),
            content_type: valid(ContentType::parse("application/pdf")),
            size_bytes: 2048,
            storage_key: StorageKey::for_file(id),
            uploaded_by: by,
            visibility,
            created_at: self.tick(),
        }
    }

    /// A post, or with `task` a comment.
    pub fn message(
        &mut self,
        project: ProjectId,
        task: Option<TaskId>,
        by: UserRef,
        visibility: Visibility,
    ) -> Message {
        Message {
            id: MessageId::from_uuid(self.id()),
            workspace_id: self.workspace,
            project_id: project,
            task_id: task,
            author: by,
            body: valid(MessageBody::parse("Looks good.\nShip it.")),
            visibility,
            created_at: self.tick(),
        }
    }

    /// An approval request on a task.
    pub fn approval(&mut self, project: ProjectId, task: TaskId, by: StaffId) -> ApprovalRequest {
        ApprovalRequest {
            id: ApprovalId::from_uuid(self.id()),
            workspace_id: self.workspace,
            project_id: project,
            subject: ApprovalSubject::Task(task),
            requested_by: by,
            created_at: self.tick(),
        }
    }

    /// A draft invoice with two lines, one taxed, a percent discount, a note and terms.
    pub fn invoice(&mut self, number: &str, client: ClientId, project: Option<ProjectId>) -> Invoice {
        let mut invoice = self.unnumbered_invoice(client, project);
        let draft = InvoiceDraft { number: Some(valid(InvoiceNumber::parse(number))), ..invoice.draft().clone() };
        valid(invoice.edit(draft).map_err(|e| e.to_string()));
        invoice
    }

    /// A draft invoice that takes its number when it is sent.
    pub fn unnumbered_invoice(&mut self, client: ClientId, project: Option<ProjectId>) -> Invoice {
        let eur = valid(Currency::parse("EUR"));
        let line = |description: &str, quantity: &str, price: i64, tax: &str| InvoiceLine {
            description: valid(LineDescription::parse(description)),
            quantity: valid(Quantity::parse(quantity)),
            unit_price: Money::new(price, eur),
            tax_rate: valid(Percent::parse(tax)),
            tax_name: (tax != "0").then(|| valid(TaxName::parse("VAT"))),
        };
        let draft = InvoiceDraft {
            number: None,
            client_id: client,
            project_id: project,
            currency: eur,
            lines: vec![line("Design", "1.5", 8_000, "19"), line("Print run", "200", 35, "0")],
            discount: Some(Discount::Percent(valid(Percent::parse("7.5")))),
            notes: Some(valid(InvoiceNotes::parse("Thank you for your business."))),
            terms: Some(valid(InvoiceTerms::parse("Payable by bank transfer.\nLate fees apply."))),
            issue_date: None,
            due: Some(Due::NetDays(30)),
        };
        let now = self.tick();
        valid(Invoice::new(InvoiceId::from_uuid(self.id()), self.workspace, draft, now))
    }

    /// The workspace's side of a sent invoice.
    pub fn issuer() -> IssuerSnapshot {
        IssuerSnapshot {
            name: valid(WorkspaceName::parse("Northwind Studio")),
            address: Some(valid(BillingAddress::parse("1 Harbour Street\nBristol"))),
            payment_instructions: Some(valid(PaymentInstructions::parse("IBAN DE02 1203 0000 0000 2020 51"))),
        }
    }

    /// A payment of `minor` cents by bank transfer, received on the day of `at`.
    pub fn payment(minor: i64, at: OffsetDateTime) -> PaymentInput {
        PaymentInput {
            amount: Money::new(minor, valid(Currency::parse("EUR"))),
            paid_on: at.date(),
            method: PaymentMethod::BankTransfer,
            reference: Some(valid(PaymentReference::parse("TX-42"))),
        }
    }

    /// A queued "added to project" message about `user`.
    pub fn mail(&mut self, user: UserRef, to: &str, project: &Project) -> OutboxMessage {
        let content =
            MailContent::AddedToProject { project_id: project.id, project_name: project.details.name.clone() };
        let email = valid(EmailAddress::parse(to));
        let name = valid(PersonName::parse("Mail Recipient"));
        let now = self.tick();
        OutboxMessage::queued(OutboxId::from_uuid(self.id()), self.workspace, Some(user), (&email, &name), content, now)
    }

    /// Moves time on without making a record.
    pub fn later(&mut self, by: Duration) -> OffsetDateTime {
        self.now += by;
        self.now
    }

    /// A permission set by preset, for scopes.
    pub fn scope(preset: Preset) -> Option<PermissionSet> {
        Some(preset.permissions())
    }
}
