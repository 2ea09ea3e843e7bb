//! The variants made by `RasterImageProcessor`, checked by decoding them.

use std::sync::Arc;

use chrono::NaiveDate;
use image::{
    DynamicImage, ExtendedColorType, ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder,
};
use shoebox_domain::imaging::{
    EncodedVariant, ImageFacts, ImageFormat, ImageLimits, ImageRejectionKind, Orientation,
    VariantKind,
};
use shoebox_imaging::{
    RasterImageProcessor, inspect,
    samples::{self, SampleExif, SampleGps},
};
use shoebox_ports::outbound::{ImageProcessor, VariantError};

const BOTH: [VariantKind; 2] = [VariantKind::Thumbnail, VariantKind::Preview];

async fn variants(original: Vec<u8>, facts: ImageFacts) -> Vec<EncodedVariant> {
    RasterImageProcessor::new(ImageLimits::default())
        .make_variants(original, facts, BOTH.to_vec())
        .await
        .expect("variants are made")
}

fn decoded(variant: &EncodedVariant) -> DynamicImage {
    let format = match variant.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        other => panic!("unexpected variant format {other}"),
    };
    let image = image::load_from_memory_with_format(&variant.bytes, format).unwrap();
    assert_eq!(
        (image.width(), image.height()),
        (variant.width, variant.height)
    );
    image
}

fn facts_of(bytes: &[u8]) -> ImageFacts {
    inspect(bytes, ImageLimits::default()).unwrap()
}

#[tokio::test]
async fn a_large_jpeg_gets_a_thumbnail_and_a_preview_of_the_right_sizes() {
    let original = samples::jpeg(2400, 1800, SampleExif::default());
    let facts = facts_of(&original);
    let made = variants(original, facts).await;
    let summary: Vec<_> = made
        .iter()
        .map(|variant| (variant.kind, variant.format, variant.width, variant.height))
        .collect();
    assert_eq!(
        summary,
        [
            (VariantKind::Thumbnail, ImageFormat::Jpeg, 400, 300),
            (VariantKind::Preview, ImageFormat::Jpeg, 1600, 1200),
        ]
    );
    for variant in &made {
        decoded(variant);
    }
}

#[tokio::test]
async fn small_images_are_never_upscaled() {
    for original in [
        samples::png(300, 200, false),
        samples::gif(120, 90),
        samples::webp(64, 80),
    ] {
        let facts = facts_of(&original);
        for variant in variants(original, facts.clone()).await {
            assert_eq!((variant.width, variant.height), (facts.width, facts.height));
            decoded(&variant);
        }
    }
}

#[tokio::test]
async fn variants_carry_no_metadata() {
    let original = samples::jpeg(
        900,
        600,
        SampleExif {
            orientation: Some(Orientation::Normal),
            taken_at: NaiveDate::from_ymd_opt(2022, 2, 2).and_then(|day| day.and_hms_opt(2, 2, 2)),
            make: Some("Canon".to_owned()),
            model: Some("Canon EOS R5".to_owned()),
            gps: Some(SampleGps {
                latitude: 51.5,
                longitude: -0.12,
                altitude_m: Some(11.0),
            }),
        },
    );
    let facts = facts_of(&original);
    assert!(facts.location.is_some() && facts.camera.is_some());
    for variant in variants(original, facts).await {
        let seen = facts_of(&variant.bytes);
        assert_eq!(
            seen,
            ImageFacts::new(ImageFormat::Jpeg, variant.width, variant.height)
        );
        assert!(!variant.bytes.windows(5).any(|window| window == b"Exif\0"));
    }
}

#[tokio::test]
async fn transparency_gives_png_and_opacity_gives_jpeg() {
    let transparent = samples::png(800, 500, true);
    let made = variants(transparent.clone(), facts_of(&transparent)).await;
    for variant in &made {
        assert_eq!(variant.format, ImageFormat::Png);
        assert!(decoded(variant).color().has_alpha());
    }
    assert_eq!((made[0].width, made[0].height), (400, 250));

    let opaque = samples::png(800, 500, false);
    for variant in variants(opaque.clone(), facts_of(&opaque)).await {
        assert_eq!(variant.format, ImageFormat::Jpeg);
    }
}

const RED: [u8; 3] = [230, 20, 20];
const GREEN: [u8; 3] = [20, 200, 20];
const BLUE: [u8; 3] = [20, 20, 230];
const WHITE: [u8; 3] = [250, 250, 250];

/// A 120×80 picture with a coloured block in each corner: top-left red,
/// top-right green, bottom-left blue, bottom-right white.
fn marked_corners() -> RgbImage {
    RgbImage::from_fn(120, 80, |x, y| {
        let colour = match (x < 30, x >= 90, y < 20, y >= 60) {
            (true, _, true, _) => RED,
            (_, true, true, _) => GREEN,
            (true, _, _, true) => BLUE,
            (_, true, _, true) => WHITE,
            _ => [128, 128, 128],
        };
        Rgb(colour)
    })
}

