//! Wiring: the configured adapters behind one [`Portico`], the web application and the mail
//! delivery worker, started together and stopped together.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use portico_app::mail::{MailSettings, PublicUrl};
use portico_app::{Portico, Services};
use portico_argon2::Argon2Hasher;
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;
use portico_domain::text::PersonName;
use portico_http::{AppState, HttpConfig};
use portico_os::{LocalFileStore, RandomIds, RandomSecrets, SystemClock};
use portico_ports::{Mailer, Store};
use portico_postgres::PgStore;
use portico_smtp::SmtpMailer;
use portico_sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, DatabaseUrl};
use crate::delivery::DeliveryWorker;

/// The address of the admin a fresh installation is handed over with.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost";

/// PostgreSQL connections per server process.
const POSTGRES_POOL: u32 = 16;

/// Opens the configured database and brings its schema up to date.
///
/// # Errors
/// When the database cannot be opened or migrated.
pub async fn open_store(database: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match database {
        DatabaseUrl::Sqlite(path) => {
            Arc::new(SqliteStore::open(path).await.with_context(|| format!("cannot open {database}"))?)
        }
        DatabaseUrl::Postgres(url) => {
            Arc::new(PgStore::connect(url, POSTGRES_POOL).await.with_context(|| format!("cannot open {database}"))?)
        }
    };
    Ok(store)
}

/// The application on the configured adapters.
///
/// # Errors
/// When the database cannot be opened or migrated, or the sealing key cannot be had.
pub async fn application(config: &Config) -> anyhow::Result<Portico> {
    application_on(config, open_store(&config.database).await?)
}

/// The application on an open store and the other configured adapters.
///
/// # Errors
/// When the sealing key cannot be read, or its file cannot be created.
pub fn application_on(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<Portico> {
    let (secret_box, created) = config.secret_key.open().context("cannot use the secret key")?;
    if created {
        tracing::info!(
            key_id = secret_box.key_id(),
            "created a new secret key; back its file up apart from the database"
        );
    }
    Ok(Portico::new(Services {
        store,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        secrets: Arc::new(RandomSecrets),
        secret_box: Arc::new(secret_box),
        hasher: Arc::new(Argon2Hasher::new()),
        files: Arc::new(LocalFileStore::new(&config.files_dir)),
        documents: Arc::new(portico_pdf::PdfDocuments),
    }))
}

/// The workspace this server serves: the oldest one, created on first start.
///
/// # Errors
/// Storage failures.
pub async fn home_workspace(portico: &Portico, config: &Config) -> anyhow::Result<WorkspaceId> {
    if let Some(workspace) = portico.workspaces().await?.first() {
        return Ok(workspace.id);
    }
    let workspace = portico.create_workspace(config.workspace_name.clone()).await?;
    tracing::info!(workspace = %workspace.id, "created the workspace");
    Ok(workspace.id)
}

/// A running server.
pub struct Running {
    /// Where it listens (the real port when bound to port 0).
    pub addr: SocketAddr,
    /// Where people reach it.
    pub public_url: PublicUrl,
    /// The set-password link for the first admin, while no admin has a password.
    pub admin_link: Option<String>,
    /// The workspace it serves.
    pub workspace: WorkspaceId,
    portico: Portico,
    shutdown: watch::Sender<bool>,
    web: JoinHandle<std::io::Result<()>>,
    mail: JoinHandle<()>,
}

impl Running {
    /// The application behind the server (for operator tools and test setup).
    pub fn portico(&self) -> &Portico {
        &self.portico
    }

    /// Stops accepting requests, finishes those in flight and the mail being sent, and waits.
    ///
    /// # Errors
    /// When the web server failed.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.mail.await.context("the mail worker panicked")?;
        self.web.await.context("the web server panicked")?.context("the web server failed")
    }

    /// Runs until `signal` completes, then stops.
    ///
    /// # Errors
    /// When the web server failed.
    pub async fn run_until(self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        signal.await;
        tracing::info!("shutting down");
        self.stop().await
    }
}

/// Starts the server: storage, the home workspace, the first-admin link, the web
/// application on `config.bind` and the delivery worker.
///
/// # Errors
/// When storage cannot be opened, the address cannot be bound or the mail server setting
/// cannot be used.
pub async fn start(config: &Config) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url_at(addr);
    let portico = application(config).await?;
    let workspace = home_workspace(&portico, config).await?;
    let name = PersonName::parse("Administrator").context("the first admin's name")?;
    let email = EmailAddress::parse(FIRST_ADMIN_EMAIL).context("the first admin's address")?;
    let admin_link =
        (portico.first_admin_link(workspace, name, email).await?).map(|secret| public_url.invitation_link(&secret));

    let mut http = HttpConfig::new(public_url.clone(), workspace);
    http.json_limit = config.json_limit;
    http.upload_limit = config.upload_limit;
    http.session = config.session;
    let mailer: Option<Arc<dyn Mailer>> = match &config.smtp {
        Some(smtp) => Some(Arc::new(SmtpMailer::new(smtp).context("cannot use the mail server")?)),
        None => None,
    };
    let app = portico_http::router(AppState::new(portico.clone(), http).with_mailer(mailer.clone()));

    let (shutdown, stopped) = watch::channel(false);
    let worker = DeliveryWorker::new(portico.clone(), mailer, MailSettings::new(public_url.clone()));
    let mail = tokio::spawn(worker.run(stopped.clone()));
    let mut web_stopped = stopped;
    let web = tokio::spawn(portico_http::serve(listener, app, async move {
        let _ = web_stopped.wait_for(|stop| *stop).await;
    }));
    tracing::info!(%addr, database = %config.database, "serving");
    Ok(Running { addr, public_url, admin_link, workspace, portico, shutdown, web, mail })
}
