//! The operator commands besides `serve`: `migrate`, `admin create`, `import` and `backup`.
//! Each prints what it did for people and returns an error that names what went wrong.

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use portico_app::csv;
use portico_app::{ImportMode, ImportOptions, ImportReport, ImportRow, ImportStep};
use portico_domain::email::EmailAddress;
use portico_domain::password::NewPassword;
use portico_domain::text::PersonName;
use portico_os::{RandomIds, SystemClock};

use crate::config::{Config, DatabaseUrl, SecretKey};
use crate::seed::{self, SeedPlan, SeedProgress};
use crate::server::{application, application_on, home_workspace, open_store};

/// Brings the database schema up to date.
///
/// # Errors
/// When the database cannot be opened or migrated.
pub async fn migrate(config: &Config) -> anyhow::Result<String> {
    open_store(&config.database).await?;
    Ok(format!("{} is up to date.", config.database))
}

/// Creates an admin. With a password read from standard input they can log in at once;
/// without, the answer holds a one-time set-password link to hand over.
///
/// # Errors
/// For an invalid name, address or password, or an address in use.
pub async fn create_admin(config: &Config, email: &str, name: &str, password_stdin: bool) -> anyhow::Result<String> {
    let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let password = if password_stdin { Some(read_password()?) } else { None };
    let portico = application(config).await?;
    let workspace = home_workspace(&portico, config).await?;
    let (staff, link) = portico.bootstrap_admin(workspace, name, email, password).await.map_err(|e| match e {
        portico_app::AppError::Conflict(_) => anyhow::anyhow!("--email: the address is already in use"),
        other => anyhow::Error::new(other),
    })?;
    Ok(match link {
        Some(secret) => format!(
            "Created admin {} <{}>. They set a password (within 7 days) at:\n  {}",
            staff.name.as_str(),
            staff.email,
            config.public_url.invitation_link(&secret)
        ),
        None => format!("Created admin {} <{}>; they can log in now.", staff.name.as_str(), staff.email),
    })
}

/// Copies a running SQLite installation into the new (or empty) `folder`: the database as of
/// one instant, checked for integrity, then the secret key file and the uploaded files — so
/// every file the database copy names is in the copy.
///
/// # Errors
/// For PostgreSQL (use `pg_dump`), a folder that is not empty, or anything that cannot be
/// read or written; a copy that fails its integrity check.
pub async fn backup(config: &Config, folder: &Path) -> anyhow::Result<String> {
    let DatabaseUrl::Sqlite(database) = &config.database else {
        bail!(
            "portico backup copies SQLite installations; back up PostgreSQL with pg_dump, and the secret \
             key and {} with it (docs/operations.md, Backups)",
            config.files_dir.display()
        );
    };
    let not_empty = std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty || folder.is_file() {
        bail!("{} is not an empty folder; name a new one", folder.display());
    }
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let progress = steps_bar();
    progress.set_message("copying the database");
    let store = portico_sqlite::SqliteStore::open(database)
        .await
        .with_context(|| format!("cannot open {}", config.database))?;
    let copy = folder.join("portico.db");
    store.back_up_to(&copy).await.context("cannot copy the database")?;
    let problems = portico_sqlite::SqliteStore::integrity_problems(&copy).await.context("cannot check the copy")?;
    if !problems.is_empty() {
        bail!("the copy of the database failed its integrity check: {}", problems.join("; "));
    }
    let size = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or_default();
    progress.set_message("copying the secret key");
    let key = match &config.secret_key {
        SecretKey::File(path) if path.exists() => {
            copy_file(path, &folder.join(crate::config::KEY_FILE))?;
            format!("{} (the secret key; keep it apart from database copies if you can)", crate::config::KEY_FILE)
        }
        SecretKey::File(path) => format!("no secret key: {} does not exist yet", path.display()),
        SecretKey::Given(_) => "not the secret key: it is PORTICO_SECRET_KEY, keep it with this backup".to_owned(),
    };
    progress.set_message("copying the uploaded files");
    let files = match copy_files(&config.files_dir, &folder.join("files"))? {
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    };
    progress.finish_and_clear();
    Ok(format!(
        "Backed up {} to {}:\n  portico.db ({size} bytes, integrity ok)\n  {key}\n  files/ ({files})\n\
         To restore, stop Portico and put these in place (docs/operations.md, Backups).",
        config.database,
        folder.display(),
    ))
}

/// A spinner naming the step under way, on a terminal.
fn steps_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// Copies one file, readable by its owner only (it may be the secret key).
fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::copy(from, to).with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot protect {}", to.display()))?;
    }
    Ok(())
}

