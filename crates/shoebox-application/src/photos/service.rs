//! The `Photos` use cases: upload, list, read, change and delete a member's photos.

use async_trait::async_trait;
use shoebox_domain::{
    auth::Actor,
    page::{Page, PageRequest},
    photos::{
        DeletePhotoError, Photo, PhotoFile, PhotoId, PhotoNotFound, PhotoOrder, PhotoUpdate,
        SharedOriginal, StorageUsage, UpdatePhotoError, UploadError, photo_object_key,
    },
    storage::ByteRange,
};
use shoebox_ports::{
    inbound::{
        FileBytes, FileDescriptor, PhotoUpload, Photos, ReadFileError, StagedPhoto, UploadedPhoto,
    },
    outbound::{InsertPhotosError, InsertedPhoto, PhotoWithJob},
};

use super::{
    PhotoSettings, PhotoStores,
    upload::{QuotaRoom, StreamingUpload, UploadParts},
    variants::variants_job,
};

/// How long a direct (presigned) URL to the store stays valid.
const DIRECT_URL_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct PhotoService {
    stores: PhotoStores,
    settings: PhotoSettings,
}

impl PhotoService {
    pub fn new(stores: PhotoStores, settings: PhotoSettings) -> Self {
        Self { stores, settings }
    }

    /// Deletes every stored file of a photo; missing ones are fine.
    pub(super) async fn delete_objects(&self, photo: &Photo) {
        for file in PhotoFile::ALL {
            let key = photo_object_key(photo.owner_id, photo.id, file);
            if let Err(error) = self.stores.blobs.delete(&key).await {
                tracing::warn!(%key, error = %error, "could not delete a photo file; the orphan sweeper will");
            }
        }
    }

    async fn delete_staged(&self, staged: &[StagedPhoto]) {
        for photo in staged {
            let key = photo_object_key(photo.inner.owner_id, photo.inner.id, PhotoFile::Original);
            if let Err(error) = self.stores.blobs.delete(&key).await {
                tracing::warn!(%key, error = %error, "could not delete a staged upload; the orphan sweeper will");
            }
        }
    }
}

/// What a reader may fetch of `photo`'s `file`, if it exists yet.
pub(super) fn describe(photo: &Photo, file: PhotoFile) -> Option<FileDescriptor> {
    let stem = photo
        .original_name
        .as_ref()
        .map(|name| {
            let name = name.as_str();
            name.rsplit_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_owned()
        })
        .unwrap_or_else(|| photo.id.to_string());
    let key = photo_object_key(photo.owner_id, photo.id, file);
    let original_name = photo.original_name.as_ref().map_or_else(
        || format!("{stem}.{}", photo.format.extension()),
        |name| name.as_str().to_owned(),
    );
    match file {
        PhotoFile::Original => Some(FileDescriptor {
            key,
            etag: format!("\"{}\"", photo.sha256.to_hex()),
            size: photo.size_bytes,
            format: photo.format,
            download_name: original_name,
        }),
        PhotoFile::SharedOriginal => match &photo.shared_original {
            SharedOriginal::Scrubbed { size_bytes, sha256 } => Some(FileDescriptor {
                key,
                etag: format!("\"{}\"", sha256.to_hex()),
                size: *size_bytes,
                format: photo.format,
                download_name: original_name,
            }),
            SharedOriginal::Unchecked | SharedOriginal::Same => None,
        },
        PhotoFile::Variant(kind) => {
            let variant = photo.variant(kind)?;
            Some(FileDescriptor {
                key,
                etag: format!("\"{}\"", variant.sha256.to_hex()),
                size: variant.size_bytes,
                format: variant.format,
                download_name: format!("{stem}-{}.{}", kind.as_str(), variant.format.extension()),
            })
        }
    }
}

#[async_trait]
impl Photos for PhotoService {
    #[tracing::instrument(name = "use_case.begin_upload", skip_all)]
    async fn begin_upload(
        &self,
        actor: Actor,
        client_name: Option<String>,
    ) -> Result<Box<dyn PhotoUpload>, UploadError> {
        let owner = actor.user.id;
        let quota = match self.settings.quota_bytes {
            Some(quota_bytes) => {
                let used_bytes = self.stores.photos.storage_used(owner).await?;
                if used_bytes >= quota_bytes {
                    return Err(UploadError::QuotaExceeded {
                        name: client_name.unwrap_or_else(|| "the file".to_owned()),
                        quota_bytes,
                        used_bytes,
                    });
                }
                Some(QuotaRoom {
                    quota_bytes,
                    used_bytes,
                })
            }
            None => None,
        };
        let id = PhotoId::new();
        let key = photo_object_key(owner, id, PhotoFile::Original);
        let writer = self
            .stores
            .blobs
            .create(&key)
            .await
            .map_err(|error| UploadError::Unexpected(error.into()))?;
        let limits = self.settings.limits();
        Ok(Box::new(StreamingUpload::new(UploadParts {
            owner,
            client_name,
            writer_for: id,
            writer,
            scan: self.stores.inspector.begin(limits),
            limits,
            quota,
            blobs: self.stores.blobs.clone(),
            clock: self.stores.clock.clone(),
        })))
    }

