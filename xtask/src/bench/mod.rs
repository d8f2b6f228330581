//! `cargo xtask bench`: how fast Portico is, as ratios against baselines measured in the same
//! run, on SQLite and on a throw-away PostgreSQL.
//!
//! For each engine and each of two data sizes it seeds a fresh database (`portico dev seed`),
//! starts the release server, and loads each endpoint for a while at 32 connections; the
//! server's own `healthz` is the baseline. It then times `portico import` against the raw
//! insert of the same rows (`portico dev insert-raw`), runs the micro-benchmarks (divan), and
//! writes the table, `target/bench/report.json` and, for full runs, `docs/benchmarks.md`.

// Measurements are counts and durations turned into rates and percentiles: the casts between
// integers and floats are the point, and far inside the ranges where they are exact enough.
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]

mod load;
mod micro;
mod process;
mod report;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use self::load::{Measured, Target};
use self::process::{PASSWORD, Portico, Server};
use crate::{cargo, postgres, root, step};

/// How big and how long.
struct Plan {
    quick: bool,
    engines: Vec<Engine>,
    /// Clients of the small and the large data set (ten per project, 100 tasks each).
    sizes: [usize; 2],
    /// Rows of the two import files.
    imports: [usize; 2],
    /// How long each endpoint is loaded.
    duration: Duration,
    connections: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn label(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// One endpoint's measurement at one size on one engine.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EndpointRun {
    name: &'static str,
    #[serde(flatten)]
    measured: Measured,
    /// Requests per second as a share of `healthz`'s in the same run.
    rps_vs_healthz: f64,
}

/// One engine at one data size.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SizeRun {
    engine: Engine,
    clients: usize,
    tasks: usize,
    seed_seconds: f64,
    seed_rows_per_s: f64,
    login_p50_ms: f64,
    login_max_ms: f64,
    peak_rss_mib: f64,
    endpoints: Vec<EndpointRun>,
}

/// An import beside the raw insert of the same rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImportRun {
    engine: Engine,
    rows: usize,
    import_rows_per_s: f64,
    raw_rows_per_s: f64,
    ratio: f64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    quick: bool,
    machine: report::Machine,
    connections: usize,
    seconds_per_endpoint: f64,
    runs: Vec<SizeRun>,
    imports: Vec<ImportRun>,
    micro: Vec<micro::Bench>,
}

const USAGE: &str = "\
Usage: cargo xtask bench [--quick] [--engine sqlite|postgres]

  --quick     small data sets and short loads: a smoke check in a few minutes
  --engine    only this engine (default: both)";

/// Runs the benchmarks named by `args`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let plan = parse(args)?;
    let started = Instant::now();
    let mut build = cargo();
    build.args(["build", "--release", "-p", "portico-server"]);
    step("cargo build --release", build)?;
    let target = crate::target_dir();
    let out = target.join("bench");
    let work = out.join("work");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let portico = Portico { bin: target.join("release").join("portico"), work };

    let mut report = Report {
        quick: plan.quick,
        machine: report::Machine::here(),
        connections: plan.connections,
        seconds_per_endpoint: plan.duration.as_secs_f64(),
        runs: Vec::new(),
        imports: Vec::new(),
        micro: Vec::new(),
    };
    for &engine in &plan.engines {
        let cluster = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => {
                println!("==> PostgreSQL: starting a throw-away cluster");
                Some(postgres::Cluster::start()?)
            }
        };
        let database = |name: &str| -> Result<String> {
            match &cluster {
                Some(cluster) => cluster.fresh_database(name),
                None => Ok(format!("sqlite://{}", portico.work.join(format!("{name}.db")).display())),
            }
        };
        for clients in plan.sizes {
            let name = format!("seed_{clients}");
            let url = database(&name)?;
            let seeded = seed(&portico, &url, clients, engine)?;
            if let Some(cluster) = &cluster {
                // As after any bulk load (autovacuum would get there too, a little later).
                cluster.psql(&name, "ANALYZE")?;
            }
            report.runs.push(measure_size(&portico, &plan, engine, &url, seeded)?);
        }
        for rows in plan.imports {
            let imported = database(&format!("import_{rows}"))?;
            let raw = database(&format!("raw_{rows}"))?;
            report.imports.push(measure_import(&portico, engine, &imported, &raw, rows)?);
        }
    }
    println!("==> micro-benchmarks (divan)");
    report.micro = micro::run(plan.quick)?;

    let table = report::table(&report);
    println!("\n{table}");
    let json = out.join("report.json");
    fs::write(&json, serde_json::to_string_pretty(&report)?)?;
    println!("Wrote {}", json.display());
    if plan.quick {
        println!("(--quick: docs/benchmarks.md is left as it is; it holds a full run.)");
    } else {
        let docs = root().join("docs").join("benchmarks.md");
        fs::write(&docs, report::markdown(&report))?;
        println!("Wrote {}", docs.display());
    }
    println!("Benchmarks done in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}

fn parse(args: &[String]) -> Result<Plan> {
    let mut quick = false;
    let mut engines = vec![Engine::Sqlite, Engine::Postgres];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--engine" => {
                engines = match args.next().map(String::as_str) {
                    Some("sqlite") => vec![Engine::Sqlite],
                    Some("postgres") => vec![Engine::Postgres],
                    _ => bail!("--engine takes sqlite or postgres\n\n{USAGE}"),
                }
            }
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let (sizes, imports, seconds) =
        if quick { ([200, 2_000], [1_000, 5_000], 2) } else { ([1_000, 100_000], [10_000, 100_000], 10) };
    Ok(Plan { quick, engines, sizes, imports, duration: Duration::from_secs(seconds), connections: 32 })
}

