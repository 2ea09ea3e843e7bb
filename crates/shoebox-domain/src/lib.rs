//! # shoebox-domain
//!
//! The language of Shoebox: entities (users, sessions, API tokens, invitations),
//! value types that can only hold valid values ("parse, don't validate"), the
//! commands and per-operation errors of every use case, the keys and byte
//! ranges of stored objects ([`storage`]), and the pure rules that
//! decide things (sign-up modes, session expiry, login throttling, admin
//! permissions, backup retention). [`backups`] says what a backup is: its
//! id, the keys of its objects, its manifest.
//!
//! Architecture Invariant: this crate knows nothing of HTTP, SQL, object
//! storage, async runtimes or any adapter. It depends on no other Shoebox crate.
//! Everything here is deterministic given its inputs, except the generation of
//! random secrets, which draws from the operating system's CSPRNG.

pub mod accounts;
pub mod albums;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod imaging;
pub mod jobs;
pub mod mail;
pub mod page;
pub mod photos;
pub mod privacy;
pub mod storage;

pub use accounts::{EmailAddress, Role, User, UserId};
