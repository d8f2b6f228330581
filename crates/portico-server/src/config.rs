//! Configuration: defaults that run a working server in an empty folder, overridden by a
//! `portico.toml` and then by `PORTICO_*` environment variables, and checked as a whole at
//! start so every mistake is reported at once, by the name the operator typed.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use portico_app::mail::PublicUrl;
use portico_domain::session::SessionPolicy;
use portico_domain::text::WorkspaceName;
use portico_seal::{KeyBox, KeyError};
use portico_smtp::SmtpConfig;
use serde::{Deserialize, Serialize};

/// The settings as written, before checking. Every field can be set in `portico.toml` or as
/// `PORTICO_<FIELD>` (upper case), e.g. `PORTICO_DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://user:password@host/db`.
    pub database_url: String,
    /// The address and port to listen on.
    pub bind: String,
    /// Where people reach Portico (links in mail, cookie security); `http://BIND` if unset.
    pub public_url: Option<String>,
    /// The mail server; without it, mail waits in the outbox (admins copy invitation links there).
    pub smtp_url: Option<String>,
    /// The sender of every mail (`Studio North <portal@studio.example>`).
    pub mail_from: Option<String>,
    /// Where uploaded files are kept.
    pub files_dir: String,
    /// The key that seals link secrets waiting in the outbox, as 64 hex digits; without it,
    /// the key is kept in `secret_key_file`.
    pub secret_key: Option<KeyText>,
    /// The file holding the sealing key, created with a new key on first start; by default
    /// `secret.key` beside the SQLite database (`./portico-data/` with PostgreSQL).
    pub secret_key_file: Option<String>,
    /// The name of the workspace created on first start.
    pub workspace_name: String,
    /// The largest JSON body, in KiB.
    pub json_limit_kib: usize,
    /// The largest upload (file or CSV import), in MiB.
    pub upload_limit_mib: usize,
    /// Minutes of inactivity that end a session.
    pub session_idle_minutes: u32,
    /// Hours after login that end a session, however busy.
    pub session_absolute_hours: u32,
    /// What to log (`info`, `debug`, `portico_http=debug,info`, ...).
    pub log: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://./portico-data/portico.db".to_owned(),
            bind: "127.0.0.1:8080".to_owned(),
            public_url: None,
            smtp_url: None,
            mail_from: None,
            files_dir: "./portico-data/files".to_owned(),
            secret_key: None,
            secret_key_file: None,
            workspace_name: "Portico".to_owned(),
            json_limit_kib: 1024,
            upload_limit_mib: 25,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            log: "info,sqlx=warn".to_owned(),
        }
    }
}

/// Every setting's name, as in `portico.toml` (and, upper-cased, after `PORTICO_`).
const SETTING_NAMES: [&str; 14] = [
    "database_url",
    "bind",
    "public_url",
    "smtp_url",
    "mail_from",
    "files_dir",
    "secret_key",
    "secret_key_file",
    "workspace_name",
    "json_limit_kib",
    "upload_limit_mib",
    "session_idle_minutes",
    "session_absolute_hours",
    "log",
];

/// The name of the key file when none is set.
pub const KEY_FILE: &str = "secret.key";

/// The file read when it exists and no other is named.
pub const DEFAULT_CONFIG_FILE: &str = "portico.toml";