/// A seeded database: its size, how long seeding took, and a client to log in as.
struct Seeded {
    clients: usize,
    tasks: usize,
    rows: u64,
    took: Duration,
    sample: String,
}

/// Seeds `clients` clients (a project per ten, 100 tasks each) into `database`.
fn seed(portico: &Portico, database: &str, clients: usize, engine: Engine) -> Result<Seeded> {
    let projects = clients.div_ceil(10);
    println!("==> {}: seeding {clients} clients, {projects} projects, {} tasks", engine.label(), projects * 100);
    let args = ["dev", "seed", "--clients", &clients.to_string()];
    let (output, took) = portico.run(database, &args, PASSWORD)?;
    let rows = seeded_rows(&output);
    println!("    {} rows in {:.1} s", rows, took.as_secs_f64());
    let sample = output
        .lines()
        .find_map(|line| line.trim().strip_prefix("sample client: "))
        .context("the seeder named no sample client")?
        .to_owned();
    Ok(Seeded { clients, tasks: projects * 100, rows, took, sample })
}

/// Serves a seeded database and loads every endpoint.
fn measure_size(portico: &Portico, plan: &Plan, engine: Engine, database: &str, seeded: Seeded) -> Result<SizeRun> {
    let Seeded { clients, tasks, rows, took: seeding, sample } = seeded;
    let log = portico.work.join(format!("server-{}-{clients}.log", engine.label()));
    let server = portico.serve(database, &log)?;
    let (login_p50_ms, login_max_ms) = login_latency(&server, &sample)?;
    let client = server.log_in(&sample)?;
    let admin = server.log_in("admin@seed.portico.test")?;
    let projects_json = server.get_json("/api/v1/portal/projects", &client)?;
    let project = first_id(&projects_json).context("the sample client sees no project")?;
    let found = server.get_json(&format!("/api/v1/clients?q={}", encode(&sample)), &admin)?;
    let client_id = first_id(&found).context("the admin search did not find the sample client")?;

    // Looking a client up by address finds one client at any size; a surname that one client
    // in twenty has ("chen") finds more the more clients there are.
    let endpoints: [(&'static str, String, Option<&str>); 7] = [
        ("healthz", "/api/v1/healthz".into(), None),
        ("portal projects", "/api/v1/portal/projects".into(), Some(&client)),
        ("portal project", format!("/api/v1/portal/projects/{project}"), Some(&client)),
        ("portal invoices", "/api/v1/portal/invoices".into(), Some(&client)),
        ("admin client search", format!("/api/v1/clients?q={}", encode(&sample)), Some(&admin)),
        ("admin broad search", "/api/v1/clients?q=chen".into(), Some(&admin)),
        ("admin client page", format!("/admin/clients/{client_id}"), Some(&admin)),
    ];
    let mut runs: Vec<EndpointRun> = Vec::new();
    for (name, path, cookie) in endpoints {
        let target = Target { path, cookie: cookie.map(str::to_owned) };
        let measured = load::measure(server.addr, &target, plan.connections, plan.duration)?;
        let baseline = runs.first().map_or(measured.rps, |healthz| healthz.measured.rps);
        println!(
            "    {name:<20} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}",
            measured.rps, measured.p50_ms, measured.p99_ms, measured.errors
        );
        runs.push(EndpointRun { name, measured, rps_vs_healthz: measured.rps / baseline });
    }
    let peak_rss_mib = server.peak_rss_mib()?;
    drop(server);
    Ok(SizeRun {
        engine,
        clients,
        tasks,
        seed_seconds: seeding.as_secs_f64(),
        seed_rows_per_s: rows as f64 / seeding.as_secs_f64(),
        login_p50_ms,
        login_max_ms,
        peak_rss_mib,
        endpoints: runs,
    })
}

/// The sum of the counts in the seeder's "Seeded … in … s: 10 projects, 1000 tasks, …" line.
fn seeded_rows(output: &str) -> u64 {
    let counts = output.lines().next().and_then(|line| line.split_once(": ")).map_or("", |(_, counts)| counts);
    counts.split(", ").filter_map(|part| part.split_whitespace().next()?.parse::<u64>().ok()).sum()
}

/// `text` percent-encoded for a query string.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The `id` of the first item of a list answer.
fn first_id(list: &serde_json::Value) -> Option<String> {
    list.get("items")?.get(0)?.get("id")?.as_str().map(str::to_owned)
}

/// Ten logins one after another (argon2 makes each deliberately slow): median and slowest.
fn login_latency(server: &Server, email: &str) -> Result<(f64, f64)> {
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        server.log_in(email)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("    login: p50 {:.1} ms, slowest {:.1} ms", times[times.len() / 2], times[times.len() - 1]);
    Ok((times[times.len() / 2], times[times.len() - 1]))
}

/// Imports `rows` generated clients into a fresh database, and inserts the same rows raw into
/// another.
fn measure_import(portico: &Portico, engine: Engine, imported: &str, raw: &str, rows: usize) -> Result<ImportRun> {
    println!("==> {}: importing {rows} rows", engine.label());
    let file = portico.work.join(format!("import-{rows}.csv"));
    write_import_file(&file, rows)?;
    let file = file.to_string_lossy().into_owned();
    portico.run(
        imported,
        &["admin", "create", "--email", "bench@example.com", "--name", "Bench Admin", "--password-stdin"],
        PASSWORD,
    )?;
    let (_, import) = portico.run(imported, &["import", &file], "")?;
    portico.run(raw, &["migrate"], "")?;
    let (_, insert) = portico.run(raw, &["dev", "insert-raw", &file], "")?;
    let run = ImportRun {
        engine,
        rows,
        import_rows_per_s: rows as f64 / import.as_secs_f64(),
        raw_rows_per_s: rows as f64 / insert.as_secs_f64(),
        ratio: insert.as_secs_f64() / import.as_secs_f64(),
    };
    println!(
        "    import {:.0} rows/s, raw insert {:.0} rows/s ({:.2}×)",
        run.import_rows_per_s, run.raw_rows_per_s, run.ratio
    );
    Ok(run)
}

/// A CSV of `rows` distinct clients with every column an agency usually has.
fn write_import_file(path: &Path, rows: usize) -> Result<()> {
    let mut csv = String::from("name,email,company,phone,billing_address,notes,permissions\n");
    for i in 0..rows {
        let preset = ["full_access", "collaborator", "billing_only", "overview_only"][i % 4];
        let _ = writeln!(
            csv,
            "Client {i},client{i}@import{}.example,Importers {} Ltd,+44 20 7946 {:04},\"{i} High Street\nLondon\",,{preset}",
            i / 50,
            i / 50,
            i % 10_000
        );
    }
    fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeders_counts_add_up() {
        let output =
            "Seeded SQLite at x.db in 1.6 s: 100 projects, 10000 tasks, 400 messages, 1000 clients.\n  admin: a";
        assert_eq!(seeded_rows(output), 11_500);
    }

    #[test]
    fn list_answers_give_their_first_id() {
        let list = serde_json::json!({ "items": [{ "id": "a" }, { "id": "b" }], "next_cursor": null });
        assert_eq!(first_id(&list).as_deref(), Some("a"));
        assert_eq!(first_id(&serde_json::json!({ "items": [] })), None);
    }

    #[test]
    fn query_text_is_percent_encoded() {
        assert_eq!(encode("Chen Studios 0"), "Chen%20Studios%200");
        assert_eq!(encode("a.b@c"), "a%2Eb%40c");
    }
}
