//! The visibility rule: what a client may see. This module is the only place it is written.
//!
//! A client sees an item of a project when all of these hold:
//! 1. the item is in the client's workspace;
//! 2. the client is `Active`;
//! 3. the client is currently assigned to the project;
//! 4. the client's permissions — narrowed by the assignment's scope on that project — include
//!    `projects` and the item's kind (a comment also needs `tasks`, an approval also needs the
//!    kind of its subject);
//! 5. the item is client-visible (and so is the task a comment hangs on, or the subject of an
//!    approval).
//!
//! Invoices follow their own rule: the client is active, the invoice is not a draft, and it is
//! addressed to the client (needing the client's own `invoices` permission) or bills a project
//! the client is on (needing `invoices` after that project's narrowing).
//!
//! [`decide`] answers with a [`Decision`] that names *every* reason an item is hidden, so staff
//! can see what they would have to change, and so the impact preview can compare before/after.

use std::collections::HashMap;
use std::fmt;

use crate::approval::{ApprovalRequest, ApprovalSubject};
use crate::assignment::Assignment;
use crate::client::Client;
use crate::content::{Message, ProjectFile, Task, Visibility};
use crate::ids::{ClientId, ProjectId, WorkspaceId};
use crate::invoice::Invoice;
use crate::names::named_enum;
use crate::permissions::{Permission, PermissionSet};
use crate::project::Project;
use crate::status::ClientStatus;

named_enum! {
    /// The kinds of thing a client can be shown.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ItemKind {
        /// A project itself.
        Project => "project",
        /// A task.
        Task => "task",
        /// A file.
        File => "file",
        /// A discussion post or comment.
        Message => "message",
        /// An approval request.
        Approval => "approval",
        /// An invoice.
        Invoice => "invoice",
    }
}

impl ItemKind {
    /// The permission that governs this kind.
    pub const fn permission(self) -> Permission {
        match self {
            Self::Project => Permission::Projects,
            Self::Task => Permission::Tasks,
            Self::File => Permission::Files,
            Self::Message => Permission::Messages,
            Self::Approval => Permission::Approvals,
            Self::Invoice => Permission::Invoices,
        }
    }
}

/// What the rule needs to know about an item inside a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectItem {
    /// The item's workspace.
    pub workspace_id: WorkspaceId,
    /// The project it belongs to.
    pub project_id: ProjectId,
    /// What it is.
    pub kind: ItemKind,
    /// Its own visibility (`Client` for a project itself).
    pub visibility: Visibility,
    /// The item it depends on — the task of a comment, the subject of an approval — with
    /// that item's kind and visibility.
    pub parent: Option<(ItemKind, Visibility)>,
}

/// What the rule needs to know about an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// The invoice's workspace.
    pub workspace_id: WorkspaceId,
    /// Whether it has been sent (it may have been paid or voided since).
    pub issued: bool,
    /// Who it is addressed to.
    pub client_id: ClientId,
    /// The project it bills, if any.
    pub project_id: Option<ProjectId>,
}

/// Anything a client might be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A project or something inside one.
    InProject(ProjectItem),
    /// An invoice.
    Invoice(InvoiceFacts),
}

impl Subject {
    /// A project.
    pub fn project(project: &Project) -> Self {
        Self::item(project.workspace_id, project.id, ItemKind::Project, Visibility::Client, None)
    }

    /// A task.
    pub fn task(task: &Task) -> Self {
        Self::item(task.workspace_id, task.project_id, ItemKind::Task, task.visibility, None)
    }

    /// A file.
    pub fn file(file: &ProjectFile) -> Self {
        Self::item(file.workspace_id, file.project_id, ItemKind::File, file.visibility, None)
    }

    /// A message; for a comment, `task` must be the task it comments on.
    pub fn message(message: &Message, task: Option<&Task>) -> Self {
        let parent = task.map(|task| (ItemKind::Task, task.visibility));
        Self::item(message.workspace_id, message.project_id, ItemKind::Message, message.visibility, parent)
    }

