//! # portico-memory
//!
//! In-process adapters for every port of Portico:
//! - [`MemoryStore`]: every repository, in memory, with real unit-of-work semantics — a unit
//!   writes to its own copy of the data (made at its first write) and replaces the shared
//!   state only on commit, so a failed or dropped unit leaves nothing behind. Units are serialized (one at a time), which
//!   makes them trivially serializable; a use case must never hold two units at once.
//! - [`MemoryFileStore`]: file bytes in memory.
//!
//! Used by tests, examples and embedders that do not need durability. The real clock and
//! randomness live in `portico-os`.

mod files;
mod state;
mod store;

pub use files::MemoryFileStore;
pub use store::MemoryStore;
