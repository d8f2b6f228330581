//! # portico-memory
//!
//! In-process adapters for every port of Portico:
//! - [`MemoryStore`]: every repository, in memory, with real unit-of-work semantics — a unit
//!   writes to its own copy of the data (made at its first write) and replaces the shared
//!   state only on commit, so a failed or dropped unit leaves nothing behind. Units are serialized (one at a time), which
//!   makes them trivially serializable; a use case must never hold two units at once.
//! - [`MemoryFileStore`]: file bytes in memory.
//! - [`SystemClock`], [`RandomIds`] (`UUIDv7`) and [`RandomSecrets`] (OS randomness).
//!
//! Used by tests, examples and embedders that do not need durability.

mod files;
mod state;
mod store;
mod system;

pub use files::MemoryFileStore;
pub use store::MemoryStore;
pub use system::{RandomIds, RandomSecrets, SystemClock};
