//! The audit trail: who changed what, from what to what, and when.
//!
//! Every change staff make writes an [`AuditEvent`]. Values are kept as display text so the
//! trail reads the same whatever the type of the field. Personal data in the trail is marked
//! as such, so deleting a client can erase it there too ([`AuditEvent::erase_personal_data`]).

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

use crate::ids::{
    ApprovalId, AuditEventId, ClientId, FileId, InvoiceId, MessageId, ProjectId, StaffId, TaskId, WorkspaceId,
};
use crate::staff::UserRef;

/// What personal values are replaced with when a client is deleted.
pub const ERASED: &str = "(erased)";

/// One field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name.
    pub field: String,
    /// The value before, as text; `None` when the field was empty.
    pub before: Option<String>,
    /// The value after, as text; `None` when the field is now empty.
    pub after: Option<String>,
    /// Whether the values are personal data (erased when the client is deleted).
    pub personal: bool,
}

/// Whether a field holds personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataKind {
    Personal,
    Ordinary,
}

impl FieldChange {
    fn new(field: &str, before: Option<&dyn fmt::Display>, after: Option<&dyn fmt::Display>, kind: DataKind) -> Self {
        Self {
            field: field.to_owned(),
            before: before.map(ToString::to_string),
            after: after.map(ToString::to_string),
            personal: kind == DataKind::Personal,
        }
    }

    /// A change of a field that holds no personal data.
    pub fn plain(field: &str, before: Option<&dyn fmt::Display>, after: Option<&dyn fmt::Display>) -> Self {
        Self::new(field, before, after, DataKind::Ordinary)
    }

    /// A change of a field that holds personal data.
    pub fn personal(field: &str, before: Option<&dyn fmt::Display>, after: Option<&dyn fmt::Display>) -> Self {
        Self::new(field, before, after, DataKind::Personal)
    }

    /// Sets `slot` to `value`, recording a change when they differ.
    pub(crate) fn set<T: PartialEq + fmt::Display>(
        changes: &mut Vec<Self>,
        field: &str,
        slot: &mut T,
        value: T,
        kind: DataKind,
    ) {
        if *slot != value {
            changes.push(Self::new(field, Some(&*slot), Some(&value), kind));
            *slot = value;
        }
    }

    /// Sets an optional `slot` to `value`, recording a change when they differ.
    pub(crate) fn set_optional<T: PartialEq + fmt::Display>(
        changes: &mut Vec<Self>,
        field: &str,
        slot: &mut Option<T>,
        value: Option<T>,
        kind: DataKind,
    ) {
        if *slot != value {
            changes.push(Self::new(field, as_display(slot.as_ref()), as_display(value.as_ref()), kind));
            *slot = value;
        }
    }
}

fn as_display<T: fmt::Display>(value: Option<&T>) -> Option<&dyn fmt::Display> {
    value.map(|v| v as &dyn fmt::Display)
}

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditActor {
    /// A person (staff or client).
    User(UserRef),
    /// Portico itself, or a command-line operator.
    System,
}

/// What a change was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditSubject {
    /// The workspace itself.
    Workspace,
    /// A staff member.
    Staff(StaffId),
    /// A client.
    Client(ClientId),
    /// A project.
    Project(ProjectId),
    /// A task.
    Task(TaskId),
    /// A file.
    File(FileId),
    /// A message or comment.
    Message(MessageId),
    /// An invoice.
    Invoice(InvoiceId),
    /// An approval request.
    Approval(ApprovalId),
}

