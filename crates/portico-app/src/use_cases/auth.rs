//! One-time links: accepting an invitation sets the first password; a reset link sets a new
//! one. Asking for a reset answers the same whether or not the address is known.

use portico_domain::audit::{AuditAction, AuditActor, AuditSubject};
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;
use portico_domain::password::{NewPassword, PasswordHash};
use portico_domain::staff::UserRef;
use portico_domain::status::ClientStatus;
use portico_domain::token::{OneTimeToken, SecretToken, TokenPurpose};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, LinkError};
use crate::support::Work;

impl Portico {
    /// Uses an invitation link: sets the password and, for a client, activates it. The link
    /// cannot be used again.
    ///
    /// # Errors
    /// `Link` when the link is malformed, unknown, used, revoked or expired; `Unauthenticated`
    /// when its person can no longer log in.
    pub async fn accept_invitation(&self, secret: &str, password: &NewPassword) -> AppResult<Actor> {
        let (mut work, token, hash) = self.redeem(secret, TokenPurpose::Invitation, password).await?;
        match token.user {
            UserRef::Client(id) => {
                let mut client =
                    work.uow.clients().get(token.workspace_id, id).await?.ok_or(AppError::Unauthenticated)?;
                let change = client.accept_invitation(work.now).map_err(|_| AppError::Unauthenticated)?;
                client.record_login(work.now);
                work.uow.clients().update(&client).await?;
                let by = AuditActor::User(token.user);
                work.audit(by, AuditSubject::Client(id), None, AuditAction::InvitationAccepted, vec![change]).await?;
            }
            UserRef::Staff(_) => work.ensure_can_log_in(token.user).await?,
        }
        self.set_password(work, &token, &hash).await
    }

    /// Asks for a password-reset link for `email`. The answer is the same whether or not the
    /// address belongs to someone, so it cannot be used to find out who has an account.
    /// An active person gets a reset link (older reset links stop working); a client that
    /// never accepted its invitation gets a fresh invitation instead; anyone else nothing.
    ///
    /// # Errors
    /// Only storage failures.
    pub async fn request_password_reset(&self, workspace: WorkspaceId, email: &EmailAddress) -> AppResult<()> {
        let mut work = self.begin(workspace).await?;
        if let Some(staff) = work.uow.staff().find_by_email(workspace, email).await?.filter(|s| s.active) {
            self.send_reset(&mut work, UserRef::Staff(staff.id), (&staff.email, &staff.name)).await?;
        } else if let Some(mut client) = work.uow.clients().find_by_email(workspace, email).await? {
            match client.status() {
                ClientStatus::Active => {
                    let to = (client.email(), client.name());
                    self.send_reset(&mut work, UserRef::Client(client.id()), to).await?;
                }
                ClientStatus::Invited => self.invite(&mut work, AuditActor::System, &mut client).await?,
                ClientStatus::Deactivated | ClientStatus::Deleted => {}
            }
        }
        work.commit().await
    }

    /// Uses a reset link: sets the new password and ends every session of its person.
    ///
    /// # Errors
    /// `Link` when the link is malformed, unknown, used, revoked or expired; `Unauthenticated`
    /// when its person can no longer log in.
    pub async fn reset_password(&self, secret: &str, password: &NewPassword) -> AppResult<Actor> {
        let (mut work, token, hash) = self.redeem(secret, TokenPurpose::PasswordReset, password).await?;
        work.ensure_can_log_in(token.user).await?;
        work.uow.sessions().delete_all_for(token.workspace_id, token.user).await?;
        let subject = match token.user {
            UserRef::Client(id) => AuditSubject::Client(id),
            UserRef::Staff(id) => AuditSubject::Staff(id),
        };
        work.audit(AuditActor::User(token.user), subject, None, AuditAction::PasswordReset, vec![]).await?;
        self.set_password(work, &token, &hash).await
    }

    /// Whether a link can still be used for `purpose`, without using it: the page behind a
    /// link asks before it offers a password form.
    ///
    /// # Errors
    /// `Link` saying why the link is dead (malformed, unknown, used, replaced or expired).
    pub async fn check_link(&self, secret: &str, purpose: TokenPurpose) -> AppResult<()> {
        self.open_link(secret, purpose).await.map(drop)
    }

    /// The link's secret when it is usable for `purpose` now.
    async fn open_link(&self, secret: &str, purpose: TokenPurpose) -> AppResult<SecretToken> {
        let secret = SecretToken::parse(secret).map_err(LinkError::from)?;
        let mut unit = self.begin_unscoped_read().await?;
        let token = unit.links().find_by_hash(&secret.hash()).await?.ok_or(LinkError::Unknown)?;
        token.check(purpose, unit.now).map_err(LinkError::from)?;
        Ok(secret)
    }

    /// Checks the link, hashes the password (outside any transaction: it is slow, and only
    /// for a live link, so made-up links cost no hashing), then uses up the link in a unit of
    /// work of its workspace, checking it again there.
    async fn redeem(
        &self,
        secret: &str,
        purpose: TokenPurpose,
        password: &NewPassword,
    ) -> AppResult<(Work, OneTimeToken, PasswordHash)> {
        let secret = self.open_link(secret, purpose).await?;
        let hash = self.services.hasher.hash(password).await?;
        let mut unit = self.begin_unscoped().await?;
        let mut token = unit.links().find_by_hash(&secret.hash()).await?.ok_or(LinkError::Unknown)?;
        let mut work = unit.scoped_to(&token);
        token.consume(purpose, work.now).map_err(LinkError::from)?;
        work.uow.tokens().update(&token).await?;
        work.erase_links(token.user, Some(purpose)).await?;
        Ok((work, token, hash))
    }

    /// Stores the new password and commits the link's unit of work.
    async fn set_password(&self, mut work: Work, token: &OneTimeToken, hash: &PasswordHash) -> AppResult<Actor> {
        work.uow.credentials().set_password(token.workspace_id, token.user, hash).await?;
        work.commit().await?;
        Ok(Actor::new(token.workspace_id, token.user))
    }

    async fn send_reset(
        &self,
        work: &mut Work,
        user: UserRef,
        to: (&EmailAddress, &portico_domain::text::PersonName),
    ) -> AppResult<()> {
        self.send_link(work, user, TokenPurpose::PasswordReset, to).await.map(drop)
    }
}
