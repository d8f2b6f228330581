//! The micro-benchmarks (divan), run through `cargo bench` and read back from its table.

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::cargo;

/// One benchmark's median time, as divan prints it (e.g. `1.2 µs`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Bench {
    pub(crate) name: String,
    pub(crate) median: String,
}

/// Runs every micro-benchmark; `quick` gives each a tenth of a second instead of divan's default.
pub(crate) fn run(quick: bool) -> Result<Vec<Bench>> {
    let mut benches = Vec::new();
    for (package, target) in [("portico-domain", "rules"), ("portico-app", "csv_import")] {
        let mut command = cargo();
        command.args(["bench", "-q", "-p", package, "--bench", target, "--"]);
        if quick {
            command.args(["--max-time", "0.1"]);
        }
        let output = command.output().with_context(|| format!("cannot run the {target} benchmarks"))?;
        if !output.status.success() {
            bail!("the {target} benchmarks failed:\n{}", String::from_utf8_lossy(&output.stderr));
        }
        benches.extend(parse(&String::from_utf8_lossy(&output.stdout)));
    }
    Ok(benches)
}

/// The name and median of each row of divan's table:
/// `├─ name   fastest │ slowest │ median │ mean │ samples │ iters`.
fn parse(table: &str) -> Vec<Bench> {
    table
        .lines()
        .filter_map(|line| {
            let row = line.trim_start().strip_prefix("├─").or_else(|| line.trim_start().strip_prefix("╰─"))?;
            let columns: Vec<&str> = row.split('│').map(str::trim).collect();
            let name = columns.first()?.split_whitespace().next()?;
            let median = columns.get(2)?;
            (columns.len() >= 6).then(|| Bench { name: name.to_owned(), median: (*median).to_owned() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divan_rows_give_name_and_median() {
        let table = "rules                              fastest       │ slowest       │ median        │ mean          │ samples │ iters\n\
                     ├─ company_key                     180.2 ns      │ 1.2 µs        │ 190.5 ns      │ 200.1 ns      │ 100     │ 3200\n\
                     ╰─ visibility_decision             10.1 ns       │ 20.2 ns       │ 10.5 ns       │ 10.9 ns       │ 100     │ 51200\n";
        let benches = parse(table);
        let names: Vec<(&str, &str)> = benches.iter().map(|b| (b.name.as_str(), b.median.as_str())).collect();
        assert_eq!(names, [("company_key", "190.5 ns"), ("visibility_decision", "10.5 ns")]);
    }
}
