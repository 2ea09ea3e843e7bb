//! Streamed writes in parts, with a bounded number of parts in memory.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use object_store::{ObjectStore, WriteMultipart, path::Path};
use shoebox_domain::storage::{ObjectKey, ObjectMeta};
use shoebox_ports::outbound::{BlobError, BlobWriter};

use crate::errors::{translate, translate_write, unexpected};
use crate::meta;

/// How a store cuts a streamed object into parts.
///
/// A writer holds at most `parts_in_flight` parts being stored plus one part
/// being filled: [`PartPolicy::memory_bound`] bytes, whatever the size of the
/// object (plus the caller's chunk when it is larger than a part, which the
/// caller already holds). The parts reference the callers' `Bytes` rather
/// than copying them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartPolicy {
    pub(crate) part_size: usize,
    pub(crate) parts_in_flight: usize,
}

impl PartPolicy {
    /// 1 MiB parts, two being written while a third fills: 3 MiB per writer.
    /// A part is one positioned write into a staging file, so larger parts
    /// buy nothing; two in flight keep the disk busy while the next fills.
    pub(crate) const LOCAL: Self = Self {
        part_size: 1024 * 1024,
        parts_in_flight: 2,
    };

    /// 5 MiB parts (the smallest S3 accepts but for the last), two uploading
    /// while a third fills: 15 MiB per writer.
    pub(crate) const S3: Self = Self {
        part_size: 5 * 1024 * 1024,
        parts_in_flight: 2,
    };

    pub(crate) const fn memory_bound(&self) -> usize {
        self.part_size * (self.parts_in_flight + 1)
    }
}

/// A [`BlobWriter`] over an `object_store` multipart upload: a staging file
/// renamed into place (local), an S3 multipart upload, or parts kept aside
/// (memory). The object appears only when the upload completes.
pub(crate) struct MultipartWriter {
    store: Arc<dyn ObjectStore>,
    key: ObjectKey,
    path: Path,
    /// `None` once finished, aborted or failed.
    upload: Option<WriteMultipart>,
    policy: PartPolicy,
    written: u64,
    description: Arc<str>,
}

impl std::fmt::Debug for MultipartWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultipartWriter")
            .field("key", &self.key)
            .field("written", &self.written)
            .field("open", &self.upload.is_some())
            .finish_non_exhaustive()
    }
}

impl MultipartWriter {
    pub(crate) async fn start(
        store: Arc<dyn ObjectStore>,
        key: &ObjectKey,
        policy: PartPolicy,
        description: Arc<str>,
    ) -> Result<Self, BlobError> {
        let path = meta::path_of(key)?;
        let upload = store
            .put_multipart_opts(&path, Default::default())
            .await
            .map_err(|error| {
                translate_write(error, || {
                    format!("starting to write {key} to {description}")
                })
            })?;
        Ok(Self {
            store,
            key: key.clone(),
            path,
            upload: Some(WriteMultipart::new_with_chunk_size(
                upload,
                policy.part_size,
            )),
            policy,
            written: 0,
            description,
        })
    }

    fn closed(&self) -> BlobError {
        unexpected(format!(
            "the write of {} to {} has already ended",
            self.key, self.description
        ))
    }
}

#[async_trait]
impl BlobWriter for MultipartWriter {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        let Some(upload) = self.upload.as_mut() else {
            return Err(self.closed());
        };
        // Back-pressure: the next part is only started once fewer than
        // `parts_in_flight` are being stored.
        if let Err(error) = upload.wait_for_capacity(self.policy.parts_in_flight).await {
            // A failed part fails the object: clean up now rather than leave
            // it to the caller.
            if let Some(upload) = self.upload.take() {
                // The part's error is the news, not a failing clean-up.
                let _ = upload.abort().await;
            }
            let (key, description) = (&self.key, &self.description);
            return Err(translate_write(error, || {
                format!("writing {key} to {description}")
            }));
        }
        self.written += chunk.len() as u64;
        upload.put(chunk);
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> Result<ObjectMeta, BlobError> {
        let Some(upload) = self.upload.take() else {
            return Err(self.closed());
        };
        let (key, description) = (&self.key, &self.description);
        // `WriteMultipart::finish` aborts the upload itself when it fails.
        let result = upload.finish().await.map_err(|error| {
            translate_write(error, || format!("completing {key} in {description}"))
        })?;
        Ok(meta::after_write(
            self.store.as_ref(),
            &self.path,
            key,
            self.written,
            result.e_tag,
        )
        .await)
    }

    async fn abort(mut self: Box<Self>) -> Result<(), BlobError> {
        let Some(upload) = self.upload.take() else {
            return Ok(());
        };
        let (key, description) = (&self.key, &self.description);
        match upload.abort().await {
            // Already gone is what was asked for.
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(translate(error, || {
                format!("discarding the write of {key} to {description}")
            })),
        }
    }
}

/// An unfinished writer that is dropped (a client that went away, a panic)
/// discards its upload in the background: the staging file, or the S3
/// multipart upload and its parts, which S3 would otherwise keep (and bill)
/// without ever showing them.
impl Drop for MultipartWriter {
    fn drop(&mut self) {
        let Some(upload) = self.upload.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    // Best effort: nobody is left to tell.
                    let _ = upload.abort().await;
                });
            }
            // Without a runtime, dropping the upload is all that can be done;
            // a local staging file still removes itself then.
            Err(_) => drop(upload),
        }
    }
}
