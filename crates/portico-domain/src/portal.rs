//! The client portal's read models, built only through the visibility rule.
//!
//! These are separate types from the staff-side entities: they have no field for internal
//! notes, visibility flags, staff emails or other clients' details, so such data cannot leak
//! by being forgotten in a filter. Every item goes through [`Viewer::decide`] before it is
//! projected.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use crate::approval::{ApprovalAnswer, ApprovalDecision, ApprovalRequest, ApprovalSubject};
use crate::client::Client;
use crate::company::CompanyName;
use crate::content::{ContentType, FileName, Message, ProjectFile, Task, TaskState};
use crate::ids::{ApprovalId, FileId, InvoiceId, MessageId, ProjectId, TaskId};
use crate::invoice::{
    Invoice, InvoiceNotes, InvoiceNumber, InvoiceStatus, InvoiceTerms, IssuerSnapshot, Ledger, LineDescription,
    PaymentInput, TaxName, Totals,
};
use crate::money::{Currency, Money, Percent, Quantity};
use crate::permissions::Permission;
use crate::project::{Project, ProjectStatus};
use crate::staff::UserRef;
use crate::text::{BillingAddress, Description, MessageBody, PersonName, ProjectName, TaskTitle};
use crate::visibility::{Subject, Viewer};

/// Display names of the people who author content. A client sees only these names.
#[derive(Debug, Clone, Default)]
pub struct Names(HashMap<UserRef, String>);

impl Names {
    /// The name shown for someone not in the book (a record that could not be loaded).
    pub const UNKNOWN: &'static str = "Unknown";

    /// Adds or replaces a name.
    pub fn insert(&mut self, user: UserRef, name: &PersonName) {
        self.0.insert(user, name.as_str().to_owned());
    }

    /// The display name of `user`.
    pub fn name_of(&self, user: UserRef) -> &str {
        self.0.get(&user).map_or(Self::UNKNOWN, String::as_str)
    }
}

/// Everything inside one project, as staff see it; the portal filters it.
#[derive(Debug, Clone, Default)]
pub struct ProjectContent {
    /// All tasks.
    pub tasks: Vec<Task>,
    /// All files.
    pub files: Vec<ProjectFile>,
    /// All posts and comments.
    pub messages: Vec<Message>,
    /// All approval requests.
    pub approvals: Vec<ApprovalRequest>,
    /// All answers to those requests.
    pub answers: Vec<ApprovalAnswer>,
}

/// A project in the client's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalProjectSummary {
    /// Identity.
    pub id: ProjectId,
    /// Name.
    pub name: ProjectName,
    /// Description.
    pub description: Option<Description>,
    /// Deadline.
    pub deadline: Option<Date>,
    /// Active or archived (archived projects are read-only).
    pub status: ProjectStatus,
}

/// What the client may do in a project, beyond looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // Independent yes/no abilities, shown one by one.
pub struct ClientAbilities {
    /// Post to the discussion (`messages`).
    pub post_messages: bool,
    /// Upload files (`files`).
    pub upload_files: bool,
    /// Comment on visible tasks (`tasks` and `messages`).
    pub comment_on_tasks: bool,
    /// Answer approval requests (`approvals`).
    pub answer_approvals: bool,
}

impl ClientAbilities {
    /// The abilities of `viewer` on `project`: nothing unless the client sees the project, and
    /// nothing in an archived (read-only) project.
    pub fn on(viewer: &Viewer<'_>, project: &Project) -> Self {
        if project.is_archived() || !viewer.decide(&Subject::project(project)).is_visible() {
            return Self::default();
        }
        let permissions = viewer.permissions_on(project.id);
        let has = |p| permissions.contains(p);
        Self {
            post_messages: has(Permission::Messages),
            upload_files: has(Permission::Files),
            comment_on_tasks: has(Permission::Tasks) && has(Permission::Messages),
            answer_approvals: has(Permission::Approvals),
        }
    }
}

