//! # portico-argon2
//!
//! The production [`PasswordHasher`]: argon2id with the OWASP-recommended parameters
//! (t=2, m=19456 KiB, p=1), a fresh random salt per hash, PHC strings for storage. Hashing
//! takes tens of milliseconds of CPU and 19 MiB of memory on purpose, so it runs on tokio's
//! blocking pool, never stalling the async executor, and no more hashes run at once than the
//! machine has cores: a burst waits its turn instead of multiplying memory and contention.

use argon2::password_hash::{Error as Argon2Error, PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use portico_domain::password::{NewPassword, PasswordHash};
use portico_ports::{HashError, PasswordHasher};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Argon2id password hashing. Clones share one limit on the hashes running at once.
#[derive(Debug, Clone)]
pub struct Argon2Hasher {
    running: Arc<Semaphore>,
}

impl Argon2Hasher {
    /// A hasher running at most as many hashes at once as there are cores.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self { running: Arc::new(Semaphore::new(cores)) }
    }

    /// Runs CPU-heavy work on the blocking pool once a core is free for it.
    async fn off_executor<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _turn = self.running.acquire().await.map_err(|error| HashError(format!("hasher closed: {error}")))?;
        tokio::task::spawn_blocking(work).await.map_err(|error| HashError(format!("hashing task failed: {error}")))?
    }
}

impl Default for Argon2Hasher {
    fn default() -> Self {
        Self::new()
    }
}

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Argon2id output with the production parameters over a zero salt and a zero digest:
/// verifying any password against it does the full work and fails.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &NewPassword) -> Result<PasswordHash, HashError> {
        let password = password.expose().to_owned();
        self.off_executor(move || {
            let hash = argon2id().hash_password(password.as_bytes()).map_err(|error| HashError(error.to_string()))?;
            Ok(PasswordHash::from_phc(hash.to_string()))
        })
        .await
    }

    async fn verify(&self, password: &str, hash: &PasswordHash) -> Result<bool, HashError> {
        let (password, hash) = (password.to_owned(), hash.as_phc().to_owned());
        self.off_executor(move || match argon2id().verify_password(password.as_bytes(), hash.as_str()) {
            Ok(()) => Ok(true),
            Err(Argon2Error::PasswordInvalid) => Ok(false),
            Err(error) => Err(HashError(error.to_string())),
        })
        .await
    }

    fn decoy(&self) -> PasswordHash {
        PasswordHash::from_phc(DECOY.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> NewPassword {
        NewPassword::parse(text).expect("valid password")
    }

    #[tokio::test]
    async fn hashes_verify_only_their_own_password() {
        let hash = Argon2Hasher::new().hash(&password("correct horse battery")).await.expect("hashes");
        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", hash.as_phc());
        assert!(Argon2Hasher::new().verify("correct horse battery", &hash).await.expect("verifies"));
        assert!(!Argon2Hasher::new().verify("correct horse batterY", &hash).await.expect("verifies"));
    }

    #[tokio::test]
    async fn every_hash_has_its_own_salt() {
        let a = Argon2Hasher::new().hash(&password("the same password")).await.expect("hashes");
        let b = Argon2Hasher::new().hash(&password("the same password")).await.expect("hashes");
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn the_decoy_is_a_real_argon2id_hash_that_refuses_passwords() {
        let decoy = Argon2Hasher::new().decoy();
        let real = Argon2Hasher::new().hash(&password("correct horse battery")).await.expect("hashes");
        let parameters = |phc: &str| phc.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(parameters(decoy.as_phc()), parameters(real.as_phc()), "same algorithm and cost");
        for guess in ["", "correct horse battery", "password1234"] {
            assert!(!Argon2Hasher::new().verify(guess, &decoy).await.expect("a readable hash"));
        }
    }

    #[tokio::test]
    async fn an_unreadable_hash_is_an_error_not_a_mismatch() {
        let garbage = PasswordHash::from_phc("not a phc string".to_owned());
        assert!(Argon2Hasher::new().verify("anything at all", &garbage).await.is_err());
    }
}
