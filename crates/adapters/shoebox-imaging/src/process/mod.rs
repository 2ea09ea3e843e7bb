//! The [`ImageProcessor`] port: variants made on tokio's blocking threads,
//! never on the async runtime, at most one job per CPU at a time (a
//! semaphore), so a burst of uploads queues instead of decoding dozens of
//! photos at once. Memory per job is bounded by the pixel limit, which is
//! checked again before decoding.

mod decode;
pub(crate) mod render;

use std::sync::Arc;

use async_trait::async_trait;
use shoebox_domain::imaging::{EncodedVariant, ImageFacts, ImageLimits, VariantKind};
use shoebox_ports::outbound::{ImageProcessor, VariantError};
use tokio::sync::Semaphore;

/// Decodes with jpeg-decoder (scaled) or `image`, resizes with
/// fast_image_resize, encodes with `image`.
#[derive(Debug, Clone)]
pub struct RasterImageProcessor {
    limits: ImageLimits,
    permits: Arc<Semaphore>,
}

impl RasterImageProcessor {
    /// One concurrent job per CPU.
    pub fn new(limits: ImageLimits) -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        Self::with_concurrency(limits, cpus)
    }

    /// At most `concurrency` jobs (at least one) decode at the same time.
    pub fn with_concurrency(limits: ImageLimits, concurrency: usize) -> Self {
        Self {
            limits,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }
}

#[async_trait]
impl ImageProcessor for RasterImageProcessor {
    async fn make_variants(
        &self,
        original: Vec<u8>,
        facts: ImageFacts,
        kinds: Vec<VariantKind>,
    ) -> Result<Vec<EncodedVariant>, VariantError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| anyhow::anyhow!("the image workers are shut down"))?;
        let limits = self.limits;
        // The permit moves into the blocking task: if this future is dropped,
        // the work still counts against the bound until it really ends.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            render::render(&original, &facts, &kinds, limits)
        })
        .await
        .map_err(|error| anyhow::Error::new(error).context("the variant job did not complete"))?
    }
}
