//! Translation of `object_store` errors at the seam.

use anyhow::anyhow;
use shoebox_ports::outbound::BlobError;

/// `NotFound` stays `NotFound`; anything else becomes `Unexpected` with what
/// was being done (`doing`, e.g. "reading photos/1 from s3 bucket b").
///
/// `object_store` messages name the path and the endpoint, never the
/// credentials (requests are signed in headers that its errors do not
/// print), so they can be kept as the cause.
pub(crate) fn translate(error: object_store::Error, doing: impl FnOnce() -> String) -> BlobError {
    match error {
        object_store::Error::NotFound { .. } => BlobError::NotFound,
        other => BlobError::Unexpected(anyhow::Error::new(other).context(doing())),
    }
}

/// Like [`translate`], for writes: `NotFound` there means the bucket (or
/// the store itself) is missing, which is no business outcome but a broken
/// installation, and must not pass for a missing object.
pub(crate) fn translate_write(
    error: object_store::Error,
    doing: impl FnOnce() -> String,
) -> BlobError {
    match error {
        object_store::Error::NotFound { .. } => BlobError::Unexpected(
            anyhow::Error::new(error).context(format!("{} (does the bucket exist?)", doing())),
        ),
        other => translate(other, doing),
    }
}

/// An `Unexpected` error from a plain message.
pub(crate) fn unexpected(message: String) -> BlobError {
    BlobError::Unexpected(anyhow!(message))
}
