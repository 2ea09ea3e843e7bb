//! The background job that turns an original into its thumbnail and preview.
//!
//! At-least-once delivery: running it twice for one photo is harmless (a
//! ready photo is left alone, and variant objects are simply overwritten).

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use shoebox_domain::{
    imaging::{ImageFacts, VariantKind},
    jobs::{JobKind, NewJob},
    photos::{
        Photo, PhotoFile, PhotoId, PhotoStatus, PhotoVariant, Sha256Digest, SharedOriginal,
        VariantJobError, photo_object_key,
    },
};
use shoebox_ports::outbound::{BlobError, ScrubLocationError, VariantError};

use super::PhotoStores;

/// Kind of the variant job.
pub const MAKE_VARIANTS_JOB: &str = "photos.make_variants";

/// The job that makes `photo`'s variants; one live job per photo.
pub fn variants_job(photo: PhotoId, now: DateTime<Utc>) -> NewJob {
    let kind = JobKind::parse(MAKE_VARIANTS_JOB)
        .unwrap_or_else(|_| unreachable!("the job kind is a valid constant"));
    let mut job = NewJob::new(
        kind,
        serde_json::json!({ "photo_id": photo.to_string() }),
        now,
    );
    job.dedup_key = Some(format!("{MAKE_VARIANTS_JOB}:{photo}"));
    job
}

/// The photo a variant job's payload names.
pub fn photo_of_variants_job(payload: &serde_json::Value) -> Option<PhotoId> {
    let raw = payload.get("photo_id")?.as_str()?;
    uuid::Uuid::parse_str(raw).ok().map(PhotoId::from_uuid)
}

/// Makes variants; the job runtime calls [`VariantMaker::run`].
#[derive(Debug, Clone)]
pub struct VariantMaker {
    stores: PhotoStores,
}

impl VariantMaker {
    pub fn new(stores: PhotoStores) -> Self {
        Self { stores }
    }

    /// Makes the variants of `id`. On the `last_attempt`, a transient failure
    /// also marks the photo failed, so that it never stays `processing`.
    pub async fn run(&self, id: PhotoId, last_attempt: bool) -> Result<(), VariantJobError> {
        match self.make(id).await {
            Err(VariantJobError::Transient(error)) if last_attempt => {
                tracing::error!(photo = %id, error = format!("{error:#}"), "giving up on variants");
                self.fail(id, "the photo could not be processed".to_owned())
                    .await?;
                Err(VariantJobError::Permanent(format!("{error:#}")))
            }
            Err(VariantJobError::Permanent(reason)) => {
                self.fail(id, reason.clone()).await?;
                Err(VariantJobError::Permanent(reason))
            }
            other => other,
        }
    }

    async fn fail(&self, id: PhotoId, reason: String) -> Result<(), VariantJobError> {
        let now = self.stores.clock.now();
        self.stores
            .photos
            .mark_failed(id, reason, now)
            .await
            .map_err(VariantJobError::Transient)?;
        Ok(())
    }

    async fn make(&self, id: PhotoId) -> Result<(), VariantJobError> {
        let transient = VariantJobError::Transient;
        let Some(photo) = self.stores.photos.find(id).await.map_err(transient)? else {
            return Ok(()); // deleted meanwhile: nothing to do
        };
        if photo.status == PhotoStatus::Ready {
            return Ok(());
        }
        let original = self.read_original(&photo).await?;
        let (original, shared_original) = self.shared_original(&photo, original).await?;
        let kinds = vec![VariantKind::Thumbnail, VariantKind::Preview];
        let encoded = self
            .stores
            .processor
            .make_variants(original, facts_of(&photo), kinds)
            .await
            .map_err(|error| match error {
                VariantError::Rejected(rejection) => {
                    VariantJobError::Permanent(rejection.to_string())
                }
                VariantError::Unexpected(error) => VariantJobError::Transient(error),
            })?;
        let mut variants = Vec::with_capacity(encoded.len());
        for variant in encoded {
            let key = photo_object_key(photo.owner_id, photo.id, PhotoFile::Variant(variant.kind));
            let sha256 = Sha256Digest::from_bytes(Sha256::digest(&variant.bytes).into());
            let size_bytes = variant.bytes.len() as u64;
            self.stores
                .blobs
                .put(&key, Bytes::from(variant.bytes))
                .await
                .map_err(|error| VariantJobError::Transient(error.into()))?;
            variants.push(PhotoVariant {
                kind: variant.kind,
                format: variant.format,
                width: variant.width,
                height: variant.height,
                size_bytes,
                sha256,
            });
        }
        let now = self.stores.clock.now();
        self.stores
            .photos
            .mark_ready(id, variants, shared_original, now)
            .await
            .map_err(transient)?;
        Ok(())
    }