impl Settings {
    /// Reads the defaults, then `file` (or `portico.toml` when present), then the environment.
    ///
    /// # Errors
    /// A message naming the unreadable file or setting.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Self::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(format!("the configuration file {} does not exist", path.display()));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_CONFIG_FILE));
            }
            None => {}
        }
        // Only the settings' own names: other PORTICO_* variables (the test suite's, say) are
        // not settings. Typos in portico.toml are still refused by `deny_unknown_fields`.
        let env = Env::prefixed("PORTICO_").only(&SETTING_NAMES);
        figment.merge(env).extract().map_err(|error| error.to_string())
    }

    /// Checks every setting, reporting all problems at once.
    ///
    /// # Errors
    /// One line per problem, naming the setting as an environment variable.
    pub fn check(&self) -> Result<Config, ConfigErrors> {
        let mut errors = Vec::new();
        let database = DatabaseUrl::parse(&self.database_url).map_err(|m| fail(&mut errors, "DATABASE_URL", m)).ok();
        let bind = self.bind.trim().parse::<SocketAddr>().ok();
        if bind.is_none() {
            let message = format!("\"{}\" is not an address and port such as 127.0.0.1:8080 or 0.0.0.0:80", self.bind);
            fail(&mut errors, "BIND", message);
        }
        let public_url = match (&self.public_url, bind) {
            (Some(url), _) => PublicUrl::parse(url).map_err(|e| fail(&mut errors, "PUBLIC_URL", e)).ok(),
            (None, Some(bind)) => Some(url_of(bind)),
            (None, None) => None,
        };
        let smtp = match (&self.smtp_url, &self.mail_from) {
            (None, _) => Some(None),
            (Some(_), None) => {
                fail(&mut errors, "MAIL_FROM", "is required when PORTICO_SMTP_URL is set (\"Name <address>\")");
                None
            }
            // The SMTP errors name their setting already (and never echo the password).
            (Some(url), Some(from)) => {
                SmtpConfig::from_url(url, from).map(Some).map_err(|e| errors.push(e.to_string())).ok()
            }
        };
        let workspace_name =
            WorkspaceName::parse(&self.workspace_name).map_err(|e| fail(&mut errors, "WORKSPACE_NAME", e)).ok();
        for (setting, value) in [
            ("JSON_LIMIT_KIB", self.json_limit_kib),
            ("UPLOAD_LIMIT_MIB", self.upload_limit_mib),
            ("SESSION_IDLE_MINUTES", self.session_idle_minutes as usize),
            ("SESSION_ABSOLUTE_HOURS", self.session_absolute_hours as usize),
        ] {
            if value == 0 {
                fail(&mut errors, setting, "must be at least 1");
            }
        }
        if self.files_dir.trim().is_empty() {
            fail(&mut errors, "FILES_DIR", "must name a directory");
        }
        let secret_key = match &self.secret_key {
            Some(KeyText(text)) => match KeyBox::from_hex(text) {
                Ok(_) => Some(SecretKey::Given(KeyText(text.trim().to_owned()))),
                Err(error) => {
                    fail(&mut errors, "SECRET_KEY", error);
                    None
                }
            },
            None => match self.secret_key_file.as_deref().map(str::trim) {
                Some("") => {
                    fail(&mut errors, "SECRET_KEY_FILE", "must name a file (or set PORTICO_SECRET_KEY)");
                    None
                }
                Some(file) => Some(SecretKey::File(PathBuf::from(file))),
                None => Some(SecretKey::File(match &database {
                    Some(DatabaseUrl::Sqlite(path)) => path.with_file_name(KEY_FILE),
                    _ => Path::new("portico-data").join(KEY_FILE),
                })),
            },
        };

        match (database, bind, public_url, smtp, workspace_name, secret_key) {
            (Some(database), Some(bind), Some(public_url), Some(smtp), Some(workspace_name), Some(secret_key))
                if errors.is_empty() =>
            {
                Ok(Config {
                    database,
                    bind,
                    public_url,
                    public_url_set: self.public_url.is_some(),
                    smtp,
                    files_dir: PathBuf::from(self.files_dir.trim()),
                    secret_key,
                    workspace_name,
                    json_limit: self.json_limit_kib.saturating_mul(1024),
                    upload_limit: self.upload_limit_mib.saturating_mul(1024 * 1024),
                    session: SessionPolicy {
                        idle_timeout: time::Duration::minutes(i64::from(self.session_idle_minutes)),
                        absolute_timeout: time::Duration::hours(i64::from(self.session_absolute_hours)),
                    },
                })
            }
            _ => Err(ConfigErrors(errors)),
        }
    }
}

/// The URL of a listening address, for when no public URL is set: an address that listens
/// everywhere is reached as `localhost` on this machine.
fn url_of(addr: SocketAddr) -> PublicUrl {
    let host = if addr.ip().is_unspecified() { "localhost".to_owned() } else { addr.ip().to_string() };
    let host = if addr.is_ipv6() && !addr.ip().is_unspecified() { format!("[{host}]") } else { host };
    PublicUrl::parse(&format!("http://{host}:{}", addr.port()))
        .unwrap_or_else(|_| unreachable!("an IP address and port make a valid URL"))
}

/// Records a problem with `PORTICO_<setting>`.
fn fail(errors: &mut Vec<String>, setting: &str, message: impl fmt::Display) {
    errors.push(format!("PORTICO_{setting}: {message}"));
}

/// A secret written in the settings: it never shows in debug output or logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyText(pub String);

