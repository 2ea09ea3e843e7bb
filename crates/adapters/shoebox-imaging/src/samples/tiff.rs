//! A hand-built EXIF (TIFF) structure: IFD0 with Make, Model, Orientation,
//! DateTime and pointers to the EXIF IFD (DateTimeOriginal) and the GPS IFD.
//! Little-endian, entries sorted by tag, values over four bytes stored after
//! each IFD at even offsets, as the TIFF 6.0 specification asks.

use super::SampleExif;

const BYTE: u16 = 1;
const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

const TIFF_HEADER: u32 = 8;

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: ASCII,
        count: data.len() as u32,
        data,
    }
}

fn short(tag: u16, value: u16) -> Entry {
    Entry {
        tag,
        kind: SHORT,
        count: 1,
        data: value.to_le_bytes().to_vec(),
    }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry {
        tag,
        kind: LONG,
        count: 1,
        data: value.to_le_bytes().to_vec(),
    }
}

fn bytes(tag: u16, values: &[u8]) -> Entry {
    Entry {
        tag,
        kind: BYTE,
        count: values.len() as u32,
        data: values.to_vec(),
    }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values
        .iter()
        .flat_map(|(numerator, denominator)| {
            [numerator.to_le_bytes(), denominator.to_le_bytes()].concat()
        })
        .collect();
    Entry {
        tag,
        kind: RATIONAL,
        count: values.len() as u32,
        data,
    }
}

/// Bytes an IFD takes with its out-of-line values.
fn ifd_size(entries: &[Entry]) -> u32 {
    let out_of_line: usize = entries
        .iter()
        .filter(|entry| entry.data.len() > 4)
        .map(|entry| entry.data.len().next_multiple_of(2))
        .sum();
    (2 + 12 * entries.len() + 4 + out_of_line) as u32
}

fn write_ifd(out: &mut Vec<u8>, mut entries: Vec<Entry>) {
    entries.sort_by_key(|entry| entry.tag);
    let start = out.len() as u32;
    let mut data_offset = start + 2 + 12 * entries.len() as u32 + 4;
    let mut data_area = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for entry in &entries {
        out.extend_from_slice(&entry.tag.to_le_bytes());
        out.extend_from_slice(&entry.kind.to_le_bytes());
        out.extend_from_slice(&entry.count.to_le_bytes());
        if entry.data.len() <= 4 {
            let mut inline = [0; 4];
            inline[..entry.data.len()].copy_from_slice(&entry.data);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&data_offset.to_le_bytes());
            data_area.extend_from_slice(&entry.data);
            if entry.data.len() % 2 == 1 {
                data_area.push(0);
            }
            data_offset += entry.data.len().next_multiple_of(2) as u32;
        }
    }
    // No next IFD: Shoebox writes no thumbnail IFD.
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&data_area);
}

/// Degrees as degrees, minutes and seconds (to 1/10000 s).
fn degrees_minutes_seconds(value: f64) -> [(u32, u32); 3] {
    let value = value.abs();
    let degrees = value.trunc();
    let minutes = ((value - degrees) * 60.0).trunc();
    let seconds = ((value - degrees) * 60.0 - minutes) * 60.0;
    [
        (degrees as u32, 1),
        (minutes as u32, 1),
        ((seconds * 10_000.0).round() as u32, 10_000),
    ]
}

/// The TIFF structure of `sample`, ready for an APP1 "Exif\0\0" segment, a
/// PNG eXIf chunk or a WebP EXIF chunk.
pub fn exif(sample: &SampleExif) -> Vec<u8> {
    let mut ifd0 = Vec::new();
    let mut exif_ifd = Vec::new();
    let mut gps_ifd = Vec::new();
    if let Some(make) = &sample.make {
        ifd0.push(ascii(0x010F, make));
    }
    if let Some(model) = &sample.model {
        ifd0.push(ascii(0x0110, model));
    }
    if let Some(orientation) = sample.orientation {
        ifd0.push(short(0x0112, orientation.to_exif()));
    }
    if let Some(taken_at) = sample.taken_at {
        let text = taken_at.format("%Y:%m:%d %H:%M:%S").to_string();
        ifd0.push(ascii(0x0132, &text));
        exif_ifd.push(ascii(0x9003, &text));
    }
    if let Some(gps) = &sample.gps {
        gps_ifd.push(bytes(0x0000, &[2, 3, 0, 0]));
        let north = if gps.latitude < 0.0 { "S" } else { "N" };
        gps_ifd.push(ascii(0x0001, north));
        gps_ifd.push(rationals(0x0002, &degrees_minutes_seconds(gps.latitude)));
        let east = if gps.longitude < 0.0 { "W" } else { "E" };
        gps_ifd.push(ascii(0x0003, east));
        gps_ifd.push(rationals(0x0004, &degrees_minutes_seconds(gps.longitude)));
        if let Some(altitude) = gps.altitude_m {
            gps_ifd.push(bytes(0x0005, &[u8::from(altitude < 0.0)]));
            let centimetres = (altitude.abs() * 100.0).round() as u32;
            gps_ifd.push(rationals(0x0006, &[(centimetres, 100)]));
        }
    }
    // The pointers' values depend on the sizes of what precedes them.
    let pointers = usize::from(!exif_ifd.is_empty()) + usize::from(!gps_ifd.is_empty());
    let ifd0_size = ifd_size(&ifd0) + 12 * pointers as u32;
    let exif_offset = TIFF_HEADER + ifd0_size;
    let gps_offset = exif_offset
        + if exif_ifd.is_empty() {
            0
        } else {
            ifd_size(&exif_ifd)
        };
    if !exif_ifd.is_empty() {
        ifd0.push(long(0x8769, exif_offset));
    }
    if !gps_ifd.is_empty() {
        ifd0.push(long(0x8825, gps_offset));
    }

    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&TIFF_HEADER.to_le_bytes());
    write_ifd(&mut out, ifd0);
    if !exif_ifd.is_empty() {
        write_ifd(&mut out, exif_ifd);
    }
    if !gps_ifd.is_empty() {
        write_ifd(&mut out, gps_ifd);
    }
    out
}

