//! `portico dev seed`: fills a fresh database with a realistic agency, fast, for benchmarks
//! and for trying the product at scale.
//!
//! The data is deterministic (the same plan gives the same people, projects and items, with
//! new ids) and written straight through the repositories in large units of work: the use
//! cases would also write an audit event and an invitation per client, which is right for
//! real work but would make a million rows take hours. Every record is still built by the
//! domain's own constructors and parsers, so the seeded data obeys the same rules as real data.
//!
//! Mix, per client `i`: presets cycle full access, collaborator, billing only, overview only;
//! one in twenty is still invited and one in fifty deactivated, the rest are active and share
//! the seed password; everyone is on project `i mod projects`, and one in three also on a
//! second project with a narrowing scope; one in three has an invoice (sent or paid) billing
//! their first project. Each project has its tasks, half of them shared with clients, and a
//! few messages, half internal.

use std::sync::Arc;

use anyhow::{Context, bail};
use portico_app::{ImportRow, Portico};
use portico_domain::assignment::{Assignment, Tenure};
use portico_domain::client::{Client, ClientParts, ClientProfile};
use portico_domain::company::CompanyName;
use portico_domain::content::{Message, Task, TaskState, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{AssignmentId, ClientId, InvoiceId, MessageId, PaymentId, ProjectId, TaskId, WorkspaceId};
use portico_domain::invoice::{
    Due, Invoice, InvoiceDraft, InvoiceLine, InvoiceNumber, IssuerSnapshot, LineDescription, PaymentMethod,
    ReminderSchedule, TaxName,
};
use portico_domain::money::{Currency, Money, Percent, Quantity};
use portico_domain::password::{NewPassword, PasswordHash};
use portico_domain::permissions::{PermissionSet, Preset};
use portico_domain::project::{Project, ProjectDetails};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::status::ClientStatus;
use portico_domain::text::{
    BillingAddress, Description, InternalNotes, MessageBody, PersonName, ProjectName, TaskTitle, WorkspaceName,
};
use portico_ports::{Clock, IdGenerator, Store, UnitOfWork};
use time::{Duration, OffsetDateTime};

/// How much to seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedPlan {
    /// Clients.
    pub clients: usize,
    /// Projects.
    pub projects: usize,
    /// Tasks in each project.
    pub tasks_per_project: usize,
    /// Messages in each project.
    pub messages_per_project: usize,
}

/// The admin every seeded database has.
pub const SEED_ADMIN: &str = "admin@seed.portico.test";

/// How far seeding has got, for a progress bar: records written out of the plan's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedProgress {
    /// Records written so far.
    pub done: u64,
    /// Records the plan holds.
    pub total: u64,
}

/// What was seeded, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    /// Records written per kind, in the order they were written.
    pub counts: Vec<(&'static str, u64)>,
    /// The address of client 0: active, full access, on two projects, with an invoice.
    pub sample_client: EmailAddress,
}

/// Projects written per unit of work (with their tasks and messages).
const PROJECT_BATCH: usize = 20;
/// Clients written per unit of work (with their assignments, passwords and invoices).
const CLIENT_BATCH: usize = 1_000;

const FIRST: [&str; 24] = [
    "Sarah", "James", "Lisa", "Tom", "Amira", "Kenji", "Olivia", "Mateo", "Priya", "Lukas", "Chloé", "Noah", "Fatima",
    "Oskar", "Mei", "Daniel", "Sofia", "Ravi", "Emma", "Jonas", "Aisha", "Pablo", "Hannah", "Yusuf",
];
const LAST: [&str; 20] = [
    "Chen", "Okafor", "Müller", "Garcia", "Kowalski", "Tanaka", "Smith", "Haddad", "Novak", "Rossi", "Dubois",
    "Andersen", "Silva", "Patel", "O'Brien", "Kim", "Jansen", "Nakamura", "Laurent", "Schmidt",
];
const WORK: [&str; 8] = [
    "Brand refresh",
    "Website redesign",
    "Product launch",
    "Annual report",
    "App prototype",
    "Campaign",
    "Rebrand",
    "Trade show",
];
const TASKS: [&str; 10] = [
    "Draft the brief",
    "Review the wireframes",
    "Collect the assets",
    "Write the copy",
    "Design the mock-ups",
    "Approve the palette",
    "Prepare the handover",
    "Check the proofs",
    "Plan the shoot",
    "Publish the pages",
];

