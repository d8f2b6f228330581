//! # portico-sqlite
//!
//! Portico's embedded default storage: every repository on one SQLite file.
//!
//! - The database file is created on first use; migrations from `migrations/sqlite` are
//!   embedded and run when the store opens.
//! - WAL journal, `foreign_keys=ON`, a busy timeout, `synchronous=NORMAL`.
//! - **One writer**: units that may write take a process-wide lock and open with
//!   `BEGIN IMMEDIATE`, so two writers never deadlock upgrading their locks; read-only units
//!   ([`Store::begin_read`]) run beside them on other pooled connections.
//!
//! Storage types: ids are hyphenated UUID text, instants are integer microseconds since 1970
//! (they sort as numbers), dates are ISO text, booleans 0/1, hashes blobs.

mod errors;
mod row;
mod transaction;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use portico_ports::{RepoError, RepoResult, Store, UnitOfWork};
use portico_sql::{Dialect, SqlUnit, Value};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::Mutex;

use crate::transaction::SqliteTransaction;

/// Rows a connection thread may read ahead of the task consuming them.
const ROW_BUFFER: usize = 1_024;

/// The schema migrations, embedded at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Why a SQLite store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL is not a `sqlite:` URL.
    #[error("not a SQLite database URL (expected sqlite://PATH): {0}")]
    NotSqlite(String),
    /// The directory for the database file could not be created.
    #[error("cannot create the directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("cannot open the SQLite database: {0}")]
    Open(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate the SQLite database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Every repository on a SQLite database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: Arc<Mutex<()>>,
    statements: Arc<AtomicU64>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path/to/file.db`, or
    /// `sqlite:path`) and brings its schema up to date.
    ///
    /// # Errors
    /// [`OpenError`] naming what failed.
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .filter(|path| !path.is_empty())
            .ok_or_else(|| OpenError::NotSqlite(url.to_owned()))?;
        Self::open(Path::new(path)).await
    }

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// [`OpenError`] naming what failed.
    pub async fn open(path: &Path) -> Result<Self, OpenError> {
        let store = Self::open_unmigrated(path).await?;
        MIGRATOR.run(&store.pool).await.map_err(OpenError::Migrate)?;
        Ok(store)
    }

    /// Opens the database without running migrations (for migration tests and tools).
    ///
    /// # Errors
    /// [`OpenError`] naming what failed.
    pub async fn open_unmigrated(path: &Path) -> Result<Self, OpenError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| OpenError::Directory { path: parent.to_owned(), source })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(OpenError::Open)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Erased values (a link secret, a deleted client's data) are overwritten on disk
            // instead of lingering in free pages of the file and its backups.
            .pragma("secure_delete", "ON")
            // Each connection runs on its own thread and hands rows over through a channel;
            // sqlx's default of 50 makes a project's hundred-odd rows stop the thread midway
            // and switch threads again (measured by `cargo xtask bench`).
            .row_buffer_size(ROW_BUFFER);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(OpenError::Open)?;
        Ok(Self { pool, writer: Arc::new(Mutex::new(())), statements: Arc::new(AtomicU64::new(0)) })
    }

    /// Writes a consistent copy of the database to `target`, a file that must not exist yet,
    /// while writers go on: SQLite's `VACUUM INTO` reads the database in one transaction, so
    /// the copy is the database as of one instant (and compacted).
    ///
    /// # Errors
    /// The engine's error when the copy cannot be written.
    pub async fn back_up_to(&self, target: &Path) -> Result<(), sqlx::Error> {
        let target = target.to_str().ok_or_else(|| sqlx::Error::Protocol("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await.map(drop)
    }

    /// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` find wrong with the
    /// database file at `path`, opened read-only: nothing when it is sound.
    ///
    /// # Errors
    /// The engine's error when the file cannot be opened or read as a database.
    pub async fn integrity_problems(path: &Path) -> Result<Vec<String>, sqlx::Error> {
        use sqlx::{ConnectOptions as _, Row as _};
        let options = SqliteConnectOptions::from_str("sqlite:")?.filename(path).read_only(true);
        let mut connection = options.connect().await?;
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut connection)
            .await?
            .into_iter()
            .filter(|line: &String| line != "ok")
            .collect();
        for row in sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut connection).await? {
            let table: String = row.try_get(0)?;
            problems.push(format!("a row of {table} points at a missing row"));
        }
        Ok(problems)
    }

    /// How many statements this store has run: tests use it to check that a request costs a
    /// fixed number of statements, whatever the amount of data.
    pub fn statements_run(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// This engine's spelling of the SQL that differs (for building statements outside a unit).
    pub fn dialect() -> Dialect {
        transaction::DIALECT
    }

    /// The plan the engine chooses for a statement (`EXPLAIN QUERY PLAN`), one line a step: how
    /// tests and operators check that a query uses its index.
    ///
    /// # Errors
    /// The engine's error when the statement does not prepare.
    pub async fn query_plan(&self, sql: &str, args: Vec<Value>) -> Result<Vec<String>, sqlx::Error> {
        let rows = transaction::query(&format!("EXPLAIN QUERY PLAN {sql}"), args).fetch_all(&self.pool).await?;
        rows.iter().map(|row| sqlx::Row::try_get::<String, _>(row, "detail")).collect()
    }

    /// The connection pool, for migration tools and diagnostics.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let writer = Arc::clone(&self.writer).lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(RepoError::unavailable)?;
        Ok(Box::new(SqlUnit::new(SqliteTransaction::new(tx, Some(writer), Arc::clone(&self.statements)))))
    }

    async fn begin_read(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let tx = self.pool.begin().await.map_err(RepoError::unavailable)?;
        Ok(Box::new(SqlUnit::new(SqliteTransaction::new(tx, None, Arc::clone(&self.statements)))))
    }
}
