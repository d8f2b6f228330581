//! The in-memory store and its unit of work; the repositories, one module per group of
//! tables as in `portico-sql`.

mod activity;
mod audit;
mod auth;
mod content;
mod invoices;
mod outbox;
mod people;
mod projects;
mod workspaces;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;
use portico_domain::staff::UserRef;
use portico_ports::{RepoResult, Store, UnitOfWork};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::state::State;

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
