//! Sample images made by pure functions: pleasant procedural landscapes
//! (sky, sun, hills; the seed picks palette and shapes) in every accepted
//! format, JPEGs with a real EXIF block, and the corpus of bad inputs.
//! Used by `shoebox seed`, the thumbnail bench and tests across the workspace.
//!
//! # Panics
//!
//! The encoders write into memory and cannot fail for the buffers built
//! here; the functions panic only if that ever stops being true.

mod bad;
mod located;
mod mpf;
pub mod tiff;

use std::io::Cursor;

use chrono::NaiveDateTime;
use image::{
    ExtendedColorType, ImageEncoder, Rgb, RgbImage, RgbaImage,
    codecs::{gif::GifEncoder, jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder},
};
use shoebox_domain::imaging::Orientation;

pub use bad::{BadInput, bad_inputs};
pub use located::{
    gif_with_xmp, jpeg_with_iptc, jpeg_with_xmp, located_jpeg_with_gain_map, located_xmp,
    png_with_metadata, webp_with_metadata,
};
pub use mpf::jpeg_with_gain_map;

/// The EXIF written into a sample JPEG; `None` fields are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleExif {
    pub orientation: Option<Orientation>,
    pub taken_at: Option<NaiveDateTime>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub gps: Option<SampleGps>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleGps {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude_m: Option<f64>,
}

const ENCODE: &str = "encoding an in-memory sample cannot fail";

/// A landscape JPEG (quality 85) with an EXIF block; seed 1.
pub fn jpeg(width: u32, height: u32, exif: SampleExif) -> Vec<u8> {
    jpeg_seeded(width, height, 1, &exif)
}

/// A landscape JPEG whose palette and shapes come from `seed`. Dimensions
/// are clamped to 1..=65535 (JPEG's range).
pub fn jpeg_seeded(width: u32, height: u32, seed: u64, exif: &SampleExif) -> Vec<u8> {
    let picture = landscape(width.clamp(1, 65_535), height.clamp(1, 65_535), seed);
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, 85);
    if *exif != SampleExif::default() {
        encoder
            .set_exif_metadata(tiff::exif(exif))
            .expect("the JPEG encoder takes EXIF");
    }
    encoder
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            ExtendedColorType::Rgb8,
        )
        .expect(ENCODE);
    out
}

/// A landscape PNG; with `alpha`, its edges fade to transparent.
pub fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = PngEncoder::new(&mut out);
    if alpha {
        let picture = with_alpha(&landscape(width.max(1), height.max(1), 2));
        encoder
            .write_image(
                picture.as_raw(),
                picture.width(),
                picture.height(),
                ExtendedColorType::Rgba8,
            )
            .expect(ENCODE);
    } else {
        let picture = landscape(width.max(1), height.max(1), 2);
        encoder
            .write_image(
                picture.as_raw(),
                picture.width(),
                picture.height(),
                ExtendedColorType::Rgb8,
            )
            .expect(ENCODE);
    }
    out
}

/// A single-frame landscape GIF (palette quantised by the encoder); at most
/// 65535 pixels a side.
pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let picture = image::DynamicImage::ImageRgb8(landscape(
        width.clamp(1, 65_535),
        height.clamp(1, 65_535),
        3,
    ))
    .into_rgba8();
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(Cursor::new(&mut out));
        encoder
            .encode(
                picture.as_raw(),
                picture.width(),
                picture.height(),
                ExtendedColorType::Rgba8,
            )
            .expect(ENCODE);
    }
    out
}

/// A lossless landscape WebP (at most 16384 pixels a side).
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let picture = landscape(width.clamp(1, 16_384), height.clamp(1, 16_384), 4);
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            ExtendedColorType::Rgb8,
        )
        .expect(ENCODE);
    out
}

/// SplitMix64: a tiny deterministic generator, enough to vary the pictures.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    }

    fn colour(&mut self, low: f32, high: f32) -> [f32; 3] {
        [(); 3].map(|()| low + (high - low) * self.next())
    }
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t.clamp(0.0, 1.0))
}

/// Sky gradient, a sun with a soft edge, three ranges of hills.
fn landscape(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut random = SplitMix(seed);
    let (w, h) = (width as f32, height as f32);
    let zenith = random.colour(20.0, 120.0);
    let horizon = random.colour(150.0, 255.0);
    let sun_colour = [255.0, 200.0 + 55.0 * random.next(), 120.0];
    let (sun_x, sun_y) = (
        w * (0.2 + 0.6 * random.next()),
        h * (0.15 + 0.3 * random.next()),
    );
    let sun_radius = w.min(h) * (0.05 + 0.07 * random.next());
    let hills: Vec<([f32; 3], Vec<f32>)> = (0..3)
        .map(|layer| {
            let base = h * (0.5 + 0.12 * layer as f32);
            let (amplitude, frequency, phase) = (
                h * (0.05 + 0.06 * random.next()),
                (1.0 + 3.0 * random.next()) * std::f32::consts::TAU / w,
                random.next() * 6.0,
            );
            let colour = mix(
                random.colour(30.0, 160.0),
                [10.0, 40.0, 20.0],
                layer as f32 / 3.0,
            );
            let ridge = (0..width)
                .map(|x| {
                    let x = x as f32;
                    base + amplitude * (frequency * x + phase).sin()
                        + amplitude * 0.3 * (frequency * 3.7 * x + phase * 2.0).sin()
                })
                .collect();
            (colour, ridge)
        })
        .collect();
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let ground = hills
            .iter()
            .rev()
            .find(|(_, ridge)| fy >= ridge[x as usize])
            .map(|(colour, ridge)| mix(*colour, [0.0; 3], (fy - ridge[x as usize]) / h));
        // Texture on the ground, faint sensor noise in the sky: real photos
        // have this detail, and it is what makes decoding them cost.
        let texture = if ground.is_some() {
            GROUND_TEXTURE
        } else {
            SKY_NOISE
        };
        let noise = grain(x, y, seed) * texture;
        let pixel = ground.unwrap_or_else(|| {
            let sky = mix(zenith, horizon, fy / (h * 0.7));
            let distance = ((fx - sun_x).powi(2) + (fy - sun_y).powi(2)).sqrt();
            mix(
                sun_colour,
                sky,
                (distance - sun_radius) / (sun_radius * 0.15),
            )
        });
        Rgb(pixel.map(|channel| (channel + noise).clamp(0.0, 255.0) as u8))
    })
}

const GROUND_TEXTURE: f32 = 28.0;
const SKY_NOISE: f32 = 6.0;

/// Deterministic noise in -0.5..0.5 for a pixel.
fn grain(x: u32, y: u32, seed: u64) -> f32 {
    let mut hash = (u64::from(x) << 32 | u64::from(y)) ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    (hash >> 56) as f32 / 255.0 - 0.5
}

/// Fades the picture to transparent towards its edges.
fn with_alpha(picture: &RgbImage) -> RgbaImage {
    let (w, h) = (picture.width() as f32, picture.height() as f32);
    RgbaImage::from_fn(picture.width(), picture.height(), |x, y| {
        let [r, g, b] = picture.get_pixel(x, y).0;
        let edge = (x as f32 / w)
            .min(1.0 - x as f32 / w)
            .min(y as f32 / h)
            .min(1.0 - y as f32 / h);
        image::Rgba([r, g, b, (edge * 4.0 * 255.0).min(255.0) as u8])
    })
}
