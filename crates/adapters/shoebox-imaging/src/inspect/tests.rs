use chrono::NaiveDate;
use image::{ExtendedColorType, ImageEncoder, codecs::png::PngEncoder, codecs::webp::WebPEncoder};
use shoebox_domain::imaging::{
    ImageFacts, ImageFormat, ImageLimits, ImageRejection, ImageRejectionKind, Orientation,
};
use shoebox_ports::outbound::ImageInspector;

use super::StreamingImageInspector;
use crate::samples::{self, SampleExif, SampleGps, bad_inputs, tiff};

/// Chunk sizes every input is fed in: single bytes, an odd size that splits
/// every header somewhere, a typical network read, and all at once.
const CHUNKINGS: [usize; 4] = [1, 7, 4096, usize::MAX];

/// Where a rejection came from.
#[derive(Debug, PartialEq)]
enum Failure {
    Feed(ImageRejection),
    Finish(ImageRejection),
}

impl Failure {
    fn rejection(&self) -> &ImageRejection {
        match self {
            Self::Feed(rejection) | Self::Finish(rejection) => rejection,
        }
    }
}

fn scan(bytes: &[u8], chunk: usize, limits: ImageLimits) -> Result<ImageFacts, Failure> {
    let mut scan = StreamingImageInspector.begin(limits);
    for piece in bytes.chunks(chunk.max(1)) {
        scan.feed(piece).map_err(Failure::Feed)?;
    }
    scan.finish().map_err(Failure::Finish)
}

/// Scans at every chunking and checks that all agree.
fn scan_all(bytes: &[u8], limits: ImageLimits) -> Result<ImageFacts, Failure> {
    let outcomes: Vec<_> = CHUNKINGS
        .iter()
        .map(|&chunk| scan(bytes, chunk, limits))
        .collect();
    for outcome in &outcomes[1..] {
        assert_eq!(outcome, &outcomes[0], "chunkings disagree");
    }
    outcomes.into_iter().next().expect("at least one chunking")
}

fn accepted(bytes: &[u8]) -> ImageFacts {
    scan_all(bytes, ImageLimits::default()).expect("the image is accepted")
}

fn full_exif() -> SampleExif {
    SampleExif {
        orientation: Some(Orientation::Rotate270),
        taken_at: NaiveDate::from_ymd_opt(2023, 12, 24).and_then(|day| day.and_hms_opt(18, 0, 59)),
        make: Some("NIKON CORPORATION".to_owned()),
        model: Some("NIKON Z 6_2".to_owned()),
        gps: Some(SampleGps {
            latitude: 48.858_37,
            longitude: 2.294_481,
            altitude_m: Some(35.0),
        }),
    }
}

fn assert_full_exif(facts: &ImageFacts) {
    assert_eq!(facts.orientation, Orientation::Rotate270);
    assert_eq!(facts.taken_at, full_exif().taken_at);
    assert_eq!(facts.camera.as_deref(), Some("NIKON Z 6_2"));
    let location = facts.location.expect("a location");
    assert!((location.latitude - 48.858_37).abs() < 1e-6, "{location:?}");
    assert!(
        (location.longitude - 2.294_481).abs() < 1e-6,
        "{location:?}"
    );
    assert_eq!(location.altitude_m, Some(35.0));
}

#[test]
fn a_jpeg_is_accepted_with_its_dimensions_and_exif() {
    let facts = accepted(&samples::jpeg(320, 200, full_exif()));
    assert_eq!(facts.format, ImageFormat::Jpeg);
    assert_eq!((facts.width, facts.height), (320, 200));
    assert_eq!(facts.displayed_dimensions(), (200, 320));
    assert_full_exif(&facts);
}

#[test]
fn a_jpeg_without_exif_has_no_metadata() {
    let facts = accepted(&samples::jpeg(33, 17, SampleExif::default()));
    assert_eq!(facts, ImageFacts::new(ImageFormat::Jpeg, 33, 17));
}

