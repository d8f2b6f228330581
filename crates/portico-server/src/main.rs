//! `portico`: the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use portico_app::ImportMode;
use portico_server::commands::{self, ImportRequest};
use portico_server::seed::SeedPlan;
use portico_server::{Config, Settings};
use tracing_subscriber::EnvFilter;

/// mimalloc hands freed memory back to the system where glibc's allocator keeps it in
/// per-thread arenas: each login's password hash borrows 19 MiB, and with glibc a busy server
/// kept one such block per blocking thread (`cargo xtask bench` measures peak memory).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Portico: client management with a client portal.
#[derive(Debug, Parser)]
#[command(name = "portico", version, after_help = SETTINGS_HELP)]
struct Cli {
    /// A configuration file (default: ./portico.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

const SETTINGS_HELP: &str = "Settings come from defaults, then portico.toml (or --config), then environment \
variables: PORTICO_DATABASE_URL, PORTICO_BIND, PORTICO_PUBLIC_URL, PORTICO_SMTP_URL, PORTICO_MAIL_FROM, \
PORTICO_FILES_DIR and more (see docs/operations.md).";

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the server (web application and mail delivery) until Ctrl-C or SIGTERM.
    Serve,
    /// Brings the database schema up to date, then exits.
    Migrate,
    /// Copies a running SQLite installation (database, secret key file, uploaded files) into a
    /// new folder, consistently and without stopping it (PostgreSQL: see docs/operations.md).
    Backup {
        /// The folder to create (or an empty one).
        folder: PathBuf,
    },
    /// Manages admins.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Imports clients from a CSV file with a header row (name and email required; also company, phone, billing address, notes, permissions).
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Check every row and report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// `create`: every row must be a new client. `upsert`: rows with a known email update that client.
        #[arg(long, value_enum, default_value = "create")]
        mode: Mode,
        /// Send new clients their invitations.
        #[arg(long)]
        invite: bool,
        /// The admin to act as (default: the longest-standing admin).
        #[arg(long = "as", value_name = "EMAIL")]
        admin: Option<String>,
    },
    /// Prints the API's OpenAPI 3.1 description (as served at /api/v1/openapi.json), for
    /// generating a client without a running server.
    Openapi,
    /// Tools for developers.
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Fills a fresh, empty database with a realistic agency (clients, projects, tasks, messages,
    /// assignments, invoices) for benchmarks and demos. The admin (admin@seed.portico.test) and
    /// every active client get the password read from the first line of standard input.
    Seed {
        /// Clients to create.
        #[arg(long, default_value_t = 1_000)]
        clients: usize,
        /// Projects to create (default: one per ten clients).
        #[arg(long)]
        projects: Option<usize>,
        /// Tasks in each project (half of them shared with clients).
        #[arg(long, default_value_t = 100)]
        tasks_per_project: usize,
        /// Messages in each project (half of them internal).
        #[arg(long, default_value_t = 4)]
        messages_per_project: usize,
    },
    /// Inserts a CSV file's rows as new clients without any of an import's checks, audit or
    /// invitations, in one transaction: the floor `cargo xtask bench` measures imports against.
    InsertRaw {
        /// The CSV file (the columns of `portico import`).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Creates an admin; prints a set-password link unless --password-stdin is given.
    Create {
        /// Login address.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Mode {
    Create,
    Upsert,
}

#[allow(clippy::print_stdout, reason = "the command line talks to its operator")]
fn main() -> ExitCode {
    let cli = Cli::parse();
    // The description needs no settings: it is the same for every installation.
    if matches!(cli.command, Command::Openapi) {
        println!("{}", portico_http::openapi_json());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => return fail(&format!("cannot read the configuration: {error}")),
    };
    let config = match settings.check() {
        Ok(config) => config,
        Err(errors) => return fail(&errors.to_string()),
    };
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start: {error}")),
    };
    match runtime.block_on(run(cli.command, &config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&format!("{error:#}")),
    }
}

#[allow(clippy::print_stdout, reason = "the command line talks to its operator")]
async fn run(command: Command, config: &Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(config).await,
        Command::Openapi => unreachable!("answered before the settings are read"),
        Command::Migrate => {
            println!("{}", commands::migrate(config).await?);
            Ok(())
        }
        Command::Backup { folder } => {
            println!("{}", commands::backup(config, &folder).await?);
            Ok(())
        }
        Command::Admin(AdminCommand::Create { email, name, password_stdin }) => {
            println!("{}", commands::create_admin(config, &email, &name, password_stdin).await?);
            Ok(())
        }
        Command::Import { file, dry_run, mode, invite, admin } => {
            let mode = match mode {
                Mode::Create => ImportMode::Create,
                Mode::Upsert => ImportMode::Upsert,
            };
            let request = ImportRequest { file: &file, dry_run, mode, invite, admin: admin.as_deref() };
            println!("{}", commands::import(config, &request).await?);
            Ok(())
        }
        Command::Dev(DevCommand::Seed { clients, projects, tasks_per_project, messages_per_project }) => {
            let projects = projects.unwrap_or_else(|| clients.div_ceil(10));
            let plan = SeedPlan { clients, projects, tasks_per_project, messages_per_project };
            println!("{}", commands::seed(config, plan).await?);
            Ok(())
        }
        Command::Dev(DevCommand::InsertRaw { file }) => {
            println!("{}", commands::insert_raw(config, &file).await?);
            Ok(())
        }
    }
}

#[allow(clippy::print_stdout, reason = "the command line talks to its operator")]
async fn serve(config: &Config) -> anyhow::Result<()> {
    let stop = shutdown_signal();
    let running = portico_server::start(config).await?;
    println!("Portico is running at {}", running.public_url);
    println!("  data:  {}", config.database);
    println!("  files: {}", config.files_dir.display());
    match &config.smtp {
        Some(smtp) => println!("  mail:  through {}:{}", smtp.host, smtp.port),
        None => println!(
            "  mail:  no mail server (PORTICO_SMTP_URL); messages wait in the outbox, where admins copy invitation links"
        ),
    }
    match &config.secret_key {
        portico_server::config::SecretKey::File(path) => {
            println!("  key:   {} (back it up apart from the database)", path.display());
        }
        portico_server::config::SecretKey::Given(_) => println!("  key:   from PORTICO_SECRET_KEY"),
    }
    if let Some(link) = &running.admin_link {
        println!();
        println!(
            "No admin has a password yet. Set one for {} within 7 days at:",
            portico_server::server::FIRST_ADMIN_EMAIL
        );
        println!("  {link}");
    }
    println!();
    println!("Press Ctrl-C to stop.");
    running.run_until(stop).await
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: a signal that arrives right after the banner says "Press
/// Ctrl-C" must stop the server gracefully, not kill it.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let handlers = signal(SignalKind::interrupt()).and_then(|i| Ok((i, signal(SignalKind::terminate())?)));
        async move {
            match handlers {
                Ok((mut interrupt, mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[allow(clippy::print_stderr, reason = "errors go to the operator")]
fn fail(message: &str) -> ExitCode {
    eprintln!("portico: {}", message.trim_end());
    ExitCode::FAILURE
}
