//! JPEG: every marker segment up to the end of image (scans skimmed for
//! their next marker), scrubbing APP1 EXIF and XMP (and Extended XMP, which
//! is scrubbed whole once its chunks are put back together) and APP13 IPTC,
//! then the secondary images an MPF index declares, each a JPEG with its
//! own EXIF.
//! Everything happens in place: the file keeps its length and layout.

use std::ops::Range;

use shoebox_domain::imaging::ImageRejection;

use super::{iptc, tiff, xmp};
use crate::inspect::mpf;

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP13: u8 = 0xED;
const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const EXTENDED_XMP: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
/// GUID (32 hex digits), full length and offset, after the namespace.
const EXTENDED_HEADER: usize = 40;
/// A thumbnail inside EXIF inside a JPEG inside ...: real files stop at two.
const MAX_DEPTH: u8 = 3;

/// One chunk of an Extended XMP packet: which packet, its full length, where
/// the chunk goes in it and where it lies in the file.
struct ExtendedChunk {
    guid: [u8; 32],
    full_length: usize,
    offset: usize,
    data: Range<usize>,
}

fn corrupt(reason: &str) -> ImageRejection {
    ImageRejection::corrupt(reason)
}

/// Scrubs the JPEG in `bytes` in place (`depth` 0 for a whole file);
/// returns whether it held any location.
pub(crate) fn scrub(bytes: &mut [u8], depth: u8) -> Result<bool, ImageRejection> {
    if depth > MAX_DEPTH {
        return Err(corrupt("JPEG nested too deeply"));
    }
    if bytes.get(..2) != Some(&[0xFF, SOI]) {
        return Err(ImageRejection::UnsupportedFormat);
    }
    let mut changed = false;
    let mut extended = Vec::new();
    let mut mpf_index: Option<(usize, Vec<(u64, u64)>)> = None;
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return Err(if at >= bytes.len() {
                ImageRejection::Truncated
            } else {
                corrupt("invalid JPEG marker")
            });
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let code = *bytes.get(at).ok_or(ImageRejection::Truncated)?;
        at += 1;
        match code {
            EOI => break,
            SOI | 0x00 => return Err(corrupt("invalid JPEG marker")),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = bytes
            .get(at..at + 2)
            .map(|pair| usize::from(u16::from_be_bytes([pair[0], pair[1]])))
            .ok_or(ImageRejection::Truncated)?;
        let payload = at + 2..at + length;
        if length < 2 || payload.end > bytes.len() {
            return Err(ImageRejection::Truncated);
        }
        at = payload.end;
        let segment = &mut bytes[payload.clone()];
        match code {
            APP1 if segment.starts_with(EXIF) => {
                changed |= tiff::scrub(&mut segment[EXIF.len()..], depth);
            }
            APP1 if segment.starts_with(XMP) => changed |= xmp::scrub(&mut segment[XMP.len()..]),
            APP1 if segment.starts_with(EXTENDED_XMP) => {
                extended.extend(extended_chunk(segment, payload.start));
            }
            APP2 if depth == 0 && mpf_index.is_none() && segment.starts_with(b"MPF\0") => {
                let images = mpf::secondary_images(&segment[4..]).unwrap_or_default();
                mpf_index = Some((payload.start + 4, images));
            }
            APP13 if segment.starts_with(iptc::PHOTOSHOP) => {
                changed |= iptc::scrub(&mut segment[iptc::PHOTOSHOP.len()..]);
            }
            // Any other application segment: a TIFF hidden in it (a copy
            // of the EXIF under another name) goes if it holds GPS, and an
            // XMP packet under another header is scrubbed like XMP.
            0xE0..=0xEF => {
                changed |= tiff::blank_if_located(segment);
                if memchr::memmem::find(segment, b"<x:xmpmeta").is_some() {
                    changed |= xmp::scrub(segment);
                }
            }
            SOS => at = end_of_scan(bytes, at)?,
            _ => {}
        }
    }
    changed |= scrub_extended_xmp(bytes, &extended);
    if let Some((base, images)) = mpf_index {
        for (offset, size) in images {
            let range = usize::try_from(offset)
                .ok()
                .zip(usize::try_from(size).ok())
                .and_then(|(offset, size)| {
                    let start = base.checked_add(offset)?;
                    Some(start..start.checked_add(size)?)
                })
                .filter(|range| range.start >= at && range.end <= bytes.len());
            // An image the index places outside the file holds nothing.
            if let Some(range) = range {
                changed |= scrub(&mut bytes[range], depth + 1)?;
            }
        }
    }
    Ok(changed)
}

/// Where the marker after the entropy-coded data starting at `at` is.
fn end_of_scan(bytes: &[u8], mut at: usize) -> Result<usize, ImageRejection> {
    loop {
        let found = memchr::memchr(0xFF, bytes.get(at..).unwrap_or_default())
            .ok_or(ImageRejection::Truncated)?;
        let marker = at + found;
        match bytes.get(marker + 1) {
            None => return Err(ImageRejection::Truncated),
            // Stuffed zero, restart markers and fill belong to the scan.
            Some(0x00 | 0xD0..=0xD7 | 0xFF) => at = marker + 1,
            Some(_) => return Ok(marker),
        }
    }
}

fn extended_chunk(segment: &[u8], start: usize) -> Option<ExtendedChunk> {
    let header = segment.get(EXTENDED_XMP.len()..EXTENDED_XMP.len() + EXTENDED_HEADER)?;
    let number = |at: usize| -> Option<usize> {
        let bytes: [u8; 4] = header.get(at..at + 4)?.try_into().ok()?;
        usize::try_from(u32::from_be_bytes(bytes)).ok()
    };
    let data_start = EXTENDED_XMP.len() + EXTENDED_HEADER;
    Some(ExtendedChunk {
        guid: header.get(..32)?.try_into().ok()?,
        full_length: number(32)?,
        offset: number(36)?,
        data: start + data_start..start + segment.len(),
    })
}

/// Puts each Extended XMP packet back together, scrubs it as one, and
/// writes the chunks back. A packet whose chunks do not fit together cannot
/// be read safely, so its chunks are blanked.
fn scrub_extended_xmp(bytes: &mut [u8], chunks: &[ExtendedChunk]) -> bool {
    let mut changed = false;
    let mut done: Vec<[u8; 32]> = Vec::new();
    for first in chunks {
        if done.contains(&first.guid) {
            continue;
        }
        done.push(first.guid);
        let parts: Vec<&ExtendedChunk> = chunks
            .iter()
            .filter(|chunk| chunk.guid == first.guid)
            .collect();
        let stored: usize = parts.iter().map(|chunk| chunk.data.len()).sum();
        let fits = first.full_length <= stored
            && parts.iter().all(|chunk| {
                chunk.full_length == first.full_length
                    && chunk
                        .offset
                        .checked_add(chunk.data.len())
                        .is_some_and(|end| end <= chunk.full_length)
            });
        if !fits {
            for chunk in &parts {
                bytes[chunk.data.clone()].fill(b' ');
            }
            changed = true;
            continue;
        }
        let mut packet = vec![b' '; first.full_length];
        for chunk in &parts {
            packet[chunk.offset..chunk.offset + chunk.data.len()]
                .copy_from_slice(&bytes[chunk.data.clone()]);
        }
        if xmp::scrub(&mut packet) {
            changed = true;
            for chunk in &parts {
                bytes[chunk.data.clone()]
                    .copy_from_slice(&packet[chunk.offset..chunk.offset + chunk.data.len()]);
            }
        }
    }
    changed
}
