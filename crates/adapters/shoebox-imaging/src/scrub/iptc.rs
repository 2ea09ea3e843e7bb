//! IPTC IIM in a JPEG's APP13 Photoshop resources: the location datasets
//! (city, sublocation, province or state, country code and name, content
//! location) are overwritten with spaces, in place. Photoshop keeps an MD5
//! of the IPTC block (resource 0x0425); a mismatch only tells it another
//! program edited the block, which is true.

pub(crate) const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
const RESOURCE: &[u8] = b"8BIM";
const IPTC: u16 = 0x0404;
const TAG_MARKER: u8 = 0x1C;
/// Record 2 (application) datasets that say where a photo was taken.
const LOCATION_DATASETS: [u8; 7] = [26, 27, 90, 92, 95, 100, 101];

fn be_u16(bytes: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?)).ok()
}

/// Scrubs the resources after "Photoshop 3.0\0"; returns whether any
/// location was there.
pub(crate) fn scrub(resources: &mut [u8]) -> bool {
    let mut changed = false;
    let mut at = 0;
    while resources.get(at..at + 4) == Some(RESOURCE) {
        let Some(id) = be_u16(resources, at + 4) else {
            break;
        };
        // A Pascal-string name, padded to an even length with its length byte.
        let Some(&name) = resources.get(at + 6) else {
            break;
        };
        let size_at = at + 6 + (usize::from(name) + 1).next_multiple_of(2);
        let Some(size) = be_u32(resources, size_at) else {
            break;
        };
        let data = size_at + 4..(size_at + 4).saturating_add(size);
        let Some(block) = resources.get_mut(data.clone()) else {
            break;
        };
        if id == usize::from(IPTC) {
            changed |= scrub_iim(block);
        }
        at = data.end + (size & 1);
    }
    changed
}

/// Blanks the location datasets of an IIM block; one that cannot be walked
/// (extended lengths, garbage) is zeroed whole if it may hold location.
fn scrub_iim(block: &mut [u8]) -> bool {
    let mut location = Vec::new();
    let mut at = 0;
    let mut readable = true;
    while at < block.len() {
        let (Some(&TAG_MARKER), Some(&record), Some(&dataset), Some(length)) = (
            block.get(at),
            block.get(at + 1),
            block.get(at + 2),
            be_u16(block, at + 3),
        ) else {
            // Padding NULs end a block; anything else is unreadable.
            readable = block[at..].iter().all(|&byte| byte == 0);
            break;
        };
        let data = at + 5..at + 5 + length;
        if length & 0x8000 != 0 || data.end > block.len() {
            readable = false;
            break;
        }
        if record == 2 && LOCATION_DATASETS.contains(&dataset) {
            location.push(data.clone());
        }
        at = data.end;
    }
    if !readable {
        block.fill(0);
        return true;
    }
    for range in &location {
        block[range.clone()].fill(b' ');
    }
    !location.is_empty()
}
