//! `cargo xtask`: Portico's development and CI automation.
//!
//! ```text
//! cargo xtask test     format check, clippy -D warnings, rustdoc -D warnings, every test
//! cargo xtask soak     the reliability tests at length, with their figures
//! cargo xtask bench    throughput, latency, import speed and micro-benchmarks, as ratios
//! cargo xtask seed     fill a fresh database with a realistic agency
//! cargo xtask setup    install what the tests need besides Rust, when missing
//! cargo xtask pg       a throw-away PostgreSQL for running tests by hand
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)] // A command-line tool reports on the terminal.

mod bench;
mod conformance;
mod postgres;
mod setup;
mod tidy;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  test    Check formatting, lint with clippy (-D warnings), build the docs (-D warnings)
          and run every test of the workspace (with cargo-nextest when it is installed).
          First makes sure the machine has what the tests need (see `setup`).
          Starts a throw-away PostgreSQL for the tests unless PORTICO_TEST_POSTGRES_URL is set,
          and installs the pinned OpenAPI conformance tools (Schemathesis, openapi-spec-validator,
          openapi-python-client) into target/conformance with python3 -m venv when missing.
  soak    Run the reliability tests (the attacks kept from security audits) at length —
          bigger bursts, more concurrent clients, more kills — and print their figures, and
          the Schemathesis conformance run with many more examples; several minutes. Starts a
          throw-away PostgreSQL unless PORTICO_TEST_POSTGRES_URL is set.
  bench   Measure Portico (release build) on SQLite and a throw-away PostgreSQL: endpoint
          throughput and latency at two data sizes against the server's own healthz, imports
          against a raw insert, peak memory, login time, micro-benchmarks. Writes a table,
          target/bench/report.json and docs/benchmarks.md. `--quick` for a smoke check;
          `--engine sqlite|postgres` for one engine.
  seed    Fill a fresh database with a realistic agency (release build of `portico dev seed`;
          the options are passed on, see `cargo xtask seed --help`). The password of the admin
          and every active client is read from standard input.
  setup   Check for what the tests need besides Rust (PostgreSQL's server binaries, aiosmtpd,
          Chromium and chromedriver) and install what is missing with apt when run as root on
          Debian; otherwise print the command that would. `test` and `soak` do this first.
  pg      Start a throw-away PostgreSQL, print its URL, and stop it when Enter is pressed.
  help    Show this message.

