//! The unit of work over a [`Transaction`]: every repository, in one transaction.

use async_trait::async_trait;
use portico_ports::{RepoResult, UnitOfWork};

use crate::engine::{Row, Transaction, Value};
use crate::query::Query;

/// Every repository of Portico on one engine transaction. Dropping it without committing
/// rolls the transaction back.
pub struct SqlUnit<S> {
    pub(crate) transaction: S,
}

impl<S: Transaction> SqlUnit<S> {
    /// A unit of work on an open transaction.
    pub fn new(transaction: S) -> Self {
        Self { transaction }
    }

    /// Runs a statement.
    pub(crate) async fn execute(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<u64> {
        self.transaction.execute(sql, args).await
    }

    /// Runs a query and maps every row.
    pub(crate) async fn all<T>(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        map: impl Fn(&S::Row) -> RepoResult<T>,
    ) -> RepoResult<Vec<T>> {
        self.transaction.fetch_all(sql, args).await?.iter().map(map).collect()
    }

    /// Runs a query for at most one row and maps it.
    pub(crate) async fn one<T>(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        map: impl Fn(&S::Row) -> RepoResult<T>,
    ) -> RepoResult<Option<T>> {
        self.transaction.fetch_optional(sql, args).await?.as_ref().map(map).transpose()
    }

    /// How many rows the query `matching` yields in all.
    pub(crate) async fn count_rows(&mut self, matching: Query) -> RepoResult<u64> {
        let sql = format!("SELECT COUNT(*) AS n FROM ({}) matching", matching.sql);
        let n = self.one(&sql, matching.args, |row| row.int("n")).await?.unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Fails with `NotFound` when a statement that must change a row changed none.
pub(crate) fn changed(rows: u64) -> RepoResult<()> {
    if rows == 0 { Err(portico_ports::RepoError::NotFound) } else { Ok(()) }
}

#[async_trait]
impl<S: Transaction> UnitOfWork for SqlUnit<S> {
    portico_ports::unit_is_every_repository!();

    async fn commit(self: Box<Self>) -> RepoResult<()> {
        self.transaction.commit().await
    }
}
