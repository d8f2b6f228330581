//! What only SQLite has to prove: its settings, that search uses the full-text index, and
//! that a portal page costs the same number of statements however much the project holds.

use portico_app::forms::TaskForm;
use portico_ports::Store;
use portico_ports::repos::ClientQuery;
use portico_sqlite::SqliteStore;
use portico_testkit::fixtures::Acme;
use sqlx::Row as _;

#[tokio::test]
async fn foreign_keys_are_enforced_and_the_journal_is_wal() {
    let db = portico_testdb::TempSqlite::new().await;
    let pool = db.store.pool();
    let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys").fetch_one(pool).await.expect("pragma").get(0);
    assert_eq!(foreign_keys, 1);
    let journal: String = sqlx::query("PRAGMA journal_mode").fetch_one(pool).await.expect("pragma").get(0);
    assert_eq!(journal, "wal");
    let orphan = "INSERT INTO tasks (workspace_id, id, project_id, title, state, visibility, created_by, created_at, \
        updated_at) VALUES ('w', 't', 'no-such-project', 'x', 'open', 'client', 's', 0, 0)";
    let error = sqlx::query(orphan).execute(pool).await.expect_err("a task without its project is refused");
    assert!(error.to_string().contains("FOREIGN KEY"), "{error}");
}

#[tokio::test]
async fn the_database_file_is_created_on_first_use() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("nested").join("folder").join("portico.db");
    let store = SqliteStore::connect(&format!("sqlite://{}", path.display())).await.expect("opens");
    assert!(path.exists());
    drop(store);
    assert!(SqliteStore::connect("postgres://nope").await.is_err(), "only sqlite: URLs");
}

#[tokio::test]
async fn client_search_uses_the_full_text_index() {
    let db = portico_testdb::TempSqlite::new().await;
    let workspace = portico_domain::ids::WorkspaceId::from_uuid(uuid::Uuid::nil());
    let query = ClientQuery { text: Some("sarah".into()), ..ClientQuery::default() };
    let (sql, args) = portico_sql::client_search_statement(
        SqliteStore::dialect(),
        workspace,
        &query,
        &portico_ports::PageRequest::first(),
    )
    .expect("a statement");
    let plan = db.store.query_plan(&sql, args).await.expect("explain").join("\n");
    assert!(plan.contains("SCAN s VIRTUAL TABLE INDEX"), "the search starts from the trigram index:\n{plan}");
    assert!(plan.contains("SEARCH c USING INTEGER PRIMARY KEY"), "clients are looked up, not scanned:\n{plan}");
}

#[tokio::test]
async fn a_clients_invoices_are_found_through_indexes_not_by_walking_every_invoice() {
    let db = portico_testdb::TempSqlite::new().await;
    let id = |n| uuid::Uuid::from_u128(n);
    let (sql, args) = portico_sql::invoices_for_client_statement(
        SqliteStore::dialect(),
        portico_domain::ids::WorkspaceId::from_uuid(id(1)),
        portico_domain::ids::ClientId::from_uuid(id(2)),
        &[portico_domain::ids::ProjectId::from_uuid(id(3))],
    );
    let plan = db.store.query_plan(&sql, args).await.expect("explain").join("\n");
    assert!(plan.contains("USING INDEX invoices_by_client"), "{plan}");
    assert!(plan.contains("USING INDEX invoices_by_project"), "{plan}");
    assert!(plan.contains("SEARCH i USING INDEX sqlite_autoindex_invoices_1 (workspace_id=? AND id=?)"), "{plan}");
    assert!(!plan.contains("SCAN i"), "{plan}");
}

#[tokio::test]
async fn portal_pages_cost_the_same_statements_whatever_the_project_holds() {
    let db = portico_testdb::TempSqlite::new().await;
    let sqlite = db.store.clone();
    let acme = Acme::on(std::sync::Arc::new(db)).await.expect("scenario");
    let (p, sarah) = (&acme.app.portico, acme.as_client(acme.sarah));
    let sqlite = &sqlite;
    let cost = |label: &'static str| async move {
        let before = sqlite.statements_run();
        let view = p.portal_project(&sarah, acme.brand_refresh).await.expect(label);
        (sqlite.statements_run() - before, view.tasks.len())
    };
    let (small, tasks_before) = cost("small project").await;
    for n in 0..40 {
        let form = TaskForm { title: format!("Task {n}"), visibility: "client".into(), ..TaskForm::default() };
        p.create_task(&acme.app.admin, acme.brand_refresh, form.parse().expect("valid")).await.expect("created");
    }
    let (large, tasks_after) = cost("large project").await;
    assert_eq!(tasks_after, tasks_before + 40);
    assert_eq!(small, large, "a portal page is a fixed number of statements");
    let before = sqlite.statements_run();
    p.portal_projects(&sarah).await.expect("list");
    p.portal_invoices(&sarah).await.expect("invoices");
    assert!(sqlite.statements_run() - before <= 10);
}

#[tokio::test]
async fn search_finds_substrings_of_names_emails_and_companies() {
    let db = portico_testdb::TempSqlite::new().await;
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(db);
    let acme = Acme::on(store).await.expect("scenario");
    for (needle, expected) in
        [("arah", 1), ("ACME.example", 3), ("glob", 1), ("park", 1), ("zz", 0), ("%", 0), ("_", 0)]
    {
        let query = ClientQuery { text: Some(needle.into()), ..ClientQuery::default() };
        let page = acme.app.portico.list_clients(&acme.app.admin, &query, &portico_ports::PageRequest::first()).await;
        assert_eq!(page.expect("search").items.len(), expected, "{needle}");
    }
}
