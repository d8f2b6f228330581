//! An undelivered invitation's link as staff may see it, to hand it over another way (when no
//! mail server is configured, or a mail bounced). The API's delivery view and the admin pages
//! both show it from here. Reset links are never shown, so they are never opened for display:
//! nobody can take over another person's account from the outbox.

use portico_app::Portico;
use portico_app::mail::PublicUrl;
use portico_domain::mail::{MailContent, OutboxMessage};

/// What staff are shown of a message's link.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Handover {
    /// The invitation's link, while it can still be used.
    pub(crate) link: Option<String>,
    /// Why the link cannot be shown (sealed with a key this installation no longer has).
    pub(crate) problem: Option<String>,
}

impl Handover {
    /// The link of `message`, opened by `portico` and built on `public_url`; nothing for any
    /// message but an invitation, or for a link that was used or replaced (its secret erased).
    pub(crate) fn of(message: &OutboxMessage, portico: &Portico, public_url: &PublicUrl) -> Self {
        if !matches!(message.content, MailContent::Invitation { .. }) {
            return Self::default();
        }
        match portico.link_secret(message) {
            Some(Ok(secret)) => Self { link: Some(public_url.invitation_link(&secret)), problem: None },
            Some(Err(why)) => {
                Self { link: None, problem: Some(format!("The link cannot be shown: {why}. Resend the invitation.")) }
            }
            None => Self::default(),
        }
    }
}
