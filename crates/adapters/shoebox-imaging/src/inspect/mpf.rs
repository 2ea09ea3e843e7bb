//! The CIPA Multi-Picture Format index (APP2 "MPF\0"): where the secondary
//! images that cameras and phones append after the primary JPEG's end of
//! image lie (large previews, Ultra HDR gain maps, depth maps). Those bytes
//! are declared parts of the photo, not polyglot payloads.

/// The MP Entry tag of the MP Index IFD: 16 bytes per image.
const MP_ENTRY: u16 = 0xB002;

/// `(offset, size)` of every secondary image, offsets counted from the MP
/// header's byte-order mark (`tiff`'s first byte); `None` when the index
/// cannot be read, in which case nothing after the primary image is allowed.
pub(crate) fn secondary_images(tiff: &[u8]) -> Option<Vec<(u64, u64)>> {
    let big_endian = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let bytes = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = u16_at(ifd)?;
    let entry = (0..usize::from(entries))
        .map(|index| ifd + 2 + 12 * index)
        .find(|&at| u16_at(at) == Some(MP_ENTRY))?;
    let count = usize::try_from(u32_at(entry + 4)?).ok()? / 16;
    let table = usize::try_from(u32_at(entry + 8)?).ok()?;
    let mut images = Vec::new();
    for index in 0..count {
        let at = table + 16 * index;
        let size = u32_at(at + 4)?;
        let offset = u32_at(at + 8)?;
        // The primary image is the entry with offset 0.
        if offset != 0 {
            images.push((u64::from(offset), u64::from(size)));
        }
    }
    Some(images)
}