#[test]
fn png_gif_and_webp_are_accepted_with_their_dimensions() {
    for (bytes, format, size) in [
        (samples::png(90, 60, false), ImageFormat::Png, (90, 60)),
        (samples::png(61, 91, true), ImageFormat::Png, (61, 91)),
        (samples::gif(40, 30), ImageFormat::Gif, (40, 30)),
        (samples::webp(123, 45), ImageFormat::WebP, (123, 45)),
    ] {
        let facts = accepted(&bytes);
        assert_eq!(facts, ImageFacts::new(format, size.0, size.1), "{format}");
    }
}

#[test]
fn png_and_webp_exif_is_read() {
    let picture = image::RgbImage::from_pixel(24, 16, image::Rgb([200, 100, 50]));
    let mut png = Vec::new();
    let mut encoder = PngEncoder::new(&mut png);
    encoder.set_exif_metadata(tiff::exif(&full_exif())).unwrap();
    encoder
        .write_image(picture.as_raw(), 24, 16, ExtendedColorType::Rgb8)
        .unwrap();
    assert_full_exif(&accepted(&png));

    let mut webp = Vec::new();
    let mut encoder = WebPEncoder::new_lossless(&mut webp);
    encoder.set_exif_metadata(tiff::exif(&full_exif())).unwrap();
    encoder
        .write_image(picture.as_raw(), 24, 16, ExtendedColorType::Rgb8)
        .unwrap();
    let facts = accepted(&webp);
    assert_eq!(
        (facts.format, facts.width, facts.height),
        (ImageFormat::WebP, 24, 16)
    );
    assert_full_exif(&facts);
}

#[test]
fn every_bad_input_gets_its_rejection_at_every_chunking() {
    for input in bad_inputs() {
        for chunk in CHUNKINGS {
            let failure = scan(&input.bytes, chunk, ImageLimits::default()).expect_err(input.name);
            assert_eq!(
                failure.rejection().kind(),
                input.expected,
                "{} at chunk size {chunk}: {failure:?}",
                input.name
            );
        }
    }
}

#[test]
fn every_prefix_of_a_valid_file_is_truncated() {
    let files = [
        samples::jpeg(24, 16, full_exif()),
        samples::png(12, 9, true),
        samples::gif(10, 10),
        samples::webp(9, 12),
    ];
    for file in files {
        for length in 1..file.len() {
            let failure = scan(&file[..length], 7, ImageLimits::default()).unwrap_err();
            assert_eq!(
                failure,
                Failure::Finish(ImageRejection::Truncated),
                "prefix {length}"
            );
        }
    }
}

#[test]
fn too_many_pixels_is_refused_from_the_header_before_any_pixel_data() {
    let jpeg = samples::jpeg(200, 100, SampleExif::default());
    let start_of_scan = jpeg
        .windows(2)
        .position(|pair| pair == [0xFF, 0xDA])
        .unwrap();
    let limits = ImageLimits {
        max_pixels: 19_999,
        ..ImageLimits::default()
    };
    let mut scan = StreamingImageInspector.begin(limits);
    assert_eq!(
        scan.feed(&jpeg[..start_of_scan]),
        Err(ImageRejection::TooManyPixels {
            width: 200,
            height: 100,
            limit: 19_999
        })
    );
    let exactly = ImageLimits {
        max_pixels: 20_000,
        ..ImageLimits::default()
    };
    assert!(scan_all(&jpeg, exactly).is_ok());

    let bomb = bad_inputs()
        .into_iter()
        .find(|input| input.expected == ImageRejectionKind::TooManyPixels)
        .unwrap();
    // Signature (8) and the IHDR chunk (25): nothing of the image data.
    let mut scan = StreamingImageInspector.begin(ImageLimits::default());
    let rejection = scan.feed(&bomb.bytes[..33]).unwrap_err();
    assert_eq!(rejection.kind(), ImageRejectionKind::TooManyPixels);
}

