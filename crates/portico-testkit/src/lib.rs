//! # portico-testkit
//!
//! Shared test support for Portico:
//! - [`contract`]: the repository contract suite, written once against the port traits and run
//!   against every storage adapter ([`contract_tests!`](crate::contract_tests));
//! - [`machine`]: a proptest state-machine test over the use cases, comparing every client's
//!   portal with an independent model after every step;
//! - [`fixtures::Acme`]: the guide's example as data;
//! - [`harness::TestApp`] and the test [`doubles`];
//! - [`pdf::text`]: a PDF's text as poppler's `pdftotext` reads it, for checking documents;
//! - `strategies` (feature `proptest`): the domain's proptest strategies, re-exported for
//!   downstream suites.

pub mod contract;
pub mod doubles;
pub mod fixtures;
pub mod harness;
pub mod machine;
pub mod pdf;

/// Proptest strategies for Portico data (valid and invalid values, permission sets, clients,
/// whole worlds), from `portico-domain` (feature `proptest`).
#[cfg(feature = "proptest")]
pub use portico_domain::strategies;
