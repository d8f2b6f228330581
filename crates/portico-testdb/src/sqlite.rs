//! A SQLite store in a temporary directory that disappears with it.

use std::sync::Arc;

use async_trait::async_trait;
use portico_ports::{RepoResult, Store, UnitOfWork};
use portico_sqlite::SqliteStore;
use tempfile::TempDir;

/// A fresh, migrated database file in its own temporary directory.
#[derive(Debug)]
pub struct TempSqlite {
    /// The store.
    pub store: SqliteStore,
    /// The directory holding the file (removed on drop).
    pub dir: TempDir,
}

impl TempSqlite {
    /// A new, migrated database.
    ///
    /// # Panics
    /// When the database cannot be created (a broken test machine).
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(&dir.path().join("portico.db")).await.expect("the database opens");
        Self { store, dir }
    }

    /// A new database as a shared store.
    ///
    /// # Panics
    /// As [`TempSqlite::new`].
    pub async fn shared() -> Arc<dyn Store> {
        Arc::new(Self::new().await)
    }
}

#[async_trait]
impl Store for TempSqlite {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        self.store.begin().await
    }

    async fn begin_read(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        self.store.begin_read().await
    }
}
