//! The benchmark report: the machine, the tables, the targets met or missed.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Engine, Report, SizeRun};

/// The machine a run was measured on.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Machine {
    cpu: String,
    cores: usize,
    memory_gib: f64,
    kernel: String,
    date: String,
}

impl Machine {
    /// This machine, now.
    pub(crate) fn here() -> Self {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let cpu = read("/proc/cpuinfo")
            .lines()
            .find_map(|line| {
                line.strip_prefix("model name").and_then(|rest| rest.split_once(':')).map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".into());
        let memory_kib: f64 = read("/proc/meminfo")
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let date = std::process::Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .unwrap_or_default();
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            memory_gib: memory_kib / 1024.0 / 1024.0,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
            date,
        }
    }
}

/// One target of the issue, checked against a measurement.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Check {
    target: String,
    measured: String,
    met: bool,
}

/// The targets: portal reads against `healthz` on SQLite, large/small latency, imports
/// against the raw insert, peak memory.
pub(crate) fn checks(report: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    for run in report.runs.iter().filter(|run| run.engine == Engine::Sqlite) {
        for endpoint in run.endpoints.iter().filter(|e| e.name.starts_with("portal")) {
            let met = endpoint.rps_vs_healthz >= 0.35 && endpoint.measured.p99_ms <= 10.0;
            checks.push(Check {
                target: format!(
                    "SQLite, {} clients, {}: ≥ 0.35× healthz req/s, p99 ≤ 10 ms",
                    run.clients, endpoint.name
                ),
                measured: format!("{:.2}×, p99 {:.2} ms", endpoint.rps_vs_healthz, endpoint.measured.p99_ms),
                met,
            });
        }
    }
    for (small, large) in size_pairs(report) {
        for (a, b) in small.endpoints.iter().zip(&large.endpoints) {
            let ratio = b.measured.p50_ms / a.measured.p50_ms;
            checks.push(Check {
                target: format!("{}, {}: large/small p50 ≤ 1.25", small.engine.label(), a.name),
                measured: format!("{ratio:.2}"),
                met: ratio <= 1.25,
            });
        }
    }
    for import in &report.imports {
        checks.push(Check {
            target: format!("{}, import of {} rows: ≥ 0.5× raw insert rate", import.engine.label(), import.rows),
            measured: format!("{:.2}×", import.ratio),
            met: import.ratio >= 0.5,
        });
    }
    for run in &report.runs {
        checks.push(Check {
            target: format!("{}, {} clients: peak RSS ≤ 150 MiB", run.engine.label(), run.clients),
            measured: format!("{:.0} MiB", run.peak_rss_mib),
            met: run.peak_rss_mib <= 150.0,
        });
    }
    checks
}

/// The small and the large run of each engine.
fn size_pairs(report: &Report) -> Vec<(&SizeRun, &SizeRun)> {
    report.runs.chunks(2).filter_map(|pair| Some((pair.first()?, pair.get(1)?))).collect()
}

/// The whole report as plain-text tables, the targets last.
pub(crate) fn table(report: &Report) -> String {
    let mut out = measurements(report);
    let _ = writeln!(out, "\nTargets");
    for check in checks(report) {
        let _ =
            writeln!(out, "{:<7} {:<75} {}", if check.met { "met" } else { "MISSED" }, check.target, check.measured);
    }
    out
}

/// Every measurement as plain-text tables.
fn measurements(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Endpoints ({} connections, {:.0} s each; ×healthz = req/s as a share of healthz's)",
        report.connections, report.seconds_per_endpoint
    );
    let _ = writeln!(
        out,
        "{:<11} {:>8}  {:<20} {:>9} {:>9} {:>8} {:>8} {:>7}",
        "engine", "clients", "endpoint", "req/s", "×healthz", "p50 ms", "p99 ms", "errors"
    );
    for run in &report.runs {
        for e in &run.endpoints {
            let _ = writeln!(
                out,
                "{:<11} {:>8}  {:<20} {:>9.0} {:>9.2} {:>8.2} {:>8.2} {:>7}",
                run.engine.label(),
                run.clients,
                e.name,
                e.measured.rps,
                e.rps_vs_healthz,
                e.measured.p50_ms,
                e.measured.p99_ms,
                e.measured.errors
            );
        }
    }
    let _ = writeln!(out, "\nData sets");
    let _ = writeln!(
        out,
        "{:<11} {:>8} {:>9} {:>9} {:>11} {:>12} {:>12} {:>10}",
        "engine", "clients", "tasks", "seed s", "seed rows/s", "login p50 ms", "login max ms", "peak RSS"
    );
    for run in &report.runs {
        let _ = writeln!(
            out,
            "{:<11} {:>8} {:>9} {:>9.1} {:>11.0} {:>12.1} {:>12.1} {:>6.0} MiB",
            run.engine.label(),
            run.clients,
            run.tasks,
            run.seed_seconds,
            run.seed_rows_per_s,
            run.login_p50_ms,
            run.login_max_ms,
            run.peak_rss_mib
        );
    }
    let _ = writeln!(out, "\nImports (portico import beside a raw insert of the same rows)");
    let _ = writeln!(out, "{:<11} {:>8} {:>14} {:>14} {:>7}", "engine", "rows", "import rows/s", "raw rows/s", "ratio");
    for i in &report.imports {
        let _ = writeln!(
            out,
            "{:<11} {:>8} {:>14.0} {:>14.0} {:>7.2}",
            i.engine.label(),
            i.rows,
            i.import_rows_per_s,
            i.raw_rows_per_s,
            i.ratio
        );
    }
    let _ = writeln!(out, "\nMicro-benchmarks (divan, median)");
    for bench in &report.micro {
        let _ = writeln!(out, "{:<60} {:>12}", bench.name, bench.median);
    }
    out
}

/// `docs/benchmarks.md`: how to run, the machine, the tables and the targets.
pub(crate) fn markdown(report: &Report) -> String {
    let m = &report.machine;
    let mut out = String::from(
        "# Benchmarks\n\n\
         Generated by `cargo xtask bench` (do not edit by hand; run it again). Every number is\n\
         measured in the same run as its baseline: endpoints against the server's own `healthz`\n\
         (a request that also reads the database), imports against a raw insert of the same rows\n\
         into the same engine, the large data set against the small one. `cargo xtask bench\n\
         --quick` is a smoke check with small data and short loads; it does not rewrite this file.\n\n",
    );
    let _ = writeln!(
        out,
        "Machine: {} ({} cores), {:.1} GiB memory, Linux {}; measured {}.\n",
        m.cpu, m.cores, m.memory_gib, m.kernel, m.date
    );
    out.push_str(
        "How it is measured: the release binary serves a database filled by `portico dev seed`\n\
         (ten clients and 1,000 tasks per ten projects; half the items shared with clients). The\n\
         load generator (in `xtask`) keeps every connection busy, one request after another, from\n\
         one thread, so it takes one of the cores and the server the rest. PostgreSQL is a\n\
         throw-away local cluster with `fsync` off; SQLite uses its WAL with `synchronous=NORMAL`.\n\n\
         What was changed because of these numbers, and why the missed targets are missed:\n\
         [`performance.md`](performance.md).\n\n",
    );
    out.push_str("## Targets\n\n| | Target | Measured |\n|---|---|---|\n");
    for check in checks(report) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            if check.met { "met" } else { "**missed**" },
            check.target,
            check.measured
        );
    }
    out.push_str("\n## Measurements\n\n```text\n");
    out.push_str(&measurements(report));
    out.push_str("```\n");
    out
}
