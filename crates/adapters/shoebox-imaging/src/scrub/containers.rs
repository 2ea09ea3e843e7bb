//! The chunked formats: PNG (eXIf, XMP text chunks; CRCs recomputed), WebP
//! (EXIF and "XMP " chunks, in place) and GIF (the XMP application
//! extension, dropped when it holds location).

use shoebox_domain::imaging::ImageRejection;

use super::{tiff, xmp};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// What happens to one PNG chunk.
enum PngChunk {
    Keep,
    /// Keep with this data (same length), CRC recomputed.
    Rewrite(Vec<u8>),
    Drop,
}

/// Text chunks some tools (ImageMagick) fill with a hex dump of the whole
/// EXIF or XMP block: not worth decoding, and never needed to show a photo.
fn is_raw_profile(keyword: &[u8]) -> bool {
    let keyword = keyword.to_ascii_lowercase();
    keyword.starts_with(b"raw profile type")
        && [&b"exif"[..], b"app1", b"xmp"]
            .iter()
            .any(|kind| memchr::memmem::find(&keyword, kind).is_some())
}

fn png_chunk(kind: &[u8], data: &[u8]) -> PngChunk {
    let keyword_end = data.iter().position(|&byte| byte == 0);
    let keyword = keyword_end.map_or(&[][..], |end| &data[..end]);
    let is_text = matches!(kind, b"tEXt" | b"zTXt" | b"iTXt");
    if is_text && is_raw_profile(keyword) {
        return PngChunk::Drop;
    }
    let mut copy = data.to_vec();
    let changed = match (kind, keyword_end) {
        (b"eXIf", _) => tiff::scrub(&mut copy, 0),
        (b"tEXt", Some(end)) if keyword == XMP_KEYWORD => xmp::scrub(&mut copy[end + 1..]),
        // Compressed XMP is dropped rather than inflated and deflated again.
        (b"zTXt", Some(_)) if keyword == XMP_KEYWORD => return PngChunk::Drop,
        (b"iTXt", Some(end)) if keyword == XMP_KEYWORD => {
            // Compression flag and method, language tag, translated keyword.
            let compressed = data.get(end + 1) != Some(&0);
            let text = data
                .get(end + 3..)
                .and_then(|rest| {
                    let language = memchr::memchr(0, rest)?;
                    let translated = memchr::memchr(0, &rest[language + 1..])?;
                    Some(end + 3 + language + 1 + translated + 1)
                })
                .filter(|_| !compressed);
            match text {
                Some(text) => xmp::scrub(&mut copy[text..]),
                None => return PngChunk::Drop,
            }
        }
        _ => false,
    };
    if changed {
        PngChunk::Rewrite(copy)
    } else {
        PngChunk::Keep
    }
}

pub(crate) fn scrub_png(bytes: &[u8]) -> Result<Option<Vec<u8>>, ImageRejection> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(ImageRejection::UnsupportedFormat);
    }
    let mut out = PNG_SIGNATURE.to_vec();
    let mut changed = false;
    let mut at = PNG_SIGNATURE.len();
    loop {
        let length = be_u32(bytes, at)
            .and_then(|length| usize::try_from(length).ok())
            .ok_or(ImageRejection::Truncated)?;
        let end = (at + 12)
            .checked_add(length)
            .filter(|&end| end <= bytes.len())
            .ok_or(ImageRejection::Truncated)?;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..end - 4];
        match png_chunk(kind, data) {
            PngChunk::Keep => out.extend_from_slice(&bytes[at..end]),
            PngChunk::Rewrite(data) => {
                changed = true;
                let mut crc = crc32fast::Hasher::new();
                crc.update(kind);
                crc.update(&data);
                out.extend_from_slice(&bytes[at..at + 8]);
                out.extend_from_slice(&data);
                out.extend_from_slice(&crc.finalize().to_be_bytes());
            }
            PngChunk::Drop => changed = true,
        }
        at = end;
        if kind == b"IEND" {
            break;
        }
    }
    // Whatever follows IEND (the inspector refuses it) is copied as it is.
    out.extend_from_slice(&bytes[at..]);
    Ok(changed.then_some(out))
}