    /// What everyone but the owner will get for the original: scrubbing
    /// runs on a blocking thread, and a copy without the location is stored
    /// beside the original. A file the scrubber cannot read stays withheld
    /// from others (the variants may still be made from its pixels).
    async fn shared_original(
        &self,
        photo: &Photo,
        original: Vec<u8>,
    ) -> Result<(Vec<u8>, SharedOriginal), VariantJobError> {
        let scrubber = self.stores.scrubber.clone();
        let format = photo.format;
        let (original, scrubbed) = tokio::task::spawn_blocking(move || {
            let scrubbed = scrubber.scrub_location(&original, format);
            (original, scrubbed)
        })
        .await
        .map_err(|error| {
            VariantJobError::Transient(anyhow::anyhow!("scrubbing failed: {error}"))
        })?;
        let copy = match scrubbed {
            Ok(None) => return Ok((original, SharedOriginal::Same)),
            Ok(Some(copy)) => copy,
            Err(ScrubLocationError::Rejected(rejection)) => {
                tracing::warn!(photo = %photo.id, %rejection, "the original's metadata cannot be read; it stays withheld from others");
                return Ok((original, SharedOriginal::Unchecked));
            }
            Err(ScrubLocationError::Unexpected(error)) => {
                return Err(VariantJobError::Transient(error));
            }
        };
        let key = photo_object_key(photo.owner_id, photo.id, PhotoFile::SharedOriginal);
        let shared = SharedOriginal::Scrubbed {
            size_bytes: copy.len() as u64,
            sha256: Sha256Digest::from_bytes(Sha256::digest(&copy).into()),
        };
        self.stores
            .blobs
            .put(&key, Bytes::from(copy))
            .await
            .map_err(|error| VariantJobError::Transient(error.into()))?;
        Ok((original, shared))
    }

    async fn read_original(&self, photo: &Photo) -> Result<Vec<u8>, VariantJobError> {
        let key = photo_object_key(photo.owner_id, photo.id, PhotoFile::Original);
        let read = match self.stores.blobs.get(&key, None).await {
            Ok(read) => read,
            Err(BlobError::NotFound) => {
                return Err(VariantJobError::Permanent(
                    "the original file is missing".to_owned(),
                ));
            }
            Err(BlobError::Unexpected(error)) => return Err(VariantJobError::Transient(error)),
        };
        let capacity = usize::try_from(photo.size_bytes).unwrap_or(0);
        let mut bytes = Vec::with_capacity(capacity);
        let mut body = read.body;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|error| VariantJobError::Transient(error.into()))?;
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// The facts of the original file (stored dimensions, before orientation).
fn facts_of(photo: &Photo) -> ImageFacts {
    let (width, height) = if photo.orientation.swaps_axes() {
        (photo.height, photo.width)
    } else {
        (photo.width, photo.height)
    };
    ImageFacts {
        format: photo.format,
        width,
        height,
        orientation: photo.orientation,
        taken_at: photo.taken_at,
        camera: photo.camera.clone(),
        location: photo.location,
    }
}