macro_rules! audit_actions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// What happened.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $(#[doc = $doc] $variant,)*
        }

        impl AuditAction {
            /// Every action.
            pub const ALL: &[Self] = &[$(Self::$variant,)*];

            /// The stable name used in storage and the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

audit_actions! {
    WorkspaceCreated => "workspace_created", "A workspace was created.";
    WorkspaceSettingsChanged => "workspace_settings_changed", "Workspace settings changed.";
    StaffCreated => "staff_created", "A staff member was added.";
    ClientCreated => "client_created", "A client was created.";
    ClientEdited => "client_edited", "Client fields (permissions included) were changed.";
    InvitationIssued => "invitation_issued", "An invitation link was issued (first or again).";
    InvitationAccepted => "invitation_accepted", "The client accepted its invitation.";
    PasswordReset => "password_reset", "A person set a new password through a reset link.";
    PasswordResetSent => "password_reset_sent", "Staff sent a client a password-reset link.";
    PasswordChanged => "password_changed", "A signed-in person changed their own password.";
    ClientDeactivated => "client_deactivated", "The client was deactivated.";
    ClientReactivated => "client_reactivated", "The client was reactivated.";
    ClientDeleted => "client_deleted", "The client was deleted (tombstoned).";
    ClientAssigned => "client_assigned", "The client was put on a project (related: the project).";
    ClientUnassigned => "client_unassigned", "The client was taken off a project (related: the project).";
    AssignmentScopeChanged => "assignment_scope_changed", "The client's narrowing on one project changed (related: the project).";
    TeamMemberAdded => "team_member_added", "A staff member joined a project's team (related: the project).";
    TeamMemberRemoved => "team_member_removed", "A staff member left a project's team (related: the project).";
    ProjectCreated => "project_created", "A project was created.";
    ProjectEdited => "project_edited", "Project fields were changed.";
    ProjectArchived => "project_archived", "The project was archived.";
    ProjectUnarchived => "project_unarchived", "The project was unarchived.";
    TaskCreated => "task_created", "A task was created.";
    TaskEdited => "task_edited", "Task fields (visibility included) were changed.";
    FileUploaded => "file_uploaded", "A file was uploaded.";
    FileVisibilityChanged => "file_visibility_changed", "A file was made internal or client-visible.";
    MessagePosted => "message_posted", "A message or comment was posted.";
    MessageVisibilityChanged => "message_visibility_changed", "A message was made internal or client-visible.";
    InvoiceCreated => "invoice_created", "A draft invoice was created.";
    InvoiceSent => "invoice_sent", "The invoice was sent (billing snapshot taken).";
    InvoiceEdited => "invoice_edited", "A draft invoice's lines or terms were changed.";
    InvoiceDeleted => "invoice_deleted", "A draft invoice was deleted.";
    InvoicePaid => "invoice_paid", "A payment settled the invoice.";
    PaymentRecorded => "payment_recorded", "A payment was recorded against the invoice.";
    PaymentRemoved => "payment_removed", "A payment recorded by mistake was removed.";
    InvoiceVoided => "invoice_voided", "The invoice was voided (the reason in the changes).";
    InvoiceEmailed => "invoice_emailed", "The invoice was mailed to its client again.";
    ApprovalRequested => "approval_requested", "Approval was requested on a task or file.";
    ApprovalAnswered => "approval_answered", "A client answered an approval request.";
    ApiTokenCreated => "api_token_created", "A staff member created an API token (subject: that staff member).";
    ApiTokenRevoked => "api_token_revoked", "An API token was revoked (subject: the staff member it acted as).";
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an action name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an audit action")]
pub struct UnknownAction(pub String);

impl FromStr for AuditAction {
    type Err = UnknownAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().copied().find(|a| a.as_str() == s).ok_or_else(|| UnknownAction(s.to_owned()))
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Identity.
    pub id: AuditEventId,
    /// The workspace it happened in.
    pub workspace_id: WorkspaceId,
    /// When it happened.
    pub at: OffsetDateTime,
    /// Who did it.
    pub actor: AuditActor,
    /// What it was about.
    pub subject: AuditSubject,
    /// A second record it concerns (the project of an assignment).
    pub related: Option<AuditSubject>,
    /// What happened.
    pub action: AuditAction,
    /// Field values before and after.
    pub changes: Vec<FieldChange>,
}

impl AuditEvent {
    /// Replaces every personal value in the event with [`ERASED`]; returns whether anything changed.
    pub fn erase_personal_data(&mut self) -> bool {
        let mut erased = false;
        for change in self.changes.iter_mut().filter(|c| c.personal) {
            for value in [&mut change.before, &mut change.after].into_iter().flatten() {
                if value != ERASED {
                    ERASED.clone_into(value);
                    erased = true;
                }
            }
        }
        erased
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use uuid::Uuid;

    #[test]
    fn action_names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse(), Ok(*action));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
    }

    #[test]
    fn set_records_only_real_changes() {
        let mut changes = Vec::new();
        let mut name = "Sarah".to_owned();
        FieldChange::set(&mut changes, "name", &mut name, "Sarah".to_owned(), DataKind::Personal);
        assert!(changes.is_empty());
        FieldChange::set(&mut changes, "name", &mut name, "Sara".to_owned(), DataKind::Personal);
        let mut phone: Option<String> = Some("555".into());
        FieldChange::set_optional(&mut changes, "phone", &mut phone, None, DataKind::Ordinary);
        assert_eq!(name, "Sara");
        assert_eq!(phone, None);
        assert_eq!(
            changes,
            [
                FieldChange {
                    field: "name".into(),
                    before: Some("Sarah".into()),
                    after: Some("Sara".into()),
                    personal: true
                },
                FieldChange { field: "phone".into(), before: Some("555".into()), after: None, personal: false },
            ]
        );
    }

    #[test]
    fn erasing_replaces_personal_values_only() {
        let mut event = AuditEvent {
            id: AuditEventId::from_uuid(Uuid::from_u128(1)),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(2)),
            at: datetime!(2026-01-01 0:00 UTC),
            actor: AuditActor::System,
            subject: AuditSubject::Client(ClientId::from_uuid(Uuid::from_u128(3))),
            related: None,
            action: AuditAction::ClientEdited,
            changes: vec![
                FieldChange::personal("email", Some(&"a@x.com"), Some(&"b@x.com")),
                FieldChange::personal("phone", None, Some(&"555 0100")),
                FieldChange::plain("permissions", Some(&"projects"), None),
            ],
        };
        assert!(event.erase_personal_data());
        assert_eq!(event.changes[0].before.as_deref(), Some(ERASED));
        assert_eq!(event.changes[0].after.as_deref(), Some(ERASED));
        assert_eq!(event.changes[1].before, None);
        assert_eq!(event.changes[2].before.as_deref(), Some("projects"));
        assert!(!event.erase_personal_data(), "erasing twice changes nothing");
    }
}
