//! The location scrubber, checked from the outside: kamadak-exif finds no
//! GPS anywhere in a scrubbed copy, everything else reads as before, the
//! pixels decode the same, and our own inspector accepts the copy.

use std::io::Cursor;

use chrono::NaiveDate;
use exif::{Context, Exif, In, Reader, Tag};
use shoebox_domain::imaging::{ImageFacts, ImageFormat, ImageLimits, Orientation};
use shoebox_imaging::{
    MetadataLocationScrubber, inspect,
    samples::{self, SampleExif, SampleGps, tiff},
    scrub_location,
};
use shoebox_ports::outbound::{LocationScrubber, ScrubLocationError};

const GPS: SampleGps = SampleGps {
    latitude: -33.8568,
    longitude: 151.2153,
    altitude_m: Some(12.5),
};
/// Latitude seconds of the thumbnail IFD's own GPS IFD: a value to look for.
const THUMBNAIL_MARKER: u32 = 0x5EC1_2E75;

fn camera(gps: Option<SampleGps>) -> SampleExif {
    SampleExif {
        orientation: Some(Orientation::Rotate90),
        taken_at: NaiveDate::from_ymd_opt(2024, 7, 14).and_then(|date| date.and_hms_opt(16, 5, 9)),
        make: Some("FUJIFILM".to_owned()),
        model: Some("X100V".to_owned()),
        gps,
    }
}

fn scrubbed(original: &[u8], format: ImageFormat) -> Vec<u8> {
    MetadataLocationScrubber
        .scrub_location(original, format)
        .expect("the sample parses")
        .expect("the sample holds location")
}

/// Every TIFF structure anywhere in the file (APP1, eXIf, EXIF chunks, the
/// thumbnail's and the secondary images' EXIF), as kamadak-exif reads it.
fn every_exif(bytes: &[u8]) -> Vec<Exif> {
    (0..bytes.len().saturating_sub(4))
        .filter(|&at| matches!(&bytes[at..at + 4], b"II*\0" | b"MM\0*"))
        .filter_map(|at| {
            let mut reader = Reader::new();
            reader.continue_on_error(true);
            reader
                .read_raw(bytes[at..].to_vec())
                .or_else(|error| error.distill_partial_result(|_| {}))
                .ok()
        })
        .collect()
}

fn has_gps_anywhere(bytes: &[u8]) -> bool {
    every_exif(bytes).iter().any(|exif| {
        exif.fields()
            .any(|field| field.tag.context() == Context::Gps)
    })
}

fn container_exif(bytes: &[u8]) -> Exif {
    Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .expect("kamadak-exif reads the file's EXIF")
}

const KEPT: [Tag; 4] = [
    Tag::Make,
    Tag::Model,
    Tag::DateTimeOriginal,
    Tag::Orientation,
];

fn kept_fields(exif: &Exif) -> Vec<String> {
    KEPT.iter()
        .map(|&tag| {
            let field = exif
                .get_field(tag, In::PRIMARY)
                .expect("the field is there");
            format!("{:?}", field.value)
        })
        .collect()
}

fn pixels(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes)
        .expect("the image decodes")
        .into_rgba8()
        .into_raw()
}

fn facts(bytes: &[u8]) -> ImageFacts {
    inspect(bytes, ImageLimits::default()).expect("the inspector accepts the file")
}

/// What every scrubbed copy must satisfy, against its original.
fn assert_scrubbed(original: &[u8], copy: &[u8], has_exif: bool) {
    assert!(
        has_gps_anywhere(original) || !has_exif,
        "the sample had GPS"
    );
    assert!(!has_gps_anywhere(copy), "GPS left in the copy");
    if has_exif {
        assert!(
            container_exif(original)
                .fields()
                .any(|f| f.tag.context() == Context::Gps)
        );
        let exif = container_exif(copy);
        assert!(
            !exif
                .fields()
                .any(|field| field.tag.context() == Context::Gps)
        );
        assert_eq!(kept_fields(&exif), kept_fields(&container_exif(original)));
    }
    assert_eq!(pixels(copy), pixels(original));
    let before = facts(original);
    let after = facts(copy);
    assert_eq!(after.location, None);
    assert_eq!(
        after,
        ImageFacts {
            location: None,
            ..before
        }
    );
}

fn assert_no_location_words(copy: &[u8]) {
    for word in [
        "GPS",
        "Latitude",
        "Longitude",
        "City",
        "Sydney",
        "Bennelong",
    ] {
        assert!(
            memchr::memmem::find(copy, word.as_bytes()).is_none(),
            "{word} left in the copy"
        );
    }
    for kept in ["Harbour at dusk", "xmp:Rating=\"4\""] {
        assert!(
            memchr::memmem::find(copy, kept.as_bytes()).is_some(),
            "{kept} lost"
        );
    }
}

