//! Running the release `portico` binary: its commands, and the server under test.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hyper::Method;

use super::load::{self, Target};
use crate::postgres;

/// The password the benchmark's seeded admin and clients share.
pub(crate) const PASSWORD: &str = "bench-portal-pass-2026";

/// The release binary and the scratch directory its databases and logs go to.
pub(crate) struct Portico {
    pub(crate) bin: PathBuf,
    pub(crate) work: PathBuf,
}

impl Portico {
    /// `portico ARGS` on `database`, quiet unless something goes wrong.
    fn command(&self, database: &str, args: &[&str]) -> Command {
        let mut command = Command::new(&self.bin);
        command
            .args(args)
            .env("PORTICO_DATABASE_URL", database)
            .env("PORTICO_FILES_DIR", self.work.join("files"))
            .env("PORTICO_LOG", "warn")
            .env_remove("PORTICO_SMTP_URL");
        command
    }

    /// Runs `portico ARGS`, feeding `stdin`, and returns its standard output and how long it took.
    pub(crate) fn run(&self, database: &str, args: &[&str], stdin: &str) -> Result<(String, Duration)> {
        let started = Instant::now();
        let mut child = self
            .command(database, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {}", self.bin.display()))?;
        if let Some(mut input) = child.stdin.take() {
            writeln!(input, "{stdin}")?;
        }
        let output = child.wait_with_output()?;
        let elapsed = started.elapsed();
        if !output.status.success() {
            bail!("`portico {}` failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
        }
        Ok((String::from_utf8_lossy(&output.stdout).into_owned(), elapsed))
    }

    /// Starts `portico serve` on a free loopback port and waits until it says it is running.
    pub(crate) fn serve(&self, database: &str, log: &Path) -> Result<Server> {
        let port = postgres::free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let log_file = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut child = self
            .command(database, &["serve"])
            .env("PORTICO_BIND", addr.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .context("cannot start the server")?;
        let mut stdout = BufReader::new(child.stdout.take().context("no standard output")?);
        let server = Server { child, addr };
        let mut line = String::new();
        while !line.starts_with("Portico is running") {
            line.clear();
            if stdout.read_line(&mut line)? == 0 {
                bail!("the server stopped before it was ready; see {}", log.display());
            }
        }
        // Keep reading what it prints, so it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(server)
    }
}

/// A running server, stopped (SIGTERM, then waited for) when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: SocketAddr,
}

impl Server {
    /// The most resident memory the process has had, in MiB (`VmHWM`).
    pub(crate) fn peak_rss_mib(&self) -> Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmHWM in /proc/PID/status")?;
        Ok(kib / 1024.0)
    }

    /// Logs in and returns the session cookie (`name=value`).
    pub(crate) fn log_in(&self, email: &str) -> Result<String> {
        let login = Target { path: "/api/v1/auth/login".into(), cookie: None };
        let body = serde_json::json!({ "email": email, "password": PASSWORD }).to_string();
        let answer = load::send(self.addr, Method::POST, &login, Some(&body))?;
        if !answer.status.is_success() {
            bail!("logging in as {email} failed: {} {}", answer.status, String::from_utf8_lossy(&answer.body));
        }
        answer.session.context("the login answer set no session cookie")
    }

    /// `GET path` with a session, parsed as JSON.
    pub(crate) fn get_json(&self, path: &str, cookie: &str) -> Result<serde_json::Value> {
        let target = Target { path: path.into(), cookie: Some(cookie.into()) };
        let answer = load::send(self.addr, Method::GET, &target, None)?;
        if !answer.status.is_success() {
            bail!("GET {path} answered {}", answer.status);
        }
        serde_json::from_slice(&answer.body).with_context(|| format!("GET {path} did not answer JSON"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}
