//! The database as a whole: consistent logical dumps, restores, and the
//! facts a backup manifest records. Implemented over `pg_dump`, `pg_restore`
//! and `psql` by `shoebox-postgres`.

use std::{collections::BTreeMap, future::Future, pin::Pin};

use async_trait::async_trait;

use super::ByteStream;

/// What a backup records about the database, read in the very snapshot the
/// dump is taken of, so that a restore can be checked against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseFacts {
    /// The newest migration applied (`None` for a database never migrated).
    pub schema_version: Option<String>,
    /// The server's version, e.g. `15.18`.
    pub server_version: String,
    /// Rows per table of the application's schema, by table name.
    pub row_counts: BTreeMap<String, u64>,
}

/// The facts of a dump's snapshot, read while the dump streams.
pub type FactsFuture = Pin<Box<dyn Future<Output = anyhow::Result<DatabaseFacts>> + Send>>;

/// A dump in progress: the facts of its snapshot and the archive's bytes.
pub struct DatabaseDump {
    /// Ready at the latest when `body` has ended.
    pub facts: FactsFuture,
    /// The archive (`pg_dump --format=custom`) as it is produced. When the
    /// dump fails, the stream's last item is the error; a stream that ends
    /// without one holds a complete archive.
    pub body: ByteStream,
}

impl std::fmt::Debug for DatabaseDump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseDump").finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The archive could not be applied (corrupt, cut short, from an
    /// incompatible server); nothing changed in the database.
    #[error("the archive could not be restored: {0}")]
    Rejected(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// One database, dumped or restored as a whole. Every method may fail with an
/// unexpected error (server unreachable, tools missing); messages never
/// contain the database's credentials.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait DatabaseArchive: Send + Sync {
    /// Starts a dump of the whole database in one snapshot. Memory stays
    /// bounded whatever the database's size: the body is produced as it is
    /// read.
    async fn dump(&self) -> anyhow::Result<DatabaseDump>;

    /// The facts as they stand now (after a restore, to compare).
    async fn facts(&self) -> anyhow::Result<DatabaseFacts>;

    /// How many tables the application's schema holds; 0 for an empty
    /// database, which a restore may fill without being forced.
    async fn table_count(&self) -> anyhow::Result<u64>;

    /// Replaces the application's schema and data with the archive in `body`,
    /// in one transaction: when the archive is bad, or `body` yields an error
    /// (a checksum found wrong at its end), nothing changes.
    ///
    /// Errors: `Rejected` when the archive cannot be applied.
    async fn restore(&self, body: ByteStream) -> Result<(), RestoreError>;

    /// Applies the migrations this binary embeds that the database lacks;
    /// returns their versions.
    async fn migrate(&self) -> anyhow::Result<Vec<String>>;

    /// Creates an empty database named `name` on the same server (for a
    /// verification restore) and returns its archive. `name` is
    /// `[a-z0-9_]{1,63}`; an existing database of that name is replaced.
    async fn create_scratch(&self, name: &str) -> anyhow::Result<Box<dyn DatabaseArchive>>;

    /// Drops the database `name` made by [`DatabaseArchive::create_scratch`];
    /// a missing one is fine.
    async fn drop_scratch(&self, name: &str) -> anyhow::Result<()>;
}

/// Encrypts backup archives to the configured recipients. Holds public keys
/// only: the server never needs a private key to back up.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait ArchiveEncryptor: Send + Sync {
    /// What the manifest records, e.g. `age`.
    fn scheme(&self) -> &'static str;

    /// The encrypted form of `body`, produced as `body` is read (bounded
    /// memory). An error of `body` ends the result with an error.
    fn encrypt(&self, body: ByteStream) -> ByteStream;
}

/// Decrypts backup archives with an identity (private key) the operator
/// hands to `restore` and `verify`.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait ArchiveDecryptor: Send + Sync {
    /// The plain form of `body`, as it is read. A wrong identity, a damaged
    /// or cut-short archive, or an error of `body` ends the result with an
    /// error.
    fn decrypt(&self, body: ByteStream) -> ByteStream;
}
