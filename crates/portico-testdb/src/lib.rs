//! # portico-testdb
//!
//! Throw-away databases for Portico's tests: a SQLite file in a temporary directory, or a
//! database on the PostgreSQL server named by `PORTICO_TEST_POSTGRES_URL` (`cargo xtask test`
//! starts a throw-away cluster and sets it). Both implement `Store` and clean up after
//! themselves when dropped.

mod postgres;
mod sqlite;

pub use postgres::{TempPostgres, shared_database_url};
pub use sqlite::TempSqlite;
