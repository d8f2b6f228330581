//! The password policy (NIST SP 800-63B style): long enough, not absurdly long, not a
//! well-known password — and no composition rules.

use std::fmt;

/// Passwords too common to allow (only those of acceptable length need listing).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than the minimum.
    #[error("must be at least {min} characters", min = NewPassword::MIN_CHARS)]
    TooShort,
    /// Longer than the maximum.
    #[error("must be at most {max} characters", max = NewPassword::MAX_CHARS)]
    TooLong,
    /// On the list of common passwords.
    #[error("is too common; choose something less guessable")]
    TooCommon,
}

/// A password someone chose, checked against the policy. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// The fewest characters accepted.
    pub const MIN_CHARS: usize = 10;
    /// The most characters accepted.
    pub const MAX_CHARS: usize = 256;

    /// Checks `input` against the policy. The password is taken exactly as typed (no trimming).
    ///
    /// # Errors
    /// [`PasswordError`] when it is too short, too long or too common.
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let length = input.chars().count();
        if length < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if length > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lowered = input.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|common| common == lowered) {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(input.to_owned()))
    }

    /// The password, for the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// A stored password hash in PHC string format (`$argon2id$...`). `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string produced by the hasher or read from storage.
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string.
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(NewPassword::parse("short"), Err(PasswordError::TooShort));
        assert!(NewPassword::parse("ééééééééééé").is_ok());
        assert_eq!(NewPassword::parse(&"x".repeat(257)), Err(PasswordError::TooLong));
        assert!(NewPassword::parse("correct horse battery staple").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        assert_eq!(NewPassword::parse("password123"), Err(PasswordError::TooCommon));
        assert_eq!(NewPassword::parse("QWERTYUIOP"), Err(PasswordError::TooCommon));
        assert_eq!(NewPassword::parse("1234567890"), Err(PasswordError::TooCommon));
    }

    #[test]
    fn the_list_holds_only_lowercase_entries_that_the_length_rule_would_let_through() {
        for common in COMMON_PASSWORDS.lines() {
            assert_eq!(common, common.to_lowercase());
            assert!(common.chars().count() >= NewPassword::MIN_CHARS, "{common} is already refused by length");
        }
    }

    #[test]
    fn passwords_are_never_debug_printed() {
        let password = NewPassword::parse("a long secret phrase").expect("valid");
        assert_eq!(format!("{password:?}"), "NewPassword(..)");
        assert_eq!(format!("{:?}", PasswordHash::from_phc("$argon2id$x".into())), "PasswordHash(..)");
    }
}
