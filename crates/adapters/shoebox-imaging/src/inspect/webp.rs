//! WebP: a RIFF container whose declared size must match the file exactly,
//! holding chunks (VP8 lossy, VP8L lossless, or VP8X extended with ANMF
//! frames and an EXIF chunk). The declared size also lets an oversized file
//! be refused from its first 12 bytes.

use shoebox_domain::imaging::{ImageLimits, ImageRejection};

use super::{
    Findings, MAX_EXIF_BYTES,
    gather::{Gather, advance, keep_bounded, le_u16, le_u24, le_u32},
};

/// "RIFF", size, "WEBP".
const HEADER: usize = 12;
const CHUNK_HEADER: u64 = 8;
/// The most any chunk header we read needs (ANMF).
const KEEP_HEADER: usize = 16;

#[derive(Debug, Clone, Copy, Default)]
enum State {
    #[default]
    Header,
    ChunkHeader,
    Data {
        kind: [u8; 4],
        remaining: u64,
        keep: usize,
    },
    Trailer,
}

#[derive(Debug)]
pub(crate) struct WebPParser {
    limits: ImageLimits,
    state: State,
    gather: Gather,
    kept: Vec<u8>,
    /// Bytes of the RIFF payload still to come.
    riff_remaining: u64,
    first_chunk: bool,
    canvas_seen: bool,
    data_seen: bool,
}

impl WebPParser {
    pub(crate) fn new(limits: ImageLimits) -> Self {
        Self {
            limits,
            state: State::Header,
            gather: Gather::default(),
            kept: Vec::new(),
            riff_remaining: 0,
            first_chunk: true,
            canvas_seen: false,
            data_seen: false,
        }
    }

    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        while !input.is_empty() {
            match self.state {
                State::Header => {
                    let Some(header) = self.gather.take(&mut input, HEADER) else {
                        continue;
                    };
                    let riff_size = u64::from(le_u32(header, 4));
                    if riff_size + 8 > self.limits.max_bytes {
                        return Err(ImageRejection::TooLarge {
                            limit_bytes: self.limits.max_bytes,
                        });
                    }
                    // The size counts "WEBP" and the chunks.
                    self.riff_remaining = riff_size
                        .checked_sub(4)
                        .ok_or_else(|| ImageRejection::corrupt("invalid WebP container"))?;
                    self.next_chunk()?;
                }
                State::ChunkHeader => {
                    let Some(header) = self.gather.take(&mut input, CHUNK_HEADER as usize) else {
                        continue;
                    };
                    let kind = [header[0], header[1], header[2], header[3]];
                    let size = u64::from(le_u32(header, 4));
                    self.chunk_header(kind, size, findings)?;
                }
                State::Data {
                    kind,
                    mut remaining,
                    keep,
                } => {
                    let bytes = advance(&mut input, &mut remaining);
                    keep_bounded(&mut self.kept, bytes, keep);
                    if remaining == 0 {
                        self.end_of_chunk(kind, findings)?;
                        self.next_chunk()?;
                    } else {
                        self.state = State::Data {
                            kind,
                            remaining,
                            keep,
                        };
                    }
                }
                State::Trailer => return Err(ImageRejection::TrailingData),
            }
        }
        Ok(())
    }

    /// Expects another chunk, or the end when the RIFF payload is used up.
    fn next_chunk(&mut self) -> Result<(), ImageRejection> {
        self.state = match self.riff_remaining {
            0 if self.data_seen => State::Trailer,
            0 => return Err(ImageRejection::corrupt("no image data")),
            remaining if remaining < CHUNK_HEADER => {
                return Err(ImageRejection::corrupt("invalid WebP container"));
            }
            _ => State::ChunkHeader,
        };
        Ok(())
    }

    fn chunk_header(
        &mut self,
        kind: [u8; 4],
        size: u64,
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        // Chunks are padded to an even size.
        let stored = size + (size & 1);
        self.riff_remaining = self
            .riff_remaining
            .checked_sub(CHUNK_HEADER + stored)
            .ok_or_else(|| ImageRejection::corrupt("invalid WebP chunk size"))?;
        if self.first_chunk && !matches!(&kind, b"VP8 " | b"VP8L" | b"VP8X") {
            return Err(ImageRejection::corrupt("invalid WebP chunk"));
        }
        self.first_chunk = false;
        let keep = match &kind {
            b"EXIF" if !findings.has_exif() && size <= MAX_EXIF_BYTES as u64 => size as usize,
            b"EXIF" => 0,
            _ => KEEP_HEADER,
        };
        self.kept.clear();
        if stored == 0 {
            self.end_of_chunk(kind, findings)?;
            return self.next_chunk();
        }
        self.state = State::Data {
            kind,
            remaining: stored,
            keep,
        };
        Ok(())
    }

    fn end_of_chunk(
        &mut self,
        kind: [u8; 4],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        let kept = &self.kept;
        let too_short = || ImageRejection::corrupt("invalid WebP chunk");
        match &kind {
            b"VP8X" => {
                if kept.len() < 10 {
                    return Err(too_short());
                }
                findings.dimensions(1 + le_u24(kept, 4), 1 + le_u24(kept, 7))?;
                self.canvas_seen = true;
            }
            b"VP8 " => {
                // A key frame: frame tag, start code, then 14-bit sizes.
                if kept.len() < 10 || kept[0] & 1 != 0 || kept[3..6] != [0x9D, 0x01, 0x2A] {
                    return Err(ImageRejection::corrupt("invalid VP8 frame"));
                }
                let width = u32::from(le_u16(kept, 6) & 0x3FFF);
                let height = u32::from(le_u16(kept, 8) & 0x3FFF);
                self.frame(width, height, findings)?;
            }
            b"VP8L" => {
                if kept.len() < 5 || kept[0] != 0x2F {
                    return Err(ImageRejection::corrupt("invalid VP8L frame"));
                }
                let bits = le_u32(kept, 1);
                self.frame(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF), findings)?;
            }
            b"ANMF" => {
                if kept.len() < 16 {
                    return Err(too_short());
                }
                findings.check_pixels(1 + le_u24(kept, 6), 1 + le_u24(kept, 9))?;
                self.data_seen = true;
            }
            b"EXIF" if !kept.is_empty() => {
                // Some writers keep JPEG's "Exif\0\0" prefix here too.
                let tiff = kept.strip_prefix(b"Exif\0\0").unwrap_or(kept);
                findings.exif(tiff.to_vec());
            }
            _ => {}
        }
        Ok(())
    }

    fn frame(
        &mut self,
        width: u32,
        height: u32,
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        if self.canvas_seen {
            findings.check_pixels(width, height)?;
        } else {
            findings.dimensions(width, height)?;
        }
        self.data_seen = true;
        Ok(())
    }

    pub(crate) fn finish(&self) -> Result<(), ImageRejection> {
        match self.state {
            State::Trailer => Ok(()),
            _ => Err(ImageRejection::Truncated),
        }
    }
}
