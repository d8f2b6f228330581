//! What the API answers about signing in: API tokens (never their secret, but once) and the
//! one answer to a reset request.

use portico_domain::session::ApiToken;
use serde::Serialize;
use utoipa::ToSchema;

use super::{instant, maybe_instant};

/// An API token (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenView {
    /// Id.
    pub id: String,
    /// What it is for.
    pub label: String,
    /// The admin it acts as.
    pub staff_id: String,
    /// When it was created.
    pub created_at: String,
    /// When it was last used (to the minute).
    pub last_used_at: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl From<&ApiToken> for ApiTokenView {
    fn from(token: &ApiToken) -> Self {
        Self {
            id: token.id.to_string(),
            label: token.label.as_str().to_owned(),
            staff_id: token.staff_id.to_string(),
            created_at: instant(token.created_at),
            last_used_at: maybe_instant(token.last_used_at),
            revoked_at: maybe_instant(token.revoked_at),
        }
    }
}

/// A token just created, with its secret — shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTokenView {
    /// The token.
    #[serde(flatten)]
    pub token: ApiTokenView,
    /// Send as `Authorization: Bearer <secret>`. It cannot be shown again.
    pub secret: String,
}

/// The answer to a reset request, the same whether or not the address has an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAccepted {
    /// For people.
    pub message: String,
}
