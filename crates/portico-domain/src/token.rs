//! One-time link tokens (invitations and password resets) and the secrets behind them.
//!
//! A token's secret is 256 random bits, handed out once inside a link; storage keeps only its
//! SHA-256 [`TokenHash`], so a database leak yields no usable links. A token is usable until it
//! expires, is used, or is revoked (by a newer link for the same person and purpose, or by
//! deactivation, deletion or an email change).

use std::fmt;

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::ids::{TokenId, WorkspaceId};
use crate::staff::UserRef;

/// The secret part of a link: 32 random bytes as 64 lower-case hex digits.
/// Its `Debug` output is redacted so it never lands in a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

/// The error for text that cannot be a token secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the link is not valid")]
pub struct MalformedToken;

impl SecretToken {
    /// Encodes 32 random bytes (from the token generator port).
    pub fn from_random_bytes(bytes: [u8; 32]) -> Self {
        Self(hex::encode(bytes))
    }

    /// Parses a secret presented by a user (from a link).
    ///
    /// # Errors
    /// [`MalformedToken`] unless the text is 64 hex digits.
    pub fn parse(input: &str) -> Result<Self, MalformedToken> {
        let text = input.trim();
        if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(MalformedToken)
        }
    }

    /// The secret, to put in a link. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The hash that storage keeps.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

/// SHA-256 of a token secret: what storage keeps and looks tokens up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// The hash bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Rebuilds a hash read from storage.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The hash as hex, for text storage.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    /// Set a first password and activate the account (valid 7 days).
    Invitation,
    /// Set a new password (valid 1 hour).
    PasswordReset,
}

impl TokenPurpose {
    /// How long a token of this purpose stays valid.
    pub const fn lifetime(self) -> Duration {
        match self {
            Self::Invitation => Duration::days(7),
            Self::PasswordReset => Duration::hours(1),
        }
    }

    /// The stable name used in storage.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }
}

impl fmt::Display for TokenPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a purpose name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a link purpose")]
pub struct UnknownPurpose(pub String);

impl std::str::FromStr for TokenPurpose {
    type Err = UnknownPurpose;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "invitation" => Ok(Self::Invitation),
            "password_reset" => Ok(Self::PasswordReset),
            other => Err(UnknownPurpose(other.to_owned())),
        }
    }
}

/// Why a token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    /// Past its expiry time.
    #[error("the link has expired")]
    Expired,
    /// Already used once.
    #[error("the link has already been used")]
    Used,
    /// Replaced by a newer link, or cancelled.
    #[error("the link is no longer valid")]
    Revoked,
    /// Issued for something else.
    #[error("the link is not valid for this")]
    WrongPurpose,
}

/// A one-time link token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeToken {
    /// Identity.
    pub id: TokenId,
    /// The workspace of the user.
    pub workspace_id: WorkspaceId,
    /// Whose token it is.
    pub user: UserRef,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The hash of its secret.
    pub hash: TokenHash,
    /// When it was issued.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When it was used.
    pub used_at: Option<OffsetDateTime>,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