impl fmt::Debug for KeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyText(***)")
    }
}

/// Where the key that seals link secrets comes from. It is never in the database, so a copy
/// of the database alone yields no usable link; back it up separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKey {
    /// `PORTICO_SECRET_KEY`, checked to be 64 hex digits.
    Given(KeyText),
    /// A key file, created with a new random key (mode 0600) when missing.
    File(PathBuf),
}

impl SecretKey {
    /// The box sealing with this key (reading or creating the key file). Returns whether the
    /// key file was created now.
    ///
    /// # Errors
    /// When the key file cannot be read or created, or holds no key.
    pub fn open(&self) -> Result<(KeyBox, bool), KeyError> {
        match self {
            Self::Given(KeyText(text)) => KeyBox::from_hex(text).map(|key| (key, false)),
            Self::File(path) => KeyBox::load_or_create(path),
        }
    }
}

/// Every problem with the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the configuration is not valid:")?;
        for error in &self.0 {
            writeln!(f, "  - {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server (the URL may hold a password).
    Postgres(String),
}

impl DatabaseUrl {
    /// Reads `sqlite://PATH`, `sqlite:PATH`, `postgres://...` or `postgresql://...`.
    ///
    /// # Errors
    /// A message for any other scheme, or an empty path.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err("a sqlite URL needs a file path, such as sqlite://./portico-data/portico.db".to_owned());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        Err(format!("\"{scheme}\" is not a supported database; use sqlite://PATH or postgres://USER:PASSWORD@HOST/DB"))
    }
}

impl fmt::Debug for DatabaseUrl {
    /// Never shows a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl fmt::Display for DatabaseUrl {
    /// For people and logs: the SQLite path, or the PostgreSQL URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite at {}", path.display()),
            Self::Postgres(url) => {
                let redacted = match url.split_once("://").and_then(|(scheme, rest)| {
                    let (userinfo, host) = rest.rsplit_once('@')?;
                    let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
                    Some(format!("{scheme}://{user}@{host}"))
                }) {
                    Some(redacted) => redacted,
                    None => url.clone(),
                };
                write!(f, "PostgreSQL at {redacted}")
            }
        }
    }
}

/// Checked settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database.
    pub database: DatabaseUrl,
    /// Where to listen.
    pub bind: SocketAddr,
    /// Where people reach Portico.
    pub public_url: PublicUrl,
    /// Whether the public URL was set, rather than derived from the bind address.
    pub public_url_set: bool,
    /// The mail server, if any.
    pub smtp: Option<SmtpConfig>,
    /// Where files are kept.
    pub files_dir: PathBuf,
    /// Where the key sealing link secrets comes from.
    pub secret_key: SecretKey,
    /// The first workspace's name.
    pub workspace_name: WorkspaceName,
    /// The largest JSON body, in bytes.
    pub json_limit: usize,
    /// The largest upload, in bytes.
    pub upload_limit: usize,
    /// Session timeouts.
    pub session: SessionPolicy,
}