#[test]
fn one_byte_over_the_size_limit_is_refused_as_it_arrives() {
    let png = samples::png(20, 20, false);
    let length = png.len() as u64;
    assert!(
        scan_all(
            &png,
            ImageLimits {
                max_bytes: length,
                ..ImageLimits::default()
            }
        )
        .is_ok()
    );
    let limits = ImageLimits {
        max_bytes: length - 1,
        ..ImageLimits::default()
    };
    let mut scan = StreamingImageInspector.begin(limits);
    let (last, head) = png.split_last().unwrap();
    scan.feed(head).unwrap();
    assert_eq!(
        scan.feed(&[*last]),
        Err(ImageRejection::TooLarge {
            limit_bytes: length - 1
        })
    );
}

#[test]
fn a_webp_declaring_more_than_the_limit_is_refused_from_its_header() {
    let webp = samples::webp(16, 16);
    let limits = ImageLimits {
        max_bytes: webp.len() as u64 - 1,
        ..ImageLimits::default()
    };
    let mut scan = StreamingImageInspector.begin(limits);
    assert_eq!(
        scan.feed(&webp[..12]).map_err(|rejection| rejection.kind()),
        Err(ImageRejectionKind::TooLarge)
    );
}

#[test]
fn a_foreign_format_is_refused_at_its_first_byte() {
    let mut scan = StreamingImageInspector.begin(ImageLimits::default());
    assert_eq!(scan.feed(b"%"), Err(ImageRejection::UnsupportedFormat));
    // The scan stays failed.
    assert_eq!(
        scan.feed(b"PDF-1.7"),
        Err(ImageRejection::UnsupportedFormat)
    );
    assert_eq!(scan.finish(), Err(ImageRejection::UnsupportedFormat));
}

#[test]
fn zero_padding_after_a_jpeg_is_allowed_but_nothing_else() {
    let jpeg = samples::jpeg(16, 16, SampleExif::default());
    let padded = [jpeg.clone(), vec![0; 512]].concat();
    assert_eq!(accepted(&padded).format, ImageFormat::Jpeg);
    let trailing = [jpeg, vec![0, 0, 1]].concat();
    let failure = scan_all(&trailing, ImageLimits::default()).unwrap_err();
    assert_eq!(failure, Failure::Feed(ImageRejection::TrailingData));
}

#[test]
fn malformed_exif_does_not_reject_the_image() {
    let jpeg = samples::jpeg(16, 16, SampleExif::default());
    let junk = b"Exif\0\0MM\0*\xff\xff\xff\xff garbage";
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&(junk.len() as u16 + 2).to_be_bytes());
    segment.extend_from_slice(junk);
    let with_junk = [&jpeg[..2], &segment, &jpeg[2..]].concat();
    assert_eq!(
        accepted(&with_junk),
        ImageFacts::new(ImageFormat::Jpeg, 16, 16)
    );
}

#[test]
fn a_progressive_multi_scan_jpeg_is_walked_to_its_end() {
    // A hand-made progressive stream: two scans with restart markers and
    // stuffed bytes between them; only the structure matters here.
    let mut bytes = vec![0xFF, 0xD8];
    bytes.extend_from_slice(&[0xFF, 0xC2, 0, 11, 8, 0, 10, 0, 12, 1, 1, 0x11, 0]);
    for _ in 0..2 {
        bytes.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0]);
        bytes.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0x00]);
        bytes.extend_from_slice(&[0xFF, 0xC4, 0, 2]);
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    assert_eq!(accepted(&bytes), ImageFacts::new(ImageFormat::Jpeg, 12, 10));
}

#[test]
fn secondary_images_declared_by_mpf_are_part_of_the_photo() {
    let photo = samples::jpeg_with_gain_map(160, 120);
    assert_eq!(
        accepted(&photo),
        ImageFacts::new(ImageFormat::Jpeg, 160, 120)
    );
    // Cut inside the gain map, or right before it: the photo is incomplete.
    let gain_map_start =
        photo.len() - samples::jpeg_seeded(40, 30, 6, &SampleExif::default()).len();
    for cut in [gain_map_start, gain_map_start + 50, photo.len() - 1] {
        let failure = scan_all(&photo[..cut], ImageLimits::default()).unwrap_err();
        assert_eq!(
            failure,
            Failure::Finish(ImageRejection::Truncated),
            "cut at {cut}"
        );
    }
}
