//! # shoebox-object-store
//!
//! Where Shoebox keeps bytes: the [`BlobStore`](shoebox_ports::outbound::BlobStore)
//! port over the `object_store` crate, for three kinds of store chosen by
//! [`StorageSettings::url`]:
//!
//! * `file:///dir` (the default, `file://./data/objects`): a local directory,
//!   fsynced on every write unless `storage.fsync = false`;
//! * `memory://`: process memory, for tests;
//! * `s3://bucket`: any S3-compatible service (endpoint, region, credentials,
//!   path-style addressing), with presigned GET URLs.
//!
//! Architecture Invariant: nothing is visible at a key before its write has
//! finished. Streamed writes go to a staging file renamed into place, or to
//! an S3 multipart upload completed at the end; aborted or dropped writes
//! leave nothing behind (a dropped S3 upload is aborted in the background).
//!
//! Architecture Invariant: a streamed write holds a bounded amount of memory,
//! whatever the size of the object: 3 MiB locally, 15 MiB on S3
//! ([`ObjectStoreBlobStore::writer_memory_bound`]).
//!
//! This crate knows the domain's keys and the ports; it knows nothing of
//! photos, users, HTTP or the database. Nothing outside it sees an
//! `object_store` type, and no message or log it produces holds credentials.

mod abandoned;
mod backends;
mod errors;
mod file_stream;
mod meta;
mod settings;
mod store;
mod writer;

pub use settings::{DEFAULT_REGION, DEFAULT_URL, StorageConfigError, StorageSettings};
pub use store::ObjectStoreBlobStore;