/// Seeds `plan` into an empty database: a workspace, an admin ([`SEED_ADMIN`]) and every
/// client with the given password, then the projects and clients of the plan.
/// `progress` is called after every unit of work.
///
/// # Errors
/// When the database already holds a workspace (seeding is for fresh databases only, so a
/// known password can never be planted in real data), for a password the rules refuse, and
/// storage failures.
pub async fn seed(
    portico: &Portico,
    store: Arc<dyn Store>,
    (clock, ids): (&dyn Clock, &dyn IdGenerator),
    plan: SeedPlan,
    password: NewPassword,
    progress: &(dyn Fn(SeedProgress) + Sync),
) -> anyhow::Result<SeedSummary> {
    if !portico.workspaces().await?.is_empty() {
        bail!("the database is not empty; seed only a fresh database");
    }
    let workspace = portico.create_workspace(parse(WorkspaceName::parse("Seeded Agency"))?).await?;
    let admin_name = parse(PersonName::parse("Seed Admin"))?;
    let admin_email = parse(EmailAddress::parse(SEED_ADMIN))?;
    let (admin, _) = portico.bootstrap_admin(workspace.id, admin_name, admin_email, Some(password)).await?;
    let hash = {
        let mut uow = store.begin_read().await?;
        uow.credentials()
            .password(workspace.id, UserRef::Staff(admin.id))
            .await?
            .context("the admin has no password")?
    };

    let seeder = Seeder {
        workspace: workspace.id,
        workspace_name: workspace.name.clone(),
        admin,
        hash,
        now: clock.now(),
        ids,
        plan,
    };
    let total = plan.projects as u64 + plan.clients as u64;
    let mut done = 0;
    let mut counts = Counts::default();
    let mut projects = Vec::with_capacity(plan.projects);
    for first in (0..plan.projects).step_by(PROJECT_BATCH) {
        let mut uow = store.begin().await?;
        let end = (first + PROJECT_BATCH).min(plan.projects);
        for p in first..end {
            projects.push(seeder.project(uow.as_mut(), p, &mut counts).await?);
        }
        uow.commit().await?;
        done += (end - first) as u64;
        progress(SeedProgress { done, total });
    }
    for first in (0..plan.clients).step_by(CLIENT_BATCH) {
        let mut uow = store.begin().await?;
        let end = (first + CLIENT_BATCH).min(plan.clients);
        for i in first..end {
            seeder.client(uow.as_mut(), i, &projects, &mut counts).await?;
        }
        uow.commit().await?;
        done += (end - first) as u64;
        progress(SeedProgress { done, total });
    }
    Ok(SeedSummary { counts: counts.list(), sample_client: Seeder::email(0)? })
}

/// Inserts import rows as new clients straight through the client repository in one unit of
/// work: no duplicate lookups, audit events or invitations. This is the floor an import's
/// speed is measured against (`cargo xtask bench`), not a way to add clients.
///
/// # Errors
/// A row the domain rules refuse (its number and problems), or a storage failure such as an
/// address in use.
pub async fn insert_rows(
    store: &dyn Store,
    workspace: WorkspaceId,
    (clock, ids): (&dyn Clock, &dyn IdGenerator),
    rows: &[ImportRow],
) -> anyhow::Result<usize> {
    let now = clock.now();
    let mut uow = store.begin().await?;
    for ImportRow { row, fields } in rows {
        let new = fields.to_new_client(false).parse().map_err(|e| anyhow::anyhow!("row {row}: {e}"))?;
        let client = Client::new(ClientId::from_uuid(ids.new_id()), workspace, new.profile, new.permissions, now);
        uow.clients().insert(&client).await?;
    }
    uow.commit().await?;
    Ok(rows.len())
}

#[derive(Debug, Default)]
struct Counts {
    projects: u64,
    tasks: u64,
    messages: u64,
    clients: u64,
    assignments: u64,
    invoices: u64,
}

impl Counts {
    fn list(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("projects", self.projects),
            ("tasks", self.tasks),
            ("messages", self.messages),
            ("clients", self.clients),
            ("assignments", self.assignments),
            ("invoices", self.invoices),
        ]
    }
}

struct Seeder<'a> {
    workspace: WorkspaceId,
    /// Its name, as the invoices it sends say.
    workspace_name: WorkspaceName,
    admin: Staff,
    hash: PasswordHash,
    now: OffsetDateTime,
    ids: &'a dyn IdGenerator,
    plan: SeedPlan,
}

