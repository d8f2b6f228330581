//! Migrations: from an empty database, and from the previous schema with the Acme data in it.

use std::sync::Arc;

use portico_ports::Store;
use portico_sqlite::{MIGRATOR, SqliteStore};
use portico_testkit::fixtures::assert_reads_like_acme;

async fn applied(store: &SqliteStore) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(store.pool())
        .await
        .expect("versions")
}

#[tokio::test]
async fn an_empty_database_is_migrated_to_the_latest_schema_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("portico.db");
    let store = SqliteStore::open(&path).await.expect("migrates");
    let latest: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(applied(&store).await, latest);
    drop(store);
    let again = SqliteStore::open(&path).await.expect("opening again is a no-op");
    assert_eq!(applied(&again).await, latest);
}

/// The rows of the Acme scenario as the previous schema (version 3) kept them.
const PREVIOUS: &str = include_str!("fixtures/v3-acme.sql");

#[tokio::test]
async fn the_previous_schema_with_the_acme_data_is_brought_up_to_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("portico.db");
    let old = SqliteStore::open_unmigrated(&path).await.expect("opens");
    MIGRATOR.run_to(3, old.pool()).await.expect("the previous schema");
    sqlx::raw_sql(PREVIOUS).execute(old.pool()).await.expect("the previous schema's rows");
    let clear: Vec<String> = sqlx::query_scalar("SELECT token FROM outbox WHERE token IS NOT NULL")
        .fetch_all(old.pool())
        .await
        .expect("tokens");
    assert_eq!(clear.len(), 4, "the old schema kept link secrets in the clear");

    MIGRATOR.run(old.pool()).await.expect("the upgrade applies");
    assert_reads_like_acme(Arc::new(old.clone()) as Arc<dyn Store>).await;
    old.pool().close().await;
    let file = std::fs::read(&path).expect("the database file");
    for secret in &clear {
        assert!(!file.windows(secret.len()).any(|w| w == secret.as_bytes()), "an old secret is left in the file");
    }
}
