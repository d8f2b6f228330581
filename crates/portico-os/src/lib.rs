//! # portico-os
//!
//! The operating system's side of Portico's ports, for the real program and anyone embedding
//! the application:
//! - [`SystemClock`]: the real clock, in UTC, at the microsecond storage keeps.
//! - [`RandomIds`] (`UUIDv7`, time-ordered) and [`RandomSecrets`] (256 bits from the
//!   operating system's random source).
//! - [`LocalFileStore`]: uploaded files in a directory, written whole or not at all.

mod clock;
mod files;
mod random;

pub use clock::SystemClock;
pub use files::LocalFileStore;
pub use random::{RandomIds, RandomSecrets};
