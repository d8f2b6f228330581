//! The in-memory store and its unit of work.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest};
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::audit::{AuditEvent, AuditSubject};
use portico_domain::client::Client;
use portico_domain::content::{Message, ProjectFile, Task};
use portico_domain::email::EmailAddress;
use portico_domain::ids::{
    ApiTokenId, ApprovalId, ClientId, FileId, InvoiceId, MessageId, OutboxId, ProjectId, StaffId, TaskId, WorkspaceId,
};
use portico_domain::invoice::Invoice;
use portico_domain::mail::{DeliveryState, OutboxMessage};
use portico_domain::password::PasswordHash;
use portico_domain::project::Project;
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::token::{OneTimeToken, TokenHash, TokenPurpose};
use portico_domain::workspace::Workspace;
use portico_ports::repos::{
    ApiTokenRepo, ApprovalRepo, AssignmentRepo, AuditRepo, ClientQuery, ClientRepo, CredentialRepo, FileRepo,
    InvoiceQuery, InvoiceRepo, MembershipRepo, MessageRepo, OutboxRepo, ProjectQuery, ProjectRepo, SessionRepo,
    StaffRepo, TaskRepo, TokenRepo, WorkspaceRepo,
};
use portico_ports::{Conflict, Page, PageRequest, RepoError, RepoResult, Store, UnitOfWork, time_key};
use time::OffsetDateTime;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::state::{Order, State, get_in, insert_new, paginate, replace, sorted_in};

/// Every repository in memory. Cheap to clone: clones share the same data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    shared: Arc<Mutex<State>>,
    changes: Arc<AtomicU64>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many units of work have committed a write so far: tests prove with it that a
    /// refused request changed nothing.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let guard = Arc::clone(&self.shared).lock_owned().await;
        Ok(Box::new(MemoryUnit { guard, work: None, changes: Arc::clone(&self.changes) }))
    }
}

/// A unit of work: exclusive access to the shared state, and — from its first write — a
/// private copy that replaces the shared state on commit. Units that only read copy nothing.
struct MemoryUnit {
    guard: OwnedMutexGuard<State>,
    work: Option<State>,
    changes: Arc<AtomicU64>,
}

impl MemoryUnit {
    /// The state as this unit sees it: its own copy once it has written, else the shared one.
    fn state(&self) -> &State {
        self.work.as_ref().unwrap_or(&self.guard)
    }

    /// The unit's private copy, made on first use.
    fn state_mut(&mut self) -> &mut State {
        let shared = &self.guard;
        self.work.get_or_insert_with(|| State::clone(shared))
    }

    /// Whether `email` belongs to a non-deleted person of `workspace` other than `except`.
    fn email_taken(&self, workspace: WorkspaceId, email: &EmailAddress, except: UserRef) -> bool {
        let staff = self
            .state()
            .staff
            .values()
            .any(|s| s.workspace_id == workspace && &s.email == email && except != UserRef::Staff(s.id));
        let clients = self.state().clients.values().any(|c| {
            c.workspace_id() == workspace && !c.is_deleted() && c.email() == email && except != UserRef::Client(c.id())
        });
        staff || clients
    }
}

#[async_trait]
impl UnitOfWork for MemoryUnit {
    portico_ports::unit_is_every_repository!();

