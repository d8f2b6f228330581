//! The state-machine test over the use cases, on the in-memory adapter.
//!
//! `PORTICO_MACHINE_CASES` overrides the number of cases (default 1,000).

use portico_testkit::machine::{self, InMemory, Machine};
use proptest_state_machine::prop_state_machine;

prop_state_machine! {
    #![proptest_config(machine::config(1000))]

    #[test]
    fn every_portal_matches_the_model_after_every_step(sequential 1..40 => Machine<InMemory>);
}
