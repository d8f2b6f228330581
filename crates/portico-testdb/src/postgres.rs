//! A fresh PostgreSQL database per test, cloned from a migrated template and dropped when the
//! test's store is dropped.

use std::sync::Arc;

use async_trait::async_trait;
use portico_ports::{RepoResult, Store, UnitOfWork};
use portico_postgres::{MIGRATOR, PgStore};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool};

const URL_VARIABLE: &str = "PORTICO_TEST_POSTGRES_URL";

/// The server's URL with the database name replaced.
fn url_for(database: &str) -> String {
    let base = std::env::var(URL_VARIABLE).unwrap_or_else(|_| {
        panic!(
            "{URL_VARIABLE} is not set: run the tests with `cargo xtask test`, which starts a throw-away \
             PostgreSQL, or point {URL_VARIABLE} at a server where the tests may create databases"
        )
    });
    let (server, _) = base.rsplit_once('/').expect("a URL of the form postgres://user@host:port/database");
    format!("{server}/{database}")
}

async fn admin() -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect(&url_for("postgres"))
        .await
        .expect("the test server answers")
}

/// The template database for the current migrations, created once per server.
async fn template(admin: &PgPool) -> String {
    let checksums: Vec<String> = MIGRATOR.iter().map(|m| format!("{}:{:x?}", m.version, &m.checksum[..4])).collect();
    let name = format!("portico_template_{:x}", fnv(checksums.join(",").as_bytes()));
    let mut lock = admin.acquire().await.expect("a connection");
    sqlx::query("SELECT pg_advisory_lock(4242)").execute(&mut *lock).await.expect("the template lock");
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut *lock)
        .await
        .expect("the catalog answers");
    if exists.is_none() {
        let building = format!("{name}_building");
        sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {building}")))
            .execute(&mut *lock)
            .await
            .expect("drop");
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {building}"))).execute(&mut *lock).await.expect("create");
        PgStore::connect(&url_for(&building), 2).await.expect("the template migrates").pool().close().await;
        sqlx::query(AssertSqlSafe(format!("ALTER DATABASE {building} RENAME TO {name}")))
            .execute(&mut *lock)
            .await
            .expect("rename");
    }
    sqlx::query("SELECT pg_advisory_unlock(4242)").execute(&mut *lock).await.expect("unlock");
    name
}

/// FNV-1a, for a short stable name from the migration checksums.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A fresh, migrated database that is dropped with this value.
#[derive(Debug)]
pub struct TempPostgres {
    /// The store.
    pub store: PgStore,
    /// The database's name.
    pub name: String,
}

impl TempPostgres {
    /// A new database cloned from the migrated template.
    ///
    /// # Panics
    /// When `PORTICO_TEST_POSTGRES_URL` is not set or its server refuses.
    pub async fn new() -> Self {
        let admin = admin().await;
        let template = template(&admin).await;
        let name = format!("portico_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE {template}")))
            .execute(&admin)
            .await
            .expect("the test database is created");
        admin.close().await;
        let store = PgStore::connect(&url_for(&name), 4).await.expect("the test database opens");
        Self { store, name }
    }

    /// A new database with no schema at all (for migration tests).
    ///
    /// # Panics
    /// As [`TempPostgres::new`].
    pub async fn empty() -> Self {
        let admin = admin().await;
        let name = format!("portico_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("created");
        admin.close().await;
        let store = PgStore::connect_unmigrated(&url_for(&name), 4).await.expect("the test database opens");
        Self { store, name }
    }

    /// The URL of this database, for programs that connect on their own (the server).
    pub fn url(&self) -> String {
        url_for(&self.name)
    }

    /// A new database as a shared store.
    ///
    /// # Panics
    /// As [`TempPostgres::new`].
    pub async fn shared() -> Arc<dyn Store> {
        Arc::new(Self::new().await)
    }
}

/// One database shared by every case of a long property test in this process: creating a
/// database per case would cost more than the cases. Cases stay apart by working in a
/// workspace of their own. The database is left to the throw-away server.
///
/// # Panics
/// As [`TempPostgres::new`].
pub fn shared_database_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async {
                let database = TempPostgres::new().await;
                let url = url_for(&database.name);
                // Keep the database: it outlives this runtime and serves every case.
                std::mem::forget(database);
                url
            })
        })
        .join()
        .expect("the shared database is created")
    })
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside any async context we could borrow: drop the database from a
        // thread of its own, and wait for it so databases do not pile up.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async {
                let admin = admin().await;
                let _ = sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&admin)
                    .await;
            });
        });
        let _ = dropped.join();
    }
}

#[async_trait]
impl Store for TempPostgres {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        self.store.begin().await
    }

    async fn begin_read(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        self.store.begin_read().await
    }
}