/// Which parts of a project a client's permissions there open. A part left closed could only
/// ever be empty for that client, so a page leaves it out rather than say "nothing yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // One answer per part of the page.
pub struct ProjectSections {
    /// Tasks (`tasks`).
    pub tasks: bool,
    /// Files (`files`).
    pub files: bool,
    /// The discussion (`messages`).
    pub messages: bool,
    /// Approval requests (`approvals`).
    pub approvals: bool,
}

impl ProjectSections {
    /// The parts `viewer` may see of `project`.
    pub fn on(viewer: &Viewer<'_>, project: ProjectId) -> Self {
        let permissions = viewer.permissions_on(project);
        Self {
            tasks: permissions.contains(Permission::Tasks),
            files: permissions.contains(Permission::Files),
            messages: permissions.contains(Permission::Messages),
            approvals: permissions.contains(Permission::Approvals),
        }
    }
}

/// The parts of the portal a client's own permissions open: what its navigation offers and
/// where it lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalSections {
    /// Projects (`projects`): every project needs it.
    pub projects: bool,
    /// Invoices (`invoices`): every invoice needs it.
    pub invoices: bool,
}

impl PortalSections {
    /// The sections `client`'s permissions open.
    pub fn of(client: &Client) -> Self {
        let permissions = client.permissions();
        Self {
            projects: permissions.contains(Permission::Projects),
            invoices: permissions.contains(Permission::Invoices),
        }
    }

    /// Whether the client's portal starts at its invoices: nothing else is open to it.
    pub fn starts_at_invoices(&self) -> bool {
        self.invoices && !self.projects
    }
}

/// A project with what the client sees inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalProject {
    /// Name, status and dates.
    pub summary: PortalProjectSummary,
    /// What the client may do here.
    pub abilities: ClientAbilities,
    /// Which parts of the project the client's permissions here open.
    pub sections: ProjectSections,
    /// Visible tasks with their visible comments.
    pub tasks: Vec<PortalTask>,
    /// Visible files.
    pub files: Vec<PortalFile>,
    /// Visible discussion posts (comments are under their tasks).
    pub messages: Vec<PortalMessage>,
    /// Visible approval requests.
    pub approvals: Vec<PortalApproval>,
}

/// A task as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalTask {
    /// Identity.
    pub id: TaskId,
    /// Title.
    pub title: TaskTitle,
    /// Description.
    pub description: Option<Description>,
    /// Progress.
    pub state: TaskState,
    /// Due date.
    pub due_date: Option<Date>,
    /// Visible comments, oldest first.
    pub comments: Vec<PortalMessage>,
}

/// A file as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalFile {
    /// Identity.
    pub id: FileId,
    /// Name.
    pub name: FileName,
    /// Media type.
    pub content_type: ContentType,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Who uploaded it (display name only).
    pub uploaded_by: String,
    /// Whether the viewing client uploaded it.
    pub yours: bool,
    /// When.
    pub uploaded_at: OffsetDateTime,
}

/// A post or comment as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalMessage {
    /// Identity.
    pub id: MessageId,
    /// Author's display name.
    pub author: String,
    /// Whether the viewing client wrote it.
    pub yours: bool,
    /// Text.
    pub body: MessageBody,
    /// When.
    pub posted_at: OffsetDateTime,
}

/// What an approval request is about, as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalApprovalSubject {
    /// A task.
    Task {
        /// Its id.
        id: TaskId,
        /// Its title.
        title: TaskTitle,
    },
    /// A file.
    File {
        /// Its id.
        id: FileId,
        /// Its name.
        name: FileName,
    },
}

/// An approval request as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalApproval {
    /// Identity.
    pub id: ApprovalId,
    /// What to approve.
    pub subject: PortalApprovalSubject,
    /// When it was asked.
    pub requested_at: OffsetDateTime,
    /// The viewing client's latest answer.
    pub your_answer: Option<PortalAnswer>,
}

/// A client's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalAnswer {
    /// The verdict.
    pub decision: ApprovalDecision,
    /// The comment.
    pub comment: Option<MessageBody>,
    /// When.
    pub answered_at: OffsetDateTime,
}