    /// An approval request, with the visibility of the task or file it is about.
    pub fn approval(approval: &ApprovalRequest, subject_visibility: Visibility) -> Self {
        let subject_kind = match approval.subject {
            ApprovalSubject::Task(_) => ItemKind::Task,
            ApprovalSubject::File(_) => ItemKind::File,
        };
        // The request itself has no visibility of its own: it shows whenever its subject does.
        Self::item(
            approval.workspace_id,
            approval.project_id,
            ItemKind::Approval,
            Visibility::Client,
            Some((subject_kind, subject_visibility)),
        )
    }

    /// An invoice.
    pub fn invoice(invoice: &Invoice) -> Self {
        Self::Invoice(InvoiceFacts {
            workspace_id: invoice.workspace_id(),
            issued: invoice.sent_at().is_some(),
            client_id: invoice.client_id(),
            project_id: invoice.project_id(),
        })
    }

    fn item(
        workspace_id: WorkspaceId,
        project_id: ProjectId,
        kind: ItemKind,
        visibility: Visibility,
        parent: Option<(ItemKind, Visibility)>,
    ) -> Self {
        Self::InProject(ProjectItem { workspace_id, project_id, kind, visibility, parent })
    }

    /// The project the subject belongs to, if any.
    pub fn project_id(&self) -> Option<ProjectId> {
        match self {
            Self::InProject(item) => Some(item.project_id),
            Self::Invoice(invoice) => invoice.project_id,
        }
    }
}

/// Why a client cannot see something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HiddenReason {
    /// The item belongs to another workspace.
    OtherWorkspace,
    /// The client is not `Active` (invited, deactivated or deleted).
    ClientNotActive(ClientStatus),
    /// The client is not currently assigned to the item's project.
    NotAssigned,
    /// The client's own permissions lack this one.
    MissingPermission(Permission),
    /// The client has this permission, but its assignment narrows it away on this project.
    NarrowedOnProject(Permission),
    /// The item, or the item it depends on, is internal.
    Internal(ItemKind),
    /// The invoice was never sent (a draft, or a draft that was voided).
    NotIssued,
    /// The invoice is addressed to another client and bills no project this client is on.
    NotAddressed,
}

impl fmt::Display for HiddenReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherWorkspace => f.write_str("it belongs to another workspace"),
            Self::ClientNotActive(status) => {
                write!(f, "the client is {status}, and only active clients see anything")
            }
            Self::NotAssigned => f.write_str("the client is not assigned to the project"),
            Self::MissingPermission(p) => {
                write!(f, "the client does not have the \"{p}\" permission")
            }
            Self::NarrowedOnProject(p) => {
                write!(f, "the client's assignment to this project leaves out the \"{p}\" permission")
            }
            Self::Internal(kind) => write!(f, "the {kind} is internal"),
            Self::NotIssued => f.write_str("the invoice has not been sent"),
            Self::NotAddressed => {
                f.write_str("the invoice is addressed to another client and bills no project this client is on")
            }
        }
    }
}

/// The rule's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The client sees it.
    Visible,
    /// The client does not, for these reasons (never empty; in the order of the rule).
    Hidden(Vec<HiddenReason>),
}

impl Decision {
    /// Whether the client sees it.
    pub fn is_visible(&self) -> bool {
        matches!(self, Self::Visible)
    }

    /// The reasons it is hidden (empty when visible).
    pub fn reasons(&self) -> &[HiddenReason] {
        match self {
            Self::Visible => &[],
            Self::Hidden(reasons) => reasons,
        }
    }

    fn from_reasons(reasons: Vec<HiddenReason>) -> Self {
        if reasons.is_empty() { Self::Visible } else { Self::Hidden(reasons) }
    }
}

/// A client together with its current assignments: everything the rule needs about the viewer.
#[derive(Debug, Clone)]
pub struct Viewer<'a> {
    client: &'a Client,
    assignments: HashMap<ProjectId, &'a Assignment>,
}

impl<'a> Viewer<'a> {
    /// The viewer `client`, with `assignments` (rows of other clients and ended rows are ignored).
    pub fn new(client: &'a Client, assignments: impl IntoIterator<Item = &'a Assignment>) -> Self {
        let assignments = assignments
            .into_iter()
            .filter(|a| a.client_id == client.id() && a.workspace_id == client.workspace_id() && a.is_current())
            .map(|a| (a.project_id, a))
            .collect();
        Self { client, assignments }
    }

