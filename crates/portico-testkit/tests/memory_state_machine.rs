//! The state-machine test over the use cases, on the in-memory adapter.
//!
//! `PORTICO_MACHINE_CASES` overrides the number of cases (default 1,000).

use portico_testkit::machine::{InMemory, Machine};
use proptest::test_runner::Config;
use proptest_state_machine::prop_state_machine;

fn config() -> Config {
    let cases = std::env::var("PORTICO_MACHINE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    Config { cases, failure_persistence: None, ..Config::default() }
}

prop_state_machine! {
    #![proptest_config(config())]

    #[test]
    fn every_portal_matches_the_model_after_every_step(sequential 1..40 => Machine<InMemory>);
}
