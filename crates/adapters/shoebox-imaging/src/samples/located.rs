//! Samples that carry location in every place a file can: XMP packets (in
//! JPEG, Extended XMP, PNG, WebP and GIF), JPEG IPTC, PNG eXIf, WebP EXIF, big-endian
//! EXIF, a thumbnail IFD with a GPS IFD of its own, and MPF secondary images
//! with their own EXIF. The location scrubber's tests start from these.

use super::{SampleExif, SampleGps, gif, jpeg_seeded, mpf, png, webp};

/// An XMP packet with location written every way writers do (GPS
/// attributes, photoshop City/State/Country elements, an IPTC LocationShown
/// structure) next to properties that must survive (rating, title, tool).
pub fn located_xmp(gps: &SampleGps) -> String {
    format!(
        r#"<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmp:Rating="4"
    xmp:CreatorTool="Shoebox samples"
    exif:GPSLatitude="{latitude}"
    exif:GPSLongitude="{longitude}"
    exif:GPSVersionID="2.3.0.0">
   <photoshop:City>Sydney</photoshop:City>
   <photoshop:State>New South Wales</photoshop:State>
   <photoshop:Country>Australia</photoshop:Country>
   <Iptc4xmpExt:LocationShown>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <Iptc4xmpExt:City>Sydney</Iptc4xmpExt:City>
      <Iptc4xmpExt:Sublocation>Bennelong Point</Iptc4xmpExt:Sublocation>
     </rdf:li>
    </rdf:Bag>
   </Iptc4xmpExt:LocationShown>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dusk</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
{padding}
<?xpacket end="w"?>"#,
        latitude = xmp_coordinate(gps.latitude, 'N', 'S'),
        longitude = xmp_coordinate(gps.longitude, 'E', 'W'),
        padding = " ".repeat(200),
    )
}

/// XMP's "DDD,MM.mmmmK" form.
fn xmp_coordinate(value: f64, positive: char, negative: char) -> String {
    let hemisphere = if value < 0.0 { negative } else { positive };
    let value = value.abs();
    format!("{},{:.4}{hemisphere}", value.trunc(), value.fract() * 60.0)
}

fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(payload.len() + 2).expect("a sample segment fits in 64 KiB");
    [&[0xFF, marker][..], &length.to_be_bytes(), payload].concat()
}

/// `jpeg` with APP1 XMP segments inserted after its SOI: the main packet,
/// and, when `extended` is given, an Extended XMP packet split in two chunks.
pub fn jpeg_with_xmp(jpeg: &[u8], xmp: &str, extended: Option<&str>) -> Vec<u8> {
    let mut segments = jpeg_segment(
        0xE1,
        &[&b"http://ns.adobe.com/xap/1.0/\0"[..], xmp.as_bytes()].concat(),
    );
    if let Some(extended) = extended {
        let guid = b"0123456789ABCDEF0123456789ABCDEF";
        let full = extended.as_bytes();
        let middle = full.len() / 2;
        for (offset, chunk) in [(0, &full[..middle]), (middle, &full[middle..])] {
            segments.extend(jpeg_segment(
                0xE1,
                &[
                    &b"http://ns.adobe.com/xmp/extension/\0"[..],
                    guid,
                    &(full.len() as u32).to_be_bytes(),
                    &(offset as u32).to_be_bytes(),
                    chunk,
                ]
                .concat(),
            ));
        }
    }
    [&jpeg[..2], &segments, &jpeg[2..]].concat()
}

/// A landscape JPEG with `exif`, followed by a quarter-size secondary image
/// (declared by an MPF index) that carries the same EXIF, as phones write.
pub fn located_jpeg_with_gain_map(width: u32, height: u32, exif: &SampleExif) -> Vec<u8> {
    let primary = jpeg_seeded(width, height, 5, exif);
    let secondary = jpeg_seeded((width / 4).max(1), (height / 4).max(1), 6, exif);
    mpf::with_secondary(&primary, &secondary)
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    let length = u32::try_from(data.len()).expect("a sample chunk is small");
    [
        &length.to_be_bytes()[..],
        kind,
        data,
        &crc.finalize().to_be_bytes(),
    ]
    .concat()
}

