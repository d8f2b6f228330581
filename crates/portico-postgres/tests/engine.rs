//! What only PostgreSQL has to prove: search uses the trigram index at a realistic size, and
//! migrations bring an empty or a previous-schema database up to date.

use std::sync::Arc;

use portico_ports::repos::ClientQuery;
use portico_ports::{PageRequest, Store};
use portico_postgres::{MIGRATOR, PgStore};
use portico_testkit::contract::Records;
use portico_testkit::fixtures::assert_reads_like_acme;

#[tokio::test]
async fn client_search_uses_the_trigram_index() {
    let db = portico_testdb::TempPostgres::new().await;
    let records = Records::new(1);
    let mut uow = db.store.begin().await.expect("unit");
    uow.workspaces().insert(&Records::new(1).workspace_record()).await.expect("workspace");
    uow.commit().await.expect("commit");
    // Twenty thousand clients, so the planner has a reason to prefer the index (and a vacuum,
    // as autovacuum would do, to fold the fresh rows into the GIN index).
    let seed = "WITH n AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, 20000) g), \
        u AS (INSERT INTO users (workspace_id, id, kind, email, email_key) \
              SELECT $1, id, 'client', 'c' || g || '@example.org', 'c' || g || '@example.org' FROM n RETURNING id) \
        INSERT INTO clients (workspace_id, id, name, name_key, permissions, status, created_at, updated_at, search_text) \
        SELECT $1, id, 'Client ' || g, 'client ' || g, '', 'invited', now(), now(), \
               'client ' || g || chr(10) || 'c' || g || '@example.org' || chr(10) FROM n";
    sqlx::query(seed).bind(records.workspace.as_uuid()).execute(db.store.pool()).await.expect("seed");
    sqlx::query("VACUUM ANALYZE clients, users").execute(db.store.pool()).await.expect("analyze");
    let query = ClientQuery { text: Some("c1234@".into()), ..ClientQuery::default() };
    let (sql, args) =
        portico_sql::client_search_statement(PgStore::dialect(), records.workspace, &query, &PageRequest::first())
            .expect("a statement");
    let plan = db.store.query_plan(&sql, args).await.expect("explain").join("\n");
    assert!(plan.contains("clients_search"), "the trigram index is used:\n{plan}");
    let mut uow = db.store.begin_read().await.expect("unit");
    let found = uow.clients().search(records.workspace, &query, &PageRequest::first()).await.expect("search");
    assert_eq!(found.items.len(), 1);
}

async fn applied(store: &PgStore) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(store.pool())
        .await
        .expect("versions")
}

#[tokio::test]
async fn an_empty_database_is_migrated_to_the_latest_schema_once() {
    let db = portico_testdb::TempPostgres::empty().await;
    MIGRATOR.run(db.store.pool()).await.expect("migrates");
    let latest: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(applied(&db.store).await, latest);
    MIGRATOR.run(db.store.pool()).await.expect("running again is a no-op");
    assert_eq!(applied(&db.store).await, latest);
}

/// The rows of the Acme scenario as the previous schema (version 3) kept them.
const PREVIOUS: &str = include_str!("fixtures/v3-acme.sql");

#[tokio::test]
async fn the_previous_schema_with_the_acme_data_is_brought_up_to_date() {
    let db = portico_testdb::TempPostgres::empty().await;
    MIGRATOR.run_to(3, db.store.pool()).await.expect("the previous schema");
    sqlx::raw_sql(PREVIOUS).execute(db.store.pool()).await.expect("the previous schema's rows");
    let clear: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE token IS NOT NULL")
        .fetch_one(db.store.pool())
        .await
        .expect("tokens");
    assert_eq!(clear, 4, "the old schema kept link secrets in the clear");

    MIGRATOR.run(db.store.pool()).await.expect("the upgrade applies");
    assert_reads_like_acme(Arc::new(db.store.clone()) as Arc<dyn Store>).await;
}
