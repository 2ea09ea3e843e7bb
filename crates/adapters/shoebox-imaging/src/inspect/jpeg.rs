//! JPEG: start of image, then a walk over the marker segments (frame header
//! for the dimensions, APP1 for EXIF), then each entropy-coded scan skimmed
//! for its next marker, until the end of image.
//!
//! After the end-of-image marker only two things are allowed: NUL bytes (some
//! cameras and card tools pad files with zeros, which carry nothing), and the
//! secondary images an MPF index declares (previews, HDR gain maps), each of
//! which must itself be a complete JPEG filling exactly its declared size.
//! Anything else there (a ZIP, a script) is what makes a polyglot.

use shoebox_domain::imaging::{ImageLimits, ImageRejection};

use super::{
    Findings, MAX_EXIF_BYTES,
    gather::{Gather, advance, all_zero, be_u16, keep_bounded},
    mpf,
};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
/// Bytes of a frame header needed: precision, height, width, components.
const FRAME_HEADER: usize = 6;

#[derive(Debug, Clone, Copy, Default)]
enum State {
    #[default]
    Start,
    /// Expecting the 0xFF that opens a marker.
    Marker,
    /// After 0xFF: the marker code (or more 0xFF fill bytes).
    MarkerCode,
    /// The two length bytes of a segment.
    Length(u8),
    Payload {
        marker: u8,
        remaining: u64,
        keep: usize,
    },
    /// Entropy-coded data: only 0xFF matters.
    Scan,
    /// 0xFF inside entropy-coded data: stuffing, restart, or a marker.
    ScanFf,
    /// After the end of image.
    Trailer,
    /// Inside a secondary image declared by the MPF index.
    Secondary { remaining: u64 },
}

#[derive(Debug, Default)]
pub(crate) struct JpegParser {
    state: State,
    gather: Gather,
    kept: Vec<u8>,
    frame_seen: bool,
    scan_seen: bool,
    /// Bytes fed before the current chunk.
    consumed: u64,
    /// Where the current segment's payload starts in the file.
    payload_start: u64,
    /// A secondary image: one of these never has secondary images itself.
    nested: bool,
    /// From the MPF index: where its offsets count from, and the images.
    mpf: Option<(u64, Vec<(u64, u64)>)>,
    /// Secondary images still expected after the end of image, as
    /// `(start, size)` in the file, in order.
    secondary: Vec<(u64, u64)>,
    current: Option<Box<SecondaryImage>>,
}

/// A secondary image being checked, with findings of its own (its size is
/// held to the pixel limit; its EXIF is not the photo's).
#[derive(Debug)]
struct SecondaryImage {
    parser: JpegParser,
    findings: Findings,
}

