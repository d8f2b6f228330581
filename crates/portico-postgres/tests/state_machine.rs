//! The state-machine test over the use cases, on PostgreSQL: one database for the test, a
//! fresh workspace (and connection pool) per case.
//!
//! `PORTICO_MACHINE_CASES` overrides the number of cases (default 200).

use std::sync::Arc;

use portico_ports::Store;
use portico_postgres::PgStore;
use portico_testkit::machine::{self, FreshStore, Machine};
use proptest_state_machine::prop_state_machine;
use tokio::runtime::Runtime;

struct Postgres;

impl FreshStore for Postgres {
    fn fresh(runtime: &Runtime) -> Arc<dyn Store> {
        let url = portico_testdb::shared_database_url();
        Arc::new(runtime.block_on(PgStore::connect_unmigrated(url, 4)).expect("the shared database opens"))
    }
}

prop_state_machine! {
    #![proptest_config(machine::config(200))]

    #[test]
    fn every_portal_matches_the_model_after_every_step(sequential 1..30 => Machine<Postgres>);
}
