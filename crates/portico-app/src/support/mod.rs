//! What every use case does the same way, by concern: the unit of work it runs in (scoped to
//! one workspace, or unscoped for the few reads that find the workspace), who is asking,
//! the audit trail, outbox mail, the reads several use cases share, and the writes they share.

mod access;
mod activity;
mod audit;
mod lookups;
mod mail;
mod records;
mod unit;

pub(crate) use access::by_staff;
pub(crate) use unit::{InWorkspace, Work};
