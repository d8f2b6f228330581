//! # portico-smtp
//!
//! How Portico's mail leaves: an SMTP [`Mailer`](portico_ports::Mailer) on lettre (tokio,
//! rustls with ring, pooled connections), configured from `PORTICO_SMTP_URL` with a typed TLS
//! mode, and the [`DeliveryWorker`] that runs delivery rounds of the outbox until told to
//! stop. Secrets in the configuration never reach a log or a `Debug` print.

mod config;
mod mailer;
mod worker;

pub use config::{ConfigError, SmtpConfig, TlsMode};
pub use mailer::SmtpMailer;
pub use worker::DeliveryWorker;
