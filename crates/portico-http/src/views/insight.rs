//! Admin insight: history, deliveries, companies, the review report, visibility
//! explanations, impact previews and import reports.

use portico_app::mail::PublicUrl;
use portico_app::{Explanation, ImportProblem, ImportReport, Portico};
use portico_domain::audit::{AuditActor, AuditEvent, AuditSubject, FieldChange};
use portico_domain::companies::CompanyGroup;
use portico_domain::impact::AccessLoss;
use portico_domain::mail::{DeliveryState, OutboxMessage};
use portico_domain::review::ClientReview;
use portico_domain::visibility::{Decision, HiddenReason};
use portico_domain::world::ItemRef;
use serde::Serialize;
use utoipa::ToSchema;

use super::content::AuthorView;
use super::instant;
use crate::handover::Handover;

/// A thing something happened to: `{"kind": "client", "id": ...}` (`id` is `null` for the
/// workspace itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct RefView {
    /// What kind of record.
    pub kind: String,
    /// Its id.
    pub id: Option<String>,
}

impl From<AuditSubject> for RefView {
    fn from(subject: AuditSubject) -> Self {
        let (kind, id) = match subject {
            AuditSubject::Workspace => ("workspace", None),
            AuditSubject::Staff(id) => ("staff", Some(id.to_string())),
            AuditSubject::Client(id) => ("client", Some(id.to_string())),
            AuditSubject::Project(id) => ("project", Some(id.to_string())),
            AuditSubject::Task(id) => ("task", Some(id.to_string())),
            AuditSubject::File(id) => ("file", Some(id.to_string())),
            AuditSubject::Message(id) => ("message", Some(id.to_string())),
            AuditSubject::Invoice(id) => ("invoice", Some(id.to_string())),
            AuditSubject::Approval(id) => ("approval", Some(id.to_string())),
        };
        Self { kind: kind.to_owned(), id }
    }
}

impl From<ItemRef> for RefView {
    fn from(item: ItemRef) -> Self {
        let (kind, id) = match item {
            ItemRef::Project(id) => ("project", id.to_string()),
            ItemRef::Task(id) => ("task", id.to_string()),
            ItemRef::File(id) => ("file", id.to_string()),
            ItemRef::Message(id) => ("message", id.to_string()),
            ItemRef::Approval(id) => ("approval", id.to_string()),
            ItemRef::Invoice(id) => ("invoice", id.to_string()),
        };
        Self { kind: kind.to_owned(), id: Some(id) }
    }
}

/// One changed field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChangeView {
    /// The field.
    pub field: String,
    /// Its value before.
    pub before: Option<String>,
    /// Its value after.
    pub after: Option<String>,
}

impl From<&FieldChange> for FieldChangeView {
    fn from(change: &FieldChange) -> Self {
        Self { field: change.field.clone(), before: change.before.clone(), after: change.after.clone() }
    }
}

/// An entry of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Id.
    pub id: String,
    /// When.
    pub at: String,
    /// Who did it; `null` for Portico itself.
    pub actor: Option<AuthorView>,
    /// What happened (`client_created`, `client_assigned`, ...).
    pub action: String,
    /// What it happened to.
    pub subject: RefView,
    /// A second record involved (the project of an assignment).
    pub related: Option<RefView>,
    /// Changed fields.
    pub changes: Vec<FieldChangeView>,
}

impl From<&AuditEvent> for AuditEventView {
    fn from(event: &AuditEvent) -> Self {
        Self {
            id: event.id.to_string(),
            at: instant(event.at),
            actor: match event.actor {
                AuditActor::User(user) => Some(user.into()),
                AuditActor::System => None,
            },
            action: event.action.as_str().to_owned(),
            subject: event.subject.into(),
            related: event.related.map(Into::into),
            changes: event.changes.iter().map(Into::into).collect(),
        }
    }
}

/// A message in the outbox, without its secret link.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Id.
    pub id: String,
    /// `invitation`, `password_reset`, `email_changed`, `added_to_project`, `notice`, `digest`,
    /// `invoice`, `invoice_reminder` or `payment_receipt`.
    pub kind: String,
    /// Recipient address.
    pub to: String,
    /// Recipient name.
    pub to_name: String,
    /// `queued`, `held`, `sending`, `sent`, `retrying` or `dead`.
    pub state: String,
    /// Tries so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: String,
    /// When the server accepted it.
    pub sent_at: Option<String>,
    /// When the next try is due.
    pub next_attempt_at: Option<String>,
    /// The last failure.
    pub last_error: Option<String>,
    /// For an invitation not delivered yet: its link, for staff to hand over another way.
    /// Reset links are never shown, so no one can take over another person's account.
    pub invitation_link: Option<String>,
    /// Why an undelivered invitation's link cannot be shown (sealed with a key this
    /// installation no longer has): resend the invitation.
    pub link_problem: Option<String>,
}

impl DeliveryView {
    /// Each message, with invitation links opened by `portico` and built on `public_url`.
    pub fn all(portico: &Portico, messages: &[OutboxMessage], public_url: &PublicUrl) -> Vec<Self> {
        messages.iter().map(|m| Self::new(m, portico, public_url)).collect()
    }

    /// The message, with an invitation's link built on `public_url` (`Handover`).
    pub fn new(message: &OutboxMessage, portico: &Portico, public_url: &PublicUrl) -> Self {
        let Handover { link: invitation_link, problem: link_problem } = Handover::of(message, portico, public_url);
        let (sent_at, next_attempt_at) = match &message.state {
            DeliveryState::Sent { at, .. } => (Some(instant(*at)), None),
            DeliveryState::Retrying { next_attempt_at, .. } => (None, Some(instant(*next_attempt_at))),
            DeliveryState::Queued
            | DeliveryState::Held
            | DeliveryState::Sending { .. }
            | DeliveryState::Dead { .. } => (None, None),
        };
        Self {
            id: message.id.to_string(),
            kind: message.content.kind().to_owned(),
            to: message.to.as_str().to_owned(),
            to_name: message.to_name.as_str().to_owned(),
            state: message.state.as_str().to_owned(),
            attempts: message.attempts,
            created_at: instant(message.created_at),
            sent_at,
            next_attempt_at,
            last_error: message.state.error().map(str::to_owned),
            invitation_link,
            link_problem,
        }
    }
}