/// Copies the uploaded files under `from` (if any) into `to`, skipping unfinished uploads;
/// returns how many were copied.
fn copy_files(from: &Path, to: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(0) };
    let mut copied = 0;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        if path.is_dir() {
            copied += copy_files(&path, &target)?;
        } else if path.extension().is_none_or(|extension| extension != "partial") {
            std::fs::copy(&path, &target).with_context(|| format!("cannot copy {}", path.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Reads a new password from the first line of standard input.
fn read_password() -> anyhow::Result<NewPassword> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let text = line.trim_end_matches(['\r', '\n']);
    NewPassword::parse(text).map_err(|e| anyhow::anyhow!("the password: {e}"))
}

/// Fills a fresh database with `plan` (see [`crate::seed`]), with a progress bar on a
/// terminal. The admin and every active client get the password read from standard input.
///
/// # Errors
/// When the database is not empty or cannot be written, or for a password the rules refuse.
pub async fn seed(config: &Config, plan: SeedPlan) -> anyhow::Result<String> {
    let password = read_password()?;
    let started = Instant::now();
    let store = open_store(&config.database).await?;
    let portico = application_on(config, Arc::clone(&store))?;
    let bar = progress_bar(0);
    let on_progress = |p: SeedProgress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let summary = seed::seed(&portico, store, (&SystemClock, &RandomIds), plan, password, &on_progress).await?;
    bar.finish_and_clear();
    let counts: Vec<String> = summary.counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    Ok(format!(
        "Seeded {} in {:.1} s: {}.\n  admin:  {}\n  sample client: {}\n  (the admin and every active client have the password you gave)",
        config.database,
        started.elapsed().as_secs_f64(),
        counts.join(", "),
        seed::SEED_ADMIN,
        summary.sample_client,
    ))
}

/// Inserts a CSV file's rows as new clients with none of an import's checks or records
/// (see [`seed::insert_rows`]): the floor for measuring imports.
///
/// # Errors
/// When the file cannot be read or parsed, a row is invalid, or the database refuses a row.
pub async fn insert_raw(config: &Config, file: &Path) -> anyhow::Result<String> {
    let rows = read_rows(file)?;
    let started = Instant::now();
    let store = open_store(&config.database).await?;
    let portico = application_on(config, Arc::clone(&store))?;
    let workspace = home_workspace(&portico, config).await?;
    let inserted = seed::insert_rows(store.as_ref(), workspace, (&SystemClock, &RandomIds), &rows).await?;
    Ok(format!("Inserted {inserted} rows in {:.2} s.", started.elapsed().as_secs_f64()))
}

/// Reads an import file, or fails with every problem of its shape.
fn read_rows(file: &Path) -> anyhow::Result<Vec<ImportRow>> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    csv::read_import(&bytes)
        .map_err(|problems| anyhow::anyhow!(describe(&ImportReport { problems, ..ImportReport::default() }, true)))
}

/// What `portico import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The CSV file.
    pub file: &'a Path,
    /// Check and report only.
    pub dry_run: bool,
    /// Create only, or create and update.
    pub mode: ImportMode,
    /// Send new clients their invitations.
    pub invite: bool,
    /// The admin to act as (default: the longest-standing one).
    pub admin: Option<&'a str>,
}

/// Imports clients from a CSV file, with a progress bar on a terminal.
///
/// # Errors
/// When the file cannot be read, no admin can act, or any row has a problem (then nothing is
/// written, and every problem is listed).
pub async fn import(config: &Config, request: &ImportRequest<'_>) -> anyhow::Result<String> {
    let rows = read_rows(request.file)?;
    let portico = application(config).await?;
    let workspace = home_workspace(&portico, config).await?;
    let email = match request.admin {
        Some(text) => Some(EmailAddress::parse(text).map_err(|e| anyhow::anyhow!("--as: {e}"))?),
        None => None,
    };
    let admin = portico.operator_admin(workspace, email.as_ref()).await.map_err(|_| match request.admin {
        Some(email) => anyhow::anyhow!("--as: {email} is not an active admin"),
        None => anyhow::anyhow!("there is no active admin yet; run `portico admin create` first"),
    })?;

    let steps = if request.dry_run { rows.len() } else { rows.len() * 2 };
    let bar = progress_bar(steps as u64);
    let total = rows.len();
    let on_step = |step| match step {
        ImportStep::Checked(n) => bar.set_position(n as u64),
        ImportStep::Written(n) => bar.set_position((total + n) as u64),
    };
    let options = ImportOptions { mode: request.mode, dry_run: request.dry_run, invite: request.invite };
    let report = portico.import_clients(&admin, rows, options, &on_step).await?;
    bar.finish_and_clear();
    let summary = describe(&report, request.dry_run);
    if report.problems.is_empty() { Ok(summary) } else { bail!(summary) }
}

fn progress_bar(steps: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {wide_bar} {pos}/{len} ({eta} left)") {
        bar.set_style(style);
    }
    bar
}

/// The report for people.
fn describe(report: &ImportReport, dry_run: bool) -> String {
    if !report.problems.is_empty() {
        let lines = report.problems.iter().map(|p| format!("  row {}, {}: {}\n", p.row, p.field, p.message));
        return format!("{} problem(s); nothing was written:\n{}", report.problems.len(), lines.collect::<String>());
    }
    let verb = if report.applied { "Imported" } else { "Would import" };
    let counts = format!("{verb}: {} new, {} updated, {} unchanged.", report.created, report.updated, report.unchanged);
    if dry_run { format!("{counts} (Dry run: nothing was written.)") } else { counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portico_app::ImportProblem;

    #[test]
    fn reports_read_well() {
        let report = ImportReport { created: 2, updated: 1, ..ImportReport::default() };
        assert_eq!(
            describe(&report, true),
            "Would import: 2 new, 1 updated, 0 unchanged. (Dry run: nothing was written.)"
        );
        let problem = ImportProblem { row: 4, field: "email".into(), message: "must contain @".into() };
        let failed = ImportReport { problems: vec![problem], ..ImportReport::default() };
        assert_eq!(describe(&failed, false), "1 problem(s); nothing was written:\n  row 4, email: must contain @\n");
    }
}
