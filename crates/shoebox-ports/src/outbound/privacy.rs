//! What data exports and the audit log need: their records, and a ZIP
//! writer.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    accounts::UserId,
    audit::AuditEntry,
    jobs::NewJob,
    page::{Page, PageRequest},
    privacy::{DataExport, ExportId},
    storage::ObjectMeta,
};

use super::{BlobWriter, ByteStream};

/// Why an export could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum InsertExportError {
    /// The member already has an export waiting to be built.
    #[error("an export is already pending")]
    AlreadyPending,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The members' data exports.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ExportRepository: Send + Sync {
    /// Records a pending export and the job that builds it, both or
    /// neither. Errors: `AlreadyPending` (one pending export per member),
    /// `Unexpected`.
    async fn insert(&self, export: DataExport, job: NewJob) -> Result<(), InsertExportError>;

    async fn find(&self, id: ExportId) -> anyhow::Result<Option<DataExport>>;

    /// The member's exports, newest first.
    async fn list(&self, owner: UserId) -> anyhow::Result<Vec<DataExport>>;

    /// Marks a pending export built; `false` when it is not pending any
    /// more (or gone: its owner was erased meanwhile).
    async fn mark_ready(
        &self,
        id: ExportId,
        finished_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        size_bytes: u64,
        photo_count: u64,
    ) -> anyhow::Result<bool>;

    /// Marks a pending export failed; the member sees it so until
    /// `expires_at`.
    async fn mark_failed(
        &self,
        id: ExportId,
        finished_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// Exports (ready or failed) whose `expires_at` is at or before `now`,
    /// at most `limit` (the sweeper removes them).
    async fn expired(&self, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<DataExport>>;

    /// Forgets an export (its object must be gone already).
    async fn delete(&self, id: ExportId) -> anyhow::Result<()>;
}

/// Builds a ZIP archive entry by entry, streamed into a store write with
/// bounded memory whatever the size of the entries.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait ZipPacker: Send + Sync {
    /// Starts an archive written into `sink`.
    fn start(&self, sink: Box<dyn BlobWriter>) -> Box<dyn ZipBuilder>;
}

/// An archive being written (see [`ZipPacker::start`]).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ZipBuilder: Send {
    /// Appends the file `name` ('/'-separated path within the archive)
    /// holding the bytes of `body`; returns how many bytes it held.
    async fn add(
        &mut self,
        name: &str,
        modified: DateTime<Utc>,
        body: ByteStream,
    ) -> anyhow::Result<u64>;

    /// Writes the archive's directory and completes the store write.
    async fn finish(self: Box<Self>) -> anyhow::Result<ObjectMeta>;

    /// Discards the archive; nothing is left in the store.
    async fn abort(self: Box<Self>) -> anyhow::Result<()>;
}

/// The audit log's storage.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait AuditRepository: Send + Sync {
    async fn append(&self, entry: AuditEntry) -> anyhow::Result<()>;

    /// Newest first, a page at a time.
    async fn list(&self, page: PageRequest) -> anyhow::Result<Page<AuditEntry>>;
}
