//! `cargo xtask`: Portico's development and CI automation.
//!
//! ```text
//! cargo xtask test     format check, clippy -D warnings, rustdoc -D warnings, every test
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)] // A command-line tool reports on the terminal.

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
  help    Show this message.

Environment:
  PORTICO_MACHINE_CASES   cases of the state-machine test (default 1000)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("test") => test(),
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

fn test() -> Result<()> {
    let started = Instant::now();
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    step("cargo fmt --check", fmt)?;

    let mut clippy = cargo();
    clippy.args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]);
    step("cargo clippy -D warnings", clippy)?;

    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--all-features"]).env("RUSTDOCFLAGS", "-D warnings");
    step("cargo doc -D warnings", doc)?;

    if has_nextest() {
        let mut tests = cargo();
        tests.args(["nextest", "run", "--workspace", "--all-features", "--no-fail-fast"]);
        step("cargo nextest run", tests)?;
        let mut doctests = cargo();
        doctests.args(["test", "--workspace", "--all-features", "--doc"]);
        step("cargo test --doc", doctests)?;
    } else {
        println!("(cargo-nextest is not installed; running cargo test)");
        let mut tests = cargo();
        tests.args(["test", "--workspace", "--all-features", "--no-fail-fast"]);
        step("cargo test", tests)?;
    }
    println!("All checks passed in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}
