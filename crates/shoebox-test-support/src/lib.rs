//! # shoebox-test-support
//!
//! What tests across the workspace share, as a dev-dependency only:
//!
//! * a PostgreSQL server ([`admin_url`]): the one `cargo xtask test` started
//!   (`SHOEBOX_TEST_PG_URL`), or else a private throwaway cluster started once
//!   per test process;
//! * a fresh database per test ([`TestDatabase`]), cloned from a template
//!   database migrated once per migration set, and dropped when the test ends
//!   — tests never share rows, never truncate and never need `#[serial]`;
//! * a real S3-compatible server ([`S3Server`]: moto on 127.0.0.1, installed
//!   into `target/tools/venv` on first use) with a fresh bucket per test;
//! * a real SMTP server ([`SmtpServer`]: aiosmtpd on 127.0.0.1, plain,
//!   STARTTLS or implicit TLS, with or without AUTH) that keeps every
//!   message it receives as a file the test reads;
//! * a controllable [`FakeClock`];
//! * [`fixtures`]: valid domain values to insert.
//!
//! Architecture Invariant: no HTTP, no actix, no use cases here — the
//! end-to-end harness (`spawn_app`) lives with the server. This crate may know
//! every adapter it helps to test, and nothing it provides is used outside tests.

mod clock;
mod cluster;
mod database;
pub mod fixtures;
mod s3;
mod smtp;
mod template;

pub use clock::FakeClock;
pub use cluster::admin_url;
pub use database::TestDatabase;
pub use s3::S3Server;
pub use smtp::{SmtpServer, SmtpServerOptions};
