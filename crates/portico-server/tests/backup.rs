//! Backups: `portico backup` copies a SQLite installation while writes go on, and the copy
//! runs as a working installation; a PostgreSQL database survives `pg_dump` and `pg_restore`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{Browser, Engine, PASSWORD, TestServer, id_of};

/// A client, a project and an uploaded file, as a backup should keep them.
async fn some_data(admin: &Browser) -> (String, Vec<u8>) {
    let body =
        json!({"name": "Sarah Chen", "email": "sarah@acme.example", "company": "Acme Corp", "preset": "full_access"});
    assert_eq!(admin.post("/clients", body).await.0, StatusCode::CREATED);
    let (_, project) = admin.post("/projects", json!({"name": "Brand refresh"})).await;
    let bytes = b"%PDF-1.7 the brief".to_vec();
    let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name("brief.pdf").mime_str("application/pdf");
    let form = reqwest::multipart::Form::new().part("file", part.expect("a type")).text("visibility", "client");
    let answer = admin.request(Method::POST, &format!("/projects/{}/files", id_of(&project))).multipart(form);
    let (status, file) = support::read(answer.send().await.expect("an answer")).await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    (id_of(&file), bytes)
}

/// How many clients the admin of `browser`'s server sees.
async fn client_count(browser: &Browser) -> usize {
    let (status, page) = browser.get("/clients?limit=200").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_go_on_restores_to_a_working_installation() {
    let server = TestServer::start(Engine::Sqlite).await;
    let admin = server.admin().await;
    let (file, bytes) = some_data(&admin).await;
    let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let writer = {
        let (admin, stop, written) = (admin.clone(), Arc::clone(&stop), Arc::clone(&written));
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = written.load(Ordering::SeqCst);
                let body =
                    json!({"name": format!("Writer {n}"), "email": format!("w{n}@acme.example"), "invite": false});
                assert_eq!(admin.post("/clients", body).await.0, StatusCode::CREATED);
                written.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while written.load(Ordering::SeqCst) < 3 {
        tokio::task::yield_now().await;
    }
    let before = written.load(Ordering::SeqCst);
    let dir = server.dir.path().to_owned();
    let folder = dir.join("backup");
    let out = tokio::task::spawn_blocking({
        let (dir, folder) = (dir.clone(), folder.clone());
        move || {
            Command::new(env!("CARGO_BIN_EXE_portico"))
                .arg("backup")
                .arg(&folder)
                .env("PORTICO_DATABASE_URL", format!("sqlite://{}", dir.join("portico.db").display()))
                .env("PORTICO_FILES_DIR", dir.join("files"))
                .env("PORTICO_SECRET_KEY_FILE", dir.join("secret.key"))
                .output()
                .expect("portico runs")
        }
    })
    .await
    .expect("the backup ran");
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("the writer");
    let after = written.load(Ordering::SeqCst);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("integrity ok") && said.contains("files/ (1 file)"), "{said}");
    assert_eq!(std::fs::read(folder.join("secret.key")).ok(), std::fs::read(dir.join("secret.key")).ok());
    let refused = Command::new(env!("CARGO_BIN_EXE_portico")).arg("backup").arg(&folder).output().expect("runs");
    assert!(!refused.status.success(), "an existing backup is never overwritten");
    server.running.stop().await.expect("stops");

    let restored = restore(&folder).await;
    let admin = restored.browser();
    admin.log_in("admin@localhost", PASSWORD).await;
    let clients = client_count(&admin).await;
    assert!((1 + before..=1 + after).contains(&clients), "{clients} clients: the copy is of one instant");
    let download = admin.request(Method::GET, &format!("/files/{file}/download")).send().await.expect("answers");
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), bytes, "the uploaded file came along");
    let (_, outbox) = admin.get("/outbox?limit=200").await;
    let held = outbox["items"].as_array().into_iter().flatten().find(|m| m["to"] == "sarah@acme.example");
    let held = held.expect("Sarah's invitation is in the outbox");
    assert!(held["invitation_link"].is_string(), "the key came along, so the held link opens: {held}");
    restored.running.stop().await.expect("stops");
}

/// A server on the backup in `folder`.
async fn restore(folder: &Path) -> TestServer {
    let folder: PathBuf = folder.to_owned();
    TestServer::start_with(Engine::Sqlite, move |settings| {
        settings.database_url = format!("sqlite://{}", folder.join("portico.db").display());
        settings.files_dir = folder.join("files").display().to_string();
        settings.secret_key_file = Some(folder.join("secret.key").display().to_string());
    })
    .await
}

/// A PostgreSQL client program, from `PORTICO_PG_BIN` or the newest installed server.
fn pg_program(name: &str) -> PathBuf {
    if let Some(bin) = std::env::var_os("PORTICO_PG_BIN") {
        return Path::new(&bin).join(name);
    }
    let mut installed: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|path| path.exists())
        .collect();
    installed.sort();
    installed.pop().unwrap_or_else(|| PathBuf::from(name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_survives_pg_dump_and_pg_restore() {
    let server = TestServer::start(Engine::Postgres).await;
    let admin = server.admin().await;
    some_data(&admin).await;
    let clients = client_count(&admin).await;
    let dump = server.dir.path().join("portico.dump");
    let status = Command::new(pg_program("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(server.database_url())
        .status()
        .expect("pg_dump runs");
    assert!(status.success(), "pg_dump");
    server.running.stop().await.expect("stops");

    let target = portico_testdb::TempPostgres::empty().await;
    let status = Command::new(pg_program("pg_restore"))
        .args(["--no-owner", "--dbname"])
        .arg(target.url())
        .arg(&dump)
        .status()
        .expect("pg_restore runs");
    assert!(status.success(), "pg_restore");
    let url = target.url();
    let restored = TestServer::start_with(Engine::Postgres, move |settings| settings.database_url = url).await;
    let admin = restored.browser();
    admin.log_in("admin@localhost", PASSWORD).await;
    assert_eq!(client_count(&admin).await, clients);
    let (_, projects) = admin.get("/projects").await;
    assert_eq!(projects["items"][0]["name"], "Brand refresh");
    restored.running.stop().await.expect("stops");
}
