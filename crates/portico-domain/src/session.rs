//! Login sessions, kept server-side. The cookie carries a random secret; storage keeps only
//! its hash (the same scheme as link tokens), so a database leak opens no sessions.

use time::{Duration, OffsetDateTime};

use crate::ids::{ApiTokenId, StaffId, WorkspaceId};
use crate::staff::UserRef;
use crate::text::TokenLabel;
use crate::token::TokenHash;

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login, used or not.
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle_timeout: Duration::minutes(30), absolute_timeout: Duration::hours(12) }
    }
}

/// A logged-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Hash of the cookie secret; the session's identity in storage.
    pub hash: TokenHash,
    /// The workspace of the user.
    pub workspace_id: WorkspaceId,
    /// Who is logged in.
    pub user: UserRef,
    /// When the user logged in.
    pub created_at: OffsetDateTime,
    /// When the session was last used.
    pub last_seen_at: OffsetDateTime,
}

impl Session {
    /// Whether the session is still valid at `now` under `policy`. The timeout instants
    /// themselves are already too late.
    pub fn is_live(&self, policy: SessionPolicy, now: OffsetDateTime) -> bool {
        now < self.last_seen_at + policy.idle_timeout && now < self.created_at + policy.absolute_timeout
    }
}

/// A long-lived credential for programs using the API (`Authorization: Bearer ...`). It acts
/// as the staff member who created it — their role and status are read on every request, so
/// a deactivated admin's tokens stop working with them. Only the secret's hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Identity (to list and revoke it).
    pub id: ApiTokenId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The staff member it acts as.
    pub staff_id: StaffId,
    /// What it is for.
    pub label: TokenLabel,
    /// Hash of the secret.
    pub hash: TokenHash,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was last used (to the minute).
    pub last_used_at: Option<OffsetDateTime>,
    /// When it was revoked; a revoked token opens nothing.
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    /// Whether the token still opens the API.
    pub fn is_usable(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// Whether a use at `now` should be written down: at most once per `every`, so reads do
    /// not turn into writes.
    pub fn use_is_worth_recording(&self, now: OffsetDateTime, every: Duration) -> bool {
        self.last_used_at.is_none_or(|last| now - last >= every)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClientId;
    use crate::token::SecretToken;
    use time::macros::datetime;
    use uuid::Uuid;

    const LOGIN: OffsetDateTime = datetime!(2026-03-01 08:00 UTC);

    fn session() -> Session {
        Session {
            hash: SecretToken::from_random_bytes([1; 32]).hash(),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(1)),
            user: UserRef::Client(ClientId::from_uuid(Uuid::from_u128(2))),
            created_at: LOGIN,
            last_seen_at: LOGIN,
        }
    }

    #[test]
    fn idle_sessions_end_after_thirty_minutes() {
        let policy = SessionPolicy::default();
        let session = session();
        assert!(session.is_live(policy, LOGIN + Duration::minutes(29)));
        assert!(!session.is_live(policy, LOGIN + Duration::minutes(30)));
    }

    #[test]
    fn api_token_uses_are_recorded_at_most_once_a_minute_and_revocation_is_final() {
        let mut token = ApiToken {
            id: ApiTokenId::from_uuid(Uuid::from_u128(3)),
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(1)),
            staff_id: StaffId::from_uuid(Uuid::from_u128(4)),
            label: TokenLabel::parse("Accounting sync").expect("valid label"),
            hash: SecretToken::from_random_bytes([2; 32]).hash(),
            created_at: LOGIN,
            last_used_at: None,
            revoked_at: None,
        };
        assert!(token.use_is_worth_recording(LOGIN, Duration::minutes(1)));
        token.last_used_at = Some(LOGIN);
        assert!(!token.use_is_worth_recording(LOGIN + Duration::seconds(59), Duration::minutes(1)));
        assert!(token.use_is_worth_recording(LOGIN + Duration::minutes(1), Duration::minutes(1)));
        assert!(token.is_usable());
        token.revoked_at = Some(LOGIN);
        assert!(!token.is_usable());
    }

    #[test]
    fn busy_sessions_still_end_after_twelve_hours() {
        let policy = SessionPolicy::default();
        let mut session = session();
        session.last_seen_at = LOGIN + Duration::hours(12) - Duration::minutes(1);
        assert!(session.is_live(policy, LOGIN + Duration::hours(12) - Duration::seconds(1)));
        assert!(!session.is_live(policy, LOGIN + Duration::hours(12)));
    }
}