/// The client's projects, oldest first.
pub fn projects<'a>(viewer: &Viewer<'_>, projects: impl IntoIterator<Item = &'a Project>) -> Vec<PortalProjectSummary> {
    let mut visible: Vec<&Project> =
        projects.into_iter().filter(|p| viewer.decide(&Subject::project(p)).is_visible()).collect();
    visible.sort_by_key(|p| (p.created_at, p.id));
    visible.into_iter().map(summary).collect()
}

fn summary(project: &Project) -> PortalProjectSummary {
    PortalProjectSummary {
        id: project.id,
        name: project.details.name.clone(),
        description: project.details.description.clone(),
        deadline: project.details.deadline,
        status: project.status,
    }
}

/// One project as the client sees it, or `None` when the client does not see the project.
pub fn project(
    viewer: &Viewer<'_>,
    project: &Project,
    content: &ProjectContent,
    names: &Names,
) -> Option<PortalProject> {
    if !viewer.decide(&Subject::project(project)).is_visible() {
        return None;
    }
    let me = UserRef::Client(viewer.client().id());
    let in_project = |project_id: ProjectId| project_id == project.id;
    let tasks_by_id: HashMap<TaskId, &Task> = content.tasks.iter().map(|t| (t.id, t)).collect();
    let message = |m: &Message| PortalMessage {
        id: m.id,
        author: names.name_of(m.author).to_owned(),
        yours: m.author == me,
        body: m.body.clone(),
        posted_at: m.created_at,
    };
    let visible_messages: Vec<&Message> = sorted(&content.messages, |m| (m.created_at, m.id))
        .into_iter()
        .filter(|m| in_project(m.project_id))
        .filter(|m| match m.task_id {
            None => viewer.decide(&Subject::message(m, None)).is_visible(),
            Some(task) => {
                tasks_by_id.get(&task).is_some_and(|t| viewer.decide(&Subject::message(m, Some(t))).is_visible())
            }
        })
        .collect();
    let tasks = sorted(&content.tasks, |t| (t.created_at, t.id))
        .into_iter()
        .filter(|t| in_project(t.project_id) && viewer.decide(&Subject::task(t)).is_visible())
        .map(|t| PortalTask {
            id: t.id,
            title: t.title.clone(),
            description: t.description.clone(),
            state: t.state,
            due_date: t.due_date,
            comments: visible_messages.iter().filter(|m| m.task_id == Some(t.id)).map(|m| message(m)).collect(),
        })
        .collect();
    let files = sorted(&content.files, |f| (f.created_at, f.id))
        .into_iter()
        .filter(|f| in_project(f.project_id) && viewer.decide(&Subject::file(f)).is_visible())
        .map(|f| PortalFile {
            id: f.id,
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size_bytes: f.size_bytes,
            uploaded_by: names.name_of(f.uploaded_by).to_owned(),
            yours: f.uploaded_by == me,
            uploaded_at: f.created_at,
        })
        .collect();
    let approvals = sorted(&content.approvals, |a| (a.created_at, a.id))
        .into_iter()
        .filter(|a| in_project(a.project_id))
        .filter_map(|a| portal_approval(viewer, a, content, &tasks_by_id))
        .collect();
    Some(PortalProject {
        summary: summary(project),
        abilities: ClientAbilities::on(viewer, project),
        sections: ProjectSections::on(viewer, project.id),
        tasks,
        files,
        messages: visible_messages.iter().filter(|m| m.task_id.is_none()).map(|m| message(m)).collect(),
        approvals,
    })
}

