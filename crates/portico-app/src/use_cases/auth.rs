//! Accepting an invitation: the one-time link sets the first password.

use portico_domain::audit::{AuditAction, AuditActor, AuditSubject};
use portico_domain::ids::WorkspaceId;
use portico_domain::password::NewPassword;
use portico_domain::staff::UserRef;
use portico_domain::token::{SecretToken, TokenPurpose};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, LinkError};

impl Portico {
    /// Uses an invitation link: sets the password and, for a client, activates it. The link
    /// cannot be used again.
    ///
    /// # Errors
    /// `Link` when the link is malformed, unknown, used, revoked or expired; `Unauthenticated`
    /// when its person can no longer log in.
    pub async fn accept_invitation(&self, secret: &str, password: &NewPassword) -> AppResult<Actor> {
        let secret = SecretToken::parse(secret).map_err(LinkError::from)?;
        // Hash before opening the unit of work: the slow part never holds a transaction.
        let hash = self.services.hasher.hash(password).await?;
        // The link alone says which workspace it belongs to.
        let mut work = self.begin(WorkspaceId::from_uuid(uuid::Uuid::nil())).await?;
        let mut token = work.uow.tokens().find_by_hash(&secret.hash()).await?.ok_or(LinkError::Unknown)?;
        work.workspace = token.workspace_id;
        token.consume(TokenPurpose::Invitation, work.now).map_err(LinkError::from)?;
        work.uow.tokens().update(&token).await?;
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
            UserRef::Staff(id) => {
                let staff = work.uow.staff().get(token.workspace_id, id).await?;
                staff.filter(|s| s.active).ok_or(AppError::Unauthenticated)?;
            }
        }
        work.uow.credentials().set_password(token.workspace_id, token.user, &hash).await?;
        work.commit().await?;
        Ok(Actor { workspace: token.workspace_id, user: token.user })
    }
}
