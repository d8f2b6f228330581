//! The repository contract suite, run against SQLite.

portico_testkit::contract_tests!(portico_testdb::TempSqlite::shared());
