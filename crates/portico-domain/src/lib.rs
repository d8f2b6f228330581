//! # portico-domain
//!
//! The pure core of Portico, a client-management system with a client portal: validated
//! value types, the entities, and the rules — above all the **visibility rule**
//! ([`visibility::decide`]), the one place that says what a client may see.
//!
//! This crate does no I/O and has no async runtime: no tokio, no database, no HTTP, no mail.
//! It can be embedded in any service; the application layer (`portico-app`) drives it through
//! ports. Every value type is built by a `parse`/`new` that validates ("parse, don't
//! validate"), so a value that exists is valid.
//!
//! With the feature `proptest`, [`strategies`] exports generators for property tests.

pub mod activity;
pub mod approval;
pub mod assignment;
pub mod audit;
pub mod calendar;
pub mod client;
pub mod companies;
pub mod company;
pub mod content;
pub mod email;
pub mod ids;
pub mod impact;
pub mod invoice;
pub mod mail;
pub mod money;
mod names;
pub mod password;
pub mod permissions;
pub mod phone;
pub mod portal;
pub mod project;
pub mod review;
pub mod rules;
pub mod session;
pub mod staff;
pub mod status;
pub mod text;
pub mod token;
pub mod validation;
pub mod visibility;
pub mod workspace;
pub mod world;

#[cfg(any(test, feature = "proptest"))]
pub mod strategies;
