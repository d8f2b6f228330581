//! # portico-ports
//!
//! The interfaces between Portico's application layer and the world: storage (repositories
//! reached through a [`UnitOfWork`]), time, randomness, password hashing, file bytes and mail.
//! Each method states its contract — what it MUST do and which errors it returns — and every
//! adapter is held to it by the contract suite in `portico-testkit`.
//!
//! No adapter technology appears here: no SQL types, no HTTP types, no SMTP types. With the
//! feature `mocks`, mockall mocks of the repository and service traits are generated for
//! unit tests of the application layer.

mod error;
mod page;
pub mod repos;
mod services;
mod uow;

pub use error::{Conflict, RepoError, RepoResult};
pub use page::{Cursor, ListOrder, NO_DATE, Page, PageRequest, date_key, time_key};
pub use services::*;
pub use uow::{Store, UnitOfWork};
