//! The `portico` program itself, run as an operator would: `serve` in an empty folder prints
//! the admin link and stops cleanly on SIGTERM; `migrate`, `admin create` and `import` do
//! their job and say so; bad settings are refused with the variable's name.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const PORTICO: &str = env!("CARGO_BIN_EXE_portico");

/// `portico ARGS` in `dir`, with only the given `PORTICO_*` settings.
fn portico(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(PORTICO);
    command.args(args).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    command.env("PORTICO_LOG", "warn");
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    portico(dir, args, env).output().expect("portico runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Reads the server's standard output until "Press Ctrl-C", returning what it printed.
fn banner(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("piped stdout");
    let mut printed = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("utf-8 output");
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    printed
}

/// Sends SIGTERM and waits (at most 10 s) for a successful exit.
fn stop(mut child: Child) {
    let pid = child.id().to_string();
    let terminated = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(terminated.success());
    let (exited, exit) = std::sync::mpsc::channel();
    std::thread::spawn(move || exited.send(child.wait()));
    let Ok(status) = exit.recv_timeout(Duration::from_secs(10)) else {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
        panic!("the server did not stop within 10 s of SIGTERM");
    };
    let status = status.expect("waits");
    assert!(status.success(), "a graceful stop exits with success: {status}");
}

#[test]
fn serve_in_an_empty_folder_prints_the_admin_link_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("a folder");
    let bind = format!("127.0.0.1:{}", free_port());
    let mut child =
        portico(dir.path(), &["serve"], &[("PORTICO_BIND", &bind)]).stdout(Stdio::piped()).spawn().expect("starts");
    let printed = banner(&mut child);
    assert!(printed.contains(&format!("Portico is running at http://{bind}")), "{printed}");
    assert!(printed.contains("admin@localhost"), "{printed}");
    let link =
        printed.lines().find_map(|l| l.trim().strip_prefix(&format!("http://{bind}/invitation/"))).map(str::to_owned);
    assert!(link.is_some_and(|token| token.len() == 64), "{printed}");
    assert!(dir.path().join("portico-data/portico.db").is_file(), "SQLite in ./portico-data by default");

    let health = std::net::TcpStream::connect(&bind).and_then(|mut stream| {
        stream.write_all(b"GET /api/v1/healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut stream, &mut answer)?;
        Ok(answer)
    });
    assert!(health.expect("the server answers").starts_with("HTTP/1.1 200"));
    stop(child);
}

#[test]
fn admin_create_with_a_password_ends_the_first_admin_link() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut create = portico(
        dir.path(),
        &["admin", "create", "--email", "ada@studio.example", "--name", "Ada Admin", "--password-stdin"],
        &[],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .spawn()
    .expect("runs");
    create.stdin.take().expect("stdin").write_all(b"a long enough passphrase\n").expect("written");
    let output = create.wait_with_output().expect("finishes");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("can log in now"));

    let again = run(dir.path(), &["admin", "create", "--email", "ada@studio.example", "--name", "Ada"], &[]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("--email: the address is already in use"), "{}", text(&again.stderr));

    let bind = format!("127.0.0.1:{}", free_port());
    let mut child =
        portico(dir.path(), &["serve"], &[("PORTICO_BIND", &bind)]).stdout(Stdio::piped()).spawn().expect("starts");
    let printed = banner(&mut child);
    assert!(!printed.contains("/invitation/"), "an admin with a password needs no link: {printed}");
    stop(child);
}

#[test]
fn migrate_and_import_report_what_they_did() {
    let dir = tempfile::tempdir().expect("a folder");
    let migrated = run(dir.path(), &["migrate"], &[]);
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(text(&migrated.stdout).contains("is up to date"));

    let missing = run(dir.path(), &["import", "missing.csv"], &[]);
    assert!(text(&missing.stderr).contains("cannot read missing.csv"), "{}", text(&missing.stderr));

    let mut create = portico(
        dir.path(),
        &["admin", "create", "--email", "ada@studio.example", "--name", "Ada", "--password-stdin"],
        &[],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .spawn()
    .expect("runs");
    create.stdin.take().expect("stdin").write_all(b"a long enough passphrase\n").expect("written");
    assert!(create.wait().expect("finishes").success());

    std::fs::write(
        dir.path().join("clients.csv"),
        "name,email,company\nSarah Chen,sarah@acme.example,Acme\nJames,james@acme.example,Acme\n",
    )
    .expect("written");
    let dry = run(dir.path(), &["import", "clients.csv", "--dry-run"], &[]);
    assert_eq!(
        text(&dry.stdout).trim(),
        "Would import: 2 new, 0 updated, 0 unchanged. (Dry run: nothing was written.)"
    );
    let real = run(dir.path(), &["import", "clients.csv", "--mode", "upsert"], &[]);
    assert_eq!(text(&real.stdout).trim(), "Imported: 2 new, 0 updated, 0 unchanged.", "{}", text(&real.stderr));
    let again = run(dir.path(), &["import", "clients.csv", "--mode", "upsert"], &[]);
    assert_eq!(text(&again.stdout).trim(), "Imported: 0 new, 0 updated, 2 unchanged.");

    std::fs::write(dir.path().join("bad.csv"), "name,email\nBroken,not-an-address\n").expect("written");
    let bad = run(dir.path(), &["import", "bad.csv"], &[]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("row 2, email:"), "{}", text(&bad.stderr));
}

#[test]
fn bad_settings_are_refused_by_name_before_anything_starts() {
    let dir = tempfile::tempdir().expect("a folder");
    let output =
        run(dir.path(), &["serve"], &[("PORTICO_DATABASE_URL", "mysql://db/portico"), ("PORTICO_BIND", "everywhere")]);
    assert!(!output.status.success());
    let errors = text(&output.stderr);
    assert!(errors.contains("PORTICO_DATABASE_URL: \"mysql\" is not a supported database"), "{errors}");
    assert!(errors.contains("PORTICO_BIND:"), "{errors}");
    assert!(!dir.path().join("portico-data").exists(), "nothing was created");

    let help = run(dir.path(), &["--help"], &[]);
    let help = text(&help.stdout);
    for command in ["serve", "migrate", "admin", "import", "PORTICO_DATABASE_URL"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn openapi_prints_the_served_description_without_any_settings() {
    let dir = tempfile::tempdir().expect("a folder");
    let output = run(dir.path(), &["openapi"], &[("PORTICO_DATABASE_URL", "mysql://not/used")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(printed, portico_http::openapi(), "the same document the server serves");
    assert_eq!(printed["openapi"], "3.1.0");
    assert!(!dir.path().join("portico-data").exists(), "nothing was created");
}

/// `portico ARGS` with `input` on standard input.
fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = portico(dir, args, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("written");
    child.wait_with_output().expect("finishes")
}

#[test]
fn seeding_fills_a_fresh_database_and_refuses_any_other() {
    let dir = tempfile::tempdir().expect("a folder");
    let args = ["dev", "seed", "--clients", "40", "--tasks-per-project", "10", "--messages-per-project", "2"];
    let seeded = run_with_input(dir.path(), &args, "a long enough passphrase\n");
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let printed = text(&seeded.stdout);
    assert!(
        printed.contains(": 4 projects, 40 tasks, 8 messages, 40 clients, 54 assignments, 14 invoices."),
        "{printed}"
    );
    let sample = printed.lines().find_map(|l| l.trim().strip_prefix("sample client: ")).expect("a sample client");

    // The seeded admin can act, and the seeded client exists under the address printed.
    std::fs::write(dir.path().join("one.csv"), format!("name,email\nSarah Chen,{sample}\n")).expect("written");
    let import = run(dir.path(), &["import", "one.csv", "--as", "admin@seed.portico.test"], &[]);
    assert!(text(&import.stderr).contains("belongs to an existing client"), "{}", text(&import.stderr));

    let again = run_with_input(dir.path(), &args, "a long enough passphrase\n");
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("the database is not empty"), "{}", text(&again.stderr));
}

#[test]
fn the_raw_insert_writes_every_row_without_an_admin() {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(
        dir.path().join("clients.csv"),
        "name,email\nSarah Chen,sarah@acme.example\nJames,james@acme.example\n",
    )
    .expect("written");
    let inserted = run(dir.path(), &["dev", "insert-raw", "clients.csv"], &[]);
    assert!(text(&inserted.stdout).starts_with("Inserted 2 rows in "), "{}", text(&inserted.stderr));
    let created = run_with_input(
        dir.path(),
        &["admin", "create", "--email", "ada@studio.example", "--name", "Ada", "--password-stdin"],
        "a long enough passphrase\n",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let import = run(dir.path(), &["import", "clients.csv", "--mode", "upsert"], &[]);
    assert_eq!(text(&import.stdout).trim(), "Imported: 0 new, 0 updated, 2 unchanged.", "{}", text(&import.stderr));
}