    #[tracing::instrument(name = "use_case.complete_upload", skip_all)]
    async fn complete_upload(
        &self,
        actor: Actor,
        staged: Vec<StagedPhoto>,
    ) -> Result<Vec<UploadedPhoto>, UploadError> {
        if staged.is_empty() {
            return Err(UploadError::NoFile);
        }
        let now = self.stores.clock.now();
        let owner = actor.user.id;
        let batch = staged
            .iter()
            .map(|photo| PhotoWithJob {
                photo: photo.inner.clone(),
                job: variants_job(photo.inner.id, now),
            })
            .collect();
        let inserted = match self
            .stores
            .photos
            .insert_uploaded(owner, batch, self.settings.quota_bytes)
            .await
        {
            Ok(inserted) => inserted,
            Err(error) => {
                self.delete_staged(&staged).await;
                return Err(match error {
                    InsertPhotosError::QuotaExceeded {
                        used_bytes,
                        quota_bytes,
                    } => UploadError::QuotaExceeded {
                        name: if staged.len() == 1 {
                            staged[0]
                                .inner
                                .original_name
                                .as_ref()
                                .map_or_else(|| "the file".to_owned(), |n| n.as_str().to_owned())
                        } else {
                            format!("these {} files", staged.len())
                        },
                        quota_bytes,
                        used_bytes,
                    },
                    InsertPhotosError::Unexpected(error) => UploadError::Unexpected(error),
                });
            }
        };
        let mut results = Vec::with_capacity(inserted.len());
        for (staged, outcome) in staged.iter().zip(inserted) {
            match outcome {
                InsertedPhoto::Created(photo) => results.push(UploadedPhoto::Created(photo)),
                InsertedPhoto::Duplicate(existing) => {
                    self.delete_staged(std::slice::from_ref(staged)).await;
                    results.push(UploadedPhoto::Duplicate(existing));
                }
            }
        }
        Ok(results)
    }

    async fn discard(&self, staged: Vec<StagedPhoto>) {
        self.delete_staged(&staged).await;
    }

    #[tracing::instrument(name = "use_case.list", skip_all)]
    async fn list(
        &self,
        actor: Actor,
        order: PhotoOrder,
        page: PageRequest,
    ) -> anyhow::Result<Page<Photo>> {
        self.stores
            .photos
            .list_owned(actor.user.id, order, page)
            .await
    }

    #[tracing::instrument(name = "use_case.get", skip_all)]
    async fn get(&self, actor: Actor, id: PhotoId) -> Result<Photo, PhotoNotFound> {
        let viewer = actor.user.id;
        let photo = self.stores.photos.find_visible(id, viewer).await?;
        photo
            .map(|photo| photo.as_seen_by(Some(viewer)))
            .ok_or(PhotoNotFound::NotFound)
    }

    async fn update(
        &self,
        actor: Actor,
        id: PhotoId,
        update: PhotoUpdate,
    ) -> Result<Photo, UpdatePhotoError> {
        let owner = actor.user.id;
        let now = self.stores.clock.now();
        if let Some(photo) = self.stores.photos.update(id, owner, update, now).await? {
            return Ok(photo);
        }
        // Tell a member who can see the photo why they cannot change it.
        match self.stores.photos.find_visible(id, owner).await? {
            Some(_) => Err(UpdatePhotoError::NotOwner),
            None => Err(UpdatePhotoError::NotFound),
        }
    }

    #[tracing::instrument(name = "use_case.delete", skip_all)]
    async fn delete(&self, actor: Actor, id: PhotoId) -> Result<(), DeletePhotoError> {
        let owner = actor.user.id;
        match self.stores.photos.delete(id, owner).await? {
            Some(photo) => {
                self.delete_objects(&photo).await;
                Ok(())
            }
            None => match self.stores.photos.find_visible(id, owner).await? {
                Some(_) => Err(DeletePhotoError::NotOwner),
                None => Err(DeletePhotoError::NotFound),
            },
        }
    }

    async fn file(
        &self,
        actor: Actor,
        id: PhotoId,
        file: PhotoFile,
    ) -> Result<FileDescriptor, PhotoNotFound> {
        let actor_id = actor.user.id;
        let photo = self
            .stores
            .photos
            .find_visible(id, actor_id)
            .await?
            .ok_or(PhotoNotFound::NotFound)?;
        let file = match file {
            PhotoFile::Original => photo
                .original_for(Some(actor_id))
                .ok_or(PhotoNotFound::OriginalWithheld)?,
            other => other,
        };
        describe(&photo, file).ok_or(PhotoNotFound::NotFound)
    }

    async fn read(
        &self,
        file: FileDescriptor,
        range: Option<ByteRange>,
    ) -> Result<FileBytes, ReadFileError> {
        let range = range.map(|range| range.resolve(file.size)).transpose()?;
        let read = self.stores.blobs.get(&file.key, range).await?;
        Ok(FileBytes {
            range: read.range,
            body: read.body,
        })
    }

    async fn direct_url(&self, file: FileDescriptor) -> anyhow::Result<Option<String>> {
        if !self.settings.redirect_to_store {
            return Ok(None);
        }
        Ok(self
            .stores
            .blobs
            .presigned_get(&file.key, DIRECT_URL_LIFETIME)
            .await?)
    }

    async fn storage_usage(&self, actor: Actor) -> anyhow::Result<StorageUsage> {
        Ok(StorageUsage {
            used_bytes: self.stores.photos.storage_used(actor.user.id).await?,
            quota_bytes: self.settings.quota_bytes,
        })
    }
}
