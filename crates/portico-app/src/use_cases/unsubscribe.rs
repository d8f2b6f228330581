//! One-click unsubscribing from notice mails (RFC 8058): the signed link each notice carries,
//! what it names, and turning its categories off — without logging in.

use portico_domain::activity::{Category, Delivery, Unsubscribe};
use portico_domain::mail::{MailContent, OutboxMessage};
use portico_domain::staff::UserRef;
use portico_domain::text::WorkspaceName;

use crate::Portico;
use crate::error::{AppError, AppResult};
use crate::mail::PublicUrl;

/// What an unsubscribe link names, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeLink {
    /// The workspace whose mails it stops.
    pub workspace: WorkspaceName,
    /// The categories it turns off.
    pub categories: Vec<Category>,
    /// Whether it belongs to a client (whose choices are in the portal) or staff (the admin).
    pub for_client: bool,
}

impl Portico {
    /// The one-click unsubscribe link of a notice mail (none for other mail): it names the
    /// recipient and the categories the mail carries, signed with the server's key.
    pub(crate) fn unsubscribe_link(&self, message: &OutboxMessage, public_url: &PublicUrl) -> Option<String> {
        let MailContent::Notice { lines, .. } = &message.content else {
            return None;
        };
        let request = Unsubscribe::new(message.workspace_id, message.about?, lines.iter().map(|line| line.category));
        let tag = self.services.secret_box.sign(&request.payload());
        Some(public_url.join(&format!("/unsubscribe/{}", request.token(&tag))))
    }

    /// What the unsubscribe link `token` would turn off. Changes nothing: mail scanners open
    /// links to look at them.
    ///
    /// # Errors
    /// `NotFound` for a token that is malformed, not signed by this server's key, or whose
    /// person or workspace no longer exists.
    pub async fn unsubscribe_link_of(&self, token: &str) -> AppResult<UnsubscribeLink> {
        let request = self.checked(token)?;
        let mut work = self.begin_read(request.workspace_id).await?;
        let link = link_of(&mut work, &request).await?;
        Ok(link)
    }

    /// Turns off every category the unsubscribe link `token` names, for the person it names.
    /// Using a link again changes nothing more.
    ///
    /// # Errors
    /// As [`Portico::unsubscribe_link_of`].
    pub async fn unsubscribe(&self, token: &str) -> AppResult<UnsubscribeLink> {
        let request = self.checked(token)?;
        let mut work = self.begin(request.workspace_id).await?;
        let link = link_of(&mut work, &request).await?;
        let mut chosen = work.choices_of(request.user).await?;
        for category in &request.categories {
            chosen.choose(*category, Delivery::Off);
        }
        work.uow.preferences().put(request.workspace_id, request.user, &chosen).await?;
        work.commit().await?;
        Ok(link)
    }

    /// The request `token` makes, if this server's key signed it.
    fn checked(&self, token: &str) -> AppResult<Unsubscribe> {
        let (request, tag) = Unsubscribe::parse(token).map_err(|_| AppError::NotFound)?;
        if self.services.secret_box.verify(&request.payload(), &tag) { Ok(request) } else { Err(AppError::NotFound) }
    }
}

/// What `request` names, if its person and workspace still exist.
async fn link_of(work: &mut crate::support::Work, request: &Unsubscribe) -> AppResult<UnsubscribeLink> {
    let ws = request.workspace_id;
    let exists = match request.user {
        UserRef::Staff(id) => work.uow.staff().get(ws, id).await?.is_some(),
        UserRef::Client(id) => work.uow.clients().get(ws, id).await?.is_some(),
    };
    let workspace = work.uow.workspaces().get(ws).await?.filter(|_| exists).ok_or(AppError::NotFound)?;
    Ok(UnsubscribeLink {
        workspace: workspace.name,
        categories: request.categories.clone(),
        for_client: matches!(request.user, UserRef::Client(_)),
    })
}
