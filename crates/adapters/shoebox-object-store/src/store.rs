//! [`ObjectStoreBlobStore`]: the [`BlobStore`] port over `object_store`.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt, stream};
use object_store::signer::Signer;
use object_store::{GetOptions, GetResultPayload, ObjectStore, ObjectStoreExt, PutPayload};
use shoebox_domain::storage::{ObjectKey, ObjectMeta, ObjectPrefix};
use shoebox_ports::outbound::{BlobError, BlobRead, BlobStore, BlobWriter, ObjectMetaStream};

use crate::errors::{translate, translate_write, unexpected};
use crate::writer::{MultipartWriter, PartPolicy};
use crate::{file_stream, meta};

/// Objects in a local directory, in memory, or in an S3-compatible bucket.
///
/// Build it with [`ObjectStoreBlobStore::from_settings`] (or
/// [`ObjectStoreBlobStore::in_memory`] in tests); it is cheap to clone.
#[derive(Clone)]
pub struct ObjectStoreBlobStore {
    store: Arc<dyn ObjectStore>,
    /// Present when the store can sign URLs (S3).
    signer: Option<Arc<dyn Signer>>,
    /// For logs and error messages; never holds credentials.
    description: Arc<str>,
    parts: PartPolicy,
    /// The directory of a local store, where killed writes leave staging files.
    local_root: Option<Arc<std::path::Path>>,
}

impl ObjectStoreBlobStore {
    pub(crate) fn new(
        store: Arc<dyn ObjectStore>,
        signer: Option<Arc<dyn Signer>>,
        description: String,
        parts: PartPolicy,
    ) -> Self {
        Self {
            store,
            signer,
            description: description.into(),
            parts,
            local_root: None,
        }
    }

    /// Marks this store as the local directory `root`.
    pub(crate) fn with_local_root(mut self, root: std::path::PathBuf) -> Self {
        self.local_root = Some(root.into());
        self
    }

    /// A store in process memory, empty, lost when dropped: for tests.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(object_store::memory::InMemory::new()),
            None,
            "memory".to_owned(),
            PartPolicy::LOCAL,
        )
    }

    /// What this store is, for logs: "local directory /abs/dir", "memory",
    /// "s3 bucket b at http://127.0.0.1:9000". Never holds credentials.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// The most bytes a [`BlobWriter`] of this store buffers, whatever the
    /// size of the object: 3 MiB for a local directory (and memory), 15 MiB
    /// for S3 (whose parts cannot be smaller than 5 MiB).
    pub fn writer_memory_bound(&self) -> usize {
        self.parts.memory_bound()
    }

    fn doing(&self, what: &str, key: impl fmt::Display) -> impl FnOnce() -> String {
        let message = format!("{what} {key} in {}", self.description);
        move || message
    }

    /// An empty read of an existing object: `object_store` refuses empty
    /// ranges, the port allows them (a suffix range of an empty object).
    async fn empty_read(&self, key: &ObjectKey, at: u64) -> Result<BlobRead, BlobError> {
        let meta = self.head(key).await?;
        if at > meta.size {
            return Err(unexpected(format!(
                "range {at}..{at} lies outside {key} ({} bytes)",
                meta.size
            )));
        }
        Ok(BlobRead {
            meta,
            range: at..at,
            body: stream::empty().boxed(),
        })
    }
}

