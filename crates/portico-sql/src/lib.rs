//! # portico-sql
//!
//! Every repository of Portico written once in SQL, for the SQLite and PostgreSQL adapters.
//!
//! The adapters implement a small [`Transaction`] trait — run a statement with [`Value`]s, read
//! [`Row`]s, commit — and supply a [`Dialect`] for the few fragments the engines spell
//! differently (a list parameter, the client-search filter). Everything else — the queries,
//! the mapping between rows and domain types, the checks a repository contract demands — is
//! here, so the two engines cannot drift apart. Statements use `$1, $2, …` placeholders,
//! which both engines accept.

mod codec;
mod columns;
mod engine;
mod query;
mod repos;
mod unit;

pub use engine::{ClientSearch, Dialect, Row, Transaction, Value};
pub use repos::{client_search_statement, invoices_for_client_statement};
pub use unit::SqlUnit;
