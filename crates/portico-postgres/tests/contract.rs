//! The repository contract suite, run against PostgreSQL.

portico_testkit::contract_tests!(portico_testdb::TempPostgres::shared());
