//! Streaming inspection: recognises the format by its magic bytes, then walks
//! the file's structure chunk by chunk (segments, chunks, blocks) without
//! decoding a pixel. Memory stays bounded: the only bytes kept are a few
//! header fields and the EXIF block (at most [`MAX_EXIF_BYTES`]).

mod gather;
mod gif;
mod jpeg;
pub(crate) mod mpf;
mod png;
mod webp;

use shoebox_domain::imaging::{
    ImageFacts, ImageFormat, ImageLimits, ImageRejection, Orientation, camera_name,
};
use shoebox_ports::outbound::{ImageInspector, ImageScan};

use crate::metadata;

/// Larger EXIF blocks are skipped (their facts are lost, the image is kept):
/// 64 KiB is what a JPEG APP1 segment can hold, so no camera writes more.
pub(crate) const MAX_EXIF_BYTES: usize = 64 * 1024;

/// The [`ImageInspector`] of Shoebox: byte scanning only, no decode.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreamingImageInspector;

impl ImageInspector for StreamingImageInspector {
    fn begin(&self, limits: ImageLimits) -> Box<dyn ImageScan> {
        Box::new(StreamingScan::new(limits))
    }
}

/// Inspects a whole file at once (samples, the thumbnail bench, tests).
pub fn inspect(bytes: &[u8], limits: ImageLimits) -> Result<ImageFacts, ImageRejection> {
    let mut scan = StreamingScan::new(limits);
    scan.feed(bytes)?;
    Box::new(scan).finish()
}

/// What the format parsers report while they walk the file.
#[derive(Debug)]
pub(crate) struct Findings {
    limits: ImageLimits,
    dimensions: Option<(u32, u32)>,
    exif: Option<Vec<u8>>,
}

impl Findings {
    /// Records the image's dimensions, refusing a decompression bomb here,
    /// before a single byte of pixel data is read.
    pub(crate) fn dimensions(&mut self, width: u32, height: u32) -> Result<(), ImageRejection> {
        self.check_pixels(width, height)?;
        self.dimensions.get_or_insert((width, height));
        Ok(())
    }

    /// Checks the size of a frame or sub-image against the pixel limit.
    pub(crate) fn check_pixels(&self, width: u32, height: u32) -> Result<(), ImageRejection> {
        if width == 0 || height == 0 {
            return Err(ImageRejection::corrupt("the image has no pixels"));
        }
        if u64::from(width) * u64::from(height) > self.limits.max_pixels {
            return Err(ImageRejection::TooManyPixels {
                width,
                height,
                limit: self.limits.max_pixels,
            });
        }
        Ok(())
    }

    pub(crate) fn has_exif(&self) -> bool {
        self.exif.is_some()
    }

    /// Keeps the first EXIF block (a TIFF structure).
    pub(crate) fn exif(&mut self, tiff: Vec<u8>) {
        self.exif.get_or_insert(tiff);
    }
}

enum Stage {
    Sniffing(Vec<u8>),
    Jpeg(jpeg::JpegParser),
    Png(png::PngParser),
    Gif(gif::GifParser),
    WebP(webp::WebPParser),
    Failed(ImageRejection),
}

/// One upload being inspected.
pub struct StreamingScan {
    limits: ImageLimits,
    total_bytes: u64,
    stage: Stage,
    findings: Findings,
}

impl std::fmt::Debug for StreamingScan {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("StreamingScan")
            .field("total_bytes", &self.total_bytes)
            .field("format", &self.format())
            .finish_non_exhaustive()
    }
}

const SIGNATURES: [(ImageFormat, &[u8]); 5] = [
    (ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF]),
    (ImageFormat::Png, b"\x89PNG\r\n\x1a\n"),
    (ImageFormat::Gif, b"GIF87a"),
    (ImageFormat::Gif, b"GIF89a"),
    // "RIFF", four bytes of size, "WEBP": the size bytes match anything.
    (ImageFormat::WebP, b"RIFF????WEBP"),
];

fn signature_matches(format: ImageFormat, signature: &[u8], prefix: &[u8]) -> bool {
    signature
        .iter()
        .zip(prefix)
        .enumerate()
        .all(|(index, (expected, byte))| {
            let riff_size = format == ImageFormat::WebP && (4..8).contains(&index);
            riff_size || expected == byte
        })
}

impl StreamingScan {
    pub fn new(limits: ImageLimits) -> Self {
        Self {
            limits,
            total_bytes: 0,
            stage: Stage::Sniffing(Vec::with_capacity(12)),
            findings: Findings {
                limits,
                dimensions: None,
                exif: None,
            },
        }
    }

