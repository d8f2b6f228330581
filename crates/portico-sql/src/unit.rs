//! The unit of work over a [`Session`]: every repository, in one transaction.

use async_trait::async_trait;
use portico_ports::repos::{
    ApprovalRepo, AssignmentRepo, AuditRepo, ClientRepo, CredentialRepo, FileRepo, InvoiceRepo, MembershipRepo,
    MessageRepo, OutboxRepo, ProjectRepo, SessionRepo, StaffRepo, TaskRepo, TokenRepo, WorkspaceRepo,
};
use portico_ports::{RepoResult, UnitOfWork};

use crate::engine::{Session, Value};

/// Every repository of Portico on one engine transaction. Dropping it without committing
/// rolls the transaction back.
pub struct SqlUnit<S> {
    pub(crate) session: S,
}

impl<S: Session> SqlUnit<S> {
    /// A unit of work on an open transaction.
    pub fn new(session: S) -> Self {
        Self { session }
    }

    /// Runs a statement.
    pub(crate) async fn execute(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<u64> {
        self.session.execute(sql, args).await
    }

    /// Runs a query and maps every row.
    pub(crate) async fn all<T>(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        map: impl Fn(&S::Row) -> RepoResult<T>,
    ) -> RepoResult<Vec<T>> {
        self.session.fetch_all(sql, args).await?.iter().map(map).collect()
    }

    /// Runs a query for at most one row and maps it.
    pub(crate) async fn one<T>(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        map: impl Fn(&S::Row) -> RepoResult<T>,
    ) -> RepoResult<Option<T>> {
        self.session.fetch_optional(sql, args).await?.as_ref().map(map).transpose()
    }
}

/// Fails with `NotFound` when a statement that must change a row changed none.
pub(crate) fn changed(rows: u64) -> RepoResult<()> {
    if rows == 0 { Err(portico_ports::RepoError::NotFound) } else { Ok(()) }
}

#[async_trait]
impl<S: Session> UnitOfWork for SqlUnit<S> {
    fn workspaces(&mut self) -> &mut dyn WorkspaceRepo {
        self
    }
    fn staff(&mut self) -> &mut dyn StaffRepo {
        self
    }
    fn clients(&mut self) -> &mut dyn ClientRepo {
        self
    }
    fn credentials(&mut self) -> &mut dyn CredentialRepo {
        self
    }
    fn projects(&mut self) -> &mut dyn ProjectRepo {
        self
    }
    fn assignments(&mut self) -> &mut dyn AssignmentRepo {
        self
    }
    fn memberships(&mut self) -> &mut dyn MembershipRepo {
        self
    }
    fn tasks(&mut self) -> &mut dyn TaskRepo {
        self
    }
    fn files(&mut self) -> &mut dyn FileRepo {
        self
    }
    fn messages(&mut self) -> &mut dyn MessageRepo {
        self
    }
    fn approvals(&mut self) -> &mut dyn ApprovalRepo {
        self
    }
    fn invoices(&mut self) -> &mut dyn InvoiceRepo {
        self
    }
    fn audit(&mut self) -> &mut dyn AuditRepo {
        self
    }
    fn outbox(&mut self) -> &mut dyn OutboxRepo {
        self
    }
    fn tokens(&mut self) -> &mut dyn TokenRepo {
        self
    }
    fn sessions(&mut self) -> &mut dyn SessionRepo {
        self
    }

    async fn commit(self: Box<Self>) -> RepoResult<()> {
        self.session.commit().await
    }
}
