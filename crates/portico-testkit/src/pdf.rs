//! Reading PDFs back in tests, with poppler's `pdftotext` (installed by `cargo xtask setup`):
//! what a reader's viewer would extract, not what our writer meant to write.

use std::process::Command;

/// The text of `pdf` as `pdftotext -layout` reads it.
///
/// # Panics
/// When `pdftotext` is missing or cannot read the document — in a test, that is the failure.
pub fn text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, pdf).expect("written");
    let out = Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext reads it: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("text")
}
