//! The model: the product's rules as a plain, separate transcription of the client guide and
//! `docs/domain.md` — indices instead of ids, permission names instead of bit sets.

use std::collections::{BTreeMap, BTreeSet};

use portico_domain::permissions::{Permission, PermissionSet};
use portico_domain::strategies;
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

/// How an action ended, at the level of detail the edges care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It happened.
    Ok,
    /// Outside the actor's share, or unknown.
    NotFound,
    /// Visible, but the permission is missing.
    Forbidden,
    /// The actor may not act at all (not an active client).
    Unauthenticated,
    /// The rules refuse it in the current state.
    Refused,
}

/// One step: something an admin or a client does. Indices name records in creation order.
#[derive(Debug, Clone)]
#[allow(missing_docs)] // Each variant is the use case of the same name; fields are indices.
pub enum Action {
    CreateClient { permissions: PermissionSet, invite: bool },
    AcceptInvitation { client: usize },
    ResendInvitation { client: usize },
    ChangeEmail { client: usize },
    SetPermissions { client: usize, permissions: PermissionSet },
    Deactivate { client: usize },
    Reactivate { client: usize },
    Delete { client: usize },
    CreateProject,
    Archive { project: usize },
    Unarchive { project: usize },
    Assign { client: usize, project: usize, scope: Option<PermissionSet> },
    Unassign { client: usize, project: usize },
    SetScope { client: usize, project: usize, scope: Option<PermissionSet> },
    CreateTask { project: usize, internal: bool },
    SetTaskVisibility { task: usize, internal: bool },
    UploadFile { project: usize, internal: bool },
    SetFileVisibility { file: usize, internal: bool },
    PostMessage { project: usize, internal: bool },
    Comment { task: usize, internal: bool },
    SetMessageVisibility { message: usize, internal: bool },
    ClientPost { client: usize, project: usize },
    ClientComment { client: usize, task: usize },
    ClientUpload { client: usize, project: usize },
    RequestApproval { on_task: bool, item: usize },
    AnswerApproval { client: usize, approval: usize },
    CreateInvoice { client: usize, project: Option<usize> },
    SendInvoice { invoice: usize },
    PayInvoice { invoice: usize },
    PayPart { invoice: usize },
    VoidInvoice { invoice: usize },
    DeleteInvoice { invoice: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Invited,
    Active,
    Deactivated,
    Deleted,
}

#[derive(Debug, Clone)]
struct ModelClient {
    status: Status,
    accepted: bool,
    /// Whether the newest invitation link can still be used.
    link_open: bool,
    permissions: BTreeSet<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InvoiceStatus {
    Draft,
    Sent,
    PartiallyPaid,
    Paid,
    Void,
    /// A deleted draft: gone, so every later command on it is `NotFound`.
    Deleted,
}

/// What every model invoice totals, in cents: one line of 100.00, untaxed.
pub(super) const INVOICE_TOTAL: i64 = 10_000;
/// What a partial payment pays, in cents.
pub(super) const PART_PAYMENT: i64 = 3_000;

#[derive(Debug, Clone)]
struct Item {
    project: usize,
    internal: bool,
    by_client: bool,
}

#[derive(Debug, Clone)]
struct ModelMessage {
    item: Item,
    task: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApprovalOn {
    Task(usize),
    File(usize),
}

#[derive(Debug, Clone, Copy)]
struct ModelInvoice {
    client: usize,
    project: Option<usize>,
    status: InvoiceStatus,
    /// Whether it was ever sent; only sent invoices reach clients.
    sent: bool,
    /// What its payments add up to, in cents.
    paid: i64,
}

/// The model state.
#[derive(Debug, Clone, Default)]
pub struct Model {
    clients: Vec<ModelClient>,
    archived: Vec<bool>,
    /// Current assignments: (client, project) → scope (`None`: not narrowed).
    assignments: BTreeMap<(usize, usize), Option<BTreeSet<&'static str>>>,
    tasks: Vec<Item>,
    files: Vec<Item>,
    messages: Vec<ModelMessage>,
    /// Approval requests: (project, what about, answered yet).
    approvals: Vec<(usize, ApprovalOn, bool)>,
    invoices: Vec<ModelInvoice>,
    /// What the model says the last action did.
    pub outcome: Option<Outcome>,
}

fn names(set: PermissionSet) -> BTreeSet<&'static str> {
    set.iter().map(Permission::as_str).collect()
}

/// What a client sees, by index: projects, and per project its items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Share {
    /// Visible projects.
    pub projects: BTreeSet<usize>,
    /// Visible tasks.
    pub tasks: BTreeSet<usize>,
    /// Visible files.
    pub files: BTreeSet<usize>,
    /// Visible posts and comments.
    pub messages: BTreeSet<usize>,
    /// Visible approval requests.
    pub approvals: BTreeSet<usize>,
    /// Visible invoices.
    pub invoices: BTreeSet<usize>,
}

impl Model {
    /// How many clients, projects, tasks, files, messages, approvals and invoices exist.
    pub fn counts(&self) -> [usize; 7] {
        [
            self.clients.len(),
            self.archived.len(),
            self.tasks.len(),
            self.files.len(),
            self.messages.len(),
            self.approvals.len(),
            self.invoices.len(),
        ]
    }

