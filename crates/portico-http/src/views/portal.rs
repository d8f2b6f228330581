//! What a client sees in the portal: only its share, with names instead of internal ids.

use portico_domain::content::{Message, ProjectFile};
use portico_domain::invoice::InvoiceLine;
use portico_domain::portal::{
    PortalAnswer, PortalApproval, PortalApprovalSubject, PortalBilledTo, PortalFile, PortalInvoice, PortalMessage,
    PortalProject, PortalProjectSummary, PortalTask,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::invoices::{InvoiceLineView, IssuerView, MoneyView, PaymentView, TotalsView};
use super::{instant, maybe_date, maybe_instant};

/// A project in the client's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalProjectSummaryView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Deadline.
    pub deadline: Option<String>,
    /// `active` or `archived`.
    pub status: String,
}

impl From<&PortalProjectSummary> for PortalProjectSummaryView {
    fn from(summary: &PortalProjectSummary) -> Self {
        Self {
            id: summary.id.to_string(),
            name: summary.name.as_str().to_owned(),
            description: summary.description.as_ref().map(|d| d.as_str().to_owned()),
            deadline: maybe_date(summary.deadline),
            status: summary.status.as_str().to_owned(),
        }
    }
}

/// A post or comment the client may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalMessageView {
    /// Id.
    pub id: String,
    /// The author's name.
    pub author: String,
    /// Whether the client wrote it.
    pub yours: bool,
    /// Text.
    pub body: String,
    /// When it was posted.
    pub posted_at: String,
}

impl PortalMessageView {
    /// A message the signed-in client just wrote.
    pub fn own(message: &Message) -> Self {
        Self {
            id: message.id.to_string(),
            author: YOU.to_owned(),
            yours: true,
            body: message.body.as_str().to_owned(),
            posted_at: instant(message.created_at),
        }
    }
}

/// How the portal names the signed-in client's own posts and files.
const YOU: &str = "You";

impl From<&PortalMessage> for PortalMessageView {
    fn from(message: &PortalMessage) -> Self {
        Self {
            id: message.id.to_string(),
            author: message.author.clone(),
            yours: message.yours,
            body: message.body.as_str().to_owned(),
            posted_at: instant(message.posted_at),
        }
    }
}

/// A task the client may see, with the comments it may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalTaskView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// `open`, `in_progress` or `done`.
    pub state: String,
    /// Due date.
    pub due_date: Option<String>,
    /// Visible comments, oldest first.
    pub comments: Vec<PortalMessageView>,
}

impl From<&PortalTask> for PortalTaskView {
    fn from(task: &PortalTask) -> Self {
        Self {
            id: task.id.to_string(),
            title: task.title.as_str().to_owned(),
            description: task.description.as_ref().map(|d| d.as_str().to_owned()),
            state: task.state.as_str().to_owned(),
            due_date: maybe_date(task.due_date),
            comments: task.comments.iter().map(Into::into).collect(),
        }
    }
}

/// A file the client may download.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalFileView {
    /// Id (download at `/portal/files/{id}/download`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// Whether the client uploaded it.
    pub yours: bool,
    /// When.
    pub uploaded_at: String,
}

impl PortalFileView {
    /// A file the signed-in client just uploaded.
    pub fn own(file: &ProjectFile) -> Self {
        Self {
            id: file.id.to_string(),
            name: file.name.as_str().to_owned(),
            content_type: file.content_type.as_str().to_owned(),
            size_bytes: file.size_bytes,
            uploaded_by: YOU.to_owned(),
            yours: true,
            uploaded_at: instant(file.created_at),
        }
    }
}

impl From<&PortalFile> for PortalFileView {
    fn from(file: &PortalFile) -> Self {
        Self {
            id: file.id.to_string(),
            name: file.name.as_str().to_owned(),
            content_type: file.content_type.as_str().to_owned(),
            size_bytes: file.size_bytes,
            uploaded_by: file.uploaded_by.clone(),
            yours: file.yours,
            uploaded_at: instant(file.uploaded_at),
        }
    }
}

/// The client's own answer to an approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalAnswerView {
    /// `approved` or `changes_requested`.
    pub decision: String,
    /// The comment given.
    pub comment: Option<String>,
    /// When.
    pub answered_at: String,
}

impl From<&PortalAnswer> for PortalAnswerView {
    fn from(answer: &PortalAnswer) -> Self {
        Self {
            decision: answer.decision.as_str().to_owned(),
            comment: answer.comment.as_ref().map(|c| c.as_str().to_owned()),
            answered_at: instant(answer.answered_at),
        }
    }
}

/// An approval the client is asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalApprovalView {
    /// Id (answer at `/portal/approvals/{id}`).
    pub id: String,
    /// `task` or `file`.
    pub subject_kind: String,
    /// The task's or file's id.
    pub subject_id: String,
    /// Its title or file name.
    pub subject_name: String,
    /// When it was asked.
    pub requested_at: String,
    /// The client's answer, once given.
    pub your_answer: Option<PortalAnswerView>,
}

impl From<&PortalApproval> for PortalApprovalView {
    fn from(approval: &PortalApproval) -> Self {
        let (kind, id, name) = match &approval.subject {
            PortalApprovalSubject::Task { id, title } => ("task", id.to_string(), title.as_str()),
            PortalApprovalSubject::File { id, name } => ("file", id.to_string(), name.as_str()),
        };
        Self {
            id: approval.id.to_string(),
            subject_kind: kind.to_owned(),
            subject_id: id,
            subject_name: name.to_owned(),
            requested_at: instant(approval.requested_at),
            your_answer: approval.your_answer.as_ref().map(Into::into),
        }
    }
}

