//! Logging in and out, and recognising the person behind a session on every request.
//!
//! Sessions live server-side; the caller (the HTTP layer) keeps only the secret, in a cookie.
//! Every request re-reads the person, so a deactivation or deletion locks them out at once even
//! if a session somehow survived.

use portico_domain::audit::{AuditAction, AuditActor, AuditSubject};
use portico_domain::client::Client;
use portico_domain::email::EmailAddress;
use portico_domain::ids::WorkspaceId;
use portico_domain::password::NewPassword;
use portico_domain::session::{Session, SessionPolicy};
use portico_domain::staff::{Staff, UserRef};
use portico_domain::token::SecretToken;
use portico_domain::validation::ValidationErrors;
use time::Duration;

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};

/// A session is marked as used at most this often, so a busy reader does not write on
/// every request; the idle timeout is measured in minutes, so this costs no precision that
/// matters.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A fresh session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    /// Who logged in.
    pub actor: Actor,
    /// The session's secret, for the cookie. Only its hash is stored.
    pub secret: SecretToken,
}

/// The person behind an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Me {
    /// A staff member.
    Staff(Staff),
    /// A client.
    Client(Client),
}

impl Me {
    /// The address the person logs in with.
    pub fn email(&self) -> &EmailAddress {
        match self {
            Self::Staff(staff) => &staff.email,
            Self::Client(client) => client.email(),
        }
    }
}

impl Portico {
    /// Checks an email and password and opens a session. `replaces` is the secret of the
    /// session the browser had before, if any: it ends, so a session id planted before login
    /// is worthless after it.
    ///
    /// Unknown addresses, wrong passwords and people who may not log in (inactive staff,
    /// clients that are not active) all get the same answer after the same amount of work.
    ///
    /// # Errors
    /// `Unauthenticated` when the email and password do not open an account.
    pub async fn log_in(
        &self,
        workspace: WorkspaceId,
        email: &str,
        password: &str,
        replaces: Option<&str>,
    ) -> AppResult<LoggedIn> {
        let found = match EmailAddress::parse(email) {
            Ok(email) => self.credentials_of(workspace, &email).await?,
            Err(_) => None,
        };
        let decoy = self.services.hasher.decoy();
        let hash = found.as_ref().map_or(&decoy, |(_, hash)| hash);
        let matches = self.services.hasher.verify(password, hash).await?;
        let user = match found {
            Some((user, _)) if matches => user,
            _ => return Err(AppError::Unauthenticated),
        };

        let mut work = self.begin(workspace).await?;
        if let UserRef::Client(id) = user {
            let mut client = work.uow.clients().get(workspace, id).await?.ok_or(AppError::Unauthenticated)?;
            client.record_login(work.now);
            work.uow.clients().update(&client).await?;
        }
        if let Some(old) = replaces.and_then(|secret| SecretToken::parse(secret).ok()) {
            work.uow.sessions().delete(&old.hash()).await?;
        }
        let secret = self.services.secrets.new_secret();
        let session = Session {
            hash: secret.hash(),
            workspace_id: workspace,
            user,
            created_at: work.now,
            last_seen_at: work.now,
        };
        work.uow.sessions().insert(&session).await?;
        work.commit().await?;
        Ok(LoggedIn { actor: Actor::new(workspace, user), secret })
    }

