//! Receiving one file: every chunk is counted, inspected, hashed and written
//! to object storage as it arrives, so memory per upload stays bounded by the
//! store writer's buffer whatever the file's size.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use shoebox_domain::{
    accounts::UserId,
    imaging::{ImageLimits, ImageRejection},
    photos::{
        NewPhoto, OriginalName, PhotoFile, PhotoId, Sha256Digest, UploadError, photo_object_key,
    },
    storage::ObjectKey,
};
use shoebox_ports::{
    inbound::{PhotoUpload, StagedPhoto},
    outbound::{BlobStore, BlobWriter, Clock, ImageScan},
};

/// The member's quota, when one applies.
#[derive(Debug, Clone, Copy)]
pub(super) struct QuotaRoom {
    pub quota_bytes: u64,
    pub used_bytes: u64,
}

pub(super) struct StreamingUpload {
    /// How the file is named in error messages.
    name: String,
    original_name: Option<OriginalName>,
    id: PhotoId,
    owner: UserId,
    key: ObjectKey,
    writer: Box<dyn BlobWriter>,
    scan: Box<dyn ImageScan>,
    hasher: Sha256,
    received: u64,
    limits: ImageLimits,
    quota: Option<QuotaRoom>,
    blobs: Arc<dyn BlobStore>,
    clock: Arc<dyn Clock>,
}

pub(super) struct UploadParts {
    pub owner: UserId,
    pub client_name: Option<String>,
    pub writer_for: PhotoId,
    pub writer: Box<dyn BlobWriter>,
    pub scan: Box<dyn ImageScan>,
    pub limits: ImageLimits,
    pub quota: Option<QuotaRoom>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
}

impl StreamingUpload {
    pub(super) fn new(parts: UploadParts) -> Self {
        let original_name = parts
            .client_name
            .as_deref()
            .and_then(OriginalName::from_client);
        let name = original_name
            .as_ref()
            .map_or_else(|| "the file".to_owned(), |name| name.as_str().to_owned());
        Self {
            name,
            original_name,
            id: parts.writer_for,
            owner: parts.owner,
            key: photo_object_key(parts.owner, parts.writer_for, PhotoFile::Original),
            writer: parts.writer,
            scan: parts.scan,
            hasher: Sha256::new(),
            received: 0,
            limits: parts.limits,
            quota: parts.quota,
            blobs: parts.blobs,
            clock: parts.clock,
        }
    }

    fn rejected(&self, rejection: ImageRejection) -> UploadError {
        UploadError::Rejected {
            name: self.name.clone(),
            rejection,
        }
    }
}

#[async_trait]
impl PhotoUpload for StreamingUpload {
    async fn write(&mut self, chunk: Bytes) -> Result<(), UploadError> {
        self.received += chunk.len() as u64;
        if self.received > self.limits.max_bytes {
            return Err(self.rejected(ImageRejection::TooLarge {
                limit_bytes: self.limits.max_bytes,
            }));
        }
        if let Some(room) = self.quota
            && room.used_bytes + self.received > room.quota_bytes
        {
            return Err(UploadError::QuotaExceeded {
                name: self.name.clone(),
                quota_bytes: room.quota_bytes,
                used_bytes: room.used_bytes,
            });
        }
        self.scan
            .feed(&chunk)
            .map_err(|rejection| self.rejected(rejection))?;
        self.hasher.update(&chunk);
        self.writer
            .write(chunk)
            .await
            .map_err(|error| UploadError::Unexpected(anyhow::Error::new(error)))
    }

    async fn finish(self: Box<Self>) -> Result<StagedPhoto, UploadError> {
        let this = *self;
        let facts = match this.scan.finish() {
            Ok(facts) => facts,
            Err(rejection) => {
                let error = UploadError::Rejected {
                    name: this.name,
                    rejection,
                };
                discard_writer(this.writer, &this.key).await;
                return Err(error);
            }
        };
        let meta = this
            .writer
            .finish()
            .await
            .map_err(|error| UploadError::Unexpected(anyhow::Error::new(error)))?;
        if meta.size != this.received {
            // The store kept something else than what passed through us.
            let _ = this.blobs.delete(&this.key).await;
            return Err(UploadError::Unexpected(anyhow::anyhow!(
                "stored {} bytes of {} received",
                meta.size,
                this.received
            )));
        }
        Ok(StagedPhoto {
            inner: NewPhoto {
                id: this.id,
                owner_id: this.owner,
                facts,
                size_bytes: this.received,
                sha256: Sha256Digest::from_bytes(this.hasher.finalize().into()),
                original_name: this.original_name,
                created_at: this.clock.now(),
            },
        })
    }

    async fn abort(self: Box<Self>) {
        let this = *self;
        discard_writer(this.writer, &this.key).await;
    }
}

async fn discard_writer(writer: Box<dyn BlobWriter>, key: &ObjectKey) {
    if let Err(error) = writer.abort().await {
        // The orphan sweeper removes whatever is left.
        tracing::warn!(%key, error = %error, "could not abort an upload");
    }
}
