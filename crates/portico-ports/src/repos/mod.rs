//! Repository ports: one trait per aggregate, all reached through a [`UnitOfWork`](crate::UnitOfWork).
//!
//! Contracts shared by every method of every repository (the testkit's contract suite checks
//! them against each adapter):
//! - Every method takes the workspace explicitly and MUST only read or write records of that
//!   workspace; a record of another workspace is treated exactly like a missing one.
//! - `insert` MUST fail with [`Conflict::DuplicateId`](crate::Conflict::DuplicateId) when the id exists.
//! - `update` MUST fail with [`RepoError::NotFound`](crate::RepoError::NotFound) when the record
//!   does not exist in that workspace, and MUST NOT change its id or workspace.
//! - Writes are visible to later reads of the same unit of work, and to others only after
//!   it commits.
//! - Lists come back in the documented order, which is total (ties broken by id).

mod activity;
mod audit;
mod auth;
mod content;
mod invoices;
mod outbox;
mod people;
mod projects;
mod workspaces;

pub use activity::*;
pub use audit::*;
pub use auth::*;
pub use content::*;
pub use invoices::*;
pub use outbox::*;
pub use people::*;
pub use projects::*;
pub use workspaces::*;
