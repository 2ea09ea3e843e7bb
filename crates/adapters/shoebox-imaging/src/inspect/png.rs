//! PNG: the signature, then chunks (length, type, data, CRC-32 over type and
//! data) from IHDR to IEND, with nothing after IEND. Every CRC is checked, so a
//! damaged file is refused at upload rather than failing in the background.

use crc32fast::Hasher;
use shoebox_domain::imaging::ImageRejection;

use super::{
    Findings, MAX_EXIF_BYTES,
    gather::{Gather, advance, be_u32, keep_bounded},
};

const SIGNATURE: usize = 8;
/// The largest chunk length the PNG specification allows.
const MAX_CHUNK_LENGTH: u32 = 0x7FFF_FFFF;
const IHDR_LENGTH: u32 = 13;

#[derive(Debug, Clone, Copy, Default)]
enum State {
    #[default]
    Signature,
    ChunkHeader,
    Data {
        kind: [u8; 4],
        remaining: u64,
        keep: usize,
    },
    Crc([u8; 4]),
    Trailer,
}

#[derive(Debug, Default)]
pub(crate) struct PngParser {
    state: State,
    gather: Gather,
    crc: Hasher,
    kept: Vec<u8>,
    header_seen: bool,
    data_seen: bool,
}

impl PngParser {
    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        while !input.is_empty() {
            match self.state {
                State::Signature => {
                    if self.gather.take(&mut input, SIGNATURE).is_some() {
                        self.state = State::ChunkHeader;
                    }
                }
                State::ChunkHeader => {
                    let Some(header) = self.gather.take(&mut input, 8) else {
                        continue;
                    };
                    let length = be_u32(header, 0);
                    let kind = [header[4], header[5], header[6], header[7]];
                    self.chunk_header(length, kind, findings)?;
                }
                State::Data {
                    kind,
                    mut remaining,
                    keep,
                } => {
                    let bytes = advance(&mut input, &mut remaining);
                    self.crc.update(bytes);
                    keep_bounded(&mut self.kept, bytes, keep);
                    self.state = if remaining == 0 {
                        State::Crc(kind)
                    } else {
                        State::Data {
                            kind,
                            remaining,
                            keep,
                        }
                    };
                }
                State::Crc(kind) => {
                    let Some(stored) = self.gather.take(&mut input, 4) else {
                        continue;
                    };
                    let stored = be_u32(stored, 0);
                    let computed = std::mem::take(&mut self.crc).finalize();
                    if stored != computed {
                        return Err(ImageRejection::corrupt("invalid PNG chunk CRC"));
                    }
                    self.end_of_chunk(kind, findings)?;
                }
                State::Trailer => return Err(ImageRejection::TrailingData),
            }
        }
        Ok(())
    }

    fn chunk_header(
        &mut self,
        length: u32,
        kind: [u8; 4],
        findings: &Findings,
    ) -> Result<(), ImageRejection> {
        if length > MAX_CHUNK_LENGTH || !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(ImageRejection::corrupt("invalid PNG chunk"));
        }
        let is_header = &kind == b"IHDR";
        if is_header == self.header_seen {
            return Err(ImageRejection::corrupt(
                "IHDR must be the first and only PNG header",
            ));
        }
        if is_header && length != IHDR_LENGTH {
            return Err(ImageRejection::corrupt("invalid PNG header"));
        }
        let keep = match &kind {
            b"IHDR" => IHDR_LENGTH as usize,
            b"eXIf" if !findings.has_exif() && length as usize <= MAX_EXIF_BYTES => length as usize,
            _ => 0,
        };
        self.kept.clear();
        self.crc = Hasher::new();
        self.crc.update(&kind);
        self.state = if length == 0 {
            State::Crc(kind)
        } else {
            State::Data {
                kind,
                remaining: u64::from(length),
                keep,
            }
        };
        Ok(())
    }

    fn end_of_chunk(
        &mut self,
        kind: [u8; 4],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        self.state = State::ChunkHeader;
        match &kind {
            b"IHDR" => {
                let width = be_u32(&self.kept, 0);
                let height = be_u32(&self.kept, 4);
                if width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH {
                    return Err(ImageRejection::corrupt("invalid PNG header"));
                }
                findings.dimensions(width, height)?;
                self.header_seen = true;
            }
            b"IDAT" => self.data_seen = true,
            b"eXIf" if !self.kept.is_empty() => findings.exif(std::mem::take(&mut self.kept)),
            b"IEND" => {
                if !self.data_seen {
                    return Err(ImageRejection::corrupt("no image data"));
                }
                self.state = State::Trailer;
            }
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn finish(&self) -> Result<(), ImageRejection> {
        match self.state {
            State::Trailer => Ok(()),
            _ => Err(ImageRejection::Truncated),
        }
    }
}
