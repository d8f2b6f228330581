//! The state-machine test over the use cases, on SQLite (a fresh database file per case).
//!
//! `PORTICO_MACHINE_CASES` overrides the number of cases (default 200).

use std::sync::Arc;

use portico_ports::Store;
use portico_testkit::machine::{self, FreshStore, Machine};
use proptest_state_machine::prop_state_machine;
use tokio::runtime::Runtime;

struct Sqlite;

impl FreshStore for Sqlite {
    fn fresh(runtime: &Runtime) -> Arc<dyn Store> {
        runtime.block_on(portico_testdb::TempSqlite::shared())
    }
}

prop_state_machine! {
    #![proptest_config(machine::config(200))]

    #[test]
    fn every_portal_matches_the_model_after_every_step(sequential 1..30 => Machine<Sqlite>);
}