fn jpeg_with_exif(tiff: &[u8]) -> Vec<u8> {
    let plain = samples::jpeg(96, 64, SampleExif::default());
    let payload = [&b"Exif\0\0"[..], tiff].concat();
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    [&plain[..2], &[0xFF, 0xE1], &length, &payload, &plain[2..]].concat()
}

/// Little- and big-endian EXIF, each with and without a thumbnail IFD that
/// has its own GPS IFD and a thumbnail JPEG with its own EXIF GPS.
fn located_tiffs() -> Vec<(&'static str, Vec<u8>)> {
    let little = tiff::exif(&camera(Some(GPS)));
    let thumbnail = samples::jpeg(16, 12, camera(Some(GPS)));
    let with_thumbnail = tiff::with_thumbnail_ifd(&little, &thumbnail, THUMBNAIL_MARKER);
    vec![
        ("II", little.clone()),
        ("MM", tiff::big_endian(&little)),
        ("II+IFD1", with_thumbnail.clone()),
        ("MM+IFD1", tiff::big_endian(&with_thumbnail)),
    ]
}

#[test]
fn jpeg_exif_gps_goes_in_both_byte_orders_and_from_the_thumbnail() {
    for (name, tiff) in located_tiffs() {
        let original = jpeg_with_exif(&tiff);
        let copy = scrubbed(&original, ImageFormat::Jpeg);
        assert_eq!(copy.len(), original.len(), "{name}");
        assert_scrubbed(&original, &copy, true);
        for order in [
            THUMBNAIL_MARKER.to_le_bytes(),
            THUMBNAIL_MARKER.to_be_bytes(),
        ] {
            assert!(memchr::memmem::find(&copy, &order).is_none(), "{name}");
        }
    }
}

#[test]
fn the_thumbnail_ifd_gps_is_really_in_the_samples() {
    let (_, tiff) = &located_tiffs()[2];
    assert!(memchr::memmem::find(tiff, &THUMBNAIL_MARKER.to_le_bytes()).is_some());
    // The thumbnail JPEG's own EXIF holds GPS too: two TIFF structures do.
    let located = every_exif(tiff)
        .iter()
        .filter(|exif| {
            exif.fields()
                .any(|field| field.tag.context() == Context::Gps)
        })
        .count();
    assert!(located >= 2, "{located}");
}

#[test]
fn jpeg_xmp_and_extended_xmp_lose_their_location_only() {
    let xmp = samples::located_xmp(&GPS);
    let original =
        samples::jpeg_with_xmp(&samples::jpeg(96, 64, camera(Some(GPS))), &xmp, Some(&xmp));
    let copy = scrubbed(&original, ImageFormat::Jpeg);
    assert_eq!(copy.len(), original.len());
    assert_scrubbed(&original, &copy, true);
    assert_no_location_words(&copy);
    // Both packets keep what is not location: the main one and the extended.
    let titles = memchr::memmem::find_iter(&copy, b"Harbour at dusk").count();
    assert_eq!(titles, 2);
}

#[test]
fn secondary_images_lose_their_own_gps() {
    let original = samples::located_jpeg_with_gain_map(128, 96, &camera(Some(GPS)));
    let located = every_exif(&original)
        .iter()
        .filter(|exif| {
            exif.fields()
                .any(|field| field.tag.context() == Context::Gps)
        })
        .count();
    assert_eq!(located, 2, "both images carry GPS");
    let copy = scrubbed(&original, ImageFormat::Jpeg);
    assert_eq!(copy.len(), original.len());
    assert_scrubbed(&original, &copy, true);
}

#[test]
fn png_exif_and_xmp_lose_their_location() {
    let xmp = samples::located_xmp(&GPS);
    for (name, tiff) in located_tiffs() {
        let original = samples::png_with_metadata(48, 32, Some(&tiff), Some(&xmp));
        let copy = scrubbed(&original, ImageFormat::Png);
        assert_eq!(copy.len(), original.len(), "{name}");
        assert_scrubbed(&original, &copy, true);
        assert_no_location_words(&copy);
    }
}

#[test]
fn webp_exif_and_xmp_lose_their_location() {
    let xmp = samples::located_xmp(&GPS);
    for (name, tiff) in located_tiffs() {
        let original = samples::webp_with_metadata(48, 32, Some(&tiff), Some(&xmp));
        let copy = scrubbed(&original, ImageFormat::WebP);
        assert_eq!(copy.len(), original.len(), "{name}");
        assert_scrubbed(&original, &copy, true);
        assert_no_location_words(&copy);
    }
}

