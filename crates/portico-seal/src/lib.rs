//! # portico-seal
//!
//! The production [`SecretBox`]: link secrets that must wait in the outbox are sealed with
//! XChaCha20-Poly1305 under a 256-bit key that lives **outside** the database — a key file in
//! the data folder, created on first start, or the `PORTICO_SECRET_KEY` setting. A copy of the
//! database or of its backups alone yields no usable link.
//!
//! A sealed secret is `version (1) ‖ key id (4) ‖ nonce (24) ‖ ciphertext and tag`. The key id
//! (the start of a hash of the key) tells a secret sealed under a *replaced* key from a damaged
//! one, so an operator who rotated the key is told exactly that. The version, key id and the
//! message's identity are authenticated as associated data: a sealed secret moved to another
//! message does not open.

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac as _};
use portico_domain::activity::TAG_LEN;
use portico_domain::mail::{SealedSecret, Unsealable};
use portico_domain::token::SecretToken;
use portico_ports::SecretBox;
use sha2::{Digest, Sha256};

const VERSION: u8 = 1;
const KEY_ID_LEN: usize = 4;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text is not 64 hex digits.
    #[error("a secret key must be 64 hex digits (32 bytes), such as the output of `openssl rand -hex 32`")]
    Malformed,
    /// The key file could not be read or written.
    #[error("cannot use the key file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// Seals and opens link secrets under one key.
pub struct KeyBox {
    cipher: XChaCha20Poly1305,
    key_id: [u8; KEY_ID_LEN],
    /// HMAC-SHA-256 keyed with a key derived from the sealing key, so one key never serves
    /// two algorithms.
    signer: Hmac<Sha256>,
}

impl fmt::Debug for KeyBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyBox(key id {})", hex::encode(self.key_id))
    }
}

impl KeyBox {
    /// A box with this key.
    ///
    /// # Panics
    /// Never: HMAC takes keys of any length.
    pub fn new(key: [u8; 32]) -> Self {
        let digest = Sha256::new().chain_update(b"portico secret key id\0").chain_update(key).finalize();
        let mut key_id = [0; KEY_ID_LEN];
        key_id.copy_from_slice(&digest[..KEY_ID_LEN]);
        let signing_key = Sha256::new().chain_update(b"portico signing key\0").chain_update(key).finalize();
        let signer = Hmac::new_from_slice(&signing_key).expect("HMAC accepts any key length");
        Self { cipher: XChaCha20Poly1305::new(&key.into()), key_id, signer }
    }

    /// A box with a fresh random key (tests, and the first start).
    pub fn random() -> Self {
        Self::new(random_key())
    }

    /// A box with the key written as 64 hex digits.
    ///
    /// # Errors
    /// [`KeyError::Malformed`] for anything else.
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::new(key))
    }

    /// The box of the key in `path`, creating the file with a new random key (readable by its
    /// owner only) when it does not exist. Returns whether it was created.
    ///
    /// # Errors
    /// When the file cannot be read or created, or holds no key.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        let failed = |source| KeyError::File { path: path.display().to_string(), source };
        match std::fs::read_to_string(path) {
            Ok(text) => return Ok((Self::from_hex(&text)?, false)),
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(failed(error)),
            Err(_) => {}
        }
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(failed)?;
        }
        let key = random_key();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                file.write_all(format!("{}\n", hex::encode(key)).as_bytes()).map_err(failed)?;
                file.sync_all().map_err(failed)?;
                Ok((Self::new(key), true))
            }
            // Another process created it first: use theirs.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(failed)?;
                Ok((Self::from_hex(&text)?, false))
            }
            Err(error) => Err(failed(error)),
        }
    }

    /// The key's id as hex, to tell keys apart in logs without showing them.
    pub fn key_id(&self) -> String {
        hex::encode(self.key_id)
    }

    fn associated_data(&self, context: &[u8]) -> Vec<u8> {
        [&[VERSION][..], &self.key_id, context].concat()
    }
}

fn random_key() -> [u8; 32] {
    let mut key = [0; 32];
    getrandom::fill(&mut key).expect("the operating system's random source is unavailable");
    key
}