    fn format(&self) -> Option<ImageFormat> {
        match self.stage {
            Stage::Jpeg(_) => Some(ImageFormat::Jpeg),
            Stage::Png(_) => Some(ImageFormat::Png),
            Stage::Gif(_) => Some(ImageFormat::Gif),
            Stage::WebP(_) => Some(ImageFormat::WebP),
            Stage::Sniffing(_) | Stage::Failed(_) => None,
        }
    }

    fn feed_inner(&mut self, chunk: &[u8]) -> Result<(), ImageRejection> {
        if let Stage::Failed(rejection) = &self.stage {
            return Err(rejection.clone());
        }
        self.total_bytes = self.total_bytes.saturating_add(chunk.len() as u64);
        if self.total_bytes > self.limits.max_bytes {
            return Err(ImageRejection::TooLarge {
                limit_bytes: self.limits.max_bytes,
            });
        }
        let findings = &mut self.findings;
        match &mut self.stage {
            Stage::Sniffing(prefix) => {
                prefix.extend_from_slice(chunk);
                let prefix = std::mem::take(prefix);
                self.sniff(prefix)
            }
            Stage::Jpeg(parser) => parser.feed(chunk, findings),
            Stage::Png(parser) => parser.feed(chunk, findings),
            Stage::Gif(parser) => parser.feed(chunk, findings),
            Stage::WebP(parser) => parser.feed(chunk, findings),
            Stage::Failed(rejection) => Err(rejection.clone()),
        }
    }

    /// Decides the format once enough bytes are in, and hands them over.
    fn sniff(&mut self, prefix: Vec<u8>) -> Result<(), ImageRejection> {
        let candidates: Vec<_> = SIGNATURES
            .iter()
            .filter(|(format, signature)| signature_matches(*format, signature, &prefix))
            .collect();
        let Some(&&(format, signature)) = candidates.first() else {
            return Err(ImageRejection::UnsupportedFormat);
        };
        if candidates.len() > 1 || prefix.len() < signature.len() {
            self.stage = Stage::Sniffing(prefix);
            return Ok(());
        }
        self.stage = match format {
            ImageFormat::Jpeg => Stage::Jpeg(jpeg::JpegParser::default()),
            ImageFormat::Png => Stage::Png(png::PngParser::default()),
            ImageFormat::Gif => Stage::Gif(gif::GifParser::default()),
            ImageFormat::WebP => Stage::WebP(webp::WebPParser::new(self.limits)),
        };
        self.feed_parser(&prefix)
    }

    fn feed_parser(&mut self, bytes: &[u8]) -> Result<(), ImageRejection> {
        let findings = &mut self.findings;
        match &mut self.stage {
            Stage::Jpeg(parser) => parser.feed(bytes, findings),
            Stage::Png(parser) => parser.feed(bytes, findings),
            Stage::Gif(parser) => parser.feed(bytes, findings),
            Stage::WebP(parser) => parser.feed(bytes, findings),
            Stage::Sniffing(_) | Stage::Failed(_) => Ok(()),
        }
    }

    fn finish_inner(self) -> Result<ImageFacts, ImageRejection> {
        if self.total_bytes == 0 {
            return Err(ImageRejection::Empty);
        }
        let format = match &self.stage {
            Stage::Failed(rejection) => return Err(rejection.clone()),
            // A file shorter than any signature but consistent with one.
            Stage::Sniffing(_) => return Err(ImageRejection::Truncated),
            Stage::Jpeg(parser) => parser.finish().map(|()| ImageFormat::Jpeg),
            Stage::Png(parser) => parser.finish().map(|()| ImageFormat::Png),
            Stage::Gif(parser) => parser.finish().map(|()| ImageFormat::Gif),
            Stage::WebP(parser) => parser.finish().map(|()| ImageFormat::WebP),
        }?;
        let (width, height) = self
            .findings
            .dimensions
            .ok_or_else(|| ImageRejection::corrupt("no image dimensions"))?;
        let mut facts = ImageFacts::new(format, width, height);
        if let Some(tiff) = self.findings.exif {
            let exif = metadata::read(tiff);
            facts.orientation = exif.orientation.unwrap_or(Orientation::Normal);
            facts.taken_at = exif.taken_at;
            facts.camera = camera_name(exif.make.as_deref(), exif.model.as_deref());
            facts.location = exif.location;
        }
        Ok(facts)
    }
}

impl ImageScan for StreamingScan {
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ImageRejection> {
        let outcome = self.feed_inner(chunk);
        if let Err(rejection) = &outcome {
            self.stage = Stage::Failed(rejection.clone());
        }
        outcome
    }

    fn finish(self: Box<Self>) -> Result<ImageFacts, ImageRejection> {
        self.finish_inner()
    }
}

#[cfg(test)]
mod tests;
