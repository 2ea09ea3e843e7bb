//! # shoebox-domain
//!
//! The language of Shoebox: entities (users, sessions, API tokens, invitations),
//! value types that can only hold valid values ("parse, don't validate"), the
//! commands and per-operation errors of every use case, and the pure rules that
//! decide things (sign-up modes, session expiry, login throttling, admin
//! permissions).
//!
//! Architecture Invariant: this crate knows nothing of HTTP, SQL, object
//! storage, async runtimes or any adapter. It depends on no other Shoebox crate.
//! Everything here is deterministic given its inputs, except the generation of
//! random secrets, which draws from the operating system's CSPRNG.

pub mod accounts;
pub mod auth;
pub mod jobs;
pub mod page;

pub use accounts::{EmailAddress, Role, User, UserId};
