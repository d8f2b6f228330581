//! `PORTICO_SMTP_URL` and `PORTICO_MAIL_FROM`, parsed into a typed configuration.
//!
//! | URL | TLS |
//! |---|---|
//! | `smtp://user:password@host:587` (port defaults to 587) | STARTTLS, required |
//! | `smtps://user:password@host:465` (port defaults to 465) | implicit TLS |
//! | `smtp://host:25?tls=none` (port defaults to 25) | none: local relays and tests only |
//!
//! User and password are percent-decoded (`p%40ss` is `p@ss`).

use std::fmt;
use std::time::Duration;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text. Only for a relay on the same machine or network, and tests.
    None,
    /// Upgrade with STARTTLS, and refuse to go on without it.
    StartTlsRequired,
    /// TLS from the first byte (SMTPS).
    Implicit,
}

/// Why the mail configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not an `smtp://` or `smtps://` URL.
    #[error("PORTICO_SMTP_URL must start with smtp:// or smtps://")]
    Scheme,
    /// No host.
    #[error("PORTICO_SMTP_URL has no host")]
    Host,
    /// A port that is not a number.
    #[error("PORTICO_SMTP_URL has an invalid port")]
    Port,
    /// An unknown `tls=` value, or `tls=` on `smtps://`.
    #[error("PORTICO_SMTP_URL: tls must be \"none\" or \"starttls\" (and only on smtp://)")]
    Tls,
    /// A bad percent-escape in the user or password.
    #[error("PORTICO_SMTP_URL: the user or password is not validly percent-encoded")]
    Encoding,
    /// A sender address that is not an address.
    #[error("PORTICO_MAIL_FROM is not a valid sender (\"Name <address>\" or \"address\"): {0}")]
    From(String),
}

/// A mail server to send through.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection protection.
    pub tls: TlsMode,
    /// Login, if the server wants one.
    pub credentials: Option<(String, String)>,
    /// The sender of every message (`PORTICO_MAIL_FROM`).
    pub from: String,
    /// How long one try (connecting, talking, handing over the message) may take before it
    /// counts as failed, temporarily.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("password", &self.credentials.as_ref().map(|_| "(secret)"))
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SmtpConfig {
    /// The default time one try may take.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Parses `PORTICO_SMTP_URL` and the sender `PORTICO_MAIL_FROM`.
    ///
    /// # Errors
    /// [`ConfigError`] naming what is wrong (never echoing the password).
    pub fn from_url(url: &str, from: &str) -> Result<Self, ConfigError> {
        let url = url.trim();
        let (implicit, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("smtp://") {
            (false, rest)
        } else {
            return Err(ConfigError::Scheme);
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = rest.trim_end_matches('/');
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, rest),
        };
        let tls = match (implicit, query) {
            (true, "") => TlsMode::Implicit,
            (false, "" | "tls=starttls") => TlsMode::StartTlsRequired,
            (false, "tls=none") => TlsMode::None,
            _ => return Err(ConfigError::Tls),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port.parse::<u16>().map_err(|_| ConfigError::Port)?)),
            None => (hostport, None),
        };
        if host.is_empty() {
            return Err(ConfigError::Host);
        }
        let port = port.unwrap_or(match tls {
            TlsMode::Implicit => 465,
            TlsMode::StartTlsRequired => 587,
            TlsMode::None => 25,
        });
        let credentials = userinfo
            .map(|info| {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                Ok::<_, ConfigError>((percent_decode(user)?, percent_decode(password)?))
            })
            .transpose()?;
        let from = from.trim();
        from.parse::<lettre::message::Mailbox>().map_err(|e| ConfigError::From(e.to_string()))?;
        Ok(Self {
            host: host.to_owned(),
            port,
            tls,
            credentials,
            from: from.to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
        })
    }
}

fn percent_decode(text: &str) -> Result<String, ConfigError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or(ConfigError::Encoding)?;
            decoded.push(u8::from_str_radix(hex, 16).map_err(|_| ConfigError::Encoding)?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| ConfigError::Encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "Studio North <portal@studio.example>";

    #[test]
    fn the_three_tls_modes_and_their_default_ports() {
        let starttls = SmtpConfig::from_url("smtp://mailer:p%40ss@mail.example.com", FROM).expect("valid");
        assert_eq!(
            (starttls.host.as_str(), starttls.port, starttls.tls),
            ("mail.example.com", 587, TlsMode::StartTlsRequired)
        );
        assert_eq!(starttls.credentials, Some(("mailer".into(), "p@ss".into())));
        let implicit = SmtpConfig::from_url("smtps://mail.example.com", FROM).expect("valid");
        assert_eq!((implicit.port, implicit.tls, implicit.credentials), (465, TlsMode::Implicit, None));
        let plain = SmtpConfig::from_url("smtp://127.0.0.1:2525?tls=none", FROM).expect("valid");
        assert_eq!((plain.host.as_str(), plain.port, plain.tls), ("127.0.0.1", 2525, TlsMode::None));
        assert_eq!(SmtpConfig::from_url("smtp://relay?tls=none", FROM).map(|c| c.port), Ok(25));
    }

    #[test]
    fn bad_urls_and_senders_are_refused_with_a_reason() {
        assert_eq!(SmtpConfig::from_url("http://mail.example.com", FROM), Err(ConfigError::Scheme));
        assert_eq!(SmtpConfig::from_url("smtp://:25", FROM), Err(ConfigError::Host));
        assert_eq!(SmtpConfig::from_url("smtp://mail:abc", FROM), Err(ConfigError::Port));
        assert_eq!(SmtpConfig::from_url("smtp://mail?tls=maybe", FROM), Err(ConfigError::Tls));
        assert_eq!(SmtpConfig::from_url("smtps://mail?tls=none", FROM), Err(ConfigError::Tls));
        assert_eq!(SmtpConfig::from_url("smtp://u:%zz@mail", FROM), Err(ConfigError::Encoding));
        assert!(matches!(SmtpConfig::from_url("smtp://mail", "not an address"), Err(ConfigError::From(_))));
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let config = SmtpConfig::from_url("smtp://mailer:hunter2hunter2@mail.example.com", FROM).expect("valid");
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("mailer") && printed.contains("(secret)"));
    }
}
