//! A state-machine test over the use cases: random sequences of admin and client actions
//! run against the real application and against a small model written independently of
//! the domain's rules. After every step, every client's portal — its projects, each
//! project's items, its invoices, each file download — must equal the model's projection,
//! and every action must succeed or fail exactly as the model says.
//!
//! The test is generic over the store, so every adapter can be held to it:
//! ```ignore
//! prop_state_machine! {
//!     #![proptest_config(Config { cases: 1000, ..Config::default() })]
//!     #[test]
//!     fn portal_matches_the_model(sequential 1..30 => Machine<InMemory>);
//! }
//! ```

mod model;
mod sut;

pub use model::{Action, Model, Outcome};
pub use sut::{FreshStore, InMemory, Machine};

/// The proptest configuration for a state-machine test: `default_cases` cases, or
/// `PORTICO_MACHINE_CASES` when set; failures are reported, not persisted to files.
pub fn config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PORTICO_MACHINE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default_cases);
    proptest::test_runner::Config { cases, failure_persistence: None, ..proptest::test_runner::Config::default() }
}