impl SecretBox for KeyBox {
    fn seal(&self, context: &[u8], secret: &SecretToken) -> SealedSecret {
        let mut nonce = [0; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("the operating system's random source is unavailable");
        let aad = self.associated_data(context);
        let payload = Payload { msg: secret.expose().as_bytes(), aad: &aad };
        // Encryption only fails for messages beyond the cipher's limit (256 GiB).
        let sealed = self.cipher.encrypt(&XNonce::from(nonce), payload).unwrap_or_default();
        SealedSecret::from_bytes([&[VERSION][..], &self.key_id, &nonce, &sealed].concat())
    }

    fn open(&self, context: &[u8], sealed: &SealedSecret) -> Result<SecretToken, Unsealable> {
        let bytes = sealed.as_bytes();
        if bytes.len() <= HEADER_LEN || bytes[0] != VERSION {
            return Err(Unsealable::Damaged);
        }
        if bytes[1..=KEY_ID_LEN] != self.key_id {
            return Err(Unsealable::OtherKey);
        }
        let mut nonce = [0; NONCE_LEN];
        nonce.copy_from_slice(&bytes[1 + KEY_ID_LEN..HEADER_LEN]);
        let aad = self.associated_data(context);
        let payload = Payload { msg: &bytes[HEADER_LEN..], aad: &aad };
        let plain = self.cipher.decrypt(&XNonce::from(nonce), payload).map_err(|_| Unsealable::Damaged)?;
        let text = String::from_utf8(plain).map_err(|_| Unsealable::Damaged)?;
        SecretToken::parse(&text).map_err(|_| Unsealable::Damaged)
    }

    fn sign(&self, message: &[u8]) -> [u8; TAG_LEN] {
        let full = self.signer.clone().chain_update(message).finalize().into_bytes();
        let mut tag = [0; TAG_LEN];
        tag.copy_from_slice(&full[..TAG_LEN]);
        tag
    }

    fn verify(&self, message: &[u8], tag: &[u8; TAG_LEN]) -> bool {
        self.signer.clone().chain_update(message).verify_truncated_left(tag).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secret(byte: u8) -> SecretToken {
        SecretToken::from_random_bytes([byte; 32])
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_context_and_key() {
        let keys = KeyBox::random();
        let sealed = keys.seal(b"message 1", &secret(7));
        assert_eq!(keys.open(b"message 1", &sealed), Ok(secret(7)));
        assert_eq!(keys.open(b"message 2", &sealed), Err(Unsealable::Damaged), "moved to another message");
        assert_eq!(KeyBox::random().open(b"message 1", &sealed), Err(Unsealable::OtherKey), "after rotation");
        assert!(!sealed.to_hex().contains(secret(7).expose()), "the secret does not show");
        assert_ne!(keys.seal(b"message 1", &secret(7)), sealed, "a fresh nonce each time");
    }

    #[test]
    fn a_tag_vouches_for_its_message_under_its_key_only() {
        let keys = KeyBox::from_hex(&"ab".repeat(32)).expect("a key");
        let tag = keys.sign(b"unsubscribe 1");
        assert_eq!(tag, KeyBox::from_hex(&"ab".repeat(32)).expect("a key").sign(b"unsubscribe 1"), "stable");
        assert!(keys.verify(b"unsubscribe 1", &tag));
        assert!(!keys.verify(b"unsubscribe 2", &tag), "another message");
        assert!(!KeyBox::random().verify(b"unsubscribe 1", &tag), "another key");
        let mut altered = tag;
        altered[TAG_LEN - 1] ^= 1;
        assert!(!keys.verify(b"unsubscribe 1", &altered));
    }

    #[test]
    fn keys_are_read_from_hex_and_refused_otherwise() {
        let key = "ab".repeat(32);
        let a = KeyBox::from_hex(&key).expect("a key");
        let b = KeyBox::from_hex(&format!(" {key}\n")).expect("trimmed");
        assert_eq!(b.open(b"c", &a.seal(b"c", &secret(1))), Ok(secret(1)));
        for bad in ["", "abc", &"zz".repeat(32), &"ab".repeat(31)] {
            assert!(matches!(KeyBox::from_hex(bad), Err(KeyError::Malformed)), "{bad}");
        }
    }

    #[test]
    fn the_key_file_is_created_once_private_and_then_reused() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("data").join("secret.key");
        let (first, created) = KeyBox::load_or_create(&path).expect("created");
        assert!(created);
        let (again, created) = KeyBox::load_or_create(&path).expect("read back");
        assert!(!created);
        assert_eq!(first.key_id(), again.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("exists").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").expect("overwritten");
        assert!(matches!(KeyBox::load_or_create(&path), Err(KeyError::Malformed)));
    }

    proptest! {
        #[test]
        fn any_change_to_a_sealed_secret_is_refused(byte in 0usize..200, flip in 1u8..=255) {
            let keys = KeyBox::new([3; 32]);
            let sealed = keys.seal(b"ctx", &secret(9));
            let mut bytes = sealed.as_bytes().to_vec();
            let at = byte % bytes.len();
            bytes[at] ^= flip;
            let opened = keys.open(b"ctx", &SealedSecret::from_bytes(bytes.clone()));
            prop_assert!(opened.is_err());
            prop_assert!(keys.open(b"ctx", &SealedSecret::from_bytes(bytes[..at].to_vec())).is_err());
        }
    }
}
