//! Outbox mail, queued in the unit of work of the change it tells about, and the sealed
//! link secrets erased once nothing may need them.

use portico_domain::email::EmailAddress;
use portico_domain::ids::OutboxId;
use portico_domain::mail::{MailContent, OutboxMessage};
use portico_domain::staff::UserRef;
use portico_domain::text::PersonName;
use portico_domain::token::TokenPurpose;

use crate::error::AppResult;
use crate::support::Work;

impl Work {
    /// Queues a message in the outbox, in this unit of work.
    pub(crate) async fn queue_mail(
        &mut self,
        about: UserRef,
        to: (&EmailAddress, &PersonName),
        content: MailContent,
    ) -> AppResult<()> {
        let id = self.new_id(OutboxId::from_uuid);
        self.queue_mail_as(id, about, to, content).await
    }

    /// Queues a message under an id chosen beforehand (a link's secret is sealed for its
    /// message's id), in this unit of work.
    pub(crate) async fn queue_mail_as(
        &mut self,
        id: OutboxId,
        about: UserRef,
        to: (&EmailAddress, &PersonName),
        content: MailContent,
    ) -> AppResult<()> {
        let message = OutboxMessage::queued(id, self.workspace(), Some(about), to, content, self.now);
        self.uow.outbox().enqueue(&message).await?;
        Ok(())
    }

    /// Erases from the outbox the sealed secrets of `user`'s links of `purpose` (of every
    /// purpose when `None`): they were replaced, revoked or used, so nothing may need them.
    pub(crate) async fn erase_links(&mut self, user: UserRef, purpose: Option<TokenPurpose>) -> AppResult<()> {
        let ws = self.workspace();
        let kept = self.uow.outbox().about(ws, user).await?;
        for message in kept.iter().filter(|m| m.keeps_link(purpose)) {
            self.uow.outbox().erase_link(ws, message.id).await?;
        }
        Ok(())
    }
}