impl Seeder<'_> {
    /// A moment `days` before now, so records have a plausible history.
    fn ago(&self, days: usize) -> OffsetDateTime {
        self.now - self::days(days % 700)
    }

    async fn project(&self, uow: &mut dyn UnitOfWork, p: usize, counts: &mut Counts) -> anyhow::Result<ProjectId> {
        let name = format!("{}: {}", company_name(p), WORK[p % WORK.len()]);
        let details = ProjectDetails {
            name: parse(ProjectName::parse(&name))?,
            description: Some(parse(Description::parse("Seeded project: scope, milestones and deliverables."))?),
            deadline: Some((self.now + days(30 + p % 120)).date()),
        };
        let project = Project::new(ProjectId::from_uuid(self.ids.new_id()), self.workspace, details, self.ago(p));
        uow.projects().insert(&project).await?;
        counts.projects += 1;
        for t in 0..self.plan.tasks_per_project {
            let task = Task {
                id: TaskId::from_uuid(self.ids.new_id()),
                workspace_id: self.workspace,
                project_id: project.id,
                title: parse(TaskTitle::parse(&format!("{} ({})", TASKS[t % TASKS.len()], t + 1)))?,
                description: t
                    .is_multiple_of(3)
                    .then(|| parse(Description::parse("Details and acceptance notes.")))
                    .transpose()?,
                state: [TaskState::Open, TaskState::InProgress, TaskState::Done][t % 3],
                due_date: Some((self.now + days(t % 60)).date()),
                assignee: t.is_multiple_of(4).then_some(self.admin.id),
                visibility: if t.is_multiple_of(2) { Visibility::Client } else { Visibility::Internal },
                created_by: self.admin.id,
                created_at: self.ago(p + t),
                updated_at: self.ago(p + t),
            };
            uow.tasks().insert(&task).await?;
            counts.tasks += 1;
        }
        for m in 0..self.plan.messages_per_project {
            let message = Message {
                id: MessageId::from_uuid(self.ids.new_id()),
                workspace_id: self.workspace,
                project_id: project.id,
                task_id: None,
                author: UserRef::Staff(self.admin.id),
                body: parse(MessageBody::parse(&format!("Update {}: the next round is ready for review.", m + 1)))?,
                visibility: if m.is_multiple_of(2) { Visibility::Client } else { Visibility::Internal },
                created_at: self.ago(p + m),
            };
            uow.messages().insert(&message).await?;
            counts.messages += 1;
        }
        Ok(project.id)
    }

    fn email(i: usize) -> anyhow::Result<EmailAddress> {
        let (first, last) = person(i);
        let local: String = format!("{first}.{last}.{i}").chars().filter(char::is_ascii_alphanumeric).collect();
        parse(EmailAddress::parse(&format!("{}@company{}.test", local.to_lowercase(), i / 5)))
    }

    async fn client(
        &self,
        uow: &mut dyn UnitOfWork,
        i: usize,
        projects: &[ProjectId],
        counts: &mut Counts,
    ) -> anyhow::Result<()> {
        let (first, last) = person(i);
        let status = match i {
            _ if i % 20 == 19 => ClientStatus::Invited,
            _ if i % 50 == 48 => ClientStatus::Deactivated,
            _ => ClientStatus::Active,
        };
        let since = self.ago(i);
        let active = status != ClientStatus::Invited;
        let client = Client::from_parts(ClientParts {
            id: ClientId::from_uuid(self.ids.new_id()),
            workspace_id: self.workspace,
            profile: ClientProfile {
                name: parse(PersonName::parse(&format!("{first} {last}")))?,
                email: Self::email(i)?,
                company: Some(parse(CompanyName::parse(&company_name(i / 5)))?),
                phone: None,
                billing_address: (i % 4 == 2)
                    .then(|| parse(BillingAddress::parse("1 Main Street\nSpringfield")))
                    .transpose()?,
                notes: i
                    .is_multiple_of(7)
                    .then(|| parse(InternalNotes::parse("Prefers calls before noon.")))
                    .transpose()?,
            },
            permissions: Preset::ALL[i % Preset::ALL.len()].permissions(),
            status,
            created_at: since,
            updated_at: since,
            invited_at: Some(since),
            accepted_at: active.then_some(since),
            last_login_at: active.then_some(self.now - days(i % 500) / 24),
        });
        uow.clients().insert(&client).await?;
        counts.clients += 1;
        if active {
            uow.credentials().set_password(self.workspace, UserRef::Client(client.id()), &self.hash).await?;
        }
        let Some(&home) = projects.get(i % projects.len().max(1)) else { return Ok(()) };
        self.assign(uow, &client, home, None, counts).await?;
        if i.is_multiple_of(3) && projects.len() > 1 {
            let other = projects[(i * 7 + 1) % projects.len()];
            if other != home {
                self.assign(uow, &client, other, Some(Preset::Collaborator.permissions()), counts).await?;
            }
            self.invoice(uow, &client, home, i, counts).await?;
        }
        Ok(())
    }

    async fn assign(
        &self,
        uow: &mut dyn UnitOfWork,
        client: &Client,
        project: ProjectId,
        scope: Option<PermissionSet>,
        counts: &mut Counts,
    ) -> anyhow::Result<()> {
        let assignment = Assignment {
            id: AssignmentId::from_uuid(self.ids.new_id()),
            workspace_id: self.workspace,
            project_id: project,
            client_id: client.id(),
            scope,
            tenure: Tenure::starting(client.created_at(), Some(self.admin.id)),
        };
        uow.assignments().insert(&assignment).await?;
        counts.assignments += 1;
        Ok(())
    }

    async fn invoice(
        &self,
        uow: &mut dyn UnitOfWork,
        client: &Client,
        project: ProjectId,
        i: usize,
        counts: &mut Counts,
    ) -> anyhow::Result<()> {
        let currency = parse(Currency::parse("EUR"))?;
        let line = |text: &str, units: i64, cents: i64| -> anyhow::Result<InvoiceLine> {
            Ok(InvoiceLine {
                description: parse(LineDescription::parse(text))?,
                quantity: parse(Quantity::units(units))?,
                unit_price: Money::new(cents, currency),
                tax_rate: parse(Percent::parse("20"))?,
                tax_name: Some(parse(TaxName::parse("VAT"))?),
            })
        };
        let draft = InvoiceDraft {
            number: Some(parse(InvoiceNumber::parse(&format!("INV-{i:07}")))?),
            client_id: client.id(),
            project_id: Some(project),
            currency,
            lines: vec![line("Design work (hours)", 12, 9_500)?, line("Project management", 1, 45_000)?],
            discount: None,
            notes: None,
            terms: None,
            issue_date: None,
            due: Some(Due::NetDays(30)),
        };
        let mut invoice =
            Invoice::new(InvoiceId::from_uuid(self.ids.new_id()), self.workspace, draft, client.created_at())
                .map_err(|e| anyhow::anyhow!("a seeded invoice is invalid: {e}"))?;
        if client.status() == ClientStatus::Active {
            let issuer =
                IssuerSnapshot { name: self.workspace_name.clone(), address: None, payment_instructions: None };
            // Seeded invoices are history: their payment reminders are not replayed (the delivery
            // worker would otherwise spend the first minutes of a seeded server queuing them).
            invoice.send(client, issuer, None, &ReminderSchedule::none(), client.created_at())?;
            if i.is_multiple_of(2) {
                let payment = invoice.settling_payment(self.now.date(), PaymentMethod::BankTransfer);
                let id = PaymentId::from_uuid(self.ids.new_id());
                invoice.record_payment(id, payment, self.now).map_err(|e| anyhow::anyhow!("a seeded payment: {e}"))?;
            }
        }
        uow.invoices().insert(&invoice).await?;
        counts.invoices += 1;
        Ok(())
    }
}

/// Client `i`'s first and last name: every combination of the lists before any repeats.
fn person(i: usize) -> (&'static str, &'static str) {
    (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()])
}

/// `n` days (seeded spans are small, far inside `i64`).
fn days(n: usize) -> Duration {
    Duration::days(i64::try_from(n).unwrap_or(i64::MAX / 86_400 / 2))
}

fn company_name(n: usize) -> String {
    const KINDS: [&str; 6] = ["Studios", "Corp", "Labs", "Partners", "Group", "Works"];
    format!("{} {} {n}", LAST[n % LAST.len()], KINDS[n % KINDS.len()])
}

/// Generated text always parses; if it does not, that is a bug in this module worth a message.
fn parse<T, E: std::fmt::Display>(result: Result<T, E>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("seed data refused by the domain rules: {e}"))
}
