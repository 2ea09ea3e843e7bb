//! Members' photos, albums and share links, and the anonymous shared view.

use std::ops::Range;

use async_trait::async_trait;
use bytes::Bytes;
use shoebox_domain::{
    albums::{
        Album, AlbumError, AlbumId, AlbumPage, AlbumPageTag, AlbumPhotosError, AlbumUpdate,
        CreateShareLinkError, ShareExpiry, ShareLink, ShareLinkId, SharedAccessError, Visibility,
    },
    auth::{Actor, RevokeError, SecretToken},
    imaging::ImageFormat,
    page::{Page, PageRequest},
    photos::{
        DeletePhotoError, Photo, PhotoFile, PhotoId, PhotoNotFound, PhotoOrder, PhotoUpdate,
        StorageUsage, UpdatePhotoError, UploadError,
    },
    storage::{ObjectKey, UnsatisfiableRange},
};

use crate::outbound::{BlobError, ByteStream};

/// One file of an upload, fed chunk by chunk as it arrives from the client.
/// Its bytes go straight to object storage; nothing is visible to anyone
/// until [`Photos::complete_upload`] records it.
#[async_trait]
pub trait PhotoUpload: Send {
    /// Errors: `Rejected` (as early as the bytes allow: wrong format, too many
    /// pixels, too large), `QuotaExceeded`, `Unexpected`. After an error the
    /// upload is finished: call `abort`.
    async fn write(&mut self, chunk: Bytes) -> Result<(), UploadError>;

    /// The end of the file: checks it is complete and returns what will be recorded.
    /// Errors: `Rejected`, `Unexpected`; on error nothing of the file remains.
    async fn finish(self: Box<Self>) -> Result<StagedPhoto, UploadError>;

    /// Drops the stored bytes.
    async fn abort(self: Box<Self>);
}

/// A file that is stored and inspected but not yet a photo.
#[derive(Debug, Clone)]
pub struct StagedPhoto {
    /// Opaque to drivers: only the use case builds and reads it.
    pub inner: shoebox_domain::photos::NewPhoto,
}

/// The outcome for one uploaded file.
#[derive(Debug, Clone)]
pub enum UploadedPhoto {
    Created(Photo),
    /// The member already had this exact file; the existing photo.
    Duplicate(Photo),
}

/// A photo file the caller may read: enough to answer conditional and range
/// requests before any byte is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDescriptor {
    pub key: ObjectKey,
    /// Strong validator, quoted as in an `ETag` header.
    pub etag: String,
    pub size: u64,
    pub format: ImageFormat,
    /// Name for `Content-Disposition` (the client's name for originals).
    pub download_name: String,
}

