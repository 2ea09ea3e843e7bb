//! One original in, its variants out: decode once, then per variant resize
//! (Lanczos3, SIMD), orient, encode. Nothing is copied from the original's
//! metadata: the encoders write pixels and a bare JFIF/PNG header only.

use std::panic::{AssertUnwindSafe, catch_unwind};

use fast_image_resize::{
    FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
    images::{Image, ImageRef},
};
use image::{
    DynamicImage, GrayImage, ImageEncoder, RgbImage, RgbaImage,
    codecs::{jpeg::JpegEncoder, png::PngEncoder},
};
use shoebox_domain::imaging::{
    EncodedVariant, ImageFacts, ImageFormat, ImageLimits, ImageRejection, Orientation, VariantKind,
};
use shoebox_ports::outbound::VariantError;

use super::decode::{Layout, Source, decode};

/// JPEG quality of variants: visually clean at browsing sizes, small files.
const JPEG_QUALITY: u8 = 80;

/// Makes the variants, in the order of `kinds`.
pub(crate) fn render(
    original: &[u8],
    facts: &ImageFacts,
    kinds: &[VariantKind],
    limits: ImageLimits,
) -> Result<Vec<EncodedVariant>, VariantError> {
    // A decoder that panics on a hostile file must fail that photo, not the worker.
    catch_unwind(AssertUnwindSafe(|| {
        render_unguarded(original, facts, kinds, limits)
    }))
    .unwrap_or_else(|_| {
        Err(VariantError::Rejected(ImageRejection::corrupt(
            "the image data cannot be decoded",
        )))
    })
}

fn render_unguarded(
    original: &[u8],
    facts: &ImageFacts,
    kinds: &[VariantKind],
    limits: ImageLimits,
) -> Result<Vec<EncodedVariant>, VariantError> {
    let Some(largest) = kinds.iter().map(|kind| kind.long_edge()).max() else {
        return Ok(Vec::new());
    };
    let source = decode(original, facts.format, largest, limits).map_err(VariantError::Rejected)?;
    kinds
        .iter()
        .map(|&kind| variant(&source, facts.orientation, kind))
        .collect()
}

/// `(width, height)` with the long edge at most `long_edge`, never upscaled.
pub(crate) fn fit(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(long_edge).max(1)
    };
    (scale(width), scale(height))
}

fn variant(
    source: &Source,
    orientation: Orientation,
    kind: VariantKind,
) -> Result<EncodedVariant, VariantError> {
    let (width, height) = fit(source.full_width, source.full_height, kind.long_edge());
    let pixels = if (width, height) == (source.width, source.height) {
        source.pixels.clone()
    } else {
        resize(source, width, height)?
    };
    let image = match source.layout {
        Layout::Gray => GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8),
        Layout::Rgb => RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8),
        Layout::Rgba => RgbaImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgba8),
    };
    let mut image = image.ok_or_else(|| anyhow::anyhow!("resized buffer has the wrong size"))?;
    if let Some(turn) = image::metadata::Orientation::from_exif(orientation.to_exif() as u8) {
        image.apply_orientation(turn);
    }
    let (format, bytes) = encode(&image)?;
    Ok(EncodedVariant {
        kind,
        format,
        width: image.width(),
        height: image.height(),
        bytes,
    })
}

fn resize(source: &Source, width: u32, height: u32) -> Result<Vec<u8>, VariantError> {
    let pixel_type = match source.layout {
        Layout::Gray => PixelType::U8,
        Layout::Rgb => PixelType::U8x3,
        Layout::Rgba => PixelType::U8x4,
    };
    let from = ImageRef::new(source.width, source.height, &source.pixels, pixel_type)
        .map_err(anyhow::Error::from)?;
    let mut to = Image::new(width, height, pixel_type);
    // Lanczos3, as libvips uses; alpha is premultiplied while resizing so
    // transparent pixels do not bleed their colour.
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&from, &mut to, &options)
        .map_err(anyhow::Error::from)?;
    Ok(to.into_vec())
}

/// JPEG for opaque images, PNG for images with transparency.
fn encode(image: &DynamicImage) -> Result<(ImageFormat, Vec<u8>), VariantError> {
    let mut bytes = Vec::new();
    let format = if let DynamicImage::ImageRgba8(rgba) = image {
        PngEncoder::new(&mut bytes)
            .write_image(
                rgba.as_raw(),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )
            .map_err(anyhow::Error::from)?;
        ImageFormat::Png
    } else {
        JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(image)
            .map_err(anyhow::Error::from)?;
        ImageFormat::Jpeg
    };
    Ok((format, bytes))
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_the_aspect_ratio_and_never_upscales() {
        assert_eq!(fit(4000, 3000, 400), (400, 300));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(300, 200, 400), (300, 200));
        assert_eq!(fit(10_000, 1, 400), (400, 1));
        assert_eq!(fit(401, 400, 400), (400, 399));
    }
}