    /// The person a session secret belongs to, when the session is live and the person may
    /// still log in. A session past its idle or absolute timeout is deleted.
    ///
    /// # Errors
    /// `Unauthenticated` for a malformed, unknown or expired session, or a person who may no
    /// longer log in.
    pub async fn authenticate(&self, secret: &str, policy: SessionPolicy) -> AppResult<Actor> {
        let hash = SecretToken::parse(secret).map_err(|_| AppError::Unauthenticated)?.hash();
        let mut unit = self.begin_unscoped_read().await?;
        let session = unit.sessions().find_by_hash(&hash).await?.ok_or(AppError::Unauthenticated)?;
        let mut work = unit.scoped_to(&session);
        let live = session.is_live(policy, work.now);
        let due = live && work.now - session.last_seen_at >= TOUCH_EVERY;
        if live && !due {
            work.ensure_can_log_in(session.user).await?;
            return Ok(Actor::new(session.workspace_id, session.user));
        }
        drop(work);

        let mut work = self.begin(session.workspace_id).await?;
        if !live {
            work.uow.sessions().delete(&hash).await?;
            work.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        work.ensure_can_log_in(session.user).await?;
        work.uow.sessions().touch(&hash, work.now).await?;
        work.commit().await?;
        Ok(Actor::new(session.workspace_id, session.user))
    }

    /// Ends the session with this secret (nothing happens for an unknown one).
    ///
    /// # Errors
    /// Only storage failures.
    pub async fn log_out(&self, secret: &str) -> AppResult<()> {
        let Ok(secret) = SecretToken::parse(secret) else {
            return Ok(());
        };
        let mut unit = self.begin_unscoped().await?;
        unit.sessions().delete(&secret.hash()).await?;
        unit.commit().await
    }

    /// The person behind `actor`, read fresh.
    ///
    /// # Errors
    /// `Unauthenticated` when the person may no longer log in.
    pub async fn me(&self, actor: &Actor) -> AppResult<Me> {
        let mut work = self.begin_read(actor.workspace).await?;
        match actor.user {
            UserRef::Staff(_) => work.staff(actor).await.map(Me::Staff),
            UserRef::Client(_) => work.viewer(actor).await.map(|(client, _)| Me::Client(client)),
        }
    }

    /// Changes the signed-in person's password after checking the current one. Every session of
    /// the person ends (this one too): log in again with the new password.
    ///
    /// # Errors
    /// `Invalid` (field `current_password`) when the current password is wrong;
    /// `Unauthenticated` for a person who may no longer log in.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &NewPassword) -> AppResult<()> {
        let stored = {
            let mut work = self.begin_read(actor.workspace).await?;
            work.ensure_can_log_in(actor.user).await?;
            work.uow.credentials().password(actor.workspace, actor.user).await?
        };
        let decoy = self.services.hasher.decoy();
        let matches = self.services.hasher.verify(current, stored.as_ref().unwrap_or(&decoy)).await?;
        if stored.is_none() || !matches {
            return Err(ValidationErrors::single("current_password", "is not your current password").into());
        }
        let hash = self.services.hasher.hash(new).await?;
        let mut work = self.begin(actor.workspace).await?;
        work.ensure_can_log_in(actor.user).await?;
        work.uow.credentials().set_password(actor.workspace, actor.user, &hash).await?;
        work.uow.sessions().delete_all_for(actor.workspace, actor.user).await?;
        let subject = match actor.user {
            UserRef::Client(id) => AuditSubject::Client(id),
            UserRef::Staff(id) => AuditSubject::Staff(id),
        };
        work.audit(AuditActor::User(actor.user), subject, None, AuditAction::PasswordChanged, vec![]).await?;
        work.commit().await
    }

    /// The person with this login address and their password hash, if they may log in.
    async fn credentials_of(
        &self,
        workspace: WorkspaceId,
        email: &EmailAddress,
    ) -> AppResult<Option<(UserRef, portico_domain::password::PasswordHash)>> {
        let mut work = self.begin_read(workspace).await?;
        let user = if let Some(staff) = work.uow.staff().find_by_email(workspace, email).await?.filter(|s| s.active) {
            Some(UserRef::Staff(staff.id))
        } else {
            let client = work.uow.clients().find_by_email(workspace, email).await?;
            client.filter(Client::is_active).map(|c| UserRef::Client(c.id()))
        };
        let Some(user) = user else {
            return Ok(None);
        };
        Ok(work.uow.credentials().password(workspace, user).await?.map(|hash| (user, hash)))
    }
}
