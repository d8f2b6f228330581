//! An outbox message as the admin pages show it (the outbox, a client's delivery log): what
//! it is, to whom, where it is on its way out, and an invitation's link while it still works.

use portico_app::Portico;
use portico_app::mail::PublicUrl;
use portico_domain::ids::OutboxId;
use portico_domain::mail::{DeliveryState, OutboxMessage};
use time::OffsetDateTime;

use crate::handover::Handover;

/// One message, from the domain's record.
pub(in crate::ui) struct DeliveryRow {
    pub(in crate::ui) id: OutboxId,
    /// The kind of message (`invitation`, `password_reset`, ...).
    pub(in crate::ui) kind: &'static str,
    pub(in crate::ui) to: String,
    pub(in crate::ui) to_name: String,
    pub(in crate::ui) state: DeliveryState,
    pub(in crate::ui) attempts: u32,
    pub(in crate::ui) created_at: OffsetDateTime,
    /// What went wrong on the last try, for a message retrying or given up.
    pub(in crate::ui) error: Option<String>,
    pub(in crate::ui) handover: Handover,
}

impl DeliveryRow {
    /// Each of `messages`, with invitation links opened by `portico` and built on `public_url`.
    pub(in crate::ui) fn all(portico: &Portico, messages: &[OutboxMessage], public_url: &PublicUrl) -> Vec<Self> {
        messages
            .iter()
            .map(|message| Self {
                id: message.id,
                kind: message.content.kind(),
                to: message.to.to_string(),
                to_name: message.to_name.to_string(),
                error: message.state.error().map(str::to_owned),
                state: message.state.clone(),
                attempts: message.attempts,
                created_at: message.created_at,
                handover: Handover::of(message, portico, public_url),
            })
            .collect()
    }
}
