//! API tokens: long-lived bearer credentials for programs, created and revoked by admins.
//!
//! A token acts as the admin who created it. Its secret is shown once, at creation; storage
//! keeps only the hash. Every request re-reads the admin, so a token stops working the moment
//! its admin is deactivated or demoted, as well as when it is revoked.

use portico_domain::audit::AuditSubject;
use portico_domain::audit::{AuditAction, FieldChange};
use portico_domain::ids::ApiTokenId;
use portico_domain::session::ApiToken;
use portico_domain::staff::Role;
use portico_domain::text::TokenLabel;
use portico_domain::token::SecretToken;
use time::Duration;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::support::by_staff;

/// A token's last use is written down at most this often.
const RECORD_USE_EVERY: Duration = Duration::minutes(1);

impl Portico {
    /// Creates an API token acting as the calling admin. The secret is returned once.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn create_api_token(&self, actor: &Actor, label: TokenLabel) -> AppResult<(ApiToken, SecretToken)> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let secret = self.services.secrets.new_secret();
        let token = ApiToken {
            id: work.new_id(ApiTokenId::from_uuid),
            workspace_id: actor.workspace,
            staff_id: admin.id,
            label,
            hash: secret.hash(),
            created_at: work.now,
            last_used_at: None,
            revoked_at: None,
        };
        work.uow.api_tokens().insert(&token).await?;
        let change = FieldChange::plain("label", None, Some(&token.label.as_str()));
        work.audit(by_staff(&admin), AuditSubject::Staff(admin.id), None, AuditAction::ApiTokenCreated, vec![change])
            .await?;
        work.commit().await?;
        Ok((token, secret))
    }

    /// Every API token of the workspace, revoked ones included, oldest first. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn list_api_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiToken>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.api_tokens().list(actor.workspace).await?)
    }

    /// Revokes a token at once. Revoking a revoked token changes nothing. Admins only.
    ///
    /// # Errors
    /// `NotFound` for an unknown token; `Forbidden` for anyone but an admin.
    pub async fn revoke_api_token(&self, actor: &Actor, id: ApiTokenId) -> AppResult<ApiToken> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut token = work.uow.api_tokens().get(actor.workspace, id).await?.ok_or(AppError::NotFound)?;
        if token.revoked_at.is_some() {
            return Ok(token);
        }
        token.revoked_at = Some(work.now);
        work.uow.api_tokens().update(&token).await?;
        let change = FieldChange::plain("label", Some(&token.label.as_str()), None);
        let subject = AuditSubject::Staff(token.staff_id);
        work.audit(by_staff(&admin), subject, None, AuditAction::ApiTokenRevoked, vec![change]).await?;
        work.commit().await?;
        Ok(token)
    }

    /// The staff member an API token acts as, when the token is live and they are still an
    /// active admin.
    ///
    /// # Errors
    /// `Unauthenticated` for a malformed, unknown or revoked token, or a staff member who is
    /// no longer an active admin.
    pub async fn authenticate_api_token(&self, secret: &str) -> AppResult<Actor> {
        let hash = SecretToken::parse(secret).map_err(|_| AppError::Unauthenticated)?.hash();
        let mut unit = self.begin_unscoped_read().await?;
        let token = unit.api_tokens().find_by_hash(&hash).await?.filter(ApiToken::is_usable);
        let token = token.ok_or(AppError::Unauthenticated)?;
        let mut work = unit.scoped_to(&token);
        let actor = Actor::staff(token.workspace_id, token.staff_id);
        let staff = work.staff(&actor).await?;
        if staff.role != Role::Admin {
            return Err(AppError::Unauthenticated);
        }
        if token.use_is_worth_recording(work.now, RECORD_USE_EVERY) {
            drop(work);
            let mut work = self.begin(token.workspace_id).await?;
            let mut token = token;
            token.last_used_at = Some(work.now);
            work.uow.api_tokens().update(&token).await?;
            work.commit().await?;
        }
        Ok(actor)
    }
}
