//! # portico-server
//!
//! The `portico` program: reads and checks the configuration, wires the adapters it names
//! (SQLite or PostgreSQL, local files, SMTP) behind one application, and runs the web server
//! and the mail worker — or one of the operator commands.
//!
//! The library half exists so tests can start the real server in-process on port 0.

pub mod commands;
pub mod config;
pub mod delivery;
pub mod seed;
pub mod server;

pub use config::{Config, Settings};
pub use server::{Running, start};