Environment:
  PORTICO_TEST_POSTGRES_URL   a PostgreSQL server the tests may create databases on
  PORTICO_PG_BIN              where initdb and pg_ctl are (default: /usr/lib/postgresql/*/bin)
  PORTICO_MACHINE_CASES       cases of the state-machine tests (default 1000 in memory, 200 on SQL)
  PORTICO_CONFORMANCE_TOOLS   a virtual environment with the conformance tools (default: made by xtask)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("soak") => soak(),
        Some("bench") => bench::run(&args[1..]),
        Some("seed") => seed(&args[1..]),
        Some("pg") => pg(),
        Some("setup") => setup::ensure(),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Where cargo builds: `CARGO_TARGET_DIR`, or the workspace's `target`.
fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs one step, printing its name and how long it took.
fn step(name: &str, mut command: Command) -> Result<()> {
    println!("==> {name}");
    let started = Instant::now();
    let status = command.status().with_context(|| format!("could not start `{name}`"))?;
    if !status.success() {
        bail!("`{name}` failed ({status})");
    }
    println!("    {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn has_nextest() -> bool {
    cargo().args(["nextest", "--version"]).output().is_ok_and(|output| output.status.success())
}

/// The URL of a PostgreSQL for the tests: the one given, or a throw-away cluster started now
/// (returned too, so it lives until the tests are done).
fn test_postgres() -> Result<(String, Option<postgres::Cluster>)> {
    if let Ok(url) = env::var(postgres::URL_VARIABLE) {
        println!("==> PostgreSQL: using {} from {}", redact(&url), postgres::URL_VARIABLE);
        return Ok((url, None));
    }
    println!("==> PostgreSQL: starting a throw-away cluster");
    let started = Instant::now();
    let cluster = postgres::Cluster::start()?;
    println!("    listening at {} (ready in {:.1} s)", cluster.url(), started.elapsed().as_secs_f64());
    Ok((cluster.url(), Some(cluster)))
}

/// A URL with any password replaced, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// `portico dev seed ARGS` from the release build, on the configured `PORTICO_DATABASE_URL`.
fn seed(args: &[String]) -> Result<()> {
    let mut build = cargo();
    build.args(["build", "--release", "-p", "portico-server"]);
    step("cargo build --release", build)?;
    let mut run = cargo();
    run.args(["run", "-q", "--release", "-p", "portico-server", "--", "dev", "seed"]).args(args);
    let status = run.status().context("cannot run `portico dev seed`")?;
    if !status.success() {
        bail!("`portico dev seed` failed ({status})");
    }
    Ok(())
}

/// The reliability suite and the conformance run with `PORTICO_SOAK=1`: each test runs its
/// long version (the reliability tests print their figures, `[soak] …` lines).
fn soak() -> Result<()> {
    let started = Instant::now();
    setup::ensure()?;
    let tools = conformance::tools()?;
    let (url, _cluster) = test_postgres()?;
    let mut fuzz = cargo();
    fuzz.args(["test", "-p", "portico-server", "--test", "conformance", "--", "--nocapture"])
        .env(conformance::TOOLS_VARIABLE, &tools)
        .env("PORTICO_SOAK", "1");
    step("conformance run, long version (Schemathesis)", fuzz)?;
    let mut run = cargo();
    run.args([
        "test",
        "-p",
        "portico-server",
        "--test",
        "reliability",
        "--",
        "--include-ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(postgres::URL_VARIABLE, &url)
    .env("PORTICO_SOAK", "1");
    step("reliability tests, long versions", run)?;
    println!("soak: passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn pg() -> Result<()> {
    let cluster = postgres::Cluster::start()?;
    println!("PostgreSQL is running. For the tests:\n\n  export {}={}\n", postgres::URL_VARIABLE, cluster.url());
    println!("Press Enter to stop it.");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(())
}

fn test() -> Result<()> {
    let started = Instant::now();
    // First, so a machine that lacks something says so before minutes of compiling.
    setup::ensure()?;
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    step("cargo fmt --check", fmt)?;

    let mut clippy = cargo();
    clippy.args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]);
    step("cargo clippy -D warnings", clippy)?;

    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--all-features"]).env("RUSTDOCFLAGS", "-D warnings");
    step("cargo doc -D warnings", doc)?;

    let tools = conformance::tools()?;
    let (postgres_url, _cluster) = test_postgres()?;
    if has_nextest() {
        let mut tests = cargo();
        tests.env(postgres::URL_VARIABLE, &postgres_url).env(conformance::TOOLS_VARIABLE, &tools);
        tests.args(["nextest", "run", "--workspace", "--all-features", "--no-fail-fast"]);
        step("cargo nextest run", tests)?;
        let mut doctests = cargo();
        doctests.env(postgres::URL_VARIABLE, &postgres_url);
        doctests.args(["test", "--workspace", "--all-features", "--doc"]);
        step("cargo test --doc", doctests)?;
    } else {
        println!("(cargo-nextest is not installed; running cargo test)");
        let mut tests = cargo();
        tests.env(postgres::URL_VARIABLE, &postgres_url).env(conformance::TOOLS_VARIABLE, &tools);
        tests.args(["test", "--workspace", "--all-features", "--no-fail-fast"]);
        step("cargo test", tests)?;
    }
    println!("All checks passed in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_terminal() {
        assert_eq!(redact("postgres://portico:s3cret@db:5432/portico"), "postgres://portico:***@db:5432/portico");
        assert_eq!(
            redact("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/postgres"
        );
    }
}