    /// Whether client `c` is active (only active clients may use the portal).
    pub fn is_active(&self, c: usize) -> bool {
        self.clients[c].status == Status::Active
    }

    /// The project of item `index` of each kind.
    pub fn project_of_task(&self, task: usize) -> usize {
        self.tasks[task].project
    }

    /// The permissions `c` has on `p`, or `None` when not assigned there.
    fn on(&self, c: usize, p: usize) -> Option<BTreeSet<&'static str>> {
        let scope = self.assignments.get(&(c, p))?;
        let own = &self.clients[c].permissions;
        Some(match scope {
            None => own.clone(),
            Some(scope) => own.intersection(scope).copied().collect(),
        })
    }

    fn sees(&self, c: usize, p: usize, needs: &[&str], internal: &[bool]) -> bool {
        self.is_active(c)
            && self.on(c, p).is_some_and(|perms| perms.contains("projects") && needs.iter().all(|n| perms.contains(n)))
            && internal.iter().all(|i| !i)
    }

    fn sees_task(&self, c: usize, t: usize) -> bool {
        let task = &self.tasks[t];
        self.sees(c, task.project, &["tasks"], &[task.internal])
    }

    fn sees_message(&self, c: usize, m: usize) -> bool {
        let message = &self.messages[m];
        match message.task {
            None => self.sees(c, message.item.project, &["messages"], &[message.item.internal]),
            Some(t) => {
                let task = &self.tasks[t];
                self.sees(c, task.project, &["messages", "tasks"], &[message.item.internal, task.internal])
            }
        }
    }

    fn sees_approval(&self, c: usize, a: usize) -> bool {
        let (p, on, _) = self.approvals[a];
        match on {
            ApprovalOn::Task(t) => self.sees(c, p, &["approvals", "tasks"], &[self.tasks[t].internal]),
            ApprovalOn::File(f) => self.sees(c, p, &["approvals", "files"], &[self.files[f].internal]),
        }
    }

    fn sees_invoice(&self, c: usize, i: usize) -> bool {
        let invoice = self.invoices[i];
        let own = &self.clients[c].permissions;
        let addressed = invoice.client == c && own.contains("invoices");
        let via_project = invoice.project.and_then(|p| self.on(c, p)).is_some_and(|perms| perms.contains("invoices"));
        self.is_active(c) && invoice.sent && invoice.status != InvoiceStatus::Deleted && (addressed || via_project)
    }

    /// Everything client `c` sees.
    pub fn share(&self, c: usize) -> Share {
        let all = |n: usize, keep: &dyn Fn(usize) -> bool| (0..n).filter(|i| keep(*i)).collect();
        Share {
            projects: all(self.archived.len(), &|p| self.sees(c, p, &[], &[])),
            tasks: all(self.tasks.len(), &|t| self.sees_task(c, t)),
            files: all(self.files.len(), &|f| {
                let file = &self.files[f];
                self.sees(c, file.project, &["files"], &[file.internal])
            }),
            messages: all(self.messages.len(), &|m| self.sees_message(c, m)),
            approvals: all(self.approvals.len(), &|a| self.sees_approval(c, a)),
            invoices: all(self.invoices.len(), &|i| self.sees_invoice(c, i)),
        }
    }

