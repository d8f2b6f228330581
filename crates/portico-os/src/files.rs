//! Uploaded files on the local filesystem, under `PORTICO_FILES_DIR`.
//!
//! Files are stored under their generated key, never under the name they were uploaded
//! with, in two-character shard folders (`ab/abcdef…`) so no folder grows huge. A file is
//! written to a temporary name and renamed into place, so a crash never leaves half a file
//! under a real key.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use portico_domain::content::StorageKey;
use portico_ports::{FileStore, FileStoreError};

/// A [`FileStore`] in a directory.
#[derive(Debug, Clone)]
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    /// Files under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The directory files are kept in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `key` lives. Keys are generated (lowercase hex), so anything else is refused
    /// rather than joined into a path.
    fn path_of(&self, key: &StorageKey) -> Result<PathBuf, FileStoreError> {
        let key = key.as_str();
        let plain = key.len() >= 2 && key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !plain {
            return Err(FileStoreError::Unavailable(format!("\"{key}\" is not a storage key")));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

fn unavailable(action: &str, path: &Path, error: &std::io::Error) -> FileStoreError {
    FileStoreError::Unavailable(format!("cannot {action} {}: {error}", path.display()))
}

#[async_trait]
impl FileStore for LocalFileStore {
    async fn put(&self, key: &StorageKey, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        let path = self.path_of(key)?;
        let folder = path.parent().unwrap_or(&self.root);
        tokio::fs::create_dir_all(folder).await.map_err(|e| unavailable("create", folder, &e))?;
        let partial = path.with_extension("partial");
        if let Err(error) = tokio::fs::write(&partial, bytes).await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(unavailable("write", &partial, &error));
        }
        tokio::fs::rename(&partial, &path).await.map_err(|e| unavailable("store", &path, &e))
    }

    async fn get(&self, key: &StorageKey) -> Result<Vec<u8>, FileStoreError> {
        let path = self.path_of(key)?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == ErrorKind::NotFound => Err(FileStoreError::NotFound),
            Err(error) => Err(unavailable("read", &path, &error)),
        }
    }

    async fn delete(&self, key: &StorageKey) -> Result<(), FileStoreError> {
        let path = self.path_of(key)?;
        match tokio::fs::remove_file(&path).await {
            Err(error) if error.kind() != ErrorKind::NotFound => Err(unavailable("remove", &path, &error)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> StorageKey {
        StorageKey::from_stored(text.to_owned())
    }

    #[tokio::test]
    async fn bytes_come_back_and_go_away() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalFileStore::new(dir.path().join("files"));
        let k = key("0189abcdef");
        store.put(&k, b"%PDF-1.7".to_vec()).await.expect("stored");
        assert_eq!(store.get(&k).await.expect("read"), b"%PDF-1.7");
        assert!(dir.path().join("files/01/0189abcdef").is_file(), "sharded by the key's first two characters");
        store.delete(&k).await.expect("removed");
        store.delete(&k).await.expect("removing twice is fine");
        assert!(matches!(store.get(&k).await, Err(FileStoreError::NotFound)));
    }

    #[tokio::test]
    async fn keys_that_are_not_generated_never_become_paths() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalFileStore::new(dir.path());
        for bad in ["../../etc/passwd", "ab/../../x", "", "a", "ABCDEF", "ab cd"] {
            assert!(matches!(store.put(&key(bad), vec![1]).await, Err(FileStoreError::Unavailable(_))), "{bad:?}");
            assert!(matches!(store.get(&key(bad)).await, Err(FileStoreError::Unavailable(_))), "{bad:?}");
        }
    }
}
