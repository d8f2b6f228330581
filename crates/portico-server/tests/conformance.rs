//! The API held to its own OpenAPI description by tools that did not write it, against the
//! real server:
//!
//! 1. `openapi-spec-validator` finds the document valid;
//! 2. `openapi-python-client` generates a typed client from it, and the guide's Acme example
//!    is played through that client (`conformance/acme_client.py`): each contact sees exactly
//!    their share;
//! 3. Schemathesis fuzzes every operation on that data from the document, as a client with a
//!    session cookie and then as an admin with a token, with every check on (what is narrowed
//!    is in `conformance/schemathesis.toml`, with its reasons).
//!
//! The tools live in a virtual environment `cargo xtask test` makes from the pinned
//! `conformance/requirements.txt` (`PORTICO_CONFORMANCE_TOOLS`). `PORTICO_SOAK=1` (`cargo
//! xtask soak`) runs many more examples.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{Engine, PASSWORD, TestServer};

/// This test's own files.
fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// The `bin` folder of the tools' virtual environment.
fn tools() -> PathBuf {
    let venv = std::env::var_os("PORTICO_CONFORMANCE_TOOLS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/conformance"), PathBuf::from);
    let bin = venv.join("bin");
    assert!(
        bin.join("st").exists(),
        "the conformance tools are not installed in {}: `cargo xtask test` installs them \
         (or set PORTICO_CONFORMANCE_TOOLS to a virtual environment made from {})",
        venv.display(),
        here().join("requirements.txt").display()
    );
    bin
}

/// Runs `command`, failing the test with its output unless it succeeds.
fn run(what: &str, command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|error| panic!("{what} could not start: {error}"));
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

/// A tool of the virtual environment, with the environment's `bin` first on `PATH` (the
/// generator runs its formatter from there).
fn tool(bin: &Path, name: &str) -> Command {
    let mut command = Command::new(bin.join(name));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let paths = std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&path));
    command.env("PATH", std::env::join_paths(paths).expect("a PATH"));
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_to_its_description() {
    let bin = tools();
    let work = tempfile::tempdir().expect("a temporary folder");
    let server = TestServer::start(Engine::Sqlite).await;
    server.admin().await;
    let api = format!("{}/api/v1", server.base);

    let document = reqwest::get(format!("{api}/openapi.json")).await.expect("answers").text().await.expect("a body");
    let spec = work.path().join("openapi.json");
    std::fs::write(&spec, &document).expect("written");

    // 1. Valid OpenAPI 3.1.
    let validated = run(
        "openapi-spec-validator",
        tool(&bin, "openapi-spec-validator").args(["--validation-errors", "all"]).arg(&spec),
    );
    assert!(String::from_utf8_lossy(&validated.stdout).contains(": OK"), "the validator says OK");

    // 2. A typed client generated from it plays the Acme example.
    let generated = run(
        "openapi-python-client",
        tool(&bin, "openapi-python-client")
            .args(["generate", "--meta", "none", "--path"])
            .arg(&spec)
            .arg("--output-path")
            .arg(work.path().join("portico_client"))
            .arg("--config")
            .arg(here().join("generator.yaml")),
    );
    let report = String::from_utf8_lossy(&generated.stdout).into_owned() + &String::from_utf8_lossy(&generated.stderr);
    let skipped: Vec<&str> = report.lines().filter(|line| line.starts_with("WARNING")).collect();
    // The generator has no CSV bodies; every other operation must be generated.
    assert_eq!(skipped, ["WARNING parsing POST /clients/import within clients. Endpoint will not be generated."]);
    let played = run(
        "the Acme example through the generated client",
        tool(&bin, "python")
            .arg(here().join("acme_client.py"))
            .args([api.as_str(), "admin@localhost", PASSWORD])
            .env("PYTHONPATH", work.path()),
    );
    let acme: Value = serde_json::from_slice(&played.stdout).expect("the scenario prints its records as JSON");

    // 3. Schemathesis, as a client and then as an admin (who may change what the client sees).
    let examples = if std::env::var_os("PORTICO_SOAK").is_some() { "60" } else { "5" };
    let settings = std::fs::read_to_string(here().join("schemathesis.toml")).expect("the settings");
    let runs = [
        (
            "a client",
            format!("[auth.openapi.session]\napi_key = \"{}\"\n", acme["sarah_session"].as_str().unwrap_or_default()),
        ),
        ("an admin", format!("[auth.openapi.bearer]\nbearer = \"{}\"\n", acme["token"].as_str().unwrap_or_default())),
    ];
    for (caller, auth) in runs {
        let config = work.path().join("schemathesis.toml");
        std::fs::write(&config, format!("{auth}\n{settings}")).expect("written");
        let mut st = tool(&bin, "st");
        st.arg("--config-file").arg(&config).arg("run").arg(&spec);
        st.args(["--url", &api, "--max-examples", examples, "--seed", "1", "--no-shrink", "--workers", "1"]);
        // Logging out would end the run's own session; tests/matrix.rs covers it.
        st.args(["--exclude-path", "/auth/logout"]).current_dir(work.path());
        for (variable, record) in [
            ("PORTICO_PROJECT", "project"),
            ("PORTICO_TASK", "task"),
            ("PORTICO_FILE", "file"),
            ("PORTICO_MESSAGE", "message"),
            ("PORTICO_APPROVAL", "approval"),
            ("PORTICO_INVOICE", "invoice"),
            ("PORTICO_CLIENT", "james"),
        ] {
            st.env(variable, acme[record].as_str().unwrap_or_default());
        }
        run(&format!("Schemathesis as {caller}"), &mut st);
    }

    let health = reqwest::get(format!("{api}/healthz")).await.expect("answers");
    assert_eq!(health.status(), reqwest::StatusCode::OK, "the server still serves");
    server.running.stop().await.expect("stops cleanly");
}