/// Scrubs a WebP in place: its chunks keep their sizes.
pub(crate) fn scrub_webp(bytes: &mut [u8]) -> Result<bool, ImageRejection> {
    if bytes.get(..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WEBP") {
        return Err(ImageRejection::UnsupportedFormat);
    }
    let riff_end = le_u32(bytes, 4)
        .and_then(|size| usize::try_from(size).ok())
        .and_then(|size| size.checked_add(8))
        .ok_or(ImageRejection::Truncated)?
        .min(bytes.len());
    let mut changed = false;
    let mut at = 12;
    while at + 8 <= riff_end {
        let size = le_u32(bytes, at + 4)
            .and_then(|size| usize::try_from(size).ok())
            .ok_or(ImageRejection::Truncated)?;
        let data = at + 8
            ..(at + 8)
                .checked_add(size)
                .filter(|&end| end <= riff_end)
                .ok_or(ImageRejection::Truncated)?;
        let kind: [u8; 4] = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        let chunk = &mut bytes[data.clone()];
        match &kind {
            b"EXIF" => {
                // Some writers keep JPEG's "Exif\0\0" prefix here too.
                let skip = if chunk.starts_with(b"Exif\0\0") { 6 } else { 0 };
                changed |= tiff::scrub(&mut chunk[skip..], 0);
            }
            b"XMP " => changed |= xmp::scrub(chunk),
            _ => {}
        }
        at = data.end + (size & 1);
    }
    Ok(changed)
}

const GIF_EXTENSION: u8 = 0x21;
const GIF_IMAGE: u8 = 0x2C;
const GIF_TRAILER: u8 = 0x3B;
const GIF_APPLICATION: u8 = 0xFF;
const XMP_APPLICATION: &[u8] = b"\x0bXMP DataXMP";
/// The XMP application data ends with this "magic trailer": a ramp that
/// brings a GIF reader skipping the XMP text as sub-blocks back in step.
const XMP_RAMP: &[u8] = &[0x01, 0xFF, 0xFE];

fn colour_table(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

/// The end of the sub-blocks starting at `at` (after their terminator).
fn sub_blocks_end(bytes: &[u8], mut at: usize) -> Result<usize, ImageRejection> {
    loop {
        let size = *bytes.get(at).ok_or(ImageRejection::Truncated)?;
        at += 1 + usize::from(size);
        if size == 0 {
            return Ok(at);
        }
    }
}

pub(crate) fn scrub_gif(bytes: &[u8]) -> Result<Option<Vec<u8>>, ImageRejection> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err(ImageRejection::UnsupportedFormat);
    }
    let packed = *bytes.get(10).ok_or(ImageRejection::Truncated)?;
    let mut at = 13 + colour_table(packed);
    let mut dropped = Vec::new();
    loop {
        match *bytes.get(at).ok_or(ImageRejection::Truncated)? {
            GIF_TRAILER => break,
            GIF_IMAGE => {
                let packed = *bytes.get(at + 9).ok_or(ImageRejection::Truncated)?;
                // Descriptor, local colour table, LZW code size, data.
                at = sub_blocks_end(bytes, at + 10 + colour_table(packed) + 1)?;
            }
            GIF_EXTENSION => {
                let start = at;
                let label = *bytes.get(at + 1).ok_or(ImageRejection::Truncated)?;
                at = sub_blocks_end(bytes, at + 2)?;
                let data = start + 2 + XMP_APPLICATION.len();
                if label == GIF_APPLICATION && bytes.get(start + 2..data) == Some(XMP_APPLICATION) {
                    // The XMP text runs up to the ramp (or the block's end).
                    let block = &bytes[data.min(at)..at];
                    let text_end = memchr::memmem::find(block, XMP_RAMP).unwrap_or(block.len());
                    if xmp::scrub(&mut block[..text_end].to_vec()) {
                        dropped.push(start..at);
                    }
                }
            }
            _ => return Err(ImageRejection::corrupt("invalid GIF block")),
        }
    }
    if dropped.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut kept_from = 0;
    for range in dropped {
        out.extend_from_slice(&bytes[kept_from..range.start]);
        kept_from = range.end;
    }
    out.extend_from_slice(&bytes[kept_from..]);
    Ok(Some(out))
}
