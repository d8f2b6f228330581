//! A throw-away PostgreSQL cluster for the tests, from the local server binaries.
//!
//! `initdb` refuses to run as root, so as root the binaries run as the `postgres` user on a
//! data directory it owns. The cluster listens on a free loopback port, trades durability for
//! speed (no fsync), and is stopped and removed when the [`Cluster`] is dropped — and, should
//! the process have been killed instead, by the next run, which clears what dead runs left.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The environment variable the tests read the server's URL from.
pub(crate) const URL_VARIABLE: &str = "PORTICO_TEST_POSTGRES_URL";

/// Where clusters live: `<temp>/portico-xtask-pg-<pid of the xtask that made it>`.
const PREFIX: &str = "portico-xtask-pg-";

/// A running cluster, stopped and removed on drop.
pub(crate) struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    /// Starts a fresh cluster.
    pub(crate) fn start() -> Result<Self> {
        let bin = server_binaries()?;
        clear_stale_clusters(&bin);
        let root = std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
        set_mode(&root, 0o755)?;
        let data = root.join("data");
        let cluster = Self { root, bin, port: free_port()? };
        // Own the data directory as the user that will run the server (mode 700: initdb insists).
        if is_root() {
            run(
                Command::new("install").args(["-d", "-o", "postgres", "-g", "postgres", "-m", "700"]).arg(&data),
                "install",
            )?;
        } else {
            fs::create_dir_all(&data)?;
            set_mode(&data, 0o700)?;
        }
        let mut initdb = cluster.server_command("initdb");
        run(
            initdb.arg("-D").arg(&data).args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]),
            "initdb",
        )?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200",
            cluster.port,
            data.display()
        );
        let mut start = cluster.server_command("pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(data.join("server.log"))
            .args(["-w", "-t", "30", "-o", &options, "start"]);
        run(&mut start, "pg_ctl start")?;
        Ok(cluster)
    }

    /// The URL of the `postgres` database of the cluster.
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates a database (dropping one of the same name) and returns its URL.
    pub(crate) fn fresh_database(&self, name: &str) -> Result<String> {
        self.psql("postgres", &format!("DROP DATABASE IF EXISTS {name}"))?;
        self.psql("postgres", &format!("CREATE DATABASE {name}"))?;
        Ok(format!("postgres://postgres@127.0.0.1:{}/{name}", self.port))
    }

    /// Runs one SQL command on `database`.
    pub(crate) fn psql(&self, database: &str, sql: &str) -> Result<()> {
        let mut psql = self.server_command("psql");
        let port = self.port.to_string();
        run(psql.args(["-q", "-h", "127.0.0.1", "-U", "postgres", "-p", &port, "-d", database, "-c", sql]), "psql")
    }

    /// A server binary, run as `postgres` when we are root.
    fn server_command(&self, name: &str) -> Command {
        server_command(&self.bin, name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        stop(&self.bin, &self.root.join("data"));
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn server_command(bin: &Path, name: &str) -> Command {
    let program = bin.join(name);
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn stop(bin: &Path, data: &Path) {
    if data.join("postmaster.pid").exists() {
        let _ = server_command(bin, "pg_ctl")
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Stops and removes clusters whose xtask process is gone (killed before it could clean up).
fn clear_stale_clusters(bin: &Path) {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX).and_then(|pid| pid.parse::<u32>().ok()) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            stop(bin, &entry.path().join("data"));
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The directory of `initdb` and `pg_ctl`: `PORTICO_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`, else what `pg_config --bindir` says.
fn server_binaries() -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = if let Some(dir) = std::env::var_os("PORTICO_PG_BIN") {
        vec![PathBuf::from(dir)]
    } else {
        let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((e.file_name().to_string_lossy().parse().ok()?, e.path().join("bin"))))
            .collect();
        versions.sort();
        let mut dirs: Vec<PathBuf> = versions.into_iter().rev().map(|(_, dir)| dir).collect();
        if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
            dirs.push(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
        }
        dirs
    };
    for name in ["initdb", "pg_ctl"] {
        if !candidates.iter().any(|dir| dir.join(name).is_file()) {
            bail!(
                "the PostgreSQL server binary `{name}` was not found (looked in {}); install the PostgreSQL \
                 server package (Debian: `apt-get install postgresql`), set PORTICO_PG_BIN to its directory, \
                 or set {URL_VARIABLE} to a server the tests may use",
                candidates.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .context("initdb and pg_ctl are not in the same directory")
}

pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).with_context(|| format!("chmod {}", path.display()))
}

fn run(command: &mut Command, name: &str) -> Result<()> {
    let output = command.output().with_context(|| format!("cannot run {name}"))?;
    if !output.status.success() {
        bail!("{name} failed: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}