    /// The client.
    pub fn client(&self) -> &'a Client {
        self.client
    }

    /// The current assignment to `project`, if any.
    pub fn assignment(&self, project: ProjectId) -> Option<&'a Assignment> {
        self.assignments.get(&project).copied()
    }

    /// The projects the client is currently assigned to.
    pub fn assigned_projects(&self) -> impl Iterator<Item = ProjectId> + '_ {
        self.assignments.keys().copied()
    }

    /// The client's permissions on `project`: its own, narrowed by the assignment (if any).
    pub fn permissions_on(&self, project: ProjectId) -> PermissionSet {
        let own = self.client.permissions();
        self.assignment(project).map_or(own, |a| a.effective_permissions(own))
    }

    /// Decides whether this client sees `subject`. Shorthand for [`decide`].
    pub fn decide(&self, subject: &Subject) -> Decision {
        decide(self, subject)
    }
}

/// The visibility rule. See the module documentation.
pub fn decide(viewer: &Viewer<'_>, subject: &Subject) -> Decision {
    let client = viewer.client;
    let workspace_id = match subject {
        Subject::InProject(item) => item.workspace_id,
        Subject::Invoice(invoice) => invoice.workspace_id,
    };
    if workspace_id != client.workspace_id() {
        return Decision::Hidden(vec![HiddenReason::OtherWorkspace]);
    }
    let mut reasons = Vec::new();
    if client.status() != ClientStatus::Active {
        reasons.push(HiddenReason::ClientNotActive(client.status()));
    }
    match subject {
        Subject::InProject(item) => project_item_reasons(viewer, item, &mut reasons),
        Subject::Invoice(invoice) => invoice_reasons(viewer, invoice, &mut reasons),
    }
    Decision::from_reasons(reasons)
}

fn project_item_reasons(viewer: &Viewer<'_>, item: &ProjectItem, reasons: &mut Vec<HiddenReason>) {
    if viewer.assignment(item.project_id).is_none() {
        reasons.push(HiddenReason::NotAssigned);
    }
    let mut needed = vec![Permission::Projects, item.kind.permission()];
    if let Some((parent_kind, _)) = item.parent {
        needed.push(parent_kind.permission());
    }
    needed.dedup();
    for permission in needed {
        permission_reason(viewer, item.project_id, permission, reasons);
    }
    if item.visibility == Visibility::Internal {
        reasons.push(HiddenReason::Internal(item.kind));
    }
    if let Some((parent_kind, Visibility::Internal)) = item.parent {
        reasons.push(HiddenReason::Internal(parent_kind));
    }
}

fn permission_reason(viewer: &Viewer<'_>, project: ProjectId, permission: Permission, reasons: &mut Vec<HiddenReason>) {
    if !viewer.client.permissions().contains(permission) {
        reasons.push(HiddenReason::MissingPermission(permission));
    } else if !viewer.permissions_on(project).contains(permission) {
        reasons.push(HiddenReason::NarrowedOnProject(permission));
    }
}

fn invoice_reasons(viewer: &Viewer<'_>, invoice: &InvoiceFacts, reasons: &mut Vec<HiddenReason>) {
    if !invoice.issued {
        reasons.push(HiddenReason::NotIssued);
    }
    let addressed = invoice.client_id == viewer.client.id();
    let on_project = invoice.project_id.filter(|p| viewer.assignment(*p).is_some());
    let own = viewer.client.permissions().contains(Permission::Invoices);
    match (addressed, on_project) {
        // Addressed to the client: its own permission decides, whatever a project narrows.
        (true, _) if own => {}
        (_, Some(project)) if own && viewer.permissions_on(project).contains(Permission::Invoices) => {}
        (false, None) => reasons.push(HiddenReason::NotAddressed),
        (_, _) if !own => reasons.push(HiddenReason::MissingPermission(Permission::Invoices)),
        (_, _) => reasons.push(HiddenReason::NarrowedOnProject(Permission::Invoices)),
    }
}

#[cfg(test)]
pub(crate) mod tests;