impl OneTimeToken {
    /// A token issued now for `secret`, expiring after its purpose's lifetime.
    pub fn issue(
        id: TokenId,
        workspace_id: WorkspaceId,
        user: UserRef,
        purpose: TokenPurpose,
        secret: &SecretToken,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id,
            workspace_id,
            user,
            purpose,
            hash: secret.hash(),
            created_at: now,
            expires_at: now + purpose.lifetime(),
            used_at: None,
            revoked_at: None,
        }
    }

    /// Whether it can still be used (not used, not revoked, not expired).
    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        self.check(self.purpose, now).is_ok()
    }

    /// Checks that the token can be used for `purpose` at `now`. The expiry instant itself is
    /// already too late.
    ///
    /// # Errors
    /// The [`TokenRefusal`] that applies, checked in the order used, revoked, expired, purpose.
    pub fn check(&self, purpose: TokenPurpose, now: OffsetDateTime) -> Result<(), TokenRefusal> {
        if self.used_at.is_some() {
            Err(TokenRefusal::Used)
        } else if self.revoked_at.is_some() {
            Err(TokenRefusal::Revoked)
        } else if now >= self.expires_at {
            Err(TokenRefusal::Expired)
        } else if purpose != self.purpose {
            Err(TokenRefusal::WrongPurpose)
        } else {
            Ok(())
        }
    }

    /// Uses the token up.
    ///
    /// # Errors
    /// As [`OneTimeToken::check`].
    pub fn consume(&mut self, purpose: TokenPurpose, now: OffsetDateTime) -> Result<(), TokenRefusal> {
        self.check(purpose, now)?;
        self.used_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClientId;
    use time::macros::datetime;
    use uuid::Uuid;

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn token(purpose: TokenPurpose) -> (SecretToken, OneTimeToken) {
        let secret = SecretToken::from_random_bytes([7; 32]);
        let user = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(1)));
        let ws = WorkspaceId::from_uuid(Uuid::from_u128(2));
        let token = OneTimeToken::issue(TokenId::from_uuid(Uuid::from_u128(3)), ws, user, purpose, &secret, NOW);
        (secret, token)
    }

    #[test]
    fn secrets_are_64_hex_digits_and_never_debug_printed() {
        let secret = SecretToken::from_random_bytes([0xab; 32]);
        assert_eq!(secret.expose(), "ab".repeat(32));
        assert_eq!(format!("{secret:?}"), "SecretToken(..)");
        assert_eq!(SecretToken::parse(&"AB".repeat(32)), Ok(secret));
        for bad in ["", "abc", &"g".repeat(64), &"a".repeat(65)] {
            assert_eq!(SecretToken::parse(bad), Err(MalformedToken), "{bad}");
        }
    }

    #[test]
    fn the_hash_is_sha256_of_the_secret() {
        let secret = SecretToken::from_random_bytes([0; 32]);
        let expected = Sha256::digest("0".repeat(64).as_bytes());
        assert_eq!(secret.hash().as_bytes().as_slice(), expected.as_slice());
        assert_ne!(secret.hash(), SecretToken::from_random_bytes([1; 32]).hash());
    }

    #[test]
    fn invitations_last_seven_days_to_the_second() {
        let (_, token) = token(TokenPurpose::Invitation);
        let last_moment = NOW + Duration::days(7) - Duration::seconds(1);
        assert_eq!(token.check(TokenPurpose::Invitation, last_moment), Ok(()));
        assert_eq!(token.check(TokenPurpose::Invitation, NOW + Duration::days(7)), Err(TokenRefusal::Expired));
    }

    #[test]
    fn resets_last_one_hour() {
        let (_, token) = token(TokenPurpose::PasswordReset);
        assert!(token.is_open(NOW + Duration::minutes(59)));
        assert!(!token.is_open(NOW + Duration::hours(1)));
    }

    #[test]
    fn a_token_is_single_use_and_purpose_bound() {
        let (_, mut token) = token(TokenPurpose::Invitation);
        assert_eq!(token.consume(TokenPurpose::PasswordReset, NOW), Err(TokenRefusal::WrongPurpose));
        assert_eq!(token.consume(TokenPurpose::Invitation, NOW), Ok(()));
        assert_eq!(token.consume(TokenPurpose::Invitation, NOW), Err(TokenRefusal::Used));
    }

    #[test]
    fn purposes_round_trip() {
        for purpose in [TokenPurpose::Invitation, TokenPurpose::PasswordReset] {
            assert_eq!(purpose.as_str().parse(), Ok(purpose));
        }
        assert_eq!("login".parse::<TokenPurpose>(), Err(UnknownPurpose("login".into())));
    }

    #[test]
    fn a_revoked_token_is_refused() {
        let (_, mut token) = token(TokenPurpose::Invitation);
        token.revoked_at = Some(NOW);
        assert_eq!(token.check(TokenPurpose::Invitation, NOW), Err(TokenRefusal::Revoked));
    }
}
