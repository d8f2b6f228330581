//! What the tests need from the machine besides the Rust toolchain — PostgreSQL's server
//! binaries, aiosmtpd for the mail tests, Chromium and chromedriver for the browser tests,
//! poppler's `pdftotext` and `pdftoppm` for reading invoice PDFs back —
//! found, or installed with apt when we may (as root on Debian), or else named with the one
//! command that installs them. (The Python conformance tools are not here: they go into a
//! virtual environment of their own, `conformance.rs`.)

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use crate::step;

/// One thing the tests need.
struct Need {
    /// What it is, for people.
    what: &'static str,
    /// Whether the machine has it.
    present: fn() -> bool,
    /// The Debian packages that provide it.
    packages: &'static [&'static str],
}

const NEEDS: [Need; 4] = [
    Need {
        what: "the PostgreSQL server binaries (initdb, pg_ctl) for the PostgreSQL tests",
        present: postgres_present,
        packages: &["postgresql", "postgresql-contrib"],
    },
    Need {
        what: "aiosmtpd for /usr/bin/python3, the mail tests' SMTP server",
        present: aiosmtpd_present,
        packages: &["python3-aiosmtpd"],
    },
    Need {
        what: "Chromium (/usr/bin/chromium) and chromedriver, for the browser tests",
        present: chromium_present,
        packages: &["chromium", "chromium-driver"],
    },
    Need {
        what: "pdftotext and pdftoppm, which read the invoice PDFs back in the tests",
        present: poppler_present,
        packages: &["poppler-utils"],
    },
];

/// Makes sure the machine has every [`Need`], installing what is missing when it can.
pub(crate) fn ensure() -> Result<()> {
    let missing: Vec<&Need> = NEEDS.iter().filter(|need| !(need.present)()).collect();
    if missing.is_empty() {
        println!("==> prerequisites: PostgreSQL, aiosmtpd, Chromium, chromedriver and poppler are present");
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().flat_map(|need| need.packages.iter().copied()).collect();
    let install = format!("apt-get update && apt-get install -y {}", packages.join(" "));
    println!("==> prerequisites: missing");
    for need in &missing {
        println!("    - {}", need.what);
    }
    if !(is_root() && Path::new("/usr/bin/apt-get").exists()) {
        bail!("the tests need what is listed above; install it with `sudo sh -c '{install}'` (Debian) and run again");
    }
    let mut update = apt();
    update.args(["update", "-q"]);
    step("apt-get update", update)?;
    let mut get = apt();
    get.args(["install", "-y", "-q"]).args(&packages);
    step(&format!("apt-get install {}", packages.join(" ")), get)?;
    let still: Vec<&str> = missing.iter().filter(|need| !(need.present)()).map(|need| need.what).collect();
    if !still.is_empty() {
        bail!("still missing after installing {}: {}", packages.join(" "), still.join("; "));
    }
    Ok(())
}

fn apt() -> Command {
    let mut command = Command::new("apt-get");
    command.env("DEBIAN_FRONTEND", "noninteractive");
    command
}

/// Whether `program ARGS` runs and succeeds, quietly.
fn succeeds(program: &str, args: &[&str]) -> bool {
    let quiet = |command: &mut Command| command.stdout(Stdio::null()).stderr(Stdio::null()).status();
    quiet(Command::new(program).args(args)).is_ok_and(|status| status.success())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// A server to use, a directory named for the binaries, or Debian's binaries.
fn postgres_present() -> bool {
    let named = |variable: &str| std::env::var_os(variable).is_some();
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/initdb").is_file());
    named(crate::postgres::URL_VARIABLE) || named("PORTICO_PG_BIN") || debian
}

fn aiosmtpd_present() -> bool {
    succeeds("/usr/bin/python3", &["-c", "import aiosmtpd"])
}

fn poppler_present() -> bool {
    succeeds("pdftotext", &["-v"]) && succeeds("pdftoppm", &["-v"])
}

fn chromium_present() -> bool {
    Path::new("/usr/bin/chromium").exists() && succeeds("chromedriver", &["--version"])
}