/// How a field type's values are byte-swapped: `(unit size, units per
/// value)`; a RATIONAL is two LONGs, each swapped on its own.
fn swap_units(kind: u16) -> (usize, usize) {
    match kind {
        3 | 8 => (2, 1),
        4 | 9 | 11 | 13 => (4, 1),
        5 | 10 => (4, 2),
        12 => (8, 1),
        _ => (1, 1),
    }
}

/// `tiff` (little-endian, as [`exif`] and [`with_thumbnail_ifd`] write it)
/// in big-endian ("MM") byte order: every IFD, pointer and value swapped.
pub fn big_endian(tiff: &[u8]) -> Vec<u8> {
    let mut out = tiff.to_vec();
    out[..4].copy_from_slice(b"MM\0*");
    let u16_at = |at: usize| u16::from_le_bytes([tiff[at], tiff[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes(tiff[at..at + 4].try_into().unwrap_or_default());
    let swap = |out: &mut Vec<u8>, at: usize, size: usize| out[at..at + size].reverse();
    swap(&mut out, 4, 4);
    let mut pending = vec![u32_at(4) as usize];
    while let Some(ifd) = pending.pop() {
        let count = usize::from(u16_at(ifd));
        swap(&mut out, ifd, 2);
        for index in 0..count {
            let entry = ifd + 2 + 12 * index;
            let (tag, kind, values) = (u16_at(entry), u16_at(entry + 2), u32_at(entry + 4));
            for (at, size) in [(entry, 2), (entry + 2, 2), (entry + 4, 4)] {
                swap(&mut out, at, size);
            }
            let (element, per_value) = swap_units(kind);
            let elements = values as usize * per_value;
            let value_at = if element * elements <= 4 {
                entry + 8
            } else {
                swap(&mut out, entry + 8, 4);
                u32_at(entry + 8) as usize
            };
            if element > 1 {
                for item in 0..elements {
                    swap(&mut out, value_at + element * item, element);
                }
            }
            if matches!(tag, 0x8769 | 0x8825) {
                pending.push(u32_at(entry + 8) as usize);
            }
        }
        let next = ifd + 2 + 12 * count;
        swap(&mut out, next, 4);
        if u32_at(next) != 0 {
            pending.push(u32_at(next) as usize);
        }
    }
    out
}

/// `tiff` (from [`exif`]) with an IFD1, as cameras write for the EXIF
/// thumbnail: JPEGInterchangeFormat and its length pointing at `thumbnail`
/// (appended), and a GPSInfo pointer to a GPS IFD of its own whose
/// latitude seconds are `marker`/1 (a value tests can look for).
pub fn with_thumbnail_ifd(tiff: &[u8], thumbnail: &[u8], marker: u32) -> Vec<u8> {
    let mut out = tiff.to_vec();
    if out.len() % 2 == 1 {
        out.push(0);
    }
    let ifd1 = out.len() as u32;
    let ifd0_count = usize::from(u16::from_le_bytes([tiff[8], tiff[9]]));
    let next = 8 + 2 + 12 * ifd0_count;
    out[next..next + 4].copy_from_slice(&ifd1.to_le_bytes());
    // IFD1: three entries and the next-IFD offset; then the GPS IFD: two
    // entries, its next offset and three rationals; then the thumbnail.
    let gps = ifd1 + 2 + 3 * 12 + 4;
    let rationals = gps + 2 + 2 * 12 + 4;
    let thumbnail_at = rationals + 24;
    let entry = |out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        for bytes in [
            &tag.to_le_bytes()[..],
            &kind.to_le_bytes(),
            &count.to_le_bytes(),
        ] {
            out.extend_from_slice(bytes);
        }
        out.extend_from_slice(&value.to_le_bytes());
    };
    out.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut out, 0x0201, LONG, 1, thumbnail_at);
    entry(&mut out, 0x0202, LONG, 1, thumbnail.len() as u32);
    entry(&mut out, 0x8825, LONG, 1, gps);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut out, 0x0001, ASCII, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut out, 0x0002, RATIONAL, 3, rationals);
    out.extend_from_slice(&0u32.to_le_bytes());
    for (numerator, denominator) in [(51u32, 1u32), (30, 1), (marker, 1)] {
        out.extend_from_slice(&numerator.to_le_bytes());
        out.extend_from_slice(&denominator.to_le_bytes());
    }
    out.extend_from_slice(thumbnail);
    out
}
