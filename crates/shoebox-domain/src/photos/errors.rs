//! One error type per photo operation.

/// Most files one upload request may carry.
pub const MAX_FILES_PER_UPLOAD: usize = 100;

use crate::imaging::ImageRejection;

/// Why an upload was refused. Nothing of a refused upload is kept.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the request holds no file")]
    NoFile,
    #[error("{name}: {rejection}")]
    Rejected {
        /// The client's file name (or "file N"), so the member knows which one.
        name: String,
        rejection: ImageRejection,
    },
    #[error(
        "{name}: storing it would exceed your storage quota of {quota_bytes} bytes ({used_bytes} bytes used)"
    )]
    QuotaExceeded {
        name: String,
        quota_bytes: u64,
        used_bytes: u64,
    },
    #[error("at most {max} files may be uploaded in one request")]
    TooManyFiles { max: usize },
    /// The client went away or sent a malformed body mid-upload.
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The photo does not exist, or the caller may not see it: deliberately one
/// answer, so that identifiers of other members' photos cannot be probed.
#[derive(Debug, thiserror::Error)]
pub enum PhotoNotFound {
    #[error("no such photo")]
    NotFound,
    /// The original file carries its owner's location in its metadata, so
    /// only the owner may download it; others get the preview.
    #[error("the original file holds location data that only its owner may see; use the preview")]
    OriginalWithheld,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum UpdatePhotoError {
    #[error("no such photo")]
    NotFound,
    #[error("only the owner may change a photo")]
    NotOwner,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum DeletePhotoError {
    #[error("no such photo")]
    NotFound,
    #[error("only the owner may delete a photo")]
    NotOwner,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Outcome of the variant job when it cannot finish.
#[derive(Debug, thiserror::Error)]
pub enum VariantJobError {
    /// Worth another attempt (storage or database outage).
    #[error(transparent)]
    Transient(anyhow::Error),
    /// The photo can never get variants; it is marked failed with this reason.
    #[error("{0}")]
    Permanent(String),
}