fn is_frame_header(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

impl JpegParser {
    pub(crate) fn feed(
        &mut self,
        input: &[u8],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        let outcome = self.walk(input, findings);
        self.consumed += input.len() as u64;
        outcome
    }

    fn walk(&mut self, chunk: &[u8], findings: &mut Findings) -> Result<(), ImageRejection> {
        let mut input = chunk;
        while let Some((&byte, rest)) = input.split_first() {
            // The file offset of `byte`.
            let position = self.consumed + (chunk.len() - input.len()) as u64;
            match self.state {
                State::Start => {
                    let Some(soi) = self.gather.take(&mut input, 2) else {
                        continue;
                    };
                    if soi != [0xFF, SOI] {
                        return Err(ImageRejection::UnsupportedFormat);
                    }
                    self.state = State::Marker;
                }
                State::Marker => {
                    if byte != 0xFF {
                        return Err(ImageRejection::corrupt("invalid JPEG marker"));
                    }
                    input = rest;
                    self.state = State::MarkerCode;
                }
                State::MarkerCode => {
                    input = rest;
                    self.marker(byte, position + 1)?;
                }
                State::Length(marker) => {
                    let Some(bytes) = self.gather.take(&mut input, 2) else {
                        continue;
                    };
                    let length = be_u16(bytes, 0);
                    self.payload_start = self.consumed + (chunk.len() - input.len()) as u64;
                    self.segment(marker, length, findings)?;
                }
                State::Payload {
                    marker,
                    mut remaining,
                    keep,
                } => {
                    let bytes = advance(&mut input, &mut remaining);
                    keep_bounded(&mut self.kept, bytes, keep);
                    if remaining == 0 {
                        self.end_of_segment(marker, findings)?;
                    } else {
                        self.state = State::Payload {
                            marker,
                            remaining,
                            keep,
                        };
                    }
                }
                State::Scan => match memchr::memchr(0xFF, input) {
                    Some(at) => {
                        input = &input[at + 1..];
                        self.state = State::ScanFf;
                    }
                    None => input = &[],
                },
                State::ScanFf => {
                    input = rest;
                    match byte {
                        // Stuffed zero and restart markers belong to the scan.
                        0x00 | 0xD0..=0xD7 => self.state = State::Scan,
                        0xFF => {}
                        code => self.marker(code, position + 1)?,
                    }
                }
                State::Trailer => self.trailer(&mut input, position, findings.limits)?,
                State::Secondary { mut remaining } => {
                    let bytes = advance(&mut input, &mut remaining);
                    self.state = State::Secondary { remaining };
                    let image = self.current.as_mut().ok_or(ImageRejection::TrailingData)?;
                    image
                        .parser
                        .feed(bytes, &mut image.findings)
                        .map_err(|rejection| match rejection {
                            // Declared as an image, but not one: a payload.
                            ImageRejection::UnsupportedFormat => ImageRejection::TrailingData,
                            other => other,
                        })?;
                    if remaining == 0 {
                        image.parser.finish()?;
                        self.current = None;
                        self.state = State::Trailer;
                    }
                }
            }
        }
        Ok(())
    }

    /// Bytes after the end of image: zeros, up to the next declared
    /// secondary image, which then starts.
    fn trailer(
        &mut self,
        input: &mut &[u8],
        position: u64,
        limits: ImageLimits,
    ) -> Result<(), ImageRejection> {
        let Some(&(start, size)) = self.secondary.first() else {
            if !all_zero(input) {
                return Err(ImageRejection::TrailingData);
            }
            *input = &[];
            return Ok(());
        };
        if position == start {
            self.secondary.remove(0);
            self.current = Some(Box::new(SecondaryImage {
                parser: JpegParser {
                    nested: true,
                    ..JpegParser::default()
                },
                findings: Findings {
                    limits,
                    dimensions: None,
                    exif: None,
                },
            }));
            self.state = State::Secondary { remaining: size };
            return Ok(());
        }
        let mut gap = start - position;
        let padding = advance(input, &mut gap);
        if !all_zero(padding) {
            return Err(ImageRejection::TrailingData);
        }
        Ok(())
    }

    fn marker(&mut self, code: u8, next: u64) -> Result<(), ImageRejection> {
        self.state = match code {
            0xFF => State::MarkerCode,
            EOI if !self.scan_seen => return Err(ImageRejection::corrupt("no image data")),
            EOI => {
                self.secondary = self.declared_secondary_images(next);
                State::Trailer
            }
            SOI | 0x00 => return Err(ImageRejection::corrupt("invalid JPEG marker")),
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => State::Marker,
            _ => State::Length(code),
        };
        Ok(())
    }

    fn segment(
        &mut self,
        marker: u8,
        length: u16,
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        let payload = length
            .checked_sub(2)
            .ok_or_else(|| ImageRejection::corrupt("invalid JPEG segment length"))?;
        let is_mpf_index = marker == APP2 && !self.nested && self.mpf.is_none();
        let keep = if is_frame_header(marker) {
            if usize::from(payload) < FRAME_HEADER {
                return Err(ImageRejection::corrupt("invalid JPEG frame header"));
            }
            FRAME_HEADER
        } else if (marker == APP1 && !findings.has_exif()) || is_mpf_index {
            MAX_EXIF_BYTES
        } else {
            0
        };
        self.kept.clear();
        if payload == 0 {
            return self.end_of_segment(marker, findings);
        }
        self.state = State::Payload {
            marker,
            remaining: u64::from(payload),
            keep,
        };
        Ok(())
    }

    fn end_of_segment(
        &mut self,
        marker: u8,
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        self.state = State::Marker;
        match marker {
            _ if is_frame_header(marker) => self.frame_header(marker, findings)?,
            APP1 => {
                if let Some(tiff) = self.kept.strip_prefix(b"Exif\0\0") {
                    findings.exif(tiff.to_vec());
                }
            }
            APP2 if !self.nested && self.mpf.is_none() => {
                if let Some(tiff) = self.kept.strip_prefix(b"MPF\0") {
                    let images = mpf::secondary_images(tiff).unwrap_or_default();
                    self.mpf = Some((self.payload_start + 4, images));
                }
            }
            SOS => {
                if !self.frame_seen {
                    return Err(ImageRejection::corrupt("scan before the frame header"));
                }
                self.scan_seen = true;
                self.state = State::Scan;
            }
            _ => {}
        }
        Ok(())
    }

    fn frame_header(&mut self, marker: u8, findings: &mut Findings) -> Result<(), ImageRejection> {
        if self.frame_seen {
            return Err(ImageRejection::corrupt("more than one JPEG frame header"));
        }
        if !matches!(marker, 0xC0..=0xC3) {
            return Err(ImageRejection::corrupt(
                "arithmetic-coded or hierarchical JPEG is not supported",
            ));
        }
        let height = be_u16(&self.kept, 1);
        let width = be_u16(&self.kept, 3);
        if !matches!(self.kept[5], 1 | 3 | 4) {
            return Err(ImageRejection::corrupt(
                "unsupported number of JPEG colour components",
            ));
        }
        if height == 0 {
            return Err(ImageRejection::corrupt(
                "JPEG height defined after the scan is not supported",
            ));
        }
        findings.dimensions(u32::from(width), u32::from(height))?;
        self.frame_seen = true;
        Ok(())
    }

    /// The secondary images in file positions, if they follow the primary
    /// image (ending at `end`) in order without overlapping; otherwise none,
    /// and whatever follows is trailing data.
    fn declared_secondary_images(&self, end: u64) -> Vec<(u64, u64)> {
        let Some((base, images)) = &self.mpf else {
            return Vec::new();
        };
        let mut placed: Vec<(u64, u64)> = images
            .iter()
            .map(|&(offset, size)| (base + offset, size))
            .collect();
        placed.sort_unstable();
        let mut cursor = end;
        for &(start, size) in &placed {
            if start < cursor || size == 0 {
                return Vec::new();
            }
            cursor = start + size;
        }
        placed
    }

    pub(crate) fn finish(&self) -> Result<(), ImageRejection> {
        match self.state {
            State::Trailer if self.secondary.is_empty() => Ok(()),
            _ => Err(ImageRejection::Truncated),
        }
    }
}
