//! Micro-benchmark of the first half of every import: reading a CSV file and checking each
//! row against the domain rules. Run with `cargo bench -p portico-app` (or through
//! `cargo xtask bench`).
#![allow(missing_docs, clippy::unwrap_used)] // A benchmark harness; its inputs are constants.

use std::fmt::Write as _;

use divan::{Bencher, black_box};
use portico_app::csv;

fn main() {
    divan::main();
}

/// A file of `rows` clients with every column filled.
fn file(rows: usize) -> Vec<u8> {
    let mut csv = String::from("name,email,company,phone,billing_address,notes,permissions\n");
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "Client {i},client{i}@import.example,Importers {} Ltd,+44 20 7946 {:04},\"{i} High Street\nLondon\",Met at the fair,collaborator",
            i / 50,
            i % 10_000
        );
    }
    csv.into_bytes()
}

/// Parse and validate 1,000 rows.
#[divan::bench]
fn csv_parse_and_validate_1000_rows(bencher: Bencher<'_, '_>) {
    let bytes = file(1_000);
    bencher.bench_local(|| {
        let rows = csv::read_import(black_box(&bytes)).unwrap();
        rows.iter().filter(|row| row.fields.to_new_client(false).parse().is_ok()).count()
    });
}
