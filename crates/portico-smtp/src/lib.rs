//! # portico-smtp
//!
//! How Portico's mail leaves: an SMTP [`Mailer`](portico_ports::Mailer) on lettre (tokio,
//! rustls with ring, pooled connections), configured from `PORTICO_SMTP_URL` with a typed TLS
//! mode. It only sends; the worker that runs the outbox's delivery rounds lives in the
//! server's wiring. Secrets in the configuration never reach a log or a `Debug` print.

mod config;
mod mailer;

pub use config::{ConfigError, SmtpConfig, TlsMode};
pub use mailer::SmtpMailer;
