//! JPEG: start of image, then a walk over the marker segments (frame header
//! for the dimensions, APP1 for EXIF), then each entropy-coded scan skimmed
//! for its next marker, until the end of image.
//!
//! After the end-of-image marker only NUL bytes are allowed: some cameras and
//! card tools pad files to a block size with zeros, which carry nothing, while
//! anything else there (a ZIP, a script) is what makes a polyglot.

use shoebox_domain::imaging::ImageRejection;

use super::{
    Findings, MAX_EXIF_BYTES,
    gather::{Gather, advance, be_u16, keep_bounded},
};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP1: u8 = 0xE1;
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
}

#[derive(Debug, Default)]
pub(crate) struct JpegParser {
    state: State,
    gather: Gather,
    kept: Vec<u8>,
    frame_seen: bool,
    scan_seen: bool,
}

fn is_frame_header(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

impl JpegParser {
    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        while let Some((&byte, rest)) = input.split_first() {
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
                    self.marker(byte)?;
                }
                State::Length(marker) => {
                    let Some(bytes) = self.gather.take(&mut input, 2) else {
                        continue;
                    };
                    let length = be_u16(bytes, 0);
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
                        code => self.marker(code)?,
                    }
                }
                State::Trailer => {
                    if input.iter().any(|&byte| byte != 0) {
                        return Err(ImageRejection::TrailingData);
                    }
                    input = &[];
                }
            }
        }
        Ok(())
    }

    fn marker(&mut self, code: u8) -> Result<(), ImageRejection> {
        self.state = match code {
            0xFF => State::MarkerCode,
            EOI if !self.scan_seen => return Err(ImageRejection::corrupt("no image data")),
            EOI => State::Trailer,
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
        let keep = if is_frame_header(marker) {
            if usize::from(payload) < FRAME_HEADER {
                return Err(ImageRejection::corrupt("invalid JPEG frame header"));
            }
            FRAME_HEADER
        } else if marker == APP1 && !findings.has_exif() {
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

    pub(crate) fn finish(&self) -> Result<(), ImageRejection> {
        match self.state {
            State::Trailer => Ok(()),
            _ => Err(ImageRejection::Truncated),
        }
    }
}
