//! Object storage: where originals, variants, exports, backups and the
//! deletion ledger keep their bytes.

use std::fmt;
use std::ops::Range;
use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_core::Stream;
use shoebox_domain::storage::{ObjectKey, ObjectMeta, ObjectPrefix};

/// The bytes of an object, in chunks, as the store delivers them.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BlobError>> + Send>>;

/// The objects a listing finds, in no particular order.
pub type ObjectMetaStream = Pin<Box<dyn Stream<Item = Result<ObjectMeta, BlobError>> + Send>>;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("object not found")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// An object being read: what it is, which bytes of it `body` holds, and the
/// bytes themselves.
pub struct BlobRead {
    pub meta: ObjectMeta,
    /// The half-open range of the object that `body` yields (`0..size` when
    /// the whole object was asked for).
    pub range: Range<u64>,
    pub body: ByteStream,
}

impl fmt::Debug for BlobRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobRead")
            .field("meta", &self.meta)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

/// A store of immutable-ish byte objects addressed by [`ObjectKey`].
///
/// Every method may fail with `Unexpected` (store unreachable, disk full,
/// credentials refused...); the errors listed per method are the others.
/// Error messages never contain credentials.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Starts a streamed write of `key`. Nothing is visible at `key` (to
    /// `get`, `head` or `list`) until [`BlobWriter::finish`] succeeds; then
    /// the whole object appears at once, replacing any previous one.
    /// [`BlobWriter::abort`] leaves nothing behind; dropping an unfinished
    /// writer does the same on a best-effort basis. The memory a writer holds
    /// is bounded by a constant each implementation documents, whatever the
    /// size of the object.
    async fn create(&self, key: &ObjectKey) -> Result<Box<dyn BlobWriter>, BlobError>;

    /// Writes a small object in one call (variants, manifests), replacing any
    /// previous one atomically.
    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<ObjectMeta, BlobError>;

    /// Reads the whole object, or the half-open `range` of it.
    ///
    /// Errors: `NotFound` when there is no object at `key`. Resolving an HTTP
    /// range against the size (see `ByteRange::resolve`, after `head`) is the
    /// caller's job. Given a range anyway that starts past the object (or
    /// ends before it starts), this is an `Unexpected` error, never a panic;
    /// an end past the object is clamped, as HTTP does, and
    /// [`BlobRead::range`] says what is served. An empty range within the
    /// object yields no bytes.
    async fn get(&self, key: &ObjectKey, range: Option<Range<u64>>) -> Result<BlobRead, BlobError>;

    /// What is stored at `key`. Errors: `NotFound`.
    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, BlobError>;

    /// Removes the object. Idempotent: deleting a missing object is `Ok`.
    async fn delete(&self, key: &ObjectKey) -> Result<(), BlobError>;

    /// Removes every object under `prefix` (by whole segments, see
    /// `ObjectPrefix`) and returns how many it removed. Objects written
    /// concurrently under the prefix may survive.
    async fn delete_prefix(&self, prefix: &ObjectPrefix) -> Result<u64, BlobError>;

    /// Every object under `prefix` (recursively; by whole segments), in any
    /// order. Unfinished writes are never listed. A key in the store that is
    /// not a valid `ObjectKey` (put there by something else) is reported as
    /// an `Unexpected` item, and the listing goes on.
    ///
    /// The stream owns what it needs (`'static`), so it can outlive the call
    /// and be mocked.
    fn list(&self, prefix: &ObjectPrefix) -> ObjectMetaStream;

    /// Removes what writes cut short by a crash left behind (a local staging
    /// file of a killed process) when last touched before `older_than`, and
    /// returns how many it removed. Such leftovers are never visible as
    /// objects, so [`BlobStore::list`] cannot find them. On S3, incomplete
    /// multipart uploads are the bucket's lifecycle rule's job
    /// (`AbortIncompleteMultipartUpload`): nothing is removed here.
    async fn remove_abandoned_writes(&self, older_than: DateTime<Utc>) -> Result<u64, BlobError>;

    /// A URL that lets anyone holding it GET the object for `expires_in`,
    /// when the store can sign one (S3); `None` when it cannot (a local
    /// directory, memory). The URL is not checked against the object's
    /// existence.
    async fn presigned_get(
        &self,
        key: &ObjectKey,
        expires_in: Duration,
    ) -> Result<Option<String>, BlobError>;
}

/// A streamed write in progress (see [`BlobStore::create`]).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait BlobWriter: Send {
    /// Appends `chunk`. May wait for earlier chunks to be stored, which is
    /// how memory stays bounded: callers should not buffer ahead.
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError>;

    /// Completes the object and makes it visible; returns its metadata
    /// (`size` is the number of bytes written). On error nothing new is
    /// visible at the key.
    async fn finish(self: Box<Self>) -> Result<ObjectMeta, BlobError>;

    /// Discards everything written so far; nothing is left behind.
    async fn abort(self: Box<Self>) -> Result<(), BlobError>;
}
