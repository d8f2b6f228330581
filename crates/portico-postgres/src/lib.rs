//! # portico-postgres
//!
//! Portico's production storage: every repository on PostgreSQL.
//!
//! - A connection pool; migrations from `migrations/postgres` are embedded and run when the
//!   store connects (under sqlx's advisory lock, so several servers starting at once migrate
//!   once).
//! - Units of work are `READ COMMITTED` transactions; the rules that must hold under
//!   concurrency are unique keys and foreign keys in the schema. Read-only units are
//!   `READ ONLY` transactions, which a read replica could serve.
//! - Client search uses a `pg_trgm` GIN index.

mod errors;
mod row;
mod transaction;

use std::time::Duration;

use async_trait::async_trait;
use portico_ports::{RepoError, RepoResult, Store, UnitOfWork};
use portico_sql::{Dialect, SqlUnit, Value};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::transaction::PgTransaction;

/// The schema migrations, embedded at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// Why a PostgreSQL store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate the PostgreSQL database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Every repository on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) with a pool of at
    /// most `max_connections`, and brings the schema up to date.
    ///
    /// # Errors
    /// [`OpenError`] naming what failed.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, OpenError> {
        let store = Self::connect_unmigrated(url, max_connections).await?;
        MIGRATOR.run(&store.pool).await.map_err(OpenError::Migrate)?;
        Ok(store)
    }

    /// Connects without running migrations (for migration tests and tools).
    ///
    /// # Errors
    /// [`OpenError::Connect`].
    pub async fn connect_unmigrated(url: &str, max_connections: u32) -> Result<Self, OpenError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(OpenError::Connect)?;
        Ok(Self { pool })
    }

    /// This engine's spelling of the SQL that differs (for building statements outside a unit).
    pub fn dialect() -> Dialect {
        transaction::DIALECT
    }

    /// The plan the engine chooses for a statement (`EXPLAIN`), one line a step: how
    /// tests and operators check that a query uses its index.
    ///
    /// # Errors
    /// The engine's error when the statement does not prepare.
    pub async fn query_plan(&self, sql: &str, args: Vec<Value>) -> Result<Vec<String>, sqlx::Error> {
        let rows = transaction::query(&format!("EXPLAIN {sql}"), args).fetch_all(&self.pool).await?;
        rows.iter().map(|row| sqlx::Row::try_get::<String, _>(row, "QUERY PLAN")).collect()
    }

    /// The connection pool, for migration tools and diagnostics.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl Store for PgStore {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let tx = self.pool.begin().await.map_err(RepoError::unavailable)?;
        Ok(Box::new(SqlUnit::new(PgTransaction::new(tx))))
    }

    async fn begin_read(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let tx = self.pool.begin_with("BEGIN TRANSACTION READ ONLY").await.map_err(RepoError::unavailable)?;
        Ok(Box::new(SqlUnit::new(PgTransaction::new(tx))))
    }
}
