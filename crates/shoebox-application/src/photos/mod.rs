//! Photos, albums and sharing: uploads streamed to object storage, variants
//! made by a background job, albums with visibility, share links, and the
//! orphan sweeper.

mod albums;
mod handlers;
mod service;
mod settings;
mod sharing;
mod sweeper;
mod upload;
mod variants;

use std::{fmt, sync::Arc};

use shoebox_ports::outbound::{
    AlbumRepository, BlobStore, Clock, ImageInspector, ImageProcessor, LocationScrubber,
    PhotoRepository, ShareLinkRepository,
};

pub use albums::AlbumService;
pub use handlers::SWEEP_ORPHANS_JOB;
pub use service::PhotoService;
pub use settings::PhotoSettings;
pub use sharing::SharingService;
pub use sweeper::{OrphanSweep, SweepReport};
pub use variants::{MAKE_VARIANTS_JOB, VariantMaker, photo_of_variants_job, variants_job};

/// The outbound ports the photo use cases share.
#[derive(Clone)]
pub struct PhotoStores {
    pub photos: Arc<dyn PhotoRepository>,
    pub albums: Arc<dyn AlbumRepository>,
    pub links: Arc<dyn ShareLinkRepository>,
    pub blobs: Arc<dyn BlobStore>,
    pub inspector: Arc<dyn ImageInspector>,
    pub processor: Arc<dyn ImageProcessor>,
    pub scrubber: Arc<dyn LocationScrubber>,
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for PhotoStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhotoStores").finish_non_exhaustive()
    }
}
