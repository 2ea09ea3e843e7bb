//! GPS removal from a TIFF structure (an EXIF block), in place and at the
//! same length, so that every offset elsewhere in the file stays valid.
//!
//! The GPSInfo pointer entry is removed from its IFD (later entries and the
//! next-IFD offset move up 12 bytes, the count drops by one, the freed 12
//! bytes are zeroed): replacing its tag with another would leave a made-up
//! field for readers to interpret, whereas free bytes after an IFD are
//! ordinary TIFF. The GPS IFD itself is emptied (count 0, entries and every
//! value, inline or out of line, zeroed) in case a reader finds it anyway.

use std::ops::Range;

use exif::{Context, Reader};

use super::jpeg;

const GPS_INFO: u16 = 0x8825;
const THUMBNAIL_OFFSET: u16 = 0x0201;
const THUMBNAIL_LENGTH: u16 = 0x0202;
/// IFD0 and IFD1 are all EXIF defines; a longer chain is followed a little
/// further in case a writer hid something there, never forever.
const MAX_IFDS: usize = 8;
const ENTRY: usize = 12;

struct Tiff<'a> {
    bytes: &'a [u8],
    big_endian: bool,
}

impl Tiff<'_> {
    fn u16_at(&self, at: usize) -> Option<u16> {
        let bytes = [*self.bytes.get(at)?, *self.bytes.get(at.checked_add(1)?)?];
        Some(if self.big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let bytes: [u8; 4] = self.bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    }

    fn offset_at(&self, at: usize) -> Option<usize> {
        usize::try_from(self.u32_at(at)?).ok()
    }
}

/// What to change, found before anything is changed.
#[derive(Default)]
struct Plan {
    /// `(ifd, entry index)` of GPSInfo pointers.
    removals: Vec<(usize, usize)>,
    zeroed: Vec<Range<usize>>,
    thumbnails: Vec<Range<usize>>,
    /// The structure is too broken to edit surgically.
    blank: bool,
}

fn value_size(kind: u16) -> usize {
    match kind {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => 0,
    }
}

fn clamp(range: Range<usize>, len: usize) -> Range<usize> {
    range.start.min(len)..range.end.min(len)
}

fn plan(tiff: &Tiff<'_>) -> Plan {
    let mut plan = Plan::default();
    let mut next = tiff.offset_at(4);
    let mut visited = Vec::new();
    while let Some(ifd) = next.filter(|&ifd| ifd != 0 && !visited.contains(&ifd)) {
        if visited.len() == MAX_IFDS {
            break;
        }
        visited.push(ifd);
        let Some(count) = tiff.u16_at(ifd).map(usize::from) else {
            break;
        };
        let mut thumbnail = (None, None);
        for index in 0..count {
            let entry = ifd + 2 + ENTRY * index;
            match tiff.u16_at(entry) {
                Some(GPS_INFO) => {
                    plan.removals.push((ifd, index));
                    if let Some(gps) = tiff.offset_at(entry + 8) {
                        empty_gps_ifd(tiff, gps, &mut plan);
                    }
                }
                Some(THUMBNAIL_OFFSET) => thumbnail.0 = tiff.offset_at(entry + 8),
                Some(THUMBNAIL_LENGTH) => thumbnail.1 = tiff.offset_at(entry + 8),
                _ => {}
            }
        }
        if let (Some(start), Some(length)) = thumbnail
            && let Some(end) = start.checked_add(length)
            && end <= tiff.bytes.len()
        {
            plan.thumbnails.push(start..end);
        }
        next = tiff.offset_at(ifd + 2 + ENTRY * count);
    }
    plan
}

fn empty_gps_ifd(tiff: &Tiff<'_>, gps: usize, plan: &mut Plan) {
    let len = tiff.bytes.len();
    let Some(count) = tiff.u16_at(gps).map(usize::from) else {
        return;
    };
    for index in 0..count {
        let entry = gps + 2 + ENTRY * index;
        let (Some(kind), Some(values)) = (tiff.u16_at(entry + 2), tiff.u32_at(entry + 4)) else {
            break;
        };
        let size = usize::try_from(values)
            .ok()
            .and_then(|values| values.checked_mul(value_size(kind)));
        match (size, tiff.offset_at(entry + 8)) {
            (Some(size), Some(offset)) if size > 4 => {
                plan.zeroed
                    .push(clamp(offset..offset.saturating_add(size), len));
            }
            _ => {}
        }
    }
    // The count, the entries (with their inline values) and the next-IFD offset.
    plan.zeroed
        .push(clamp(gps..gps + 2 + ENTRY * count + 4, len));
}

fn write_u16(bytes: &mut [u8], at: usize, value: u16, big_endian: bool) {
    let value = if big_endian {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    };
    if let Some(slot) = bytes.get_mut(at..at + 2) {
        slot.copy_from_slice(&value);
    }
}

/// Removes entry `index` of the IFD at `ifd`; `false` when the IFD does not
/// fit in the bytes.
fn remove_entry(bytes: &mut [u8], ifd: usize, index: usize, big_endian: bool) -> bool {
    let tiff = Tiff {
        bytes: &*bytes,
        big_endian,
    };
    let Some(count) = tiff.u16_at(ifd).map(usize::from) else {
        return false;
    };
    let end = ifd + 2 + ENTRY * count + 4;
    let entry = ifd + 2 + ENTRY * index;
    if index >= count || end > bytes.len() {
        return false;
    }
    bytes.copy_within(entry + ENTRY..end, entry);
    bytes[end - ENTRY..end].fill(0);
    write_u16(bytes, ifd, (count - 1) as u16, big_endian);
    true
}