    fn client_action(&self, c: usize, visible: bool, project: usize, allowed: bool) -> Outcome {
        if !self.is_active(c) {
            Outcome::Unauthenticated
        } else if !visible {
            Outcome::NotFound
        } else if self.archived[project] {
            Outcome::Refused
        } else if !allowed {
            Outcome::Forbidden
        } else {
            Outcome::Ok
        }
    }

    fn has_on(&self, c: usize, p: usize, permissions: &[&str]) -> bool {
        self.on(c, p).is_some_and(|perms| permissions.iter().all(|n| perms.contains(n)))
    }

    /// Applies `action` and records its outcome.
    #[allow(clippy::too_many_lines)] // One arm per action reads best as one table.
    fn step(&mut self, action: &Action) -> Outcome {
        use Outcome::{Ok as Done, Refused};
        let ok_if = |condition: bool| if condition { Done } else { Refused };
        match *action {
            Action::CreateClient { permissions, invite } => {
                let permissions = names(permissions);
                self.clients.push(ModelClient {
                    status: Status::Invited,
                    accepted: false,
                    link_open: invite,
                    permissions,
                });
                Done
            }
            Action::AcceptInvitation { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status == Status::Invited && c.link_open);
                if outcome == Done {
                    (c.status, c.accepted, c.link_open) = (Status::Active, true, false);
                }
                outcome
            }
            Action::ResendInvitation { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status == Status::Invited);
                c.link_open |= outcome == Done;
                outcome
            }
            Action::ChangeEmail { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status != Status::Deleted);
                if outcome == Done {
                    // Every open link dies; an invited client gets a fresh invitation.
                    c.link_open = c.status == Status::Invited;
                }
                outcome
            }
            Action::SetPermissions { client, permissions } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status != Status::Deleted);
                if outcome == Done {
                    c.permissions = names(permissions);
                }
                outcome
            }
            Action::Deactivate { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(matches!(c.status, Status::Invited | Status::Active));
                if outcome == Done {
                    (c.status, c.link_open) = (Status::Deactivated, false);
                }
                outcome
            }
            Action::Reactivate { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status == Status::Deactivated);
                if outcome == Done {
                    c.status = if c.accepted { Status::Active } else { Status::Invited };
                }
                outcome
            }
            Action::Delete { client } => {
                let c = &mut self.clients[client];
                let outcome = ok_if(c.status != Status::Deleted);
                if outcome == Done {
                    (c.status, c.link_open) = (Status::Deleted, false);
                    c.permissions.clear();
                    self.assignments.retain(|(assigned, _), _| *assigned != client);
                }
                outcome
            }
            Action::CreateProject => {
                self.archived.push(false);
                Done
            }
            Action::Archive { project } | Action::Unarchive { project } => {
                let archive = matches!(action, Action::Archive { .. });
                let outcome = ok_if(self.archived[project] != archive);
                self.archived[project] = archive;
                outcome
            }
            Action::Assign { client, project, scope } => {
                let outcome = ok_if(
                    self.clients[client].status != Status::Deleted
                        && !self.assignments.contains_key(&(client, project)),
                );
                if outcome == Done {
                    self.assignments.insert((client, project), scope.map(names));
                }
                outcome
            }
            Action::Unassign { client, project } => ok_if(self.assignments.remove(&(client, project)).is_some()),
            Action::SetScope { client, project, scope } => match self.assignments.get_mut(&(client, project)) {
                Some(current) => {
                    *current = scope.map(names);
                    Done
                }
                None => Refused,
            },
            Action::CreateTask { project, internal } => {
                let outcome = ok_if(!self.archived[project]);
                if outcome == Done {
                    self.tasks.push(Item { project, internal, by_client: false });
                }
                outcome
            }
            Action::SetTaskVisibility { task, internal } => {
                let outcome = ok_if(!self.archived[self.tasks[task].project]);
                if outcome == Done {
                    self.tasks[task].internal = internal;
                }
                outcome
            }
            Action::UploadFile { project, internal } => {
                let outcome = ok_if(!self.archived[project]);
                if outcome == Done {
                    self.files.push(Item { project, internal, by_client: false });
                }
                outcome
            }
            Action::SetFileVisibility { file, internal } => toggle(&mut self.files[file], &self.archived, internal),
            Action::PostMessage { project, internal } => {
                let outcome = ok_if(!self.archived[project]);
                if outcome == Done {
                    self.messages.push(ModelMessage { item: Item { project, internal, by_client: false }, task: None });
                }
                outcome
            }
            Action::Comment { task, internal } => {
                let project = self.tasks[task].project;
                let outcome = ok_if(!self.archived[project]);
                if outcome == Done {
                    self.messages
                        .push(ModelMessage { item: Item { project, internal, by_client: false }, task: Some(task) });
                }
                outcome
            }
            Action::SetMessageVisibility { message, internal } => {
                toggle(&mut self.messages[message].item, &self.archived, internal)
            }
            Action::ClientPost { client, project } => {
                let allowed = self.has_on(client, project, &["messages"]);
                let outcome = self.client_action(client, self.sees(client, project, &[], &[]), project, allowed);
                if outcome == Done {
                    self.messages
                        .push(ModelMessage { item: Item { project, internal: false, by_client: true }, task: None });
                }
                outcome
            }
            Action::ClientComment { client, task } => {
                let project = self.tasks[task].project;
                let allowed = self.has_on(client, project, &["tasks", "messages"]);
                let outcome = self.client_action(client, self.sees_task(client, task), project, allowed);
                if outcome == Done {
                    self.messages.push(ModelMessage {
                        item: Item { project, internal: false, by_client: true },
                        task: Some(task),
                    });
                }
                outcome
            }
            Action::ClientUpload { client, project } => {
                let allowed = self.has_on(client, project, &["files"]);
                let outcome = self.client_action(client, self.sees(client, project, &[], &[]), project, allowed);
                if outcome == Done {
                    self.files.push(Item { project, internal: false, by_client: true });
                }
                outcome
            }
            Action::RequestApproval { on_task, item } => {
                let (project, internal, on) = if on_task {
                    (self.tasks[item].project, self.tasks[item].internal, ApprovalOn::Task(item))
                } else {
                    (self.files[item].project, self.files[item].internal, ApprovalOn::File(item))
                };
                // One request at a time: asking again waits for an answer.
                let waiting = self.approvals.iter().any(|&(_, about, answered)| about == on && !answered);
                let outcome = ok_if(!self.archived[project] && !internal && !waiting);
                if outcome == Done {
                    self.approvals.push((project, on, false));
                }
                outcome
            }
            Action::AnswerApproval { client, approval } => {
                let project = self.approvals[approval].0;
                let outcome = self.client_action(client, self.sees_approval(client, approval), project, true);
                if outcome == Done {
                    self.approvals[approval].2 = true;
                }
                outcome
            }
            Action::CreateInvoice { client, project } => {
                let on_project = project.is_none_or(|p| self.assignments.contains_key(&(client, p)));
                let outcome = ok_if(self.clients[client].status != Status::Deleted && on_project);
                if outcome == Done {
                    let status = InvoiceStatus::Draft;
                    self.invoices.push(ModelInvoice { client, project, status, sent: false, paid: 0 });
                }
                outcome
            }
            Action::SendInvoice { invoice } => {
                let deleted = self.clients[self.invoices[invoice].client].status == Status::Deleted;
                self.move_invoice(invoice, &[InvoiceStatus::Draft], InvoiceStatus::Sent, !deleted)
            }
            Action::PayInvoice { invoice } => {
                let balance = INVOICE_TOTAL - self.invoices[invoice].paid;
                self.pay(invoice, balance)
            }
            Action::PayPart { invoice } => self.pay(invoice, PART_PAYMENT),
            Action::VoidInvoice { invoice } => {
                let open = [InvoiceStatus::Sent, InvoiceStatus::PartiallyPaid];
                self.move_invoice(invoice, &open, InvoiceStatus::Void, true)
            }
            Action::DeleteInvoice { invoice } => {
                self.move_invoice(invoice, &[InvoiceStatus::Draft], InvoiceStatus::Deleted, true)
            }
        }
    }

    /// Pays `amount` of an open invoice: refused above its balance, and settling it at the
    /// balance.
    fn pay(&mut self, i: usize, amount: i64) -> Outcome {
        let invoice = &mut self.invoices[i];
        let open = matches!(invoice.status, InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid);
        if invoice.status == InvoiceStatus::Deleted {
            return Outcome::NotFound;
        }
        if !open || amount > INVOICE_TOTAL - invoice.paid {
            return Outcome::Refused;
        }
        invoice.paid += amount;
        invoice.status = if invoice.paid == INVOICE_TOTAL { InvoiceStatus::Paid } else { InvoiceStatus::PartiallyPaid };
        Outcome::Ok
    }

    fn move_invoice(&mut self, i: usize, from: &[InvoiceStatus], to: InvoiceStatus, allowed: bool) -> Outcome {
        let invoice = &mut self.invoices[i];
        if invoice.status == InvoiceStatus::Deleted {
            Outcome::NotFound
        } else if allowed && from.contains(&invoice.status) {
            invoice.status = to;
            invoice.sent |= to == InvoiceStatus::Sent;
            Outcome::Ok
        } else {
            Outcome::Refused
        }
    }

    /// Whether every index in `action` names an existing record (shrinking may remove them).
    fn indices_exist(&self, action: &Action) -> bool {
        let [clients, projects, tasks, files, messages, approvals, invoices] = self.counts();
        match *action {
            Action::CreateClient { .. } | Action::CreateProject => true,
            Action::AcceptInvitation { client }
            | Action::ResendInvitation { client }
            | Action::ChangeEmail { client }
            | Action::SetPermissions { client, .. }
            | Action::Deactivate { client }
            | Action::Reactivate { client }
            | Action::Delete { client } => client < clients,
            Action::Archive { project }
            | Action::Unarchive { project }
            | Action::CreateTask { project, .. }
            | Action::UploadFile { project, .. }
            | Action::PostMessage { project, .. } => project < projects,
            Action::Assign { client, project, .. }
            | Action::Unassign { client, project }
            | Action::SetScope { client, project, .. }
            | Action::ClientPost { client, project }
            | Action::ClientUpload { client, project } => client < clients && project < projects,
            Action::SetTaskVisibility { task, .. } | Action::Comment { task, .. } => task < tasks,
            Action::SetFileVisibility { file, .. } => file < files,
            Action::SetMessageVisibility { message, .. } => message < messages,
            Action::ClientComment { client, task } => client < clients && task < tasks,
            Action::RequestApproval { on_task, item } => item < if on_task { tasks } else { files },
            Action::AnswerApproval { client, approval } => client < clients && approval < approvals,
            Action::CreateInvoice { client, project } => client < clients && project.is_none_or(|p| p < projects),
            Action::SendInvoice { invoice }
            | Action::PayInvoice { invoice }
            | Action::PayPart { invoice }
            | Action::VoidInvoice { invoice }
            | Action::DeleteInvoice { invoice } => invoice < invoices,
        }
    }
}