impl fmt::Debug for ObjectStoreBlobStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the inner store: its Debug output would show its configuration.
        f.debug_struct("ObjectStoreBlobStore")
            .field("store", &self.description)
            .field("writer_memory_bound", &self.parts.memory_bound())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl BlobStore for ObjectStoreBlobStore {
    /// Memory per writer: see [`ObjectStoreBlobStore::writer_memory_bound`].
    async fn create(&self, key: &ObjectKey) -> Result<Box<dyn BlobWriter>, BlobError> {
        let writer = MultipartWriter::start(
            Arc::clone(&self.store),
            key,
            self.parts,
            Arc::clone(&self.description),
        )
        .await?;
        Ok(Box::new(writer))
    }

    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<ObjectMeta, BlobError> {
        let path = meta::path_of(key)?;
        let size = bytes.len() as u64;
        let result = self
            .store
            .put(&path, PutPayload::from(bytes))
            .await
            .map_err(|error| translate_write(error, self.doing("writing", key)))?;
        Ok(meta::after_write(self.store.as_ref(), &path, key, size, result.e_tag).await)
    }

    async fn get(&self, key: &ObjectKey, range: Option<Range<u64>>) -> Result<BlobRead, BlobError> {
        if let Some(range) = &range {
            if range.start > range.end {
                return Err(unexpected(format!(
                    "range {range:?} of {key} ends before it starts"
                )));
            }
            if range.is_empty() {
                return self.empty_read(key, range.start).await;
            }
        }
        let path = meta::path_of(key)?;
        let options = GetOptions::new().with_range(range.clone());
        let result = self
            .store
            .get_opts(&path, options)
            .await
            .map_err(|error| match &range {
                Some(range) => translate(error, self.doing(&format!("reading {range:?} of"), key)),
                None => translate(error, self.doing("reading", key)),
            })?;
        let object_meta = meta::from_store(result.meta.clone())?;
        let served = result.range.clone();
        let body = match result.payload {
            GetResultPayload::File(file, _) => file_stream::chunks(file, served.clone()),
            GetResultPayload::Stream(stream) => {
                let doing = format!("reading {key} from {}", self.description);
                stream
                    .map_err(move |error| translate(error, || doing.clone()))
                    .boxed()
            }
        };
        Ok(BlobRead {
            meta: object_meta,
            range: served,
            body,
        })
    }

    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, BlobError> {
        let path = meta::path_of(key)?;
        let found = self
            .store
            .head(&path)
            .await
            .map_err(|error| translate(error, self.doing("looking up", key)))?;
        meta::from_store(found)
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), BlobError> {
        let path = meta::path_of(key)?;
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(translate(error, self.doing("deleting", key))),
        }
    }

    async fn delete_prefix(&self, prefix: &ObjectPrefix) -> Result<u64, BlobError> {
        let prefix_path = meta::prefix_path(prefix)?;
        let doing = self.doing("deleting everything under", display_prefix(prefix));
        let locations = self
            .store
            .list(prefix_path.as_ref())
            .map_ok(|found| found.location)
            .boxed();
        let mut deleted = self.store.delete_stream(locations);
        let mut count = 0;
        while let Some(outcome) = deleted.next().await {
            match outcome {
                Ok(_) => count += 1,
                // Deleted by someone else between the listing and now.
                Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(translate(error, doing)),
            }
        }
        Ok(count)
    }

    fn list(&self, prefix: &ObjectPrefix) -> ObjectMetaStream {
        let prefix_path = match meta::prefix_path(prefix) {
            Ok(path) => path,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        let doing = format!("listing {} in {}", display_prefix(prefix), self.description);
        self.store
            .list(prefix_path.as_ref())
            .map(move |item| match item {
                Ok(found) => meta::from_store(found),
                Err(error) => Err(translate(error, || doing.clone())),
            })
            .boxed()
    }

    async fn remove_abandoned_writes(
        &self,
        older_than: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, BlobError> {
        let Some(root) = self.local_root.clone() else {
            return Ok(0);
        };
        let cutoff = std::time::SystemTime::from(older_than);
        tokio::task::spawn_blocking(move || crate::abandoned::remove_staging_files(&root, cutoff))
            .await
            .map_err(|error| unexpected(format!("sweeping staging files: {error}")))?
            .map_err(|error| unexpected(format!("sweeping staging files: {error}")))
    }

    async fn presigned_get(
        &self,
        key: &ObjectKey,
        expires_in: Duration,
    ) -> Result<Option<String>, BlobError> {
        let Some(signer) = &self.signer else {
            return Ok(None);
        };
        let path = meta::path_of(key)?;
        let url = signer
            .signed_url(object_store::signer::Method::GET, &path, expires_in)
            .await
            .map_err(|error| translate(error, self.doing("signing a URL for", key)))?;
        Ok(Some(url.into()))
    }
}

fn display_prefix(prefix: &ObjectPrefix) -> String {
    if prefix.is_everything() {
        "every object".to_owned()
    } else {
        format!("{prefix}/")
    }
}
