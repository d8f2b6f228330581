//! Mail as people receive it: where links point, what each message says, how often a failed
//! message is tried again.

mod templates;

use std::fmt;

use portico_domain::ids::WorkspaceId;
use portico_domain::mail::RetryPolicy;
use portico_domain::token::SecretToken;
use portico_domain::workspace::Logo;
use time::Duration;

pub use templates::notice_sentence;
pub(crate) use templates::{Extras, Look, render, test_mail};

/// The address people reach Portico at (`https://portal.agency.example`). Every link in mail
/// is built from it — never from the `Host` of a request, which an attacker controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    base: String,
    host: String,
}

/// Why text is not a usable public URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an http:// or https:// URL such as https://portal.example.com (no query or fragment)")]
pub struct InvalidPublicUrl;

impl PublicUrl {
    /// Parses `http(s)://host[:port][/path]`; a trailing slash is dropped.
    ///
    /// # Errors
    /// [`InvalidPublicUrl`] for any other shape.
    pub fn parse(input: &str) -> Result<Self, InvalidPublicUrl> {
        let text = input.trim().trim_end_matches('/');
        let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")).ok_or(InvalidPublicUrl)?;
        let authority = rest.split('/').next().unwrap_or_default();
        let host = authority
            .rsplit_once(':')
            .map_or(authority, |(host, port)| if port.chars().all(|c| c.is_ascii_digit()) { host } else { authority });
        let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        let clean =
            !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>'));
        if !host_ok || !clean {
            return Err(InvalidPublicUrl);
        }
        Ok(Self { base: text.to_owned(), host: host.to_ascii_lowercase() })
    }

    /// The URL of `path` (which starts with `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Where the holder of an invitation `secret` sets a password (the page every invitation
    /// mail and every printed first-admin link points to).
    pub fn invitation_link(&self, secret: &SecretToken) -> String {
        self.join(&format!("/invitation/{}", secret.expose()))
    }

    /// The address of a workspace's logo, for mail (pages use [`logo_path`]).
    pub fn logo_link(&self, workspace: WorkspaceId, logo: &Logo) -> String {
        self.join(&logo_path(workspace, logo))
    }

    /// The scheme, host and port, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base.find("://").map_or(0, |i| i + 3);
        let end = self.base[after_scheme..].find('/').map_or(self.base.len(), |i| after_scheme + i);
        &self.base[..end]
    }

    /// Whether people reach Portico over TLS (cookies are then `Secure`, HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The host name, for `Message-ID`s.
    pub fn host(&self) -> &str {
        &self.host
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Where a workspace's logo is served. The key changes with every upload, so the address
/// can be cached for good; anyone may load it (the login page shows it too).
pub fn logo_path(workspace: WorkspaceId, logo: &Logo) -> String {
    format!("/brand/{workspace}/logo/{}", logo.key.as_str())
}

/// How mail is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// Where links point.
    pub public_url: PublicUrl,
    /// How often and how long failed messages are tried again.
    pub retry: RetryPolicy,
    /// How long a worker may hold a claimed message before another may take it over. Longer
    /// than any single try (the SMTP timeout is about 10 s).
    pub lease: Duration,
}

impl MailSettings {
    /// The default policy and lease for `public_url`.
    pub fn new(public_url: PublicUrl) -> Self {
        Self { public_url, retry: RetryPolicy::default(), lease: Duration::minutes(2) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_checked_and_joined() {
        let url = PublicUrl::parse(" https://Portal.Agency.example:8443/portico/ ").expect("valid");
        assert_eq!(url.join("/invitation/abc"), "https://Portal.Agency.example:8443/portico/invitation/abc");
        assert_eq!(url.host(), "portal.agency.example");
        assert_eq!(url.origin(), "https://Portal.Agency.example:8443");
        assert!(url.is_https());
        let plain = PublicUrl::parse("http://localhost:8080").expect("valid");
        assert_eq!((plain.origin(), plain.is_https()), ("http://localhost:8080", false));
        assert_eq!(
            PublicUrl::parse("http://127.0.0.1:8080").map(|u| u.to_string()),
            Ok("http://127.0.0.1:8080".into())
        );
        for bad in [
            "",
            "portal.example",
            "ftp://x",
            "https://",
            "https://x/?a=1",
            "https://x/#f",
            "https://ex ample",
            "https://x\r\ny",
        ] {
            assert_eq!(PublicUrl::parse(bad), Err(InvalidPublicUrl), "{bad:?}");
        }
    }
}