/// A landscape PNG with an eXIf chunk (`tiff`) and an uncompressed iTXt XMP
/// chunk, each when given, right after its header.
pub fn png_with_metadata(
    width: u32,
    height: u32,
    tiff: Option<&[u8]>,
    xmp: Option<&str>,
) -> Vec<u8> {
    let plain = png(width, height, false);
    // Signature (8) and the IHDR chunk (25).
    let (head, rest) = plain.split_at(33);
    let mut chunks = Vec::new();
    if let Some(tiff) = tiff {
        chunks.extend(png_chunk(b"eXIf", tiff));
    }
    if let Some(xmp) = xmp {
        // Keyword, no compression, no language, no translated keyword.
        let data = [&b"XML:com.adobe.xmp\0\0\0\0\0"[..], xmp.as_bytes()].concat();
        chunks.extend(png_chunk(b"iTXt", &data));
    }
    [head, &chunks, rest].concat()
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let size = u32::try_from(data.len()).expect("a sample chunk is small");
    let mut chunk = [&kind[..], &size.to_le_bytes(), data].concat();
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

/// A lossless landscape WebP in the extended format (VP8X), with an EXIF
/// chunk (`tiff`) and an XMP chunk, each when given.
pub fn webp_with_metadata(
    width: u32,
    height: u32,
    tiff: Option<&[u8]>,
    xmp: Option<&str>,
) -> Vec<u8> {
    let simple = webp(width, height);
    let image = &simple[12..];
    let mut flags = 0u8;
    if tiff.is_some() {
        flags |= 0x08;
    }
    if xmp.is_some() {
        flags |= 0x04;
    }
    let mut canvas = vec![flags, 0, 0, 0];
    canvas.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    canvas.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    let mut chunks = riff_chunk(b"VP8X", &canvas);
    chunks.extend_from_slice(image);
    if let Some(tiff) = tiff {
        chunks.extend(riff_chunk(b"EXIF", tiff));
    }
    if let Some(xmp) = xmp {
        chunks.extend(riff_chunk(b"XMP ", xmp.as_bytes()));
    }
    let size = u32::try_from(chunks.len() + 4).expect("a sample is small");
    [&b"RIFF"[..], &size.to_le_bytes(), b"WEBP", &chunks].concat()
}

/// A landscape GIF with an XMP application extension before its trailer:
/// the packet as raw bytes, then the "magic trailer" ramp that lets readers
/// skip it as sub-blocks.
pub fn gif_with_xmp(width: u32, height: u32, xmp: &str) -> Vec<u8> {
    let plain = gif(width, height);
    let (body, trailer) = plain.split_at(plain.len() - 1);
    let ramp: Vec<u8> = [0x01]
        .into_iter()
        .chain((0..=255u8).rev())
        .chain([0x00])
        .collect();
    let extension = [
        &[0x21, 0xFF, 0x0B][..],
        b"XMP DataXMP",
        xmp.as_bytes(),
        &ramp,
    ]
    .concat();
    [body, &extension, trailer].concat()
}

/// `jpeg` with an APP13 Photoshop IPTC block after its SOI: a caption, and
/// the city, state and country when `located`.
pub fn jpeg_with_iptc(jpeg: &[u8], located: bool) -> Vec<u8> {
    let dataset = |number: u8, text: &str| -> Vec<u8> {
        let length = u16::try_from(text.len()).expect("a sample dataset is short");
        [
            &[0x1C, 2, number][..],
            &length.to_be_bytes(),
            text.as_bytes(),
        ]
        .concat()
    };
    let mut iim = dataset(120, "Harbour at dusk");
    if located {
        iim.extend(dataset(90, "Sydney"));
        iim.extend(dataset(95, "New South Wales"));
        iim.extend(dataset(101, "Australia"));
    }
    let size = u32::try_from(iim.len()).expect("a sample block is small");
    // Resource 0x0404 with an empty name (length byte and a pad byte).
    let mut resources = [
        &b"Photoshop 3.0\08BIM\x04\x04\0\0"[..],
        &size.to_be_bytes(),
        &iim,
    ]
    .concat();
    if iim.len() % 2 == 1 {
        resources.push(0);
    }
    [&jpeg[..2], &jpeg_segment(0xED, &resources), &jpeg[2..]].concat()
}