impl Config {
    /// The public URL once listening on `addr`: the configured one, or `addr`'s own (so
    /// binding to port 0 yields the port actually chosen).
    pub fn public_url_at(&self, addr: SocketAddr) -> PublicUrl {
        if self.public_url_set { self.public_url.clone() } else { url_of(addr) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_run_in_an_empty_folder() {
        let config = Settings::default().check().expect("defaults are valid");
        assert_eq!(config.database, DatabaseUrl::Sqlite(PathBuf::from("./portico-data/portico.db")));
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url.to_string(), "http://127.0.0.1:8080");
        assert!(config.smtp.is_none());
        assert_eq!(config.upload_limit, 25 * 1024 * 1024);
        assert_eq!(config.session, SessionPolicy::default());
    }

    #[test]
    fn without_a_public_url_links_point_where_the_server_listens() {
        let everywhere = Settings { bind: "0.0.0.0:9000".into(), ..Settings::default() }.check().expect("valid");
        assert_eq!(everywhere.public_url.to_string(), "http://localhost:9000");
        let any_port = Settings { bind: "127.0.0.1:0".into(), ..Settings::default() }.check().expect("valid");
        let bound: SocketAddr = "127.0.0.1:41234".parse().expect("an address");
        assert_eq!(any_port.public_url_at(bound).to_string(), "http://127.0.0.1:41234");
        let set = Settings { public_url: Some("https://portal.example".into()), ..Settings::default() };
        assert_eq!(set.check().expect("valid").public_url_at(bound).to_string(), "https://portal.example");
    }

    #[test]
    fn every_problem_is_reported_by_its_variable_name() {
        let settings = Settings {
            database_url: "mysql://db".into(),
            bind: "localhost".into(),
            smtp_url: Some("smtp://mail.example:587".into()),
            upload_limit_mib: 0,
            ..Settings::default()
        };
        let errors = settings.check().expect_err("invalid").0;
        let names: Vec<&str> = errors.iter().map(|e| e.split(':').next().unwrap_or_default()).collect();
        assert_eq!(names, ["PORTICO_DATABASE_URL", "PORTICO_BIND", "PORTICO_MAIL_FROM", "PORTICO_UPLOAD_LIMIT_MIB"]);
        assert!(errors[0].contains("\"mysql\" is not a supported database"), "{errors:?}");
    }

    #[test]
    fn the_secret_key_lives_beside_the_database_unless_given_and_never_shows() {
        let sqlite = Settings { database_url: "sqlite:///var/lib/portico/portico.db".into(), ..Settings::default() };
        let key = sqlite.check().expect("valid").secret_key;
        assert_eq!(key, SecretKey::File(PathBuf::from("/var/lib/portico/secret.key")));
        let moved = Settings { secret_key_file: Some("/etc/portico/key".into()), ..Settings::default() };
        assert_eq!(moved.check().expect("valid").secret_key, SecretKey::File(PathBuf::from("/etc/portico/key")));
        let hex = "c0ffee".repeat(10) + "abcd";
        let given = Settings { secret_key: Some(KeyText(hex.clone())), ..Settings::default() };
        let config = given.check().expect("valid");
        assert!(!format!("{config:?}{given:?}").contains(&hex), "the key never shows in debug output");
        let bad = Settings { secret_key: Some(KeyText("hunter2".into())), ..Settings::default() };
        let errors = bad.check().expect_err("a key must be 64 hex digits").0;
        assert!(errors[0].starts_with("PORTICO_SECRET_KEY: a secret key must be 64 hex digits"), "{errors:?}");
        assert!(!errors[0].contains("hunter2"));
    }

    #[test]
    fn smtp_problems_keep_their_setting_name_and_hide_the_password() {
        let settings = Settings {
            smtp_url: Some("smtp://user:hunter2@mail.example:587?tls=maybe".into()),
            mail_from: Some("Studio <portal@studio.example>".into()),
            ..Settings::default()
        };
        let errors = settings.check().expect_err("invalid").0;
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("PORTICO_SMTP_URL"), "{errors:?}");
        assert!(!errors[0].contains("hunter2"));
    }

    #[test]
    fn every_field_can_be_set_from_the_environment() {
        let fields = serde_json::to_value(Settings::default()).expect("serialises");
        let names: Vec<&str> = fields.as_object().expect("an object").keys().map(String::as_str).collect();
        let mut expected = SETTING_NAMES.to_vec();
        expected.sort_unstable();
        assert_eq!(names, expected);
    }

    #[test]
    fn a_file_overrides_the_defaults_and_a_typo_in_it_is_refused() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("portico.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9090\"\nupload_limit_mib = 100\n").expect("written");
        let settings = Settings::load(Some(&file)).expect("readable");
        assert_eq!((settings.bind.as_str(), settings.upload_limit_mib), ("0.0.0.0:9090", 100));
        assert_eq!(settings.database_url, Settings::default().database_url, "the rest keeps its default");

        std::fs::write(&file, "databse_url = \"sqlite://x.db\"\n").expect("written");
        let error = Settings::load(Some(&file)).expect_err("a typo");
        assert!(error.contains("databse_url"), "{error}");
        let missing = Settings::load(Some(&dir.path().join("nope.toml"))).expect_err("no such file");
        assert!(missing.contains("does not exist"), "{missing}");
    }

    #[test]
    fn database_urls_never_show_passwords() {
        let url = DatabaseUrl::parse("postgres://portico:s3cret@db.internal:5432/portico").expect("valid");
        assert_eq!(url.to_string(), "PostgreSQL at postgres://portico@db.internal:5432/portico");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert_eq!(DatabaseUrl::parse("sqlite:data.db"), Ok(DatabaseUrl::Sqlite(PathBuf::from("data.db"))));
    }
}