fn portal_approval(
    viewer: &Viewer<'_>,
    approval: &ApprovalRequest,
    content: &ProjectContent,
    tasks: &HashMap<TaskId, &Task>,
) -> Option<PortalApproval> {
    let (subject, visibility) = match approval.subject {
        ApprovalSubject::Task(id) => {
            let task = tasks.get(&id)?;
            (PortalApprovalSubject::Task { id, title: task.title.clone() }, task.visibility)
        }
        ApprovalSubject::File(id) => {
            let file = content.files.iter().find(|f| f.id == id)?;
            (PortalApprovalSubject::File { id, name: file.name.clone() }, file.visibility)
        }
    };
    if !viewer.decide(&Subject::approval(approval, visibility)).is_visible() {
        return None;
    }
    let your_answer = content
        .answers
        .iter()
        .filter(|a| a.approval_id == approval.id && a.client_id == viewer.client().id())
        .max_by_key(|a| a.answered_at)
        .map(|a| PortalAnswer { decision: a.decision, comment: a.comment.clone(), answered_at: a.answered_at });
    Some(PortalApproval { id: approval.id, subject, requested_at: approval.created_at, your_answer })
}

fn sorted<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<&T> {
    let mut refs: Vec<&T> = items.iter().collect();
    refs.sort_by_key(|item| key(item));
    refs
}

/// An invoice as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalInvoice {
    /// Identity.
    pub id: InvoiceId,
    /// Number.
    pub number: InvoiceNumber,
    /// Sent, partially paid, paid or void (only invoices that were sent are shown).
    pub status: InvoiceStatus,
    /// Currency.
    pub currency: Currency,
    /// Lines.
    pub lines: Vec<PortalInvoiceLine>,
    /// Subtotal, discount, taxes by rate and total, by the invoice's own rule.
    pub totals: Totals,
    /// When it was issued.
    pub issue_date: Option<Date>,
    /// Due date.
    pub due_date: Option<Date>,
    /// When it was sent.
    pub issued_at: Option<OffsetDateTime>,
    /// Who it is billed to, as of sending.
    pub billed_to: PortalBilledTo,
    /// Who issued it, as of sending (payment instructions only with `payments`).
    pub issuer: Option<IssuerSnapshot>,
    /// The note for the client.
    pub notes: Option<InvoiceNotes>,
    /// The terms.
    pub terms: Option<InvoiceTerms>,
    /// The project it bills.
    pub project: Option<(ProjectId, ProjectName)>,
    /// What has been paid and what is left — only with the `payments` permission.
    pub payments: Option<PortalPayments>,
}

/// The payments of an invoice, for a client with the `payments` permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPayments {
    /// Each payment, oldest first.
    pub recorded: Vec<PaymentInput>,
    /// What is still to be paid.
    pub balance: Money,
    /// When it was settled.
    pub paid_at: Option<OffsetDateTime>,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalInvoiceLine {
    /// What for.
    pub description: LineDescription,
    /// How many.
    pub quantity: Quantity,
    /// Price of one.
    pub unit_price: Money,
    /// Its tax rate.
    pub tax_rate: Percent,
    /// The rate's name.
    pub tax_name: Option<TaxName>,
    /// Quantity times price.
    pub total: Money,
}

/// The addressee of an invoice, from its billing snapshot. The address is shown only to the
/// addressee; a co-client on the project sees the name and company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalBilledTo {
    /// Name.
    pub name: PersonName,
    /// Company.
    pub company: Option<CompanyName>,
    /// Billing address (only when the invoice is addressed to the viewer).
    pub address: Option<BillingAddress>,
    /// Whether the invoice is addressed to the viewer.
    pub yours: bool,
}