/// What the client may do on a project.
#[derive(Debug, Serialize, ToSchema)]
#[allow(clippy::struct_excessive_bools, reason = "independent yes/no abilities, as the domain has them")]
pub struct AbilitiesView {
    /// Post messages.
    pub post_messages: bool,
    /// Upload files.
    pub upload_files: bool,
    /// Comment on tasks.
    pub comment_on_tasks: bool,
    /// Answer approvals.
    pub answer_approvals: bool,
}

/// A project as one client sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalProjectView {
    /// The project.
    #[serde(flatten)]
    pub summary: PortalProjectSummaryView,
    /// What the client may do here.
    pub abilities: AbilitiesView,
    /// Visible tasks.
    pub tasks: Vec<PortalTaskView>,
    /// Visible files.
    pub files: Vec<PortalFileView>,
    /// Visible posts.
    pub messages: Vec<PortalMessageView>,
    /// Approvals asked of the client.
    pub approvals: Vec<PortalApprovalView>,
}

impl From<&PortalProject> for PortalProjectView {
    fn from(project: &PortalProject) -> Self {
        let abilities = &project.abilities;
        Self {
            summary: (&project.summary).into(),
            abilities: AbilitiesView {
                post_messages: abilities.post_messages,
                upload_files: abilities.upload_files,
                comment_on_tasks: abilities.comment_on_tasks,
                answer_approvals: abilities.answer_approvals,
            },
            tasks: project.tasks.iter().map(Into::into).collect(),
            files: project.files.iter().map(Into::into).collect(),
            messages: project.messages.iter().map(Into::into).collect(),
            approvals: project.approvals.iter().map(Into::into).collect(),
        }
    }
}

/// Who an invoice bills, as far as this client may know.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalBilledToView {
    /// Name.
    pub name: String,
    /// Company.
    pub company: Option<String>,
    /// Postal address (only on the client's own invoices).
    pub address: Option<String>,
    /// Whether the invoice is addressed to this client.
    pub yours: bool,
}

impl From<&PortalBilledTo> for PortalBilledToView {
    fn from(billed: &PortalBilledTo) -> Self {
        Self {
            name: billed.name.as_str().to_owned(),
            company: billed.company.as_ref().map(|c| c.as_str().to_owned()),
            address: billed.address.as_ref().map(|a| a.as_str().to_owned()),
            yours: billed.yours,
        }
    }
}

/// An invoice as a client sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalInvoiceView {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// `sent`, `partially_paid`, `paid` or `void`.
    pub status: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Lines, with their discount shares and taxes.
    pub lines: Vec<InvoiceLineView>,
    /// Subtotal, discount, taxes and total.
    pub totals: TotalsView,
    /// The total (as in `totals`).
    pub total: MoneyView,
    /// The issue date.
    pub issue_date: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
    /// When it was issued.
    pub issued_at: Option<String>,
    /// Who it bills.
    pub billed_to: PortalBilledToView,
    /// Who issued it (payment instructions only with the payments permission).
    pub issuer: Option<IssuerView>,
    /// A note for the client.
    pub notes: Option<String>,
    /// The terms.
    pub terms: Option<String>,
    /// The project billed.
    pub project_id: Option<String>,
    /// The project's name.
    pub project_name: Option<String>,
    /// Payments received, oldest first (with the payments permission only).
    pub payments: Option<Vec<PaymentView>>,
    /// What is still to be paid (with the payments permission only).
    pub balance: Option<MoneyView>,
    /// When it was paid (with the payments permission only).
    pub paid_at: Option<String>,
}

impl From<&PortalInvoice> for PortalInvoiceView {
    fn from(invoice: &PortalInvoice) -> Self {
        let lines = invoice.lines.iter().zip(&invoice.totals.lines).map(|(line, amounts)| {
            let line = InvoiceLine {
                description: line.description.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                tax_rate: line.tax_rate,
                tax_name: line.tax_name.clone(),
            };
            InvoiceLineView::from((&line, amounts))
        });
        let payments = invoice.payments.as_ref();
        Self {
            id: invoice.id.to_string(),
            number: invoice.number.as_str().to_owned(),
            status: invoice.status.as_str().to_owned(),
            currency: invoice.currency.code().to_owned(),
            lines: lines.collect(),
            totals: (&invoice.totals).into(),
            total: invoice.totals.total.into(),
            issue_date: maybe_date(invoice.issue_date),
            due_date: maybe_date(invoice.due_date),
            issued_at: maybe_instant(invoice.issued_at),
            billed_to: (&invoice.billed_to).into(),
            issuer: invoice.issuer.as_ref().map(Into::into),
            notes: invoice.notes.as_ref().map(|n| n.as_str().to_owned()),
            terms: invoice.terms.as_ref().map(|t| t.as_str().to_owned()),
            project_id: invoice.project.as_ref().map(|(id, _)| id.to_string()),
            project_name: invoice.project.as_ref().map(|(_, name)| name.as_str().to_owned()),
            payments: payments.map(|p| p.recorded.iter().map(PaymentView::of_input).collect()),
            balance: payments.map(|p| p.balance.into()),
            paid_at: payments.and_then(|p| maybe_instant(p.paid_at)),
        }
    }
}

/// The answer as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// The approval.
    pub approval_id: String,
    /// The decision.
    pub decision: String,
    /// The comment.
    pub comment: Option<String>,
    /// When.
    pub answered_at: String,
}
