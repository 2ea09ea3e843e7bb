//! One error type per album operation.

use crate::photos::PhotoId;

/// Reading or changing an album. `NotFound` also answers albums the caller
/// may not see, so their identifiers cannot be probed.
#[derive(Debug, thiserror::Error)]
pub enum AlbumError {
    #[error("no such album")]
    NotFound,
    #[error("only the album's owner may change it")]
    NotOwner,
    #[error("the cover must be a photo in the album")]
    CoverNotInAlbum,
    #[error("nothing to change")]
    NothingToChange,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Adding, removing or ordering an album's photos.
#[derive(Debug, thiserror::Error)]
pub enum AlbumPhotosError {
    #[error("no such album")]
    NotFound,
    #[error("only the album's owner may change it")]
    NotOwner,
    /// Photos that do not exist or that the caller does not own.
    #[error("unknown photos: {}", format_ids(.0))]
    UnknownPhotos(Vec<PhotoId>),
    #[error("the new order must list every photo of the album exactly once")]
    OrderMismatch,
    #[error("at most {max} photos per request")]
    TooManyPhotos { max: usize },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn format_ids(ids: &[PhotoId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, thiserror::Error)]
pub enum CreateShareLinkError {
    #[error("no such album")]
    NotFound,
    #[error("only the album's owner may share it")]
    NotOwner,
    #[error("a share link's expiry must be in the future")]
    ExpiryInPast,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Opening something through a share link. One answer for an unknown,
/// revoked or expired link, or an album no longer shared by link.
#[derive(Debug, thiserror::Error)]
pub enum SharedAccessError {
    #[error("this link does not exist or no longer works")]
    LinkInvalid,
    #[error("no such photo in this album")]
    PhotoNotFound,
    #[error("the original file holds location data that only its owner may see; use the preview")]
    OriginalWithheld,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}
