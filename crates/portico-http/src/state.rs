//! What every handler shares: the application, the edge's settings and the attempt counters.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use portico_app::Portico;
use portico_app::mail::PublicUrl;
use portico_domain::ids::WorkspaceId;
use portico_domain::session::SessionPolicy;
use portico_ports::Mailer;
use tokio::sync::Semaphore;

use crate::rate_limit::{Limit, RateLimiter};

/// How many login and reset attempts are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthLimits {
    /// Failed logins from one IP address.
    pub login_per_ip: Limit,
    /// Failed logins for one account (email address), from all IPs together. A completed
    /// reset or invitation clears it, so nobody can keep the owner out.
    pub login_per_account: Limit,
    /// Failed logins for one account from one IP address. Not cleared by a reset: whoever
    /// was guessing from there stays slowed down after the owner got back in.
    pub login_per_ip_account: Limit,
    /// Reset requests from one IP address.
    pub reset_per_ip: Limit,
    /// Reset requests for one email address.
    pub reset_per_account: Limit,
}

impl Default for AuthLimits {
    /// 10 failed logins a minute per IP, 5 per 5 minutes per account and per IP × account.
    /// Reset requests count separately, so someone guessing a password cannot lock the owner
    /// out of a reset.
    fn default() -> Self {
        const MINUTE: Duration = Duration::from_mins(1);
        Self {
            login_per_ip: Limit::new(10, MINUTE),
            login_per_account: Limit::new(5, MINUTE * 5),
            login_per_ip_account: Limit::new(5, MINUTE * 5),
            reset_per_ip: Limit::new(10, MINUTE),
            reset_per_account: Limit::new(3, MINUTE * 15),
        }
    }
}

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Where people reach Portico: the same-origin check and cookie security follow it.
    pub public_url: PublicUrl,
    /// The workspace people log in to when a request names none.
    pub workspace: WorkspaceId,
    /// Session timeouts.
    pub session: SessionPolicy,
    /// The largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// The largest upload (file or CSV import) accepted, in bytes.
    pub upload_limit: usize,
    /// Login and reset attempt limits.
    pub limits: AuthLimits,
}

impl HttpConfig {
    /// One MiB: far above any form, far below trouble.
    pub const DEFAULT_JSON_LIMIT: usize = 1024 * 1024;
    /// 25 MiB.
    pub const DEFAULT_UPLOAD_LIMIT: usize = 25 * 1024 * 1024;

    /// The defaults for `public_url` and `workspace`.
    pub fn new(public_url: PublicUrl, workspace: WorkspaceId) -> Self {
        Self {
            public_url,
            workspace,
            session: SessionPolicy::default(),
            json_limit: Self::DEFAULT_JSON_LIMIT,
            upload_limit: Self::DEFAULT_UPLOAD_LIMIT,
            limits: AuthLimits::default(),
        }
    }

    /// The session cookie's name: with the `__Host-` prefix over https, which browsers only
    /// accept from a secure origin, for the whole host, without a `Domain`.
    pub fn cookie_name(&self) -> &'static str {
        if self.public_url.is_https() { "__Host-portico_session" } else { "portico_session" }
    }
}

/// The attempt counters.
#[derive(Debug)]
pub(crate) struct Limiters {
    pub(crate) login_ip: RateLimiter,
    pub(crate) login_account: RateLimiter,
    pub(crate) login_pair: RateLimiter,
    pub(crate) reset_ip: RateLimiter,
    pub(crate) reset_account: RateLimiter,
}

/// Shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    portico: Portico,
    config: HttpConfig,
    mailer: OnceLock<Arc<dyn Mailer>>,
    limiters: Limiters,
    password_checks: Semaphore,
}

/// How many sign-ins may be verifying a password at one moment; more are answered "busy" at
/// once. The hasher itself runs as many at a time as there are cores, so this bounds the
/// queue in front of it.
const PASSWORD_CHECKS_AT_ONCE: usize = 16;

impl AppState {
    /// The state for serving `portico` with `config`.
    pub fn new(portico: Portico, config: HttpConfig) -> Self {
        let limits = config.limits;
        let limiters = Limiters {
            login_ip: RateLimiter::new(limits.login_per_ip),
            login_account: RateLimiter::new(limits.login_per_account),
            login_pair: RateLimiter::new(limits.login_per_ip_account),
            reset_ip: RateLimiter::new(limits.reset_per_ip),
            reset_account: RateLimiter::new(limits.reset_per_account),
        };
        let password_checks = Semaphore::new(PASSWORD_CHECKS_AT_ONCE);
        Self { inner: Arc::new(Inner { portico, config, mailer: OnceLock::new(), limiters, password_checks }) }
    }

    /// The application.
    pub fn portico(&self) -> &Portico {
        &self.inner.portico
    }

    /// The settings.
    pub fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// Lets admins send a test mail through `mailer` (the delivery worker's). Only the first
    /// call counts; without one, test mail answers that no mail server is set up.
    #[must_use]
    pub fn with_mailer(self, mailer: Option<Arc<dyn Mailer>>) -> Self {
        if let Some(mailer) = mailer {
            let _ = self.inner.mailer.set(mailer);
        }
        self
    }

    /// The mail server, when one is set up.
    pub(crate) fn mailer(&self) -> Option<&dyn Mailer> {
        self.inner.mailer.get().map(AsRef::as_ref)
    }

    pub(crate) fn limiters(&self) -> &Limiters {
        &self.inner.limiters
    }

    /// The places for sign-ins verifying a password now.
    pub(crate) fn password_checks(&self) -> &Semaphore {
        &self.inner.password_checks
    }
}
