//! A process killed (SIGKILL) in the middle of a unit of work leaves the database consistent:
//! nothing of the unit is there, everything committed before is, and the next writer gets in.
//!
//! The test runs itself as a child process: the child commits one client, starts a unit that
//! writes another client and its outbox mail, reports that it is mid-unit, and waits to be
//! killed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use portico_domain::ids::WorkspaceId;
use portico_ports::Store;
use portico_sqlite::SqliteStore;
use portico_testkit::contract::Records;

/// Set in the child to the database path.
const CHILD: &str = "PORTICO_CRASH_CHILD_DB";
const COMMITTED: &str = "committed@acme.example";
const IN_FLIGHT: &str = "in-flight@acme.example";

#[test]
#[ignore = "runs only as the child process of kill_9_mid_unit_leaves_the_database_consistent"]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD) else { return };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let store = SqliteStore::open(std::path::Path::new(&path)).await.expect("opens");
        let mut records = Records::new(1);
        let mut uow = store.begin().await.expect("unit");
        uow.workspaces().insert(&records.workspace_record()).await.expect("workspace");
        uow.clients().insert(&records.client("Committed", COMMITTED, None)).await.expect("client");
        uow.commit().await.expect("commit");
        let mut uow = store.begin().await.expect("unit");
        let project = records.project("Half done");
        let client = records.client("In Flight", IN_FLIGHT, None);
        uow.clients().insert(&client).await.expect("client");
        uow.projects().insert(&project).await.expect("project");
        let mail = records.mail(portico_domain::staff::UserRef::Client(client.id()), IN_FLIGHT, &project);
        uow.outbox().enqueue(&mail).await.expect("mail");
        #[allow(clippy::print_stdout)] // The parent reads this line to know when to kill.
        {
            println!("mid-unit");
        }
        // Wait to be killed, holding the open transaction.
        loop {
            std::thread::park();
        }
    });
}

#[tokio::test]
async fn kill_9_mid_unit_leaves_the_database_consistent() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("portico.db");
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["crash_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the child starts");
    let stdout = child.stdout.take().expect("piped");
    let mid_unit = BufReader::new(stdout).lines().map_while(Result::ok).any(|line| line.contains("mid-unit"));
    assert!(mid_unit, "the child reached the middle of its unit of work");
    child.kill().expect("SIGKILL");
    child.wait().expect("the child is gone");

    let store = SqliteStore::open(&path).await.expect("reopens after the crash");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.pool()).await.expect("check");
    assert_eq!(check, "ok");
    let fk_problems: Vec<(String,)> =
        sqlx::query_as("PRAGMA foreign_key_check").fetch_all(store.pool()).await.expect("check");
    assert!(fk_problems.is_empty(), "{fk_problems:?}");
    let workspace = WorkspaceId::from_uuid(Records::new(1).workspace.as_uuid());
    let mut uow = store.begin().await.expect("the next writer gets in");
    let clients = uow.clients().list_all(workspace).await.expect("list");
    let emails: Vec<&str> = clients.iter().map(|c| c.email().as_str()).collect();
    assert_eq!(emails, [COMMITTED], "the committed client stays, the in-flight one is gone");
    let outbox = uow.outbox().list(workspace, &portico_ports::PageRequest::first()).await.expect("outbox");
    assert!(outbox.items.is_empty(), "no mail without its client");
    uow.projects().insert(&Records::new(1).project("After the crash")).await.expect("writes work");
    uow.commit().await.expect("commit");
}
