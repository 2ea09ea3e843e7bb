//! STUB (replaced by the imaging branch at merge).
use async_trait::async_trait;
use shoebox_domain::imaging::{EncodedVariant, ImageFacts, ImageLimits, ImageRejection, VariantKind};

pub trait ImageInspector: Send + Sync {
    fn begin(&self, limits: ImageLimits) -> Box<dyn ImageScan>;
}

pub trait ImageScan: Send {
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ImageRejection>;
    fn finish(self: Box<Self>) -> Result<ImageFacts, ImageRejection>;
}

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("{0}")]
    Rejected(ImageRejection),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[async_trait]
pub trait ImageProcessor: Send + Sync {
    async fn make_variants(
        &self,
        original: Vec<u8>,
        facts: ImageFacts,
        kinds: Vec<VariantKind>,
    ) -> Result<Vec<EncodedVariant>, VariantError>;
}
