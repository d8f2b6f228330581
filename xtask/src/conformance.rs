//! The OpenAPI conformance tools — Schemathesis, openapi-spec-validator and
//! openapi-python-client, every package pinned in
//! `crates/portico-server/tests/conformance/requirements.txt` — in a virtual environment
//! under the target directory. It is made with the standard library's `venv` and made again
//! only when the pins change, so a warm run costs nothing.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{root, step, target_dir};

/// The variable the conformance test reads the environment's location from.
pub(crate) const TOOLS_VARIABLE: &str = "PORTICO_CONFORMANCE_TOOLS";

/// The virtual environment with the pinned tools, made or remade as needed.
pub(crate) fn tools() -> Result<PathBuf> {
    if let Some(given) = std::env::var_os(TOOLS_VARIABLE) {
        println!("==> conformance tools: using {} from {TOOLS_VARIABLE}", PathBuf::from(&given).display());
        return Ok(PathBuf::from(given));
    }
    let venv = target_dir().join("conformance");
    let pins_file = root().join("crates/portico-server/tests/conformance/requirements.txt");
    let pins = fs::read_to_string(&pins_file).with_context(|| format!("cannot read {}", pins_file.display()))?;
    // The pins installed last time, kept inside the environment.
    let stamp = venv.join("portico-pins.txt");
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == pins) {
        println!("==> conformance tools: up to date in {}", venv.display());
        return Ok(venv);
    }
    let mut create = Command::new("python3");
    create.args(["-m", "venv", "--clear"]).arg(&venv);
    step("python3 -m venv (conformance tools)", create)?;
    let mut install = Command::new(venv.join("bin/pip"));
    install.args(["install", "--quiet", "--disable-pip-version-check", "--no-input", "-r"]).arg(&pins_file);
    step("pip install the pinned conformance tools", install)?;
    fs::write(&stamp, pins).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(venv)
}