impl PortalInvoice {
    /// An issued invoice as a client sees it: `yours` when it is addressed to them (only
    /// then with the billing address), with payments, balance and payment instructions when
    /// `shows_payments`. `None` for a draft, which no client sees.
    fn of(invoice: &Invoice, yours: bool, shows_payments: bool, project: Option<&ProjectName>) -> Option<Self> {
        let billing = invoice.billing()?;
        let lines = invoice
            .draft()
            .lines
            .iter()
            .zip(&invoice.totals().lines)
            .map(|(line, amounts)| PortalInvoiceLine {
                description: line.description.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                tax_rate: line.tax_rate,
                tax_name: line.tax_name.clone(),
                total: amounts.net,
            })
            .collect();
        let issuer = invoice.issuer().cloned().map(|mut issuer| {
            if !shows_payments {
                issuer.payment_instructions = None;
            }
            issuer
        });
        Some(Self {
            id: invoice.id(),
            number: invoice.number()?.clone(),
            status: invoice.status(),
            currency: invoice.currency(),
            lines,
            totals: invoice.totals().clone(),
            issue_date: invoice.draft().issue_date,
            due_date: invoice.due_date(),
            issued_at: invoice.sent_at(),
            billed_to: PortalBilledTo {
                name: billing.name.clone(),
                company: billing.company.clone(),
                address: billing.address.clone().filter(|_| yours),
                yours,
            },
            issuer,
            notes: invoice.draft().notes.clone(),
            terms: invoice.draft().terms.clone(),
            project: invoice.project_id().zip(project.cloned()),
            payments: shows_payments.then(|| PortalPayments {
                recorded: invoice.payments().iter().map(|p| p.input.clone()).collect(),
                balance: invoice.balance(),
                paid_at: invoice.paid_at(),
            }),
        })
    }

    /// The invoice as the client it is addressed to sees it with the `payments` permission:
    /// the document staff print and mail, so that the agency's copy and the client's are
    /// one. `None` for a draft.
    pub fn as_addressed(invoice: &Invoice, project: Option<&ProjectName>) -> Option<Self> {
        Self::of(invoice, true, true, project)
    }

    /// The name its PDF goes by, as a download and as a mail's attachment:
    /// `Invoice INV-2026-0001.pdf`.
    pub fn file_name(&self) -> String {
        format!("Invoice {}.pdf", self.number)
    }
}

/// The client's statement of account: the invoices addressed to them that they see, their
/// payments and voids, one ledger per currency. `None` without the `payments` permission,
/// since a statement is payment records.
pub fn statement<'a>(viewer: &Viewer<'_>, invoices: impl IntoIterator<Item = &'a Invoice>) -> Option<Vec<Ledger>> {
    if !viewer.client().permissions().contains(Permission::Payments) {
        return None;
    }
    let own = invoices.into_iter().filter(|invoice| {
        invoice.client_id() == viewer.client().id() && viewer.decide(&Subject::invoice(invoice)).is_visible()
    });
    Some(crate::invoice::statement(own))
}

