//! The repository contract suite, run against SQLite.

mod common;

portico_testkit::contract_tests!(common::TempSqlite::shared());
