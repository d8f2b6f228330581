//! Delivering the outbox: one round of claiming due messages, sending them through the
//! `Mailer` port, and recording what happened. A worker (in `portico-smtp`) runs rounds.

use std::collections::HashMap;

use portico_domain::ids::{OutboxId, WorkspaceId};
use portico_domain::mail::{MailContent, OutboxMessage, TryOutcome};
use portico_domain::workspace::Workspace;
use portico_ports::{Attachment, Mailer, OutgoingMail, SendError};
use time::OffsetDateTime;

use crate::Portico;
use crate::error::AppResult;
use crate::mail::{Extras, Look, MailSettings, render};

/// What one round of delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Accepted by the mail server.
    pub sent: usize,
    /// Failed for now; tried again later.
    pub retrying: usize,
    /// Given up.
    pub dead: usize,
    /// Given back untried because the worker is stopping.
    pub released: usize,
    /// Whose claim ran out before the outcome was recorded (another worker took them over).
    pub taken_over: usize,
    /// Kept because no mail server is configured, for staff to pass their links on from the
    /// outbox page.
    pub held: Vec<HeldMail>,
}

/// A message kept in the outbox because no mail server is configured. It names no link: a
/// link is a password in waiting, so it never goes to a log, only to the outbox page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMail {
    /// The message.
    pub id: OutboxId,
    /// What kind of message it is (`invitation`, …).
    pub kind: &'static str,
}

impl Portico {
    /// One round of delivery over every workspace: claims up to `limit` due messages, then
    /// for each sends it through `mailer` and records the outcome at once — so the only way a
    /// message can go out twice is a crash between the server's acceptance and that one
    /// statement. Without a mailer, messages are held for staff to copy their links.
    /// When `stop` turns true, the messages not yet tried are given back.
    ///
    /// # Errors
    /// Storage failures (a message whose outcome could not be recorded is retried once its
    /// lease runs out).
    pub async fn deliver_due_mail(
        &self,
        mailer: Option<&dyn Mailer>,
        settings: &MailSettings,
        limit: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> AppResult<DeliveryReport> {
        let mut unit = self.begin_unscoped().await?;
        let now = unit.now;
        let lease = now + settings.lease;
        let claimed = unit.outbox().claim_due(now, lease, mailer.is_some(), limit).await?;
        unit.commit().await?;
        let mut report = DeliveryReport::default();
        if claimed.is_empty() {
            return Ok(report);
        }
        let mut unit = self.begin_unscoped_read().await?;
        let workspaces: HashMap<WorkspaceId, Workspace> =
            unit.workspaces().list().await?.into_iter().map(|w| (w.id, w)).collect();
        drop(unit);
        for mut message in claimed {
            if stop() {
                message.release();
                report.released += 1;
            } else if let Some(mailer) = mailer {
                let outcome = match workspaces.get(&message.workspace_id) {
                    Some(workspace) => self.try_once(mailer, &message, workspace, settings).await,
                    None => TryOutcome::Permanent("the workspace no longer exists".to_owned()),
                };
                message.record(outcome, self.services.clock.now(), &settings.retry, jitter(&message));
                match &message.state {
                    portico_domain::mail::DeliveryState::Sent { .. } => report.sent += 1,
                    portico_domain::mail::DeliveryState::Dead { .. } => report.dead += 1,
                    _ => report.retrying += 1,
                }
            } else {
                message.hold();
                report.held.push(HeldMail { id: message.id, kind: message.content.kind() });
            }
            if !self.record_delivery(&message, lease).await? {
                report.taken_over += 1;
            }
        }
        Ok(report)
    }

    async fn try_once(
        &self,
        mailer: &dyn Mailer,
        message: &OutboxMessage,
        workspace: &Workspace,
        settings: &MailSettings,
    ) -> TryOutcome {
        match self.rendered(message, workspace, settings).await {
            Err(outcome) => outcome,
            Ok(mail) => match mailer.send(&mail).await {
                Ok(reply) => TryOutcome::Accepted(reply),
                Err(SendError::Transient(error)) => TryOutcome::Transient(error),
                Err(SendError::Permanent(error)) => TryOutcome::Permanent(error),
            },
        }
    }

    /// `message` ready for the wire, with what it needs read now: its link's secret opened,
    /// a notice's unsubscribe link, an invoice mail's invoice (as the rule shows it to the
    /// addressee now) and PDF. The failure is the try's outcome: permanent when the message
    /// can never go (its link was replaced, the invoice is no longer theirs to see).
    async fn rendered(
        &self,
        message: &OutboxMessage,
        workspace: &Workspace,
        settings: &MailSettings,
    ) -> Result<OutgoingMail, TryOutcome> {
        if message.lost_its_link() {
            return Err(TryOutcome::Permanent(
                "cancelled: its link was replaced or used before it could go".to_owned(),
            ));
        }
        let secret = self
            .link_secret(message)
            .transpose()
            .map_err(|why| TryOutcome::Permanent(format!("its one-time link cannot be opened: {why}")))?;
        let unsubscribe = self.unsubscribe_link(message, &settings.public_url);
        let letter = self.letter_of(message).await?;
        let locale = workspace.locale();
        let brand = &workspace.settings.brand;
        let logo = brand.logo.as_ref().map(|logo| settings.public_url.logo_link(workspace.id, logo));
        let extras = Extras {
            secret: secret.as_ref(),
            unsubscribe: unsubscribe.as_deref(),
            letter: letter.as_ref(),
            locale,
            look: Look { colour: brand.colour, logo: logo.as_deref() },
        };
        let mut mail = render(message, &extras, &workspace.name, &settings.public_url)
            .map_err(|error| TryOutcome::Permanent(error.to_string()))?;
        mail.from_name = brand.sender_name.as_ref().map(|name| name.as_str().to_owned());
        if let (Some(shown), MailContent::Invoice { letter: which, .. }) = (&letter, &message.content)
            && which.attaches_pdf()
        {
            mail.attachments.push(Attachment {
                filename: shown.invoice.file_name(),
                content_type: "application/pdf",
                bytes: self.invoice_pdf(&shown.invoice, workspace).await,
            });
        }
        Ok(mail)
    }

    /// Writes a message's new state if its claim until `lease` still holds.
    async fn record_delivery(&self, message: &OutboxMessage, lease: OffsetDateTime) -> AppResult<bool> {
        let mut unit = self.begin_unscoped().await?;
        let recorded = unit.outbox().finish(message, lease).await?;
        unit.commit().await?;
        Ok(recorded)
    }
}

/// A spread in thousandths, fixed per message and try (FNV-1a of the id and the attempt), so
/// messages that failed together come back at different times without a random source.
fn jitter(message: &OutboxMessage) -> u16 {
    let bytes = message.id.as_uuid().into_bytes().into_iter().chain(message.attempts.to_le_bytes());
    let hash =
        bytes.fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    u16::try_from(hash % 1000).unwrap_or(0)
}