#[test]
fn gif_xmp_with_location_is_dropped() {
    let original = samples::gif_with_xmp(48, 32, &samples::located_xmp(&GPS));
    let copy = scrubbed(&original, ImageFormat::Gif);
    assert_eq!(copy, samples::gif(48, 32));
    assert_scrubbed(&original, &copy, false);
}

#[test]
fn files_without_location_are_served_as_they_are() {
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmp:Rating="2"><dc:title>Plain</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let no_gps = tiff::exif(&camera(None));
    let cases = [
        (ImageFormat::Jpeg, samples::jpeg(64, 48, camera(None))),
        (
            ImageFormat::Jpeg,
            jpeg_with_exif(&tiff::big_endian(&no_gps)),
        ),
        (
            ImageFormat::Jpeg,
            samples::jpeg_with_xmp(&samples::jpeg(64, 48, camera(None)), xmp, Some(xmp)),
        ),
        (ImageFormat::Jpeg, samples::jpeg_with_gain_map(64, 48)),
        (ImageFormat::Png, samples::png(32, 32, true)),
        (
            ImageFormat::Png,
            samples::png_with_metadata(32, 32, Some(&no_gps), Some(xmp)),
        ),
        (ImageFormat::WebP, samples::webp(32, 32)),
        (
            ImageFormat::WebP,
            samples::webp_with_metadata(32, 32, Some(&no_gps), Some(xmp)),
        ),
        (ImageFormat::Gif, samples::gif(32, 32)),
        (ImageFormat::Gif, samples::gif_with_xmp(32, 32, xmp)),
    ];
    for (index, (format, bytes)) in cases.iter().enumerate() {
        facts(bytes);
        assert_eq!(scrub_location(bytes, *format), Ok(None), "case {index}");
    }
}

#[test]
fn bad_inputs_never_panic_whatever_format_is_claimed() {
    let located = [
        jpeg_with_exif(&located_tiffs()[3].1),
        samples::png_with_metadata(32, 32, Some(&located_tiffs()[1].1), None),
        samples::webp_with_metadata(32, 32, Some(&located_tiffs()[2].1), None),
        samples::gif_with_xmp(32, 32, &samples::located_xmp(&GPS)),
    ];
    let mut inputs: Vec<Vec<u8>> = samples::bad_inputs()
        .into_iter()
        .map(|input| input.bytes)
        .collect();
    for bytes in &located {
        // Every cut of the located samples, at a coarse step.
        inputs.extend((0..bytes.len()).step_by(7).map(|end| bytes[..end].to_vec()));
    }
    for bytes in &inputs {
        for format in ImageFormat::ALL {
            match MetadataLocationScrubber.scrub_location(bytes, format) {
                Ok(Some(copy)) => assert!(!has_gps_anywhere(&copy)),
                Ok(None) | Err(ScrubLocationError::Rejected(_)) => {}
                Err(ScrubLocationError::Unexpected(error)) => panic!("{error:#}"),
            }
        }
    }
}

mod mutations {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Damaged EXIF never panics, and whatever would be served (the
        /// copy, or the input itself when nothing is found) has no GPS.
        #[test]
        fn damaged_exif_never_leaks_gps(
            edits in proptest::collection::vec((any::<u16>(), any::<u8>()), 1..12),
            big_endian in any::<bool>(),
        ) {
            let mut tiff = located_tiffs()[2].1.clone();
            if big_endian {
                tiff = tiff::big_endian(&tiff);
            }
            for (at, value) in edits {
                let at = usize::from(at) % tiff.len();
                tiff[at] = value;
            }
            let original = jpeg_with_exif(&tiff);
            if let Ok(outcome) = scrub_location(&original, ImageFormat::Jpeg) {
                let served = outcome.unwrap_or(original);
                prop_assert!(!has_gps_anywhere(&served));
            }
        }
    }
}

#[test]
fn jpeg_iptc_loses_its_location_datasets_only() {
    let plain = samples::jpeg(64, 48, camera(None));
    let original = samples::jpeg_with_iptc(&plain, true);
    let copy = scrubbed(&original, ImageFormat::Jpeg);
    assert_eq!(copy.len(), original.len());
    for word in ["Sydney", "New South Wales", "Australia"] {
        assert!(
            memchr::memmem::find(&copy, word.as_bytes()).is_none(),
            "{word}"
        );
    }
    assert!(memchr::memmem::find(&copy, b"Harbour at dusk").is_some());
    assert_eq!(pixels(&copy), pixels(&original));
    assert_eq!(facts(&copy), facts(&original));
    let unlocated = samples::jpeg_with_iptc(&plain, false);
    assert_eq!(scrub_location(&unlocated, ImageFormat::Jpeg), Ok(None));
}
