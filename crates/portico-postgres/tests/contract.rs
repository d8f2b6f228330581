//! The repository contract suite, run against PostgreSQL.

mod common;

portico_testkit::contract_tests!(common::TempPostgres::shared());
