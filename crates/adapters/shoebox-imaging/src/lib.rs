//! # shoebox-imaging
//!
//! Images, from the bytes of an upload to the variants members browse:
//!
//! * [`StreamingImageInspector`] ([`ImageInspector`](shoebox_ports::outbound::ImageInspector)):
//!   recognises JPEG, PNG, WebP and GIF by their magic bytes while the upload
//!   streams, enforces the size and pixel limits before any decode, refuses
//!   truncated, corrupt and polyglot files, and reads dimensions and EXIF
//!   (orientation, taken-at, camera, GPS).
//! * [`RasterImageProcessor`] ([`ImageProcessor`](shoebox_ports::outbound::ImageProcessor)):
//!   decodes an original once (JPEG shrink-on-load), and makes oriented,
//!   metadata-free thumbnails and previews on blocking threads.
//! * [`MetadataLocationScrubber`] ([`LocationScrubber`](shoebox_ports::outbound::LocationScrubber)):
//!   a copy of an original without location (EXIF GPS, XMP location), all
//!   else byte for byte, for members other than the owner.
//! * [`samples`]: procedural sample photos and the corpus of bad inputs, for
//!   `shoebox seed` and for tests across the workspace.
//! * [`bench`]: the thumbnail throughput measured by `cargo xtask bench`.
//!
//! Architecture Invariant: the request path never decodes pixels: the
//! inspector only scans bytes, keeping at most a few header fields and one
//! EXIF block (64 KiB) in memory, whatever the file's size.
//!
//! Architecture Invariant: variants carry no metadata: they are encoded from
//! pixels alone, so no EXIF (and no location) ever leaves through them.
//!
//! This adapter knows the ports and the domain, and nothing of HTTP, SQL,
//! object storage or other adapters.

pub mod bench;
mod inspect;
mod metadata;
mod process;
pub mod samples;
mod scrub;

pub use inspect::{StreamingImageInspector, StreamingScan, inspect};
pub use process::RasterImageProcessor;
pub use scrub::{MetadataLocationScrubber, scrub_location};