/// The colours seen at the displayed top-left, top-right, bottom-left and
/// bottom-right for each EXIF orientation.
fn expected_corners(orientation: Orientation) -> [[u8; 3]; 4] {
    match orientation.to_exif() {
        1 => [RED, GREEN, BLUE, WHITE],
        2 => [GREEN, RED, WHITE, BLUE],
        3 => [WHITE, BLUE, GREEN, RED],
        4 => [BLUE, WHITE, RED, GREEN],
        5 => [RED, BLUE, GREEN, WHITE],
        6 => [BLUE, RED, WHITE, GREEN],
        7 => [WHITE, GREEN, BLUE, RED],
        _ => [GREEN, WHITE, RED, BLUE],
    }
}

fn corners(image: &DynamicImage) -> [[u8; 3]; 4] {
    let rgb = image.to_rgb8();
    let (right, bottom) = (rgb.width() - 4, rgb.height() - 4);
    [(3, 3), (right, 3), (3, bottom), (right, bottom)].map(|(x, y)| rgb.get_pixel(x, y).0)
}

fn close(seen: [[u8; 3]; 4], expected: [[u8; 3]; 4]) -> bool {
    seen.iter()
        .flatten()
        .zip(expected.iter().flatten())
        .all(|(a, b)| a.abs_diff(*b) <= 40)
}

#[tokio::test]
async fn every_orientation_is_applied_for_jpeg_and_png() {
    let picture = marked_corners();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95)
        .write_image(picture.as_raw(), 120, 80, ExtendedColorType::Rgb8)
        .unwrap();
    let png = samples_png_of(&picture);
    for original in [jpeg, png] {
        for orientation in Orientation::ALL {
            let mut facts = facts_of(&original);
            facts.orientation = orientation;
            let thumbnail = &variants(original.clone(), facts.clone()).await[0];
            assert_eq!(
                (thumbnail.width, thumbnail.height),
                facts.displayed_dimensions()
            );
            let seen = corners(&decoded(thumbnail));
            assert!(
                close(seen, expected_corners(orientation)),
                "{:?} from {}: {seen:?}",
                orientation,
                facts.format
            );
        }
    }
}

fn samples_png_of(picture: &RgbImage) -> Vec<u8> {
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    png
}

#[tokio::test]
async fn undecodable_bytes_are_rejected_with_a_reason() {
    let processor = RasterImageProcessor::new(ImageLimits::default());
    let facts = ImageFacts::new(ImageFormat::Png, 10, 10);
    let outcome = processor
        .make_variants(
            b"\x89PNG\r\n\x1a\nnot really".to_vec(),
            facts,
            BOTH.to_vec(),
        )
        .await;
    let Err(VariantError::Rejected(rejection)) = outcome else {
        panic!("expected a rejection, got {outcome:?}");
    };
    assert_eq!(rejection.kind(), ImageRejectionKind::Corrupt);
}

#[tokio::test]
async fn the_pixel_limit_holds_before_decoding() {
    let original = samples::jpeg(200, 100, SampleExif::default());
    let facts = facts_of(&original);
    let processor = RasterImageProcessor::with_concurrency(
        ImageLimits {
            max_pixels: 10_000,
            ..ImageLimits::default()
        },
        1,
    );
    let outcome = processor
        .make_variants(original, facts, BOTH.to_vec())
        .await;
    assert!(
        matches!(&outcome, Err(VariantError::Rejected(rejection)) if rejection.kind() == ImageRejectionKind::TooManyPixels),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn concurrent_jobs_beyond_the_bound_all_complete() {
    let processor: Arc<dyn ImageProcessor> = Arc::new(RasterImageProcessor::with_concurrency(
        ImageLimits::default(),
        1,
    ));
    let original = samples::jpeg(640, 480, SampleExif::default());
    let facts = facts_of(&original);
    let jobs: Vec<_> = (0..4)
        .map(|_| {
            let (processor, original, facts) =
                (Arc::clone(&processor), original.clone(), facts.clone());
            tokio::spawn(async move {
                processor
                    .make_variants(original, facts, vec![VariantKind::Thumbnail])
                    .await
            })
        })
        .collect();
    for job in jobs {
        assert_eq!(job.await.unwrap().unwrap()[0].width, 400);
    }
}

#[tokio::test]
async fn no_kinds_means_no_work() {
    let processor = RasterImageProcessor::new(ImageLimits::default());
    let made = processor
        .make_variants(
            Vec::new(),
            ImageFacts::new(ImageFormat::Jpeg, 1, 1),
            Vec::new(),
        )
        .await
        .unwrap();
    assert!(made.is_empty());
}