/// One spelling of a company name and how many contacts use it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpellingView {
    /// The spelling.
    pub spelling: String,
    /// Contacts using it.
    pub contacts: usize,
}

/// Contacts of one company, however they spell it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyView {
    /// The comparison key (case, spacing and legal suffixes ignored).
    pub key: String,
    /// The most used spelling.
    pub name: String,
    /// Every spelling in use, most used first.
    pub variants: Vec<SpellingView>,
    /// The contacts' ids.
    pub client_ids: Vec<String>,
}

impl From<&CompanyGroup> for CompanyView {
    fn from(group: &CompanyGroup) -> Self {
        Self {
            key: group.key.as_str().to_owned(),
            name: group.canonical.clone(),
            variants: (group.variants.iter())
                .map(|(spelling, contacts)| SpellingView { spelling: spelling.clone(), contacts: *contacts })
                .collect(),
            client_ids: group.contacts.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The periodic client review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    /// Active clients on no active project.
    pub active_without_active_project: Vec<String>,
    /// Invitations older than their lifetime, never accepted.
    pub stale_invitations: Vec<String>,
    /// Active clients that never logged in.
    pub never_logged_in: Vec<String>,
    /// Companies spelled more than one way.
    pub company_variants: Vec<CompanyView>,
    /// Mail that could not be delivered.
    pub failed_deliveries: Vec<String>,
    /// Clients whose notification mails keep failing (two or more to their current address).
    pub failing_notifications: Vec<String>,
}

impl From<&ClientReview> for ReviewView {
    fn from(review: &ClientReview) -> Self {
        let ids = |ids: &[portico_domain::ids::ClientId]| ids.iter().map(ToString::to_string).collect();
        Self {
            active_without_active_project: ids(&review.active_without_active_project),
            stale_invitations: ids(&review.stale_invitations),
            never_logged_in: ids(&review.never_logged_in),
            company_variants: review.company_variants.iter().map(Into::into).collect(),
            failed_deliveries: review.failed_deliveries.iter().map(ToString::to_string).collect(),
            failing_notifications: ids(&review.failing_notifications),
        }
    }
}

/// One reason an item is hidden.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonView {
    /// A stable code (`not_assigned`, `missing_permission`, `internal`, ...).
    pub code: String,
    /// For people.
    pub message: String,
}

impl From<&HiddenReason> for ReasonView {
    fn from(reason: &HiddenReason) -> Self {
        let code = match reason {
            HiddenReason::OtherWorkspace => "other_workspace",
            HiddenReason::ClientNotActive(_) => "client_not_active",
            HiddenReason::NotAssigned => "not_assigned",
            HiddenReason::MissingPermission(_) => "missing_permission",
            HiddenReason::NarrowedOnProject(_) => "narrowed_on_project",
            HiddenReason::Internal(_) => "internal",
            HiddenReason::NotIssued => "not_issued",
            HiddenReason::NotAddressed => "not_addressed",
        };
        Self { code: code.to_owned(), message: reason.to_string() }
    }
}

/// Whether a client sees an item, and why not.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplanationView {
    /// The client.
    pub client_id: String,
    /// The client's name.
    pub client_name: String,
    /// The item.
    pub item: RefView,
    /// Whether the client sees it.
    pub visible: bool,
    /// Every reason it is hidden, in the order the rule checks them.
    pub reasons: Vec<ReasonView>,
}

impl From<&Explanation> for ExplanationView {
    fn from(explanation: &Explanation) -> Self {
        let reasons = match &explanation.decision {
            Decision::Visible => Vec::new(),
            Decision::Hidden(reasons) => reasons.iter().map(Into::into).collect(),
        };
        Self {
            client_id: explanation.client.id().to_string(),
            client_name: explanation.client.name().as_str().to_owned(),
            item: explanation.item.into(),
            visible: explanation.decision.is_visible(),
            reasons,
        }
    }
}

/// What one client would stop seeing after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImpactView {
    /// The client.
    pub client_id: String,
    /// Items it would lose.
    pub items: Vec<RefView>,
}

impl From<&AccessLoss> for ImpactView {
    fn from(loss: &AccessLoss) -> Self {
        Self { client_id: loss.client.to_string(), items: loss.items.iter().copied().map(Into::into).collect() }
    }
}

/// A problem with one field of one import row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblemView {
    /// The row in the file (the header is row 1).
    pub row: usize,
    /// The column.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl From<&ImportProblem> for ImportProblemView {
    fn from(problem: &ImportProblem) -> Self {
        Self { row: problem.row, field: problem.field.clone(), message: problem.message.clone() }
    }
}

/// The outcome of an import or its dry run.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportView {
    /// Whether anything was written.
    pub applied: bool,
    /// Rows creating a client.
    pub created: usize,
    /// Rows updating one.
    pub updated: usize,
    /// Rows matching an existing client exactly.
    pub unchanged: usize,
    /// Every problem; any problem means nothing was written.
    pub problems: Vec<ImportProblemView>,
}

impl From<&ImportReport> for ImportReportView {
    fn from(report: &ImportReport) -> Self {
        Self {
            applied: report.applied,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            problems: report.problems.iter().map(Into::into).collect(),
        }
    }
}
