//! The data of a memory store, and the small helpers every repository uses.

use std::collections::HashMap;
use std::hash::Hash;

use portico_domain::activity::{ActivityEvent, FeedMark, Notification, Preferences};
use portico_domain::approval::{ApprovalAnswer, ApprovalRequest};
use portico_domain::assignment::{Assignment, Membership};
use portico_domain::audit::AuditEvent;
use portico_domain::client::Client;
use portico_domain::content::{Message, ProjectFile, Task};
use portico_domain::ids::{
    ActivityId, ApiTokenId, ApprovalId, AssignmentId, ClientId, FileId, InvoiceId, MembershipId, MessageId,
    NotificationId, OutboxId, ProjectId, StaffId, TaskId, TokenId, WorkspaceId,
};
use portico_domain::invoice::Invoice;
use portico_domain::mail::OutboxMessage;
use portico_domain::password::PasswordHash;
use portico_domain::project::Project;
use portico_domain::session::{ApiToken, Session};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::token::{OneTimeToken, TokenHash};
use portico_domain::workspace::Workspace;
use portico_ports::{Conflict, Cursor, Page, PageRequest, RepoError, RepoResult};
use uuid::Uuid;

/// Everything a memory store holds. Cloned at the start of each unit of work.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) staff: HashMap<StaffId, Staff>,
    pub(crate) clients: HashMap<ClientId, Client>,
    pub(crate) credentials: HashMap<(WorkspaceId, UserRef), PasswordHash>,
    pub(crate) projects: HashMap<ProjectId, Project>,
    pub(crate) assignments: HashMap<AssignmentId, Assignment>,
    pub(crate) memberships: HashMap<MembershipId, Membership>,
    pub(crate) tasks: HashMap<TaskId, Task>,
    pub(crate) files: HashMap<FileId, ProjectFile>,
    pub(crate) messages: HashMap<MessageId, Message>,
    pub(crate) approvals: HashMap<ApprovalId, ApprovalRequest>,
    pub(crate) answers: Vec<ApprovalAnswer>,
    pub(crate) invoices: HashMap<InvoiceId, Invoice>,
    /// The last sequence number taken in each numbering series.
    pub(crate) invoice_counters: HashMap<(WorkspaceId, String), u32>,
    pub(crate) audit: Vec<AuditEvent>,
    pub(crate) outbox: HashMap<OutboxId, OutboxMessage>,
    pub(crate) tokens: HashMap<TokenId, OneTimeToken>,
    pub(crate) sessions: HashMap<TokenHash, Session>,
    pub(crate) api_tokens: HashMap<ApiTokenId, ApiToken>,
    pub(crate) activity: HashMap<ActivityId, ActivityEvent>,
    pub(crate) notifications: HashMap<NotificationId, Notification>,
    pub(crate) preferences: HashMap<(WorkspaceId, UserRef), Preferences>,
    pub(crate) read_marks: HashMap<(WorkspaceId, UserRef), FeedMark>,
}

/// A record that belongs to a workspace.
pub(crate) trait Scoped {
    fn workspace(&self) -> WorkspaceId;
}

macro_rules! scoped {
    ($($type:ty => |$it:ident| $workspace:expr;)*) => {
        $(impl Scoped for $type {
            fn workspace(&self) -> WorkspaceId {
                let $it = self;
                $workspace
            }
        })*
    };
}

scoped! {
    Staff => |s| s.workspace_id;
    Client => |c| c.workspace_id();
    Project => |p| p.workspace_id;
    Assignment => |a| a.workspace_id;
    Membership => |m| m.workspace_id;
    Task => |t| t.workspace_id;
    ProjectFile => |f| f.workspace_id;
    Message => |m| m.workspace_id;
    ApprovalRequest => |a| a.workspace_id;
    Invoice => |i| i.workspace_id();
    OutboxMessage => |m| m.workspace_id;
    OneTimeToken => |t| t.workspace_id;
    ApiToken => |t| t.workspace_id;
    ActivityEvent => |e| e.workspace_id;
    Notification => |n| n.workspace_id;
}

/// The record with `id`, if it belongs to `workspace`.
pub(crate) fn get_in<K: Eq + Hash, V: Scoped + Clone>(
    map: &HashMap<K, V>,
    workspace: WorkspaceId,
    id: &K,
) -> Option<V> {
    map.get(id).filter(|v| v.workspace() == workspace).cloned()
}

/// Inserts a record under a fresh id.
pub(crate) fn insert_new<K: Eq + Hash, V>(map: &mut HashMap<K, V>, id: K, value: V) -> RepoResult<()> {
    if map.contains_key(&id) {
        return Err(Conflict::DuplicateId.into());
    }
    map.insert(id, value);
    Ok(())
}

/// Replaces an existing record of the same workspace.
pub(crate) fn replace<K: Eq + Hash, V: Scoped>(map: &mut HashMap<K, V>, id: &K, value: V) -> RepoResult<()> {
    match map.get_mut(id) {
        Some(existing) if existing.workspace() == value.workspace() => {
            *existing = value;
            Ok(())
        }
        _ => Err(RepoError::NotFound),
    }
}

/// The records of `workspace` that pass `keep`, sorted by `key` (ties by id, as the key's last part).
pub(crate) fn sorted_in<K, V, S: Ord>(
    map: &HashMap<K, V>,
    workspace: WorkspaceId,
    keep: impl Fn(&V) -> bool,
    key: impl Fn(&V) -> S,
) -> Vec<V>
where
    V: Scoped + Clone,
{
    let mut items: Vec<V> = map.values().filter(|v| v.workspace() == workspace && keep(v)).cloned().collect();
    items.sort_by_key(|v| key(v));
    items
}

/// How many records of `workspace` pass `keep`.
pub(crate) fn count_in<K, V: Scoped>(map: &HashMap<K, V>, workspace: WorkspaceId, keep: impl Fn(&V) -> bool) -> u64 {
    let count = map.values().filter(|v| v.workspace() == workspace && keep(v)).count();
    u64::try_from(count).unwrap_or(u64::MAX)
}

/// Which way a keyset list runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Ascending,
    Descending,
}

/// Keyset pagination over items already sorted by `cursor_key` in `order`.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    page: &PageRequest,
    order: Order,
    cursor_key: impl Fn(&T) -> (String, Uuid),
) -> Page<T> {
    let after = page.after.as_ref().map(|c| (c.sort_key.clone(), c.id));
    let remaining: Vec<T> = items
        .into_iter()
        .filter(|item| {
            after.as_ref().is_none_or(|after| match order {
                Order::Ascending => cursor_key(item) > *after,
                Order::Descending => cursor_key(item) < *after,
            })
        })
        .take(page.limit() + 1)
        .collect();
    Page::from_ordered(remaining, page, |item| {
        let (sort_key, id) = cursor_key(item);
        Cursor { sort_key, id }
    })
}
