//! File bytes kept in memory.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use portico_domain::content::StorageKey;
use portico_ports::{FileStore, FileStoreError};

/// A [`FileStore`] that keeps bytes in memory.
#[derive(Debug, Default)]
pub struct MemoryFileStore {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemoryFileStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn files(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<u8>>> {
        // A panic while holding the lock cannot leave the map half-written: every operation
        // is a single insert, lookup or removal.
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many files are stored (for tests that check nothing is left behind).
    pub fn len(&self) -> usize {
        self.files().len()
    }

    /// Whether no file is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[async_trait]
impl FileStore for MemoryFileStore {
    async fn put(&self, key: &StorageKey, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        self.files().insert(key.as_str().to_owned(), bytes);
        Ok(())
    }

    async fn get(&self, key: &StorageKey) -> Result<Vec<u8>, FileStoreError> {
        self.files().get(key.as_str()).cloned().ok_or(FileStoreError::NotFound)
    }

    async fn delete(&self, key: &StorageKey) -> Result<(), FileStoreError> {
        self.files().remove(key.as_str());
        Ok(())
    }
}
