//! Location scrubbing: a copy of an original without any location metadata
//! (EXIF GPS, XMP location properties, IPTC location), everything else byte for byte as it
//! was, so that members other than the owner can download originals
//! (SPEC §5). Metadata is edited in place wherever the format allows, so the
//! file keeps its length and every offset in it stays right.

mod containers;
mod iptc;
mod jpeg;
mod tiff;
mod xmp;

use shoebox_domain::imaging::{ImageFormat, ImageRejection};
use shoebox_ports::outbound::{LocationScrubber, ScrubLocationError};

/// The [`LocationScrubber`] of Shoebox: walks the file's structure without
/// decoding pixels.
#[derive(Debug, Clone, Copy, Default)]
pub struct MetadataLocationScrubber;

impl LocationScrubber for MetadataLocationScrubber {
    fn scrub_location(
        &self,
        original: &[u8],
        format: ImageFormat,
    ) -> Result<Option<Vec<u8>>, ScrubLocationError> {
        scrub_location(original, format).map_err(ScrubLocationError::Rejected)
    }
}

/// `Ok(None)` when `original` holds no location, else a copy without it;
/// `Err` when it does not parse as `format`.
pub fn scrub_location(
    original: &[u8],
    format: ImageFormat,
) -> Result<Option<Vec<u8>>, ImageRejection> {
    if original.is_empty() {
        return Err(ImageRejection::Empty);
    }
    match format {
        ImageFormat::Jpeg => in_place(original, |copy| jpeg::scrub(copy, 0)),
        ImageFormat::WebP => in_place(original, containers::scrub_webp),
        ImageFormat::Png => containers::scrub_png(original),
        ImageFormat::Gif => containers::scrub_gif(original),
    }
}

fn in_place(
    original: &[u8],
    scrub: impl FnOnce(&mut [u8]) -> Result<bool, ImageRejection>,
) -> Result<Option<Vec<u8>>, ImageRejection> {
    let mut copy = original.to_vec();
    Ok(scrub(&mut copy)?.then_some(copy))
}
