//! The repository contract suite, run against the in-memory adapter.

use std::sync::Arc;

use portico_memory::MemoryStore;
use portico_ports::Store;

portico_testkit::contract_tests!(async { Arc::new(MemoryStore::new()) as Arc<dyn Store> });
