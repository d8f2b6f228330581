//! The SMTP mailer: lettre with pooled connections, multipart messages, and failures sorted
//! into temporary and permanent.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use portico_ports::{Mailer, OutgoingMail, SendError};

use crate::config::{SmtpConfig, TlsMode};

/// Sends mail through one SMTP server. Build and drop it inside a tokio runtime (the pooled
/// transport holds tasks on it).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for `config`.
    ///
    /// # Errors
    /// [`SendError::Permanent`] when the TLS settings cannot be built for the host.
    pub fn new(config: &SmtpConfig) -> Result<Self, SendError> {
        let tls = |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| SendError::Permanent(e.to_string()));
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str()).port(config.port);
        let builder = match config.tls {
            TlsMode::None => builder.tls(Tls::None),
            TlsMode::StartTlsRequired => builder.tls(Tls::Required(tls(&config.host)?)),
            TlsMode::Implicit => builder.tls(Tls::Wrapper(tls(&config.host)?)),
        };
        let builder = builder.timeout(Some(config.timeout));
        let builder = match &config.credentials {
            Some((user, password)) => builder.credentials(Credentials::new(user.clone(), password.clone())),
            None => builder,
        };
        let from =
            config.from.parse().map_err(|e: lettre::address::AddressError| SendError::Permanent(e.to_string()))?;
        Ok(Self { transport: builder.build(), from, timeout: config.timeout })
    }

    fn message(&self, mail: &OutgoingMail) -> Result<Message, SendError> {
        let invalid = |e: &dyn std::fmt::Display| SendError::Permanent(format!("the message is invalid: {e}"));
        let address = mail.to.parse().map_err(|e| invalid(&e))?;
        let mut builder = Message::builder()
            .from(match &mail.from_name {
                // The workspace's sender name on the configured address.
                Some(name) => Mailbox::new(Some(name.clone()), self.from.email.clone()),
                None => self.from.clone(),
            })
            .to(Mailbox::new(Some(mail.to_name.clone()), address))
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()));
        if let Some(link) = &mail.list_unsubscribe {
            // RFC 8058: the link, and the promise that a POST to it unsubscribes in one click.
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{link}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let bodies = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
        if mail.attachments.is_empty() {
            return builder.multipart(bodies).map_err(|e| invalid(&e));
        }
        // multipart/mixed: the bodies first, then each file.
        let mut mixed = MultiPart::mixed().multipart(bodies);
        for file in &mail.attachments {
            let content_type = ContentType::parse(file.content_type).map_err(|e| invalid(&e))?;
            mixed = mixed.singlepart(Attachment::new(file.filename.clone()).body(file.bytes.clone(), content_type));
        }
        builder.multipart(mixed).map_err(|e| invalid(&e))
    }
}

/// Sorts a failure: 5xx replies and messages the client cannot even write are permanent;
/// everything else (4xx, refused or dropped connections, timeouts, TLS trouble) may pass.
fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    let text = error.to_string();
    if error.is_permanent() || error.is_client() { SendError::Permanent(text) } else { SendError::Transient(text) }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<String, SendError> {
        let message = self.message(mail)?;
        // lettre bounds only the TCP connect; a server that connects and then says nothing
        // must not hold the worker, so the whole try is bounded.
        let sending = tokio::time::timeout(self.timeout, self.transport.send(message));
        let response = sending
            .await
            .map_err(|_| {
                SendError::Transient(format!("no answer from the mail server within {} s", self.timeout.as_secs()))
            })?
            .map_err(|e| classify(&e))?;
        let reply = response.message().collect::<Vec<_>>().join(" ");
        Ok(format!("{} {reply}", response.code()))
    }
}