/// Bytes of a photo file, possibly a range of it.
pub struct FileBytes {
    pub range: Range<u64>,
    pub body: ByteStream,
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileBytes")
            .field("range", &self.range)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadFileError {
    #[error("no such file")]
    NotFound,
    #[error("the requested range is not satisfiable")]
    Unsatisfiable(#[from] UnsatisfiableRange),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<BlobError> for ReadFileError {
    fn from(error: BlobError) -> Self {
        match error {
            BlobError::NotFound => Self::NotFound,
            BlobError::Unexpected(error) => Self::Unexpected(error),
        }
    }
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Photos: Send + Sync {
    /// Starts receiving one file (`client_name` is the multipart file name).
    /// Errors: `QuotaExceeded` (already at quota), `Unexpected`.
    async fn begin_upload(
        &self,
        actor: Actor,
        client_name: Option<String>,
    ) -> Result<Box<dyn PhotoUpload>, UploadError>;

    /// Records every staged file of one request, all or nothing; on error the
    /// stored bytes of every staged file are removed. Errors: `NoFile`,
    /// `QuotaExceeded`, `Unexpected`.
    async fn complete_upload(
        &self,
        actor: Actor,
        staged: Vec<StagedPhoto>,
    ) -> Result<Vec<UploadedPhoto>, UploadError>;

    /// Removes the stored bytes of files that will not be recorded.
    async fn discard(&self, staged: Vec<StagedPhoto>);

    async fn list(
        &self,
        actor: Actor,
        order: PhotoOrder,
        page: PageRequest,
    ) -> anyhow::Result<Page<Photo>>;

    /// A photo the actor may see (location only for its owner).
    /// Errors: `NotFound`, `Unexpected`.
    async fn get(&self, actor: Actor, id: PhotoId) -> Result<Photo, PhotoNotFound>;

    /// Errors: `NotFound`, `NotOwner`, `Unexpected`.
    async fn update(
        &self,
        actor: Actor,
        id: PhotoId,
        update: PhotoUpdate,
    ) -> Result<Photo, UpdatePhotoError>;

    /// Deletes the photo and every object it owns.
    /// Errors: `NotFound`, `NotOwner`, `Unexpected`.
    async fn delete(&self, actor: Actor, id: PhotoId) -> Result<(), DeletePhotoError>;

    /// The file when the actor may see the photo and the file exists (a
    /// variant of a photo still processing does not). Errors: `NotFound`, `Unexpected`.
    async fn file(
        &self,
        actor: Actor,
        id: PhotoId,
        file: PhotoFile,
    ) -> Result<FileDescriptor, PhotoNotFound>;

    /// Reads a file described by [`Photos::file`] or [`Sharing::file`].
    async fn read(
        &self,
        file: FileDescriptor,
        range: Option<shoebox_domain::storage::ByteRange>,
    ) -> Result<FileBytes, ReadFileError>;

    /// A short-lived direct URL for the file when the store offers them and
    /// redirects are enabled.
    async fn direct_url(&self, file: FileDescriptor) -> anyhow::Result<Option<String>>;

    async fn storage_usage(&self, actor: Actor) -> anyhow::Result<StorageUsage>;
}

/// Input of [`Albums::create`].
#[derive(Debug, Clone)]
pub struct CreateAlbum {
    pub title: shoebox_domain::albums::AlbumTitle,
    pub description: Option<shoebox_domain::albums::AlbumDescription>,
    pub visibility: Visibility,
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Albums: Send + Sync {
    async fn create(&self, actor: Actor, command: CreateAlbum) -> anyhow::Result<Album>;

    /// Albums the actor may list (own, and other members' `members` albums).
    async fn list(
        &self,
        actor: Actor,
        owned_only: bool,
        page: PageRequest,
    ) -> anyhow::Result<Page<Album>>;

    /// Errors: `NotFound`, `Unexpected`.
    async fn get(&self, actor: Actor, id: AlbumId) -> Result<Album, AlbumError>;

    /// Errors: `NotFound`, `NotOwner`, `CoverNotInAlbum`, `NothingToChange`, `Unexpected`.
    async fn update(
        &self,
        actor: Actor,
        id: AlbumId,
        update: AlbumUpdate,
    ) -> Result<Album, AlbumError>;

    /// Deletes the album and its share links; its photos stay.
    /// Errors: `NotFound`, `NotOwner`, `Unexpected`.
    async fn delete(&self, actor: Actor, id: AlbumId) -> Result<(), AlbumError>;

    /// The album's photos in album order, a page at a time; `Unchanged`
    /// without reading the photos when the page's current tag is among
    /// `known` (the tags the caller holds answers for).
    /// Errors: `NotFound`, `Unexpected`.
    async fn photos(
        &self,
        actor: Actor,
        id: AlbumId,
        page: PageRequest,
        known: Vec<AlbumPageTag>,
    ) -> Result<AlbumPage<Photo>, AlbumError>;

    /// Errors: `NotFound`, `NotOwner`, `UnknownPhotos`, `TooManyPhotos`, `Unexpected`.
    async fn add_photos(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError>;

    /// Errors: `NotFound`, `NotOwner`, `TooManyPhotos`, `Unexpected`.
    async fn remove_photos(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError>;

    /// Errors: `NotFound`, `NotOwner`, `OrderMismatch`, `TooManyPhotos`, `Unexpected`.
    async fn reorder(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError>;
}

/// A share link just created: the token is shown once.
#[derive(Debug, Clone)]
pub struct CreatedShareLink {
    pub link: ShareLink,
    pub token: SecretToken,
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Sharing: Send + Sync {
    /// Errors: `NotFound`, `NotOwner`, `ExpiryInPast`, `Unexpected`.
    async fn create_link(
        &self,
        actor: Actor,
        album: AlbumId,
        expiry: ShareExpiry,
    ) -> Result<CreatedShareLink, CreateShareLinkError>;

    /// Errors: `NotFound` (album not found or not the actor's), `Unexpected`.
    async fn links(&self, actor: Actor, album: AlbumId) -> Result<Vec<ShareLink>, AlbumError>;

    /// Errors: `NotFound` (album or link), `Unexpected`.
    async fn revoke_link(
        &self,
        actor: Actor,
        album: AlbumId,
        link: ShareLinkId,
    ) -> Result<(), RevokeError>;

    /// The album a link opens. Errors: `LinkInvalid`, `Unexpected`.
    async fn album(&self, token: SecretToken) -> Result<Album, SharedAccessError>;

    /// Its photos (never with location). Errors: `LinkInvalid`, `Unexpected`.
    async fn photos(
        &self,
        token: SecretToken,
        page: PageRequest,
    ) -> Result<Page<Photo>, SharedAccessError>;

    /// One photo of the album. Errors: `LinkInvalid`, `PhotoNotFound`, `Unexpected`.
    async fn photo(&self, token: SecretToken, id: PhotoId) -> Result<Photo, SharedAccessError>;

    /// Errors: `LinkInvalid`, `PhotoNotFound`, `Unexpected`.
    async fn file(
        &self,
        token: SecretToken,
        id: PhotoId,
        file: PhotoFile,
    ) -> Result<FileDescriptor, SharedAccessError>;
}