/// Makes an item internal or client-visible: refused in an archived project, and for a
/// client's own item that would be hidden.
fn toggle(item: &mut Item, archived: &[bool], internal: bool) -> Outcome {
    if archived[item.project] || (item.by_client && internal) {
        return Outcome::Refused;
    }
    item.internal = internal;
    Outcome::Ok
}

fn scope() -> impl Strategy<Value = Option<PermissionSet>> {
    proptest::option::weighted(0.3, strategies::permission_set())
}

fn pick(n: usize) -> BoxedStrategy<usize> {
    (0..n.max(1)).boxed()
}

impl ReferenceStateMachine for Model {
    type State = Self;
    type Transition = Action;

    fn init_state() -> BoxedStrategy<Self> {
        Just(Self::default()).boxed()
    }

    fn transitions(state: &Self) -> BoxedStrategy<Action> {
        let [clients, projects, tasks, files, messages, approvals, invoices] = state.counts();
        let (c, p) = (pick(clients), pick(projects));
        let creations = prop_oneof![
            3 => (strategies::permission_set(), proptest::bool::weighted(0.85))
                .prop_map(|(permissions, invite)| Action::CreateClient { permissions, invite }),
            2 => Just(Action::CreateProject),
        ];
        if clients == 0 || projects == 0 {
            return creations.boxed();
        }
        let flag = any::<bool>;
        let mut actions: Vec<(u32, BoxedStrategy<Action>)> = vec![
            (3, creations.boxed()),
            (4, c.clone().prop_map(|client| Action::AcceptInvitation { client }).boxed()),
            (1, c.clone().prop_map(|client| Action::ResendInvitation { client }).boxed()),
            (1, c.clone().prop_map(|client| Action::ChangeEmail { client }).boxed()),
            (
                2,
                (c.clone(), strategies::permission_set())
                    .prop_map(|(client, permissions)| Action::SetPermissions { client, permissions })
                    .boxed(),
            ),
            (1, c.clone().prop_map(|client| Action::Deactivate { client }).boxed()),
            (1, c.clone().prop_map(|client| Action::Reactivate { client }).boxed()),
            (1, c.clone().prop_map(|client| Action::Delete { client }).boxed()),
            (1, p.clone().prop_map(|project| Action::Archive { project }).boxed()),
            (1, p.clone().prop_map(|project| Action::Unarchive { project }).boxed()),
            (
                5,
                (c.clone(), p.clone(), scope())
                    .prop_map(|(client, project, scope)| Action::Assign { client, project, scope })
                    .boxed(),
            ),
            (1, (c.clone(), p.clone()).prop_map(|(client, project)| Action::Unassign { client, project }).boxed()),
            (
                1,
                (c.clone(), p.clone(), scope())
                    .prop_map(|(client, project, scope)| Action::SetScope { client, project, scope })
                    .boxed(),
            ),
            (3, (p.clone(), flag()).prop_map(|(project, internal)| Action::CreateTask { project, internal }).boxed()),
            (2, (p.clone(), flag()).prop_map(|(project, internal)| Action::UploadFile { project, internal }).boxed()),
            (2, (p.clone(), flag()).prop_map(|(project, internal)| Action::PostMessage { project, internal }).boxed()),
            (2, (c.clone(), p.clone()).prop_map(|(client, project)| Action::ClientPost { client, project }).boxed()),
            (1, (c.clone(), p.clone()).prop_map(|(client, project)| Action::ClientUpload { client, project }).boxed()),
            (
                2,
                (c.clone(), proptest::option::of(p.clone()))
                    .prop_map(|(client, project)| Action::CreateInvoice { client, project })
                    .boxed(),
            ),
        ];
        if tasks > 0 {
            let t = pick(tasks);
            actions.push((
                2,
                (t.clone(), flag()).prop_map(|(task, internal)| Action::SetTaskVisibility { task, internal }).boxed(),
            ));
            actions
                .push((1, (t.clone(), flag()).prop_map(|(task, internal)| Action::Comment { task, internal }).boxed()));
            actions.push((
                1,
                (c.clone(), t.clone()).prop_map(|(client, task)| Action::ClientComment { client, task }).boxed(),
            ));
            actions.push((2, t.prop_map(|item| Action::RequestApproval { on_task: true, item }).boxed()));
        }
        if files > 0 {
            let f = pick(files);
            actions.push((
                2,
                (f.clone(), flag()).prop_map(|(file, internal)| Action::SetFileVisibility { file, internal }).boxed(),
            ));
            actions.push((1, f.prop_map(|item| Action::RequestApproval { on_task: false, item }).boxed()));
        }
        if messages > 0 {
            let m = pick(messages);
            actions.push((
                1,
                (m, flag()).prop_map(|(message, internal)| Action::SetMessageVisibility { message, internal }).boxed(),
            ));
        }
        if approvals > 0 {
            let a = pick(approvals);
            actions.push((
                2,
                (c.clone(), a).prop_map(|(client, approval)| Action::AnswerApproval { client, approval }).boxed(),
            ));
        }
        if invoices > 0 {
            let i = pick(invoices);
            actions.push((2, i.clone().prop_map(|invoice| Action::SendInvoice { invoice }).boxed()));
            actions.push((1, i.clone().prop_map(|invoice| Action::PayInvoice { invoice }).boxed()));
            actions.push((1, i.clone().prop_map(|invoice| Action::PayPart { invoice }).boxed()));
            actions.push((1, i.clone().prop_map(|invoice| Action::VoidInvoice { invoice }).boxed()));
            actions.push((1, i.prop_map(|invoice| Action::DeleteInvoice { invoice }).boxed()));
        }
        proptest::strategy::Union::new_weighted(actions).boxed()
    }

    fn preconditions(state: &Self, action: &Action) -> bool {
        state.indices_exist(action)
    }

    fn apply(mut state: Self, action: &Action) -> Self {
        state.outcome = Some(state.step(action));
        state
    }
}
