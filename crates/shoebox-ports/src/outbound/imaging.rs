//! Image inspection on the upload path and variant making in the background.

use async_trait::async_trait;
use shoebox_domain::imaging::{
    EncodedVariant, ImageFacts, ImageFormat, ImageLimits, ImageRejection, VariantKind,
};

/// Checks uploads while they stream: cheap, never decodes pixels, so it can
/// run on the request path for every chunk.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait ImageInspector: Send + Sync {
    /// Starts inspecting one upload under `limits`.
    fn begin(&self, limits: ImageLimits) -> Box<dyn ImageScan>;
}

/// The inspection of one upload, fed chunk by chunk (any chunk boundaries).
/// After an error the scan is finished: later calls return the same error.
pub trait ImageScan: Send {
    /// Feeds the next chunk; fails as early as possible: `UnsupportedFormat`
    /// after the first bytes, `TooManyPixels` as soon as the header is read,
    /// `TooLarge` as soon as the total passes the limit, `Corrupt` or
    /// `TrailingData` where the structure breaks.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ImageRejection>;

    /// End of input: checks completeness (`Empty`, `Truncated`) and returns
    /// the facts.
    fn finish(self: Box<Self>) -> Result<ImageFacts, ImageRejection>;
}

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// The original cannot be decoded: the photo fails with this reason.
    #[error("{0}")]
    Rejected(ImageRejection),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ImageProcessor: Send + Sync {
    /// Decodes `original` (the whole file, in memory) once and makes every
    /// requested variant: oriented per `facts.orientation`, scaled so that
    /// the long edge is at most `kind.long_edge()` (never upscaled), encoded
    /// without any metadata (JPEG for opaque images, PNG for transparent
    /// ones). Runs on blocking threads with bounded concurrency, never on the
    /// async runtime. Variants come back in the order of `kinds`.
    ///
    /// Errors: `Rejected` when the bytes cannot be decoded or exceed the pixel
    /// limit; `Unexpected` when the work could not run (e.g. the worker pool
    /// is gone).
    async fn make_variants(
        &self,
        original: Vec<u8>,
        facts: ImageFacts,
        kinds: Vec<VariantKind>,
    ) -> Result<Vec<EncodedVariant>, VariantError>;
}

#[derive(Debug, thiserror::Error)]
pub enum ScrubLocationError {
    /// The bytes do not parse as `format`: nothing can be said about what
    /// they hold, so they must not be served to anyone but the owner.
    #[error("{0}")]
    Rejected(ImageRejection),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Removes location from a whole original (SPEC §5) so that members other
/// than its owner can download it, keeping everything else (camera, dates,
/// orientation, colour profile, pixels) as it was.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait LocationScrubber: Send + Sync {
    /// `Ok(None)` when `original` holds no location (serve it as is, no
    /// copy made); `Ok(Some(bytes))` a copy of it without any. Pure CPU work
    /// on the whole file in memory: callers run it on a blocking thread.
    ///
    /// Errors: `Rejected` when the bytes do not parse as `format` (never a
    /// panic); `Unexpected` when the work could not be done.
    fn scrub_location(
        &self,
        original: &[u8],
        format: ImageFormat,
    ) -> Result<Option<Vec<u8>>, ScrubLocationError>;
}