/// Removes every trace of GPS from `tiff` in place; returns whether there
/// was any. Whatever cannot be removed surgically is removed with the whole
/// block: the bytes are zeroed, which readers see as no EXIF at all.
pub(crate) fn scrub(tiff: &mut [u8], depth: u8) -> bool {
    let big_endian = match tiff.get(..4) {
        Some(b"MM\0*") => true,
        Some(b"II*\0") => false,
        // Not TIFF, but it may still hide one (a thumbnail's EXIF).
        _ => return blank_if_located(tiff),
    };
    let mut plan = plan(&Tiff {
        bytes: &*tiff,
        big_endian,
    });
    let mut changed = !plan.removals.is_empty();
    // Later entries first, so that earlier indices stay right.
    plan.removals.sort_unstable();
    for &(ifd, index) in plan.removals.iter().rev() {
        plan.blank |= !remove_entry(tiff, ifd, index, big_endian);
    }
    for range in &plan.zeroed {
        if let Some(bytes) = tiff.get_mut(range.clone()) {
            bytes.fill(0);
        }
    }
    for range in plan.thumbnails {
        let thumbnail = &mut tiff[range];
        match jpeg::scrub(thumbnail, depth + 1) {
            Ok(scrubbed) => changed |= scrubbed,
            // An unreadable thumbnail might still hold location: it goes.
            Err(_) => {
                changed = true;
                thumbnail.fill(0);
            }
        }
    }
    if plan.blank || any_gps(tiff) {
        tiff.fill(0);
        changed = true;
    }
    changed
}

/// Zeroes `bytes` if any TIFF structure in them holds GPS; returns whether
/// it did. For blocks whose layout is unknown.
pub(crate) fn blank_if_located(bytes: &mut [u8]) -> bool {
    let located = any_gps(bytes);
    if located {
        bytes.fill(0);
    }
    located
}

/// Nested TIFF structures looked at before the block is judged suspect.
const MAX_NESTED: usize = 16;

/// Whether any TIFF structure in `tiff`, its own or one nested anywhere in
/// it (a thumbnail's EXIF, even one nothing points at any more), holds GPS.
fn any_gps(tiff: &[u8]) -> bool {
    let mut nested = (1..tiff.len().saturating_sub(3))
        .filter(|&at| matches!(&tiff[at..at + 4], b"II*\0" | b"MM\0*"));
    has_gps(tiff)
        || nested
            .by_ref()
            .take(MAX_NESTED)
            .any(|at| has_gps(&tiff[at..]))
        || nested.next().is_some()
}

/// Whether kamadak-exif (what reads the facts) finds any GPS field, in any IFD.
fn has_gps(tiff: &[u8]) -> bool {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let parsed = reader
        .read_raw(tiff.to_vec())
        .or_else(|error| error.distill_partial_result(|_ignored_errors| {}));
    parsed.is_ok_and(|exif| {
        exif.fields()
            .any(|field| field.tag.context() == Context::Gps)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::{self, SampleExif, SampleGps, tiff as sample_tiff};

    /// The tags of each IFD in the chain from IFD0.
    fn chain(bytes: &[u8]) -> Vec<Vec<u16>> {
        let big_endian = bytes.starts_with(b"MM");
        let tiff = Tiff { bytes, big_endian };
        let mut ifds = Vec::new();
        let mut next = tiff.offset_at(4).unwrap();
        while next != 0 {
            let count = usize::from(tiff.u16_at(next).unwrap());
            let tags = (0..count)
                .map(|index| tiff.u16_at(next + 2 + ENTRY * index).unwrap())
                .collect();
            ifds.push(tags);
            next = tiff.offset_at(next + 2 + ENTRY * count).unwrap();
        }
        ifds
    }

    #[test]
    fn gps_pointers_are_removed_and_the_chain_stays_valid() {
        let sample = SampleExif {
            make: Some("FUJIFILM".to_owned()),
            gps: Some(SampleGps {
                latitude: 48.8584,
                longitude: 2.2945,
                altitude_m: None,
            }),
            ..SampleExif::default()
        };
        let thumbnail = samples::jpeg(8, 8, sample.clone());
        let little = sample_tiff::with_thumbnail_ifd(&sample_tiff::exif(&sample), &thumbnail, 7);
        for original in [little.clone(), sample_tiff::big_endian(&little)] {
            let mut scrubbed = original.clone();
            assert!(scrub(&mut scrubbed, 0));
            let before = chain(&original);
            let after = chain(&scrubbed);
            assert_eq!(after.len(), 2, "IFD1 is still reachable");
            for (before, after) in before.iter().zip(&after) {
                let expected: Vec<u16> = before
                    .iter()
                    .copied()
                    .filter(|&tag| tag != GPS_INFO)
                    .collect();
                assert_eq!(after, &expected);
                assert_ne!(after, before);
            }
            assert!(!any_gps(&scrubbed));
            assert!(any_gps(&original));
            // Scrubbing is idempotent: nothing is left to find.
            assert!(!scrub(&mut scrubbed.clone(), 0));
        }
    }
}
