//! The workspace's settings: reading and changing them (admins, audited), its logo, how
//! every page shows the brand, and a test mail that answers with the mail server's reply.

use portico_domain::audit::{AuditAction, AuditEvent, AuditSubject};
use portico_domain::content::StorageKey;
use portico_domain::ids::WorkspaceId;
use portico_domain::validation::ValidationErrors;
use portico_domain::workspace::{Logo, LogoKind, SettingsEdit, Workspace};
use portico_ports::{Mailer, SendError};

use crate::Portico;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::mail::{PublicUrl, test_mail};
use crate::support::by_staff;
use crate::use_cases::Me;

/// What a test mail came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestMail {
    /// Where it was sent: the admin's own address.
    pub to: String,
    /// The mail server's reply when it took the message, or why it did not.
    pub outcome: Result<String, String>,
}

impl Portico {
    /// The workspace with its settings. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn settings(&self, actor: &Actor) -> AppResult<Workspace> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        work.uow.workspaces().get(actor.workspace).await?.ok_or(AppError::NotFound)
    }

    /// Every change of the settings, oldest first. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn settings_history(&self, actor: &Actor) -> AppResult<Vec<AuditEvent>> {
        let mut work = self.begin_read(actor.workspace).await?;
        work.admin(actor).await?;
        Ok(work.uow.audit().for_subject(actor.workspace, AuditSubject::Workspace).await?)
    }

    /// Changes the settings `edit` names, audited field by field; returns the workspace as it
    /// is now. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn change_settings(&self, actor: &Actor, edit: SettingsEdit) -> AppResult<Workspace> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut workspace = work.uow.workspaces().get(actor.workspace).await?.ok_or(AppError::NotFound)?;
        let changes = workspace.apply(edit);
        if !changes.is_empty() {
            work.uow.workspaces().update(&workspace).await?;
            let action = AuditAction::WorkspaceSettingsChanged;
            work.audit(by_staff(&admin), AuditSubject::Workspace, None, action, changes).await?;
            work.commit().await?;
        }
        Ok(workspace)
    }

    /// Makes `bytes` the workspace's logo (a PNG or SVG of at most 512 KiB, judged by its
    /// content), or removes the logo when `bytes` is `None`. The old logo's bytes go once the
    /// change is stored. Admins only.
    ///
    /// # Errors
    /// `Invalid` (field `logo`) for anything but such an image; `Forbidden` for anyone but an
    /// admin.
    pub async fn replace_logo(&self, actor: &Actor, bytes: Option<Vec<u8>>) -> AppResult<Workspace> {
        let new = match bytes {
            None => None,
            Some(bytes) => {
                let kind = LogoKind::of(&bytes).map_err(|why| ValidationErrors::single("logo", why))?;
                Some((kind, bytes))
            }
        };
        // Checked before the bytes are stored, so a member cannot fill the file store.
        self.settings(actor).await?;
        let logo = match new {
            None => None,
            Some((kind, bytes)) => {
                // A generated name, like every file's: the store takes nothing else.
                let key = StorageKey::from_stored(self.services.ids.new_id().simple().to_string());
                self.services.files.put(&key, bytes).await?;
                Some(Logo { kind, key })
            }
        };
        let stored = self.store_logo(actor, logo.clone()).await;
        let leftover = match &stored {
            Ok((_, replaced)) => replaced.clone(),
            Err(_) => logo,
        };
        // Best effort: a failed delete leaves an unreferenced blob, never a logo without bytes.
        if let Some(leftover) = leftover {
            let _ = self.services.files.delete(&leftover.key).await;
        }
        stored.map(|(workspace, _)| workspace)
    }

    async fn store_logo(&self, actor: &Actor, logo: Option<Logo>) -> AppResult<(Workspace, Option<Logo>)> {
        let mut work = self.begin(actor.workspace).await?;
        let admin = work.admin(actor).await?;
        let mut workspace = work.uow.workspaces().get(actor.workspace).await?.ok_or(AppError::NotFound)?;
        let Some((replaced, change)) = workspace.replace_logo(logo) else {
            return Ok((workspace, None));
        };
        work.uow.workspaces().update(&workspace).await?;
        let action = AuditAction::WorkspaceSettingsChanged;
        work.audit(by_staff(&admin), AuditSubject::Workspace, None, action, vec![change]).await?;
        work.commit().await?;
        Ok((workspace, replaced))
    }

    /// The logo `workspace` shows under `key`, for anyone (it is on the login page). Only the
    /// current logo is served; an old key is gone.
    ///
    /// # Errors
    /// `NotFound` for any other key.
    pub async fn logo(&self, workspace: WorkspaceId, key: &str) -> AppResult<(LogoKind, Vec<u8>)> {
        let mut work = self.begin_read(workspace).await?;
        let found = work.uow.workspaces().get(workspace).await?.and_then(|w| w.settings.brand.logo);
        drop(work);
        let logo = found.filter(|logo| logo.key.as_str() == key).ok_or(AppError::NotFound)?;
        Ok((logo.kind, self.services.files.get(&logo.key).await?))
    }

    /// The workspace as pages show it (name and brand), for anyone.
    ///
    /// # Errors
    /// `NotFound` when there is no such workspace.
    pub async fn workspace(&self, workspace: WorkspaceId) -> AppResult<Workspace> {
        let mut work = self.begin_read(workspace).await?;
        work.uow.workspaces().get(workspace).await?.ok_or(AppError::NotFound)
    }

    /// The signed-in person and their workspace, read together for a page.
    ///
    /// # Errors
    /// As [`Portico::me`].
    pub async fn me_and_workspace(&self, actor: &Actor) -> AppResult<(Me, Workspace)> {
        let me = self.me(actor).await?;
        Ok((me, self.workspace(actor.workspace).await?))
    }

    /// Sends a test message to the admin's own address at once (not through the outbox) and
    /// answers with what the mail server said. Admins only.
    ///
    /// # Errors
    /// `Forbidden` for anyone but an admin. Without a mail server the outcome says so.
    pub async fn send_test_mail(
        &self,
        actor: &Actor,
        mailer: Option<&dyn Mailer>,
        public_url: &PublicUrl,
    ) -> AppResult<TestMail> {
        let (admin, workspace) = {
            let mut work = self.begin_read(actor.workspace).await?;
            let admin = work.admin(actor).await?;
            let workspace = work.uow.workspaces().get(actor.workspace).await?.ok_or(AppError::NotFound)?;
            (admin, workspace)
        };
        let Some(mailer) = mailer else {
            return Ok(TestMail {
                to: admin.email.to_string(),
                outcome: Err("no mail server is set up (PORTICO_SMTP_URL): mail waits in the outbox".to_owned()),
            });
        };
        let message = test_mail(&workspace, &admin, public_url, self.services.ids.new_id());
        let outcome = mailer.send(&message).await.map_err(|error| match error {
            SendError::Transient(why) => format!("the server is not taking mail now: {why}"),
            SendError::Permanent(why) => format!("the server refused the message: {why}"),
        });
        Ok(TestMail { to: admin.email.to_string(), outcome })
    }
}
