//! A JPEG with a secondary image declared by an MPF index, laid out as
//! phones write Ultra HDR photos (the gain map follows the primary image).

use super::{SampleExif, jpeg_seeded};

/// Bytes before the MP header in the primary image: SOI, APP2 marker and
/// length, "MPF\0".
const MP_HEADER_AT: usize = 10;

/// `primary` with an APP2 MPF index inserted after its SOI, declaring
/// `secondary` as the image appended after it.
pub(crate) fn with_secondary(primary: &[u8], secondary: &[u8]) -> Vec<u8> {
    let index = |secondary_offset: u32, primary_size: u32| -> Vec<u8> {
        let mut tiff = b"II*\0".to_vec();
        tiff.extend_from_slice(&8u32.to_le_bytes());
        // One IFD entry: MP Entry, UNDEFINED, two 16-byte entries at offset 26.
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0xB002u16.to_le_bytes());
        tiff.extend_from_slice(&7u16.to_le_bytes());
        tiff.extend_from_slice(&32u32.to_le_bytes());
        tiff.extend_from_slice(&26u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        for (attribute, size, offset) in [
            (0x2003_0000u32, primary_size, 0u32),
            (0x0000_0000, secondary.len() as u32, secondary_offset),
        ] {
            tiff.extend_from_slice(&attribute.to_le_bytes());
            tiff.extend_from_slice(&size.to_le_bytes());
            tiff.extend_from_slice(&offset.to_le_bytes());
            tiff.extend_from_slice(&0u32.to_le_bytes());
        }
        let mut segment = vec![0xFF, 0xE2];
        segment.extend_from_slice(&((tiff.len() + 6) as u16).to_be_bytes());
        segment.extend_from_slice(b"MPF\0");
        segment.extend_from_slice(&tiff);
        segment
    };
    // The index has a fixed size, so the primary's size is known up front.
    let primary_size = primary.len() + index(0, 0).len();
    let secondary_offset = (primary_size - MP_HEADER_AT) as u32;
    [
        &primary[..2],
        &index(secondary_offset, primary_size as u32)[..],
        &primary[2..],
        secondary,
    ]
    .concat()
}

/// A landscape JPEG followed by a quarter-size secondary image, as in an
/// Ultra HDR photo with its gain map.
pub fn jpeg_with_gain_map(width: u32, height: u32) -> Vec<u8> {
    let primary = jpeg_seeded(width, height, 5, &SampleExif::default());
    let gain_map = jpeg_seeded(
        (width / 4).max(1),
        (height / 4).max(1),
        6,
        &SampleExif::default(),
    );
    with_secondary(&primary, &gain_map)
}
