//! Time and randomness from the operating system.

use portico_domain::token::SecretToken;
use portico_ports::{Clock, IdGenerator, TokenGenerator};
use time::OffsetDateTime;
use uuid::Uuid;

/// The real clock, in UTC.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        // Storage keeps microseconds; reading back must give exactly what was written.
        #[allow(clippy::disallowed_methods)] // The one place that asks the operating system.
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
    }
}

/// Time-ordered random ids (UUIDv7): unique, and kind to B-tree indexes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn new_id(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// 256-bit secrets from the operating system's CSPRNG.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomSecrets;

impl TokenGenerator for RandomSecrets {
    fn new_secret(&self) -> SecretToken {
        let mut bytes = [0u8; 32];
        // Without OS randomness no secret can be made safely; there is no sensible fallback.
        getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
        SecretToken::from_random_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_ids_do_not_repeat() {
        let secrets: std::collections::HashSet<String> =
            (0..100).map(|_| RandomSecrets.new_secret().expose().to_owned()).collect();
        assert_eq!(secrets.len(), 100);
        let (a, b) = (RandomIds.new_id(), RandomIds.new_id());
        assert_ne!(a, b);
        assert!(a < b, "v7 ids are time-ordered");
    }
}