/// The invoices the client sees, newest first. `project_name` names the projects invoices
/// bill. Payment records, balances and payment instructions need the `payments` permission.
pub fn invoices<'a, 'p>(
    viewer: &Viewer<'_>,
    invoices: impl IntoIterator<Item = &'a Invoice>,
    project_name: impl Fn(ProjectId) -> Option<&'p ProjectName>,
) -> Vec<PortalInvoice> {
    let shows_payments = viewer.client().permissions().contains(Permission::Payments);
    let mut visible: Vec<PortalInvoice> = invoices
        .into_iter()
        .filter(|invoice| viewer.decide(&Subject::invoice(invoice)).is_visible())
        .filter_map(|invoice| {
            let yours = invoice.client_id() == viewer.client().id();
            PortalInvoice::of(invoice, yours, shows_payments, invoice.project_id().and_then(&project_name))
        })
        .collect();
    visible.sort_by(|a, b| b.issued_at.cmp(&a.issued_at).then(b.id.cmp(&a.id)));
    visible
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::strategies;
    use crate::world::{ItemRef, World};

    fn content_of(world: &World, project: ProjectId) -> ProjectContent {
        ProjectContent {
            tasks: world.tasks.iter().filter(|t| t.project_id == project).cloned().collect(),
            files: world.files.iter().filter(|f| f.project_id == project).cloned().collect(),
            messages: world.messages.iter().filter(|m| m.project_id == project).cloned().collect(),
            approvals: world.approvals.iter().filter(|a| a.project_id == project).cloned().collect(),
            answers: Vec::new(),
        }
    }

    fn shown(view: &PortalProject) -> BTreeSet<ItemRef> {
        let mut items = BTreeSet::from([ItemRef::Project(view.summary.id)]);
        for task in &view.tasks {
            items.insert(ItemRef::Task(task.id));
            items.extend(task.comments.iter().map(|c| ItemRef::Message(c.id)));
        }
        items.extend(view.files.iter().map(|f| ItemRef::File(f.id)));
        items.extend(view.messages.iter().map(|m| ItemRef::Message(m.id)));
        items.extend(view.approvals.iter().map(|a| ItemRef::Approval(a.id)));
        items
    }

    proptest! {
        #[test]
        fn the_portal_shows_exactly_what_the_rule_allows(world in strategies::world(3, 3)) {
            for client in &world.clients {
                let viewer = world.viewer(client);
                let visible = world.visible_to(client);
                let listed: BTreeSet<ProjectId> = projects(&viewer, &world.projects).iter().map(|p| p.id).collect();
                for p in &world.projects {
                    prop_assert_eq!(listed.contains(&p.id), visible.contains(&ItemRef::Project(p.id)));
                    let view = project(&viewer, p, &content_of(&world, p.id), &Names::default());
                    let expected: BTreeSet<ItemRef> = world
                        .subjects()
                        .into_iter()
                        .filter(|(item, subject)| {
                            subject.project_id() == Some(p.id) && !matches!(item, ItemRef::Invoice(_)) && visible.contains(item)
                        })
                        .map(|(item, _)| item)
                        .collect();
                    prop_assert_eq!(view.as_ref().map(shown).unwrap_or_default(), expected);
                    if let Some(view) = view {
                        prop_assert!(!p.is_archived() || view.abilities == ClientAbilities::default());
                    }
                }
                let shown_invoices: BTreeSet<ItemRef> =
                    invoices(&viewer, &world.invoices, |_| None).iter().map(|i| ItemRef::Invoice(i.id)).collect();
                let expected: BTreeSet<ItemRef> =
                    visible.iter().copied().filter(|i| matches!(i, ItemRef::Invoice(_))).collect();
                prop_assert_eq!(shown_invoices, expected);
            }
        }

        #[test]
        fn a_part_the_permissions_close_is_always_empty(world in strategies::world(3, 3)) {
            for client in &world.clients {
                let viewer = world.viewer(client);
                let portal = PortalSections::of(client);
                if !portal.projects {
                    prop_assert!(projects(&viewer, &world.projects).is_empty());
                }
                if !portal.invoices {
                    prop_assert!(invoices(&viewer, &world.invoices, |_| None).is_empty());
                }
                for p in &world.projects {
                    let Some(view) = project(&viewer, p, &content_of(&world, p.id), &Names::default()) else {
                        continue;
                    };
                    let closed = view.sections;
                    prop_assert!(closed.tasks || view.tasks.is_empty());
                    prop_assert!(closed.files || view.files.is_empty());
                    prop_assert!(closed.messages || view.messages.is_empty());
                    prop_assert!(closed.approvals || view.approvals.is_empty());
                }
            }
        }

        #[test]
        fn payments_instructions_and_addresses_show_only_where_allowed(world in strategies::world(3, 2)) {
            for client in &world.clients {
                let viewer = world.viewer(client);
                for invoice in invoices(&viewer, &world.invoices, |_| None) {
                    let payments = client.permissions().contains(Permission::Payments);
                    prop_assert_eq!(invoice.payments.is_some(), payments);
                    let instructions = invoice.issuer.as_ref().and_then(|i| i.payment_instructions.as_ref());
                    prop_assert!(payments || instructions.is_none());
                    if invoice.billed_to.address.is_some() {
                        prop_assert!(invoice.billed_to.yours);
                    }
                    prop_assert!(invoice.issued_at.is_some(), "only sent invoices are shown");
                }
            }
        }
    }

    #[test]
    fn unknown_authors_get_a_placeholder_name() {
        let names = Names::default();
        let someone = UserRef::Staff(crate::ids::StaffId::from_uuid(uuid::Uuid::from_u128(1)));
        assert_eq!(names.name_of(someone), Names::UNKNOWN);
    }
}