    async fn commit(self: Box<Self>) -> RepoResult<()> {
        let Self { mut guard, work, changes } = *self;
        if let Some(work) = work {
            *guard = work;
            changes.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

#[async_trait]
impl WorkspaceRepo for MemoryUnit {
    async fn insert(&mut self, workspace: &Workspace) -> RepoResult<()> {
        if self.state_mut().workspaces.iter().any(|w| w.id == workspace.id) {
            return Err(Conflict::DuplicateId.into());
        }
        self.state_mut().workspaces.push(workspace.clone());
        Ok(())
    }

    async fn update(&mut self, workspace: &Workspace) -> RepoResult<()> {
        let existing =
            self.state_mut().workspaces.iter_mut().find(|w| w.id == workspace.id).ok_or(RepoError::NotFound)?;
        *existing = workspace.clone();
        Ok(())
    }

    async fn get(&mut self, id: WorkspaceId) -> RepoResult<Option<Workspace>> {
        Ok(self.state().workspaces.iter().find(|w| w.id == id).cloned())
    }

    async fn list(&mut self) -> RepoResult<Vec<Workspace>> {
        let mut all = self.state().workspaces.clone();
        all.sort_by_key(|w| (w.created_at, w.id));
        Ok(all)
    }
}

#[async_trait]
impl StaffRepo for MemoryUnit {
    async fn insert(&mut self, staff: &Staff) -> RepoResult<()> {
        if self.email_taken(staff.workspace_id, &staff.email, UserRef::Staff(staff.id)) {
            return Err(Conflict::EmailTaken.into());
        }
        insert_new(&mut self.state_mut().staff, staff.id, staff.clone())
    }

    async fn update(&mut self, staff: &Staff) -> RepoResult<()> {
        if self.email_taken(staff.workspace_id, &staff.email, UserRef::Staff(staff.id)) {
            return Err(Conflict::EmailTaken.into());
        }
        replace(&mut self.state_mut().staff, &staff.id, staff.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: StaffId) -> RepoResult<Option<Staff>> {
        Ok(get_in(&self.state().staff, workspace, &id))
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Staff>> {
        Ok(self.state().staff.values().find(|s| s.workspace_id == workspace && &s.email == email).cloned())
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Staff>> {
        Ok(sorted_in(&self.state().staff, workspace, |_| true, |s| (s.name.sort_key(), s.id)))
    }
}

#[async_trait]
impl ClientRepo for MemoryUnit {
    async fn insert(&mut self, client: &Client) -> RepoResult<()> {
        if !client.is_deleted() && self.email_taken(client.workspace_id(), client.email(), UserRef::Client(client.id()))
        {
            return Err(Conflict::EmailTaken.into());
        }
        insert_new(&mut self.state_mut().clients, client.id(), client.clone())
    }

    async fn update(&mut self, client: &Client) -> RepoResult<()> {
        if !client.is_deleted() && self.email_taken(client.workspace_id(), client.email(), UserRef::Client(client.id()))
        {
            return Err(Conflict::EmailTaken.into());
        }
        replace(&mut self.state_mut().clients, &client.id(), client.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ClientId) -> RepoResult<Option<Client>> {
        Ok(get_in(&self.state().clients, workspace, &id))
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ClientId]) -> RepoResult<Vec<Client>> {
        Ok(ids.iter().filter_map(|id| get_in(&self.state().clients, workspace, id)).collect())
    }

    async fn find_by_email(&mut self, workspace: WorkspaceId, email: &EmailAddress) -> RepoResult<Option<Client>> {
        Ok(self
            .state()
            .clients
            .values()
            .find(|c| c.workspace_id() == workspace && !c.is_deleted() && c.email() == email)
            .cloned())
    }

    async fn find_by_emails(&mut self, workspace: WorkspaceId, emails: &[EmailAddress]) -> RepoResult<Vec<Client>> {
        Ok(self
            .state()
            .clients
            .values()
            .filter(|c| c.workspace_id() == workspace && !c.is_deleted() && emails.contains(c.email()))
            .cloned()
            .collect())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ClientQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Client>> {
        let key = |c: &Client| (c.name().sort_key(), c.id().as_uuid());
        let matching = sorted_in(&self.state().clients, workspace, |c| query.matches(c), key);
        Ok(paginate(matching, page, Order::Ascending, key))
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Client>> {
        Ok(sorted_in(&self.state().clients, workspace, |_| true, |c| (c.name().sort_key(), c.id())))
    }
}

#[async_trait]
impl CredentialRepo for MemoryUnit {
    async fn set_password(&mut self, workspace: WorkspaceId, user: UserRef, hash: &PasswordHash) -> RepoResult<()> {
        let exists = match user {
            UserRef::Staff(id) => get_in(&self.state().staff, workspace, &id).is_some(),
            UserRef::Client(id) => get_in(&self.state().clients, workspace, &id).is_some(),
        };
        if !exists {
            return Err(RepoError::NotFound);
        }
        self.state_mut().credentials.insert((workspace, user), hash.clone());
        Ok(())
    }

    async fn password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Option<PasswordHash>> {
        Ok(self.state().credentials.get(&(workspace, user)).cloned())
    }

    async fn clear_password(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<()> {
        self.state_mut().credentials.remove(&(workspace, user));
        Ok(())
    }
}

#[async_trait]
impl ProjectRepo for MemoryUnit {
    async fn insert(&mut self, project: &Project) -> RepoResult<()> {
        insert_new(&mut self.state_mut().projects, project.id, project.clone())
    }

    async fn update(&mut self, project: &Project) -> RepoResult<()> {
        replace(&mut self.state_mut().projects, &project.id, project.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ProjectId) -> RepoResult<Option<Project>> {
        Ok(get_in(&self.state().projects, workspace, &id))
    }

    async fn get_many(&mut self, workspace: WorkspaceId, ids: &[ProjectId]) -> RepoResult<Vec<Project>> {
        Ok(ids.iter().filter_map(|id| get_in(&self.state().projects, workspace, id)).collect())
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &ProjectQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Project>> {
        let on_team = |project: ProjectId, staff: StaffId| {
            self.state()
                .memberships
                .values()
                .any(|m| m.project_id == project && m.staff_id == staff && m.tenure.is_current())
        };
        let keep = |p: &Project| {
            query.status.is_none_or(|s| p.status == s) && query.team_member.is_none_or(|staff| on_team(p.id, staff))
        };
        let key = |p: &Project| (p.details.name.sort_key(), p.id.as_uuid());
        let matching = sorted_in(&self.state().projects, workspace, keep, key);
        Ok(paginate(matching, page, Order::Ascending, key))
    }

    async fn list_all(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Project>> {
        Ok(sorted_in(&self.state().projects, workspace, |_| true, |p| (p.details.name.sort_key(), p.id)))
    }
}

#[async_trait]
impl AssignmentRepo for MemoryUnit {
    async fn insert(&mut self, assignment: &Assignment) -> RepoResult<()> {
        let duplicate = self.state_mut().assignments.values().any(|a| {
            a.workspace_id == assignment.workspace_id
                && a.project_id == assignment.project_id
                && a.client_id == assignment.client_id
                && a.is_current()
        });
        if duplicate && assignment.is_current() {
            return Err(Conflict::AlreadyAssigned.into());
        }
        insert_new(&mut self.state_mut().assignments, assignment.id, assignment.clone())
    }

    async fn update(&mut self, assignment: &Assignment) -> RepoResult<()> {
        replace(&mut self.state_mut().assignments, &assignment.id, assignment.clone())
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        client: ClientId,
    ) -> RepoResult<Option<Assignment>> {
        Ok(self
            .state()
            .assignments
            .values()
            .find(|a| a.workspace_id == workspace && a.project_id == project && a.client_id == client && a.is_current())
            .cloned())
    }

    async fn current_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.client_id == client && a.is_current();
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.project_id == project && a.is_current();
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn history_for_client(&mut self, workspace: WorkspaceId, client: ClientId) -> RepoResult<Vec<Assignment>> {
        let keep = |a: &Assignment| a.client_id == client;
        Ok(sorted_in(&self.state().assignments, workspace, keep, |a| (a.tenure.started_at, a.id)))
    }

    async fn all_current(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<Assignment>> {
        Ok(sorted_in(&self.state().assignments, workspace, Assignment::is_current, |a| (a.tenure.started_at, a.id)))
    }
}

#[async_trait]
impl MembershipRepo for MemoryUnit {
    async fn insert(&mut self, membership: &Membership) -> RepoResult<()> {
        let duplicate = self.state_mut().memberships.values().any(|m| {
            m.workspace_id == membership.workspace_id
                && m.project_id == membership.project_id
                && m.staff_id == membership.staff_id
                && m.tenure.is_current()
        });
        if duplicate && membership.tenure.is_current() {
            return Err(Conflict::AlreadyAssigned.into());
        }
        insert_new(&mut self.state_mut().memberships, membership.id, membership.clone())
    }

    async fn update(&mut self, membership: &Membership) -> RepoResult<()> {
        replace(&mut self.state_mut().memberships, &membership.id, membership.clone())
    }

    async fn current(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
        staff: StaffId,
    ) -> RepoResult<Option<Membership>> {
        Ok(self
            .state()
            .memberships
            .values()
            .find(|m| {
                m.workspace_id == workspace && m.project_id == project && m.staff_id == staff && m.tenure.is_current()
            })
            .cloned())
    }

    async fn current_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Membership>> {
        let keep = |m: &Membership| m.project_id == project && m.tenure.is_current();
        Ok(sorted_in(&self.state().memberships, workspace, keep, |m| (m.tenure.started_at, m.id)))
    }
}

#[async_trait]
impl TaskRepo for MemoryUnit {
    async fn insert(&mut self, task: &Task) -> RepoResult<()> {
        insert_new(&mut self.state_mut().tasks, task.id, task.clone())
    }

    async fn update(&mut self, task: &Task) -> RepoResult<()> {
        replace(&mut self.state_mut().tasks, &task.id, task.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: TaskId) -> RepoResult<Option<Task>> {
        Ok(get_in(&self.state().tasks, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Task>> {
        Ok(sorted_in(&self.state().tasks, workspace, |t| t.project_id == project, |t| (t.created_at, t.id)))
    }
}

#[async_trait]
impl FileRepo for MemoryUnit {
    async fn insert(&mut self, file: &ProjectFile) -> RepoResult<()> {
        insert_new(&mut self.state_mut().files, file.id, file.clone())
    }

    async fn update(&mut self, file: &ProjectFile) -> RepoResult<()> {
        replace(&mut self.state_mut().files, &file.id, file.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: FileId) -> RepoResult<Option<ProjectFile>> {
        Ok(get_in(&self.state().files, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<ProjectFile>> {
        Ok(sorted_in(&self.state().files, workspace, |f| f.project_id == project, |f| (f.created_at, f.id)))
    }
}

#[async_trait]
impl MessageRepo for MemoryUnit {
    async fn insert(&mut self, message: &Message) -> RepoResult<()> {
        insert_new(&mut self.state_mut().messages, message.id, message.clone())
    }

    async fn update(&mut self, message: &Message) -> RepoResult<()> {
        replace(&mut self.state_mut().messages, &message.id, message.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: MessageId) -> RepoResult<Option<Message>> {
        Ok(get_in(&self.state().messages, workspace, &id))
    }

    async fn list_for_project(&mut self, workspace: WorkspaceId, project: ProjectId) -> RepoResult<Vec<Message>> {
        Ok(sorted_in(&self.state().messages, workspace, |m| m.project_id == project, |m| (m.created_at, m.id)))
    }
}

#[async_trait]
impl ApprovalRepo for MemoryUnit {
    async fn insert(&mut self, request: &ApprovalRequest) -> RepoResult<()> {
        insert_new(&mut self.state_mut().approvals, request.id, request.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApprovalId) -> RepoResult<Option<ApprovalRequest>> {
        Ok(get_in(&self.state().approvals, workspace, &id))
    }

    async fn list_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalRequest>> {
        Ok(sorted_in(&self.state().approvals, workspace, |a| a.project_id == project, |a| (a.created_at, a.id)))
    }

    async fn add_answer(&mut self, workspace: WorkspaceId, answer: &ApprovalAnswer) -> RepoResult<()> {
        if get_in(&self.state_mut().approvals, workspace, &answer.approval_id).is_none() {
            return Err(RepoError::NotFound);
        }
        self.state_mut().answers.push(answer.clone());
        Ok(())
    }

    async fn answers_for_project(
        &mut self,
        workspace: WorkspaceId,
        project: ProjectId,
    ) -> RepoResult<Vec<ApprovalAnswer>> {
        let approvals = &self.state().approvals;
        let in_project = |answer: &&ApprovalAnswer| {
            get_in(approvals, workspace, &answer.approval_id).is_some_and(|a| a.project_id == project)
        };
        let mut answers: Vec<ApprovalAnswer> = self.state().answers.iter().filter(in_project).cloned().collect();
        answers.sort_by_key(|a| a.answered_at);
        Ok(answers)
    }
}

#[async_trait]
impl InvoiceRepo for MemoryUnit {
    async fn insert(&mut self, invoice: &Invoice) -> RepoResult<()> {
        let number = invoice.number().normalized();
        let taken = self.state_mut().invoices.values().any(|i| {
            i.workspace_id() == invoice.workspace_id() && i.id() != invoice.id() && i.number().normalized() == number
        });
        if taken {
            return Err(Conflict::InvoiceNumberTaken.into());
        }
        insert_new(&mut self.state_mut().invoices, invoice.id(), invoice.clone())
    }

    async fn update(&mut self, invoice: &Invoice) -> RepoResult<()> {
        replace(&mut self.state_mut().invoices, &invoice.id(), invoice.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: InvoiceId) -> RepoResult<Option<Invoice>> {
        Ok(get_in(&self.state().invoices, workspace, &id))
    }

    async fn search(
        &mut self,
        workspace: WorkspaceId,
        query: &InvoiceQuery,
        page: &PageRequest,
    ) -> RepoResult<Page<Invoice>> {
        let key = |i: &Invoice| (i.number().normalized(), i.id().as_uuid());
        let mut matching = sorted_in(&self.state().invoices, workspace, |i| query.matches(i), key);
        matching.reverse();
        Ok(paginate(matching, page, Order::Descending, key))
    }

    async fn for_client_or_projects(
        &mut self,
        workspace: WorkspaceId,
        client: ClientId,
        projects: &[ProjectId],
    ) -> RepoResult<Vec<Invoice>> {
        let keep = |i: &Invoice| i.client_id() == client || i.project_id().is_some_and(|p| projects.contains(&p));
        let mut matching = sorted_in(&self.state().invoices, workspace, keep, |i| (i.number().normalized(), i.id()));
        matching.reverse();
        Ok(matching)
    }
}

#[async_trait]
impl AuditRepo for MemoryUnit {
    async fn append(&mut self, event: &AuditEvent) -> RepoResult<()> {
        if self.state_mut().audit.iter().any(|e| e.id == event.id) {
            return Err(Conflict::DuplicateId.into());
        }
        self.state_mut().audit.push(event.clone());
        Ok(())
    }

    async fn for_subject(&mut self, workspace: WorkspaceId, subject: AuditSubject) -> RepoResult<Vec<AuditEvent>> {
        let mut events: Vec<AuditEvent> = self
            .state()
            .audit
            .iter()
            .filter(|e| e.workspace_id == workspace && (e.subject == subject || e.related == Some(subject)))
            .cloned()
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
        Ok(events)
    }

    async fn rewrite_changes(&mut self, event: &AuditEvent) -> RepoResult<()> {
        let stored = self
            .state_mut()
            .audit
            .iter_mut()
            .find(|e| e.id == event.id && e.workspace_id == event.workspace_id)
            .ok_or(RepoError::NotFound)?;
        stored.changes.clone_from(&event.changes);
        Ok(())
    }
}

#[async_trait]
impl OutboxRepo for MemoryUnit {
    async fn enqueue(&mut self, message: &OutboxMessage) -> RepoResult<()> {
        insert_new(&mut self.state_mut().outbox, message.id, message.clone())
    }

    async fn update(&mut self, message: &OutboxMessage) -> RepoResult<()> {
        replace(&mut self.state_mut().outbox, &message.id, message.clone())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<Option<OutboxMessage>> {
        Ok(get_in(&self.state().outbox, workspace, &id))
    }

    async fn about(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<Vec<OutboxMessage>> {
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse((m.created_at, m.id));
        Ok(sorted_in(&self.state().outbox, workspace, |m| m.about == Some(user), newest_first))
    }

    async fn list(&mut self, workspace: WorkspaceId, page: &PageRequest) -> RepoResult<Page<OutboxMessage>> {
        let key = |m: &OutboxMessage| (time_key(m.created_at), m.id.as_uuid());
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse(key(m));
        let all = sorted_in(&self.state().outbox, workspace, |_| true, newest_first);
        Ok(paginate(all, page, Order::Descending, key))
    }

    async fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        with_mailer: bool,
        limit: usize,
    ) -> RepoResult<Vec<OutboxMessage>> {
        let mut due: Vec<OutboxMessage> =
            self.state().outbox.values().filter(|m| m.is_due(now, with_mailer)).cloned().collect();
        due.sort_by_key(|m| (m.created_at, m.id));
        due.truncate(limit);
        let outbox = &mut self.state_mut().outbox;
        for message in &mut due {
            message.claim(lease_until);
            outbox.insert(message.id, message.clone());
        }
        Ok(due)
    }

    async fn finish(&mut self, message: &OutboxMessage, lease_until: OffsetDateTime) -> RepoResult<bool> {
        let claimed = DeliveryState::Sending { lease_until };
        let holds = self.state().outbox.get(&message.id).is_some_and(|m| m.state == claimed);
        if holds && let Some(stored) = self.state_mut().outbox.get_mut(&message.id) {
            stored.state = message.state.clone();
            stored.attempts = message.attempts;
            if !message.keeps_link(None) {
                stored.forget_link();
            }
        }
        Ok(holds)
    }

    async fn erase_link(&mut self, workspace: WorkspaceId, id: OutboxId) -> RepoResult<()> {
        if get_in(&self.state().outbox, workspace, &id).is_some_and(|m| m.keeps_link(None))
            && let Some(stored) = self.state_mut().outbox.get_mut(&id)
        {
            stored.forget_link();
        }
        Ok(())
    }

    async fn dead(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<OutboxMessage>> {
        let newest_first = |m: &OutboxMessage| std::cmp::Reverse((m.created_at, m.id));
        Ok(sorted_in(&self.state().outbox, workspace, OutboxMessage::is_dead, newest_first))
    }
}

#[async_trait]
impl TokenRepo for MemoryUnit {
    async fn insert(&mut self, token: &OneTimeToken) -> RepoResult<()> {
        if self.state_mut().tokens.values().any(|t| t.hash == token.hash) {
            return Err(Conflict::DuplicateId.into());
        }
        insert_new(&mut self.state_mut().tokens, token.id, token.clone())
    }

    async fn update(&mut self, token: &OneTimeToken) -> RepoResult<()> {
        replace(&mut self.state_mut().tokens, &token.id, token.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<OneTimeToken>> {
        Ok(self.state().tokens.values().find(|t| &t.hash == hash).cloned())
    }

    async fn revoke_open(
        &mut self,
        workspace: WorkspaceId,
        user: UserRef,
        purpose: Option<TokenPurpose>,
        at: OffsetDateTime,
    ) -> RepoResult<u64> {
        let mut revoked = 0;
        for token in self.state_mut().tokens.values_mut() {
            let matches = token.workspace_id == workspace
                && token.user == user
                && purpose.is_none_or(|p| token.purpose == p)
                && token.used_at.is_none()
                && token.revoked_at.is_none();
            if matches {
                token.revoked_at = Some(at);
                revoked += 1;
            }
        }
        Ok(revoked)
    }
}

#[async_trait]
impl ApiTokenRepo for MemoryUnit {
    async fn insert(&mut self, token: &ApiToken) -> RepoResult<()> {
        if self.state().api_tokens.values().any(|t| t.hash == token.hash) {
            return Err(Conflict::DuplicateId.into());
        }
        insert_new(&mut self.state_mut().api_tokens, token.id, token.clone())
    }

    async fn update(&mut self, token: &ApiToken) -> RepoResult<()> {
        replace(&mut self.state_mut().api_tokens, &token.id, token.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<ApiToken>> {
        Ok(self.state().api_tokens.values().find(|t| &t.hash == hash).cloned())
    }

    async fn get(&mut self, workspace: WorkspaceId, id: ApiTokenId) -> RepoResult<Option<ApiToken>> {
        Ok(get_in(&self.state().api_tokens, workspace, &id))
    }

    async fn list(&mut self, workspace: WorkspaceId) -> RepoResult<Vec<ApiToken>> {
        Ok(sorted_in(&self.state().api_tokens, workspace, |_| true, |t| (t.created_at, t.id)))
    }
}

#[async_trait]
impl SessionRepo for MemoryUnit {
    async fn insert(&mut self, session: &Session) -> RepoResult<()> {
        insert_new(&mut self.state_mut().sessions, session.hash, session.clone())
    }

    async fn find_by_hash(&mut self, hash: &TokenHash) -> RepoResult<Option<Session>> {
        Ok(self.state().sessions.get(hash).cloned())
    }

    async fn touch(&mut self, hash: &TokenHash, at: OffsetDateTime) -> RepoResult<()> {
        let session = self.state_mut().sessions.get_mut(hash).ok_or(RepoError::NotFound)?;
        session.last_seen_at = at;
        Ok(())
    }

    async fn delete(&mut self, hash: &TokenHash) -> RepoResult<()> {
        self.state_mut().sessions.remove(hash);
        Ok(())
    }

    async fn delete_all_for(&mut self, workspace: WorkspaceId, user: UserRef) -> RepoResult<u64> {
        let before = self.state_mut().sessions.len();
        self.state_mut().sessions.retain(|_, s| !(s.workspace_id == workspace && s.user == user));
        Ok((before - self.state_mut().sessions.len()) as u64)
    }
}
