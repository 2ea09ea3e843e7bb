//! Persistence of photos, albums and share links. Each method is one
//! transaction inside the adapter.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    accounts::UserId,
    albums::{Album, AlbumId, AlbumUpdate, NewAlbum, NewShareLink, ShareLink, ShareLinkId},
    auth::TokenHash,
    jobs::NewJob,
    page::{Page, PageRequest},
    photos::{NewPhoto, Photo, PhotoId, PhotoOrder, PhotoUpdate, PhotoVariant, SharedOriginal},
};

/// A photo to record together with the job that makes its variants.
#[derive(Debug, Clone)]
pub struct PhotoWithJob {
    pub photo: NewPhoto,
    pub job: NewJob,
}

/// What became of one photo handed to [`PhotoRepository::insert_uploaded`].
#[derive(Debug, Clone, PartialEq)]
pub enum InsertedPhoto {
    Created(Photo),
    /// The owner already has a photo with these bytes; nothing was added.
    Duplicate(Photo),
}

#[derive(Debug, thiserror::Error)]
pub enum InsertPhotosError {
    /// Recording the new photos would take the owner past `quota_bytes`.
    #[error("storage quota exceeded")]
    QuotaExceeded { used_bytes: u64, quota_bytes: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PhotoRepository: Send + Sync {
    /// Records photos whose originals are already stored, each with its
    /// variant job, all or nothing. A photo whose SHA-256 the owner already has
    /// comes back as `Duplicate` (the existing photo) and is not inserted.
    /// With `quota_bytes`, the owner's usage plus the new originals must stay
    /// within it (checked under a per-owner lock, so parallel uploads cannot
    /// both slip under it). Errors: `QuotaExceeded`, `Unexpected`.
    async fn insert_uploaded(
        &self,
        owner: UserId,
        photos: Vec<PhotoWithJob>,
        quota_bytes: Option<u64>,
    ) -> Result<Vec<InsertedPhoto>, InsertPhotosError>;

    /// Any photo by id, whoever owns it (jobs, the sweeper).
    async fn find(&self, id: PhotoId) -> anyhow::Result<Option<Photo>>;

    /// The photo when `viewer` may see it: they own it, or it is in an album
    /// of another member with `members` visibility.
    async fn find_visible(&self, id: PhotoId, viewer: UserId) -> anyhow::Result<Option<Photo>>;

    /// The photo when it is in `album`.
    async fn find_in_album(&self, album: AlbumId, id: PhotoId) -> anyhow::Result<Option<Photo>>;

    /// The owner's photos, in `order`, a page at a time.
    async fn list_owned(
        &self,
        owner: UserId,
        order: PhotoOrder,
        page: PageRequest,
    ) -> anyhow::Result<Page<Photo>>;

    /// `None` when the photo does not exist or is not `owner`'s.
    async fn update(
        &self,
        id: PhotoId,
        owner: UserId,
        update: PhotoUpdate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Photo>>;

    /// Deletes the row (and its album memberships; covers fall back to the
    /// first photo). Returns the deleted photo so its objects can be removed;
    /// `None` when it does not exist or is not `owner`'s.
    async fn delete(&self, id: PhotoId, owner: UserId) -> anyhow::Result<Option<Photo>>;

    /// Stores the variants and what others get for the original, and sets
    /// `ready`. False when the photo is gone.
    async fn mark_ready(
        &self,
        id: PhotoId,
        variants: Vec<PhotoVariant>,
        shared_original: SharedOriginal,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool>;

    /// Sets `failed` with a reason shown to the owner. False when the photo is gone.
    async fn mark_failed(
        &self,
        id: PhotoId,
        reason: String,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool>;

    /// Bytes stored for `owner`: originals and variants.
    async fn storage_used(&self, owner: UserId) -> anyhow::Result<u64>;

    /// Which of `ids` have a row (for the orphan sweeper).
    async fn existing(&self, ids: Vec<PhotoId>) -> anyhow::Result<Vec<PhotoId>>;
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateAlbumRowError {
    #[error("the cover must be a photo in the album")]
    CoverNotInAlbum,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeAlbumPhotosError {
    /// Photos that do not exist or are not the album owner's.
    #[error("unknown photos")]
    UnknownPhotos(Vec<PhotoId>),
    /// A reorder did not list the album's photos exactly once each.
    #[error("order mismatch")]
    OrderMismatch,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait AlbumRepository: Send + Sync {
    async fn insert(&self, album: NewAlbum) -> anyhow::Result<Album>;

    async fn find(&self, id: AlbumId) -> anyhow::Result<Option<Album>>;

    /// Albums `viewer` may list, newest first: their own, and (unless
    /// `owned_only`) other members' `members` albums.
    async fn list_visible(
        &self,
        viewer: UserId,
        owned_only: bool,
        page: PageRequest,
    ) -> anyhow::Result<Page<Album>>;

    /// `Ok(None)` when the album is gone. Errors: `CoverNotInAlbum`, `Unexpected`.
    async fn update(
        &self,
        id: AlbumId,
        update: AlbumUpdate,
        now: DateTime<Utc>,
    ) -> Result<Option<Album>, UpdateAlbumRowError>;

    /// Deletes the album, its memberships and its links (photos stay).
    async fn delete(&self, id: AlbumId) -> anyhow::Result<bool>;

    /// Appends `photos` (owned by the album's owner) at the end, in the given
    /// order; photos already in the album stay where they are.
    /// Errors: `UnknownPhotos`, `Unexpected`.
    async fn add_photos(
        &self,
        id: AlbumId,
        photos: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> Result<Album, ChangeAlbumPhotosError>;

    /// Removes `photos` from the album (absent ones are ignored); a removed
    /// cover falls back to the first photo.
    async fn remove_photos(
        &self,
        id: AlbumId,
        photos: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Album>;

    /// Sets the album's order: `photos` must be exactly its photos.
    /// Errors: `OrderMismatch`, `Unexpected`.
    async fn reorder(
        &self,
        id: AlbumId,
        photos: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> Result<Album, ChangeAlbumPhotosError>;

    /// The album's photos in album order, a page at a time, as of
    /// `album.revision` or later: an implementation may answer from what it
    /// read at that revision (see [`Album::revision`]).
    async fn photos(&self, album: &Album, page: PageRequest) -> anyhow::Result<Page<Photo>>;
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ShareLinkRepository: Send + Sync {
    async fn insert(&self, link: NewShareLink) -> anyhow::Result<ShareLink>;

    /// Every link of the album, newest first, revoked and expired included.
    async fn list(&self, album: AlbumId) -> anyhow::Result<Vec<ShareLink>>;

    /// Revokes a link of `album`. False when there is no such live link.
    async fn revoke(
        &self,
        album: AlbumId,
        id: ShareLinkId,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool>;

    /// The link with this token hash and its album, whatever their state.
    async fn resolve(&self, token: TokenHash) -> anyhow::Result<Option<(ShareLink, Album)>>;
}
