//! The real server, started in-process on port 0 against a fresh SQLite file or PostgreSQL
//! database, and HTTP clients that keep their own cookies, like separate browsers.

#![allow(dead_code, unreachable_pub, reason = "shared by several test binaries, each using its own part")]

pub mod browser;

use std::path::PathBuf;
use std::str::FromStr as _;

use portico_app::Actor;
use portico_domain::activity::{Category, Unsubscribe};
use portico_domain::ids::ClientId;
use portico_domain::mail::MailContent;
use portico_domain::staff::UserRef;
use portico_ports::{PageRequest, SecretBox as _};
use portico_server::{Running, Settings};
use portico_testdb::TempPostgres;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

/// The password every test person sets.
pub const PASSWORD: &str = "correct horse battery staple";

/// Which engine a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A fresh PostgreSQL database on the test cluster.
    Postgres,
}

/// A running server and what it owns.
pub struct TestServer {
    /// The server.
    pub running: Running,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The folder of the database (SQLite) and files.
    pub dir: TempDir,
    database_url: String,
    _postgres: Option<TempPostgres>,
}

impl TestServer {
    /// A server on `engine` with default settings.
    pub async fn start(engine: Engine) -> Self {
        Self::start_with(engine, |_| {}).await
    }

    /// A server on `engine`, with settings adjusted by `adjust`.
    pub async fn start_with(engine: Engine, adjust: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let postgres = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(TempPostgres::new().await),
        };
        let mut settings = Settings {
            database_url: match &postgres {
                None => format!("sqlite://{}", dir.path().join("portico.db").display()),
                Some(database) => database.url(),
            },
            bind: "127.0.0.1:0".to_owned(),
            files_dir: dir.path().join("files").display().to_string(),
            secret_key_file: Some(dir.path().join("secret.key").display().to_string()),
            ..Settings::default()
        };
        adjust(&mut settings);
        let config = settings.check().expect("test settings are valid");
        let running = portico_server::start(&config).await.expect("the server starts");
        let base = format!("http://{}", running.addr);
        Self { running, base, dir, database_url: settings.database_url, _postgres: postgres }
    }

    /// The database the server runs on (a URL that may hold a password).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The folder uploaded files are kept in.
    pub fn files_dir(&self) -> PathBuf {
        self.dir.path().join("files")
    }

    /// A new browser with no session.
    pub fn browser(&self) -> Browser {
        Browser {
            http: reqwest::Client::builder().cookie_store(true).build().expect("a client"),
            base: self.base.clone(),
        }
    }

    /// Sets the first admin's password through the printed link and logs in as them.
    pub async fn admin(&self) -> Browser {
        let link = self.running.admin_link.as_deref().expect("a fresh server prints the admin link");
        let token = link.rsplit('/').next().expect("the link ends with the token");
        let browser = self.browser();
        let (status, body) = browser
            .send(
                Method::POST,
                "/auth/invitations/accept",
                Some(serde_json::json!({"token": token, "password": PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        browser.log_in("admin@localhost", PASSWORD).await;
        browser
    }

    /// The actor of the server's longest-standing admin.
    pub async fn admin_actor(&self) -> Actor {
        self.running.portico().operator_admin(self.running.workspace, None).await.expect("an admin exists")
    }

    /// The secret of the newest invitation queued for the person with `email`, as they would
    /// copy it from their mail.
    pub async fn invitation_for(&self, email: &str) -> String {
        let admin = self.admin_actor().await;
        let page = PageRequest::new(None, PageRequest::MAX_LIMIT);
        let outbox = self.running.portico().outbox(&admin, &page).await.expect("the outbox");
        outbox
            .items
            .into_iter()
            .filter(|m| m.to.as_str() == email)
            .filter(|m| matches!(m.content, MailContent::Invitation { .. }))
            .find_map(|m| self.running.portico().link_secret(&m)?.ok().map(|secret| secret.expose().to_owned()))
            .unwrap_or_else(|| panic!("no invitation for {email}"))
    }

    /// The one-click unsubscribe token of the client `client` (an id) for `categories`,
    /// signed with the server's key as a notice mail's link is.
    pub fn unsubscribe_token(&self, client: &str, categories: &[Category]) -> String {
        let (keys, _) = portico_seal::KeyBox::load_or_create(&self.dir.path().join("secret.key")).expect("the key");
        let client = ClientId::from_str(client).expect("an id");
        let request = Unsubscribe::new(self.running.workspace, UserRef::Client(client), categories.iter().copied());
        request.token(&keys.sign(&request.payload()))
    }

    /// Accepts the newest invitation of `email` with [`PASSWORD`] and logs in a new browser.
    pub async fn activate(&self, email: &str) -> Browser {
        let token = self.invitation_for(email).await;
        let browser = self.browser();
        let body = serde_json::json!({"token": token, "password": PASSWORD});
        let (status, answer) = browser.send(Method::POST, "/auth/invitations/accept", Some(body)).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
        browser.log_in(email, PASSWORD).await;
        browser
    }
}

/// One browser (or API client): its own cookie jar.
#[derive(Clone)]
pub struct Browser {
    /// The HTTP client.
    pub http: reqwest::Client,
    /// The server's base URL.
    pub base: String,
}

impl Browser {
    /// `path` under `/api/v1`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Logs in, panicking on failure.
    pub async fn log_in(&self, email: &str, password: &str) {
        let body = serde_json::json!({"email": email, "password": password});
        let (status, answer) = self.send(Method::POST, "/auth/login", Some(body)).await;
        assert_eq!(status, StatusCode::OK, "login as {email}: {answer}");
    }

    /// Sends a JSON request (or none) and reads the JSON answer (`Null` when empty).
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("the server answers")).await
    }

    /// GET, reading JSON.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    /// A raw request, for bodies that are not JSON.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }
}

/// The status and JSON body of an answer.
pub async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, body)
}

/// A CSV of `count` clients, `Client 001` onwards, at `client001@many.example` and so on,
/// spread over seven companies: an agency's client list to import.
pub fn many_clients_csv(count: usize) -> String {
    let rows = (1..=count).map(|n| format!("Client {n:03},client{n:03}@many.example,Many {}\n", n % 7));
    std::iter::once("name,email,company\n".to_owned()).chain(rows).collect()
}

/// The `id` of a created object.
pub fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap_or_else(|| panic!("no id in {body}")).to_owned()
}

/// Generates one test per engine from an async function taking the [`Engine`].
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Engine::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Engine::Postgres).await;
                }
            )*
        }
    };
}
