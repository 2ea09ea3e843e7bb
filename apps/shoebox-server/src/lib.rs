//! # shoebox-server
//!
//! The composition root: it reads the settings, builds every adapter, hands
//! them to the use cases as ports, and exposes the subcommands of the
//! `shoebox` binary.
//!
//! Architecture Invariant: this is the only crate that names concrete adapter
//! types. It holds no business logic: a subcommand parses its arguments, calls
//! a use case or an adapter's operational entry point (migrations), and prints
//! the outcome.

pub mod background;
pub mod build_info;
pub mod cli;
mod commands;
pub mod settings;
pub mod wiring;
