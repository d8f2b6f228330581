//! One-time links (invitations and password resets): issued with only their hash stored,
//! mailed with their secret sealed under the installation's key, and erased from the outbox
//! as soon as nothing may need them.

use portico_domain::email::EmailAddress;
use portico_domain::ids::{OutboxId, TokenId};
use portico_domain::mail::{LinkSecret, MailContent, OutboxMessage, Unsealable};
use portico_domain::staff::UserRef;
use portico_domain::text::PersonName;
use portico_domain::token::{OneTimeToken, SecretToken, TokenPurpose};

use crate::Portico;
use crate::error::AppResult;
use crate::support::Work;

impl Portico {
    /// Creates a one-time link for `user`, revoking that user's older links of the same
    /// purpose (and erasing their secrets from the outbox).
    pub(crate) async fn issue_link(
        &self,
        work: &mut Work,
        user: UserRef,
        purpose: TokenPurpose,
    ) -> AppResult<(SecretToken, OneTimeToken)> {
        let ws = work.workspace();
        work.uow.tokens().revoke_open(ws, user, Some(purpose), work.now).await?;
        work.erase_links(user, Some(purpose)).await?;
        let secret = self.services.secrets.new_secret();
        let id = work.new_id(TokenId::from_uuid);
        let token = OneTimeToken::issue(id, work.workspace(), user, purpose, &secret, work.now);
        work.uow.tokens().insert(&token).await?;
        Ok((secret, token))
    }

    /// Issues a one-time link for `user` and queues the mail that carries it to `to`, the
    /// secret sealed with the installation's key. Returns the secret.
    pub(crate) async fn send_link(
        &self,
        work: &mut Work,
        user: UserRef,
        purpose: TokenPurpose,
        to: (&EmailAddress, &PersonName),
    ) -> AppResult<SecretToken> {
        let (secret, token) = self.issue_link(work, user, purpose).await?;
        let id = work.new_id(OutboxId::from_uuid);
        let sealed = self.services.secret_box.seal(id.as_uuid().as_bytes(), &secret);
        let content = MailContent::with_link(purpose, LinkSecret::Sealed(sealed), token.expires_at);
        work.queue_mail_as(id, user, to, content).await?;
        Ok(secret)
    }

    /// The secret of the link `message` carries, opened with the installation's key, while
    /// the outbox keeps it (for staff to hand over by other means, and for delivery).
    ///
    /// # Errors
    /// `None` when the message carries no link or its secret is erased; the reason it cannot
    /// be opened when it was sealed with a replaced key or is damaged.
    pub fn link_secret(&self, message: &OutboxMessage) -> Option<Result<SecretToken, Unsealable>> {
        let sealed = message.content.sealed_link()?;
        Some(self.services.secret_box.open(message.id.as_uuid().as_bytes(), sealed))
    }
}
