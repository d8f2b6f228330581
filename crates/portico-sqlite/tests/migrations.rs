//! Migrations: from an empty database, and from the previous schema with the Acme data in it.

use std::sync::Arc;

use portico_ports::repos::ClientQuery;
use portico_ports::{PageRequest, Store};
use portico_sqlite::{MIGRATOR, SqliteStore};
use portico_testkit::fixtures::Acme;

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

#[tokio::test]
async fn the_previous_schema_with_the_acme_data_is_brought_up_to_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("portico.db");
    let old = SqliteStore::open_unmigrated(&path).await.expect("opens");
    let previous = MIGRATOR.iter().map(|m| m.version).max().expect("migrations exist") - 1;
    MIGRATOR.run_to(previous, old.pool()).await.expect("the previous schema");
    let acme =
        Acme::on(Arc::new(old.clone()) as Arc<dyn Store>).await.expect("the scenario runs on the previous schema");
    let sarah = acme.as_client(acme.sarah);
    let before = acme.app.portico.portal_project(&sarah, acme.brand_refresh).await.expect("visible");

    MIGRATOR.run(old.pool()).await.expect("the upgrade applies");
    let invoices = acme.app.portico.portal_invoices(&acme.as_client(acme.lisa)).await.expect("invoices");
    assert_eq!(invoices.len(), 1, "invoices and their lines survive");
    assert_eq!(acme.app.portico.portal_project(&sarah, acme.brand_refresh).await.expect("visible"), before);
    // Clients that existed before the search index are found through it.
    let query = ClientQuery { text: Some("ortiz".into()), ..ClientQuery::default() };
    let found = acme.app.portico.list_clients(&acme.app.admin, &query, &PageRequest::first()).await.expect("search");
    assert_eq!(found.items.iter().map(portico_domain::client::Client::id).collect::<Vec<_>>(), [acme.james]);
}
