//! GIF: header and logical screen, optional global colour table, then blocks
//! (images, extensions) made of length-prefixed sub-blocks, up to the trailer
//! byte 0x3B with nothing after it. The classic GIF/JavaScript polyglot hides
//! its script after the trailer, so it is refused here.

use shoebox_domain::imaging::ImageRejection;

use super::{
    Findings,
    gather::{Gather, advance, le_u16},
};

/// "GIF89a" and the logical screen descriptor.
const HEADER: usize = 13;
const IMAGE_DESCRIPTOR: usize = 9;
const IMAGE: u8 = 0x2C;
const EXTENSION: u8 = 0x21;
const TRAILER: u8 = 0x3B;

#[derive(Debug, Clone, Copy, Default)]
enum State {
    #[default]
    Header,
    Skip {
        remaining: u64,
        then: After,
    },
    Block,
    ImageDescriptor,
    /// The LZW minimum code size that opens image data.
    CodeSize,
    ExtensionLabel,
    SubBlockSize,
    Trailer,
}

/// Where a skip leads.
#[derive(Debug, Clone, Copy)]
enum After {
    Block,
    CodeSize,
    SubBlockSize,
}

#[derive(Debug, Default)]
pub(crate) struct GifParser {
    state: State,
    gather: Gather,
    image_seen: bool,
}

/// Bytes of a colour table announced by a packed field, if any.
fn colour_table(packed: u8) -> u64 {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

impl GifParser {
    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        findings: &mut Findings,
    ) -> Result<(), ImageRejection> {
        while let Some((&byte, rest)) = input.split_first() {
            match self.state {
                State::Header => {
                    let Some(header) = self.gather.take(&mut input, HEADER) else {
                        continue;
                    };
                    let width = le_u16(header, 6);
                    let height = le_u16(header, 8);
                    let table = colour_table(header[10]);
                    findings.dimensions(u32::from(width), u32::from(height))?;
                    self.skip(table, After::Block);
                }
                State::Skip {
                    mut remaining,
                    then,
                } => {
                    advance(&mut input, &mut remaining);
                    if remaining == 0 {
                        self.state = Self::after(then);
                    } else {
                        self.state = State::Skip { remaining, then };
                    }
                }
                State::Block => {
                    input = rest;
                    self.state = match byte {
                        IMAGE => State::ImageDescriptor,
                        EXTENSION => State::ExtensionLabel,
                        TRAILER if self.image_seen => State::Trailer,
                        TRAILER => return Err(ImageRejection::corrupt("no image data")),
                        _ => return Err(ImageRejection::corrupt("invalid GIF block")),
                    };
                }
                State::ImageDescriptor => {
                    let Some(descriptor) = self.gather.take(&mut input, IMAGE_DESCRIPTOR) else {
                        continue;
                    };
                    let width = le_u16(descriptor, 4);
                    let height = le_u16(descriptor, 6);
                    let table = colour_table(descriptor[8]);
                    findings.check_pixels(u32::from(width), u32::from(height))?;
                    self.image_seen = true;
                    self.skip(table, After::CodeSize);
                }
                State::CodeSize => {
                    input = rest;
                    if !(1..=12).contains(&byte) {
                        return Err(ImageRejection::corrupt("invalid GIF image data"));
                    }
                    self.state = State::SubBlockSize;
                }
                State::ExtensionLabel => {
                    input = rest;
                    self.state = State::SubBlockSize;
                }
                State::SubBlockSize => {
                    input = rest;
                    if byte == 0 {
                        self.state = State::Block;
                    } else {
                        self.skip(u64::from(byte), After::SubBlockSize);
                    }
                }
                State::Trailer => return Err(ImageRejection::TrailingData),
            }
        }
        Ok(())
    }

    fn skip(&mut self, remaining: u64, then: After) {
        self.state = if remaining == 0 {
            Self::after(then)
        } else {
            State::Skip { remaining, then }
        };
    }

    fn after(then: After) -> State {
        match then {
            After::Block => State::Block,
            After::CodeSize => State::CodeSize,
            After::SubBlockSize => State::SubBlockSize,
        }
    }

    pub(crate) fn finish(&self) -> Result<(), ImageRejection> {
        match self.state {
            State::Trailer => Ok(()),
            _ => Err(ImageRejection::Truncated),
        }
    }
}
