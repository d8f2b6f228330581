//! Randomness from the operating system: record ids and link secrets.

use portico_domain::token::SecretToken;
use portico_ports::{IdGenerator, TokenGenerator};
use uuid::Uuid;

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
