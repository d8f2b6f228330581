//! The two units of work a use case can open. [`Work`] is scoped to one workspace: every
//! audit event and mail it writes belongs there. [`Unscoped`] is for the reads that find out
//! the workspace (a session or link by its hash, an API token, the outbox's due messages, the
//! workspace list); it cannot audit or queue mail until it becomes scoped to a workspace named
//! by a record it has read.

use std::sync::Arc;

use portico_domain::ids::WorkspaceId;
use portico_domain::session::{ApiToken, Session};
use portico_domain::token::OneTimeToken;
use portico_domain::workspace::Workspace;
use portico_ports::repos::{
    ApiTokenRepo, InvoiceRepo, NotificationRepo, OutboxRepo, SessionRepo, TokenRepo, WorkspaceRepo,
};
use portico_ports::{IdGenerator, UnitOfWork};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Portico;
use crate::error::AppResult;

/// One use case's unit of work, with the workspace it acts in and the time it runs at.
pub(crate) struct Work {
    pub(crate) uow: Box<dyn UnitOfWork>,
    /// The workspace every audit event and mail of the use case belongs to; fixed when the
    /// unit opens.
    workspace: WorkspaceId,
    pub(crate) now: OffsetDateTime,
    ids: Arc<dyn IdGenerator>,
}

/// A unit of work not yet in any workspace: it offers only the repositories looked up by
/// something other than a workspace, and writes nothing that belongs to one.
pub(crate) struct Unscoped {
    uow: Box<dyn UnitOfWork>,
    pub(crate) now: OffsetDateTime,
    ids: Arc<dyn IdGenerator>,
}

/// A record that names the workspace it belongs to: the only way from an [`Unscoped`] unit
/// into a [`Work`] is through one that has been read (or just made).
pub(crate) trait InWorkspace {
    /// The workspace the record belongs to.
    fn workspace_id(&self) -> WorkspaceId;
}

impl InWorkspace for Workspace {
    fn workspace_id(&self) -> WorkspaceId {
        self.id
    }
}

impl InWorkspace for Session {
    fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }
}

impl InWorkspace for ApiToken {
    fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }
}

impl InWorkspace for OneTimeToken {
    fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }
}

impl Portico {
    /// Opens a unit of work in `workspace` and reads the clock once for the whole use case.
    pub(crate) async fn begin(&self, workspace: WorkspaceId) -> AppResult<Work> {
        let uow = self.services.store.begin().await?;
        Ok(self.unscoped(uow).scoped_to_id(workspace))
    }

    /// Opens a read-only unit of work: queries run beside writers and each other.
    pub(crate) async fn begin_read(&self, workspace: WorkspaceId) -> AppResult<Work> {
        let uow = self.services.store.begin_read().await?;
        Ok(self.unscoped(uow).scoped_to_id(workspace))
    }

    /// Opens a unit of work that belongs to no workspace yet.
    pub(crate) async fn begin_unscoped(&self) -> AppResult<Unscoped> {
        let uow = self.services.store.begin().await?;
        Ok(self.unscoped(uow))
    }

    /// Opens a read-only unit of work that belongs to no workspace yet.
    pub(crate) async fn begin_unscoped_read(&self) -> AppResult<Unscoped> {
        let uow = self.services.store.begin_read().await?;
        Ok(self.unscoped(uow))
    }

    fn unscoped(&self, uow: Box<dyn UnitOfWork>) -> Unscoped {
        Unscoped { uow, now: self.services.clock.now(), ids: Arc::clone(&self.services.ids) }
    }
}

impl Unscoped {
    /// Login sessions, found by their secret's hash.
    pub(crate) fn sessions(&mut self) -> &mut dyn SessionRepo {
        self.uow.sessions()
    }

    /// API tokens, found by their secret's hash.
    pub(crate) fn api_tokens(&mut self) -> &mut dyn ApiTokenRepo {
        self.uow.api_tokens()
    }

    /// One-time links, found by their secret's hash.
    pub(crate) fn links(&mut self) -> &mut dyn TokenRepo {
        self.uow.tokens()
    }

    /// The outbox, for claiming due messages of every workspace and recording their outcome.
    pub(crate) fn outbox(&mut self) -> &mut dyn OutboxRepo {
        self.uow.outbox()
    }

    /// Notices, for finding the people with notices due in every workspace.
    pub(crate) fn notifications(&mut self) -> &mut dyn NotificationRepo {
        self.uow.notifications()
    }

    /// The workspaces themselves.
    pub(crate) fn workspaces(&mut self) -> &mut dyn WorkspaceRepo {
        self.uow.workspaces()
    }

    /// Invoices, for finding the open ones with a payment reminder due in every workspace.
    pub(crate) fn invoices(&mut self) -> &mut dyn InvoiceRepo {
        self.uow.invoices()
    }

    /// A fresh id of the wanted kind.
    pub(crate) fn new_id<T>(&self, wrap: fn(Uuid) -> T) -> T {
        wrap(self.ids.new_id())
    }

    /// The same unit, now acting in the workspace `record` belongs to.
    pub(crate) fn scoped_to(self, record: &impl InWorkspace) -> Work {
        self.scoped_to_id(record.workspace_id())
    }

    fn scoped_to_id(self, workspace: WorkspaceId) -> Work {
        Work { uow: self.uow, workspace, now: self.now, ids: self.ids }
    }

    /// Commits every write of the unit.
    pub(crate) async fn commit(self) -> AppResult<()> {
        self.uow.commit().await?;
        Ok(())
    }
}

impl Work {
    /// The workspace the unit acts in.
    pub(crate) fn workspace(&self) -> WorkspaceId {
        self.workspace
    }

    /// A fresh id of the wanted kind.
    pub(crate) fn new_id<T>(&self, wrap: fn(Uuid) -> T) -> T {
        wrap(self.ids.new_id())
    }

    /// Commits every write of the use case.
    pub(crate) async fn commit(self) -> AppResult<()> {
        self.uow.commit().await?;
        Ok(())
    }
}
