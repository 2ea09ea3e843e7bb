//! Integration tests of the PostgreSQL adapter, against a real server: each
//! test gets a database of its own from `shoebox-test-support`.
//!
//! One test binary (rather than one per file) so that the crate links once and
//! one throwaway cluster serves every test.

mod album_revisions;
mod api_tokens;
mod archive;
mod database;
mod invitations;
mod jobs;
mod login_throttle;
mod migrations;
mod sessions;
mod settings;
mod support;
mod user_access;
mod users;
