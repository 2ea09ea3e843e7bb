//! Decoding an original into the pixels variants are made from, at the
//! smallest size that still serves the largest variant.
//!
//! JPEG takes the fast path: jpeg-decoder's scaled decode runs the inverse
//! DCT at 1/2, 1/4 or 1/8 size ("shrink on load", as libvips does), so a
//! 12-megapixel photo becomes a 500×375 thumbnail source without ever
//! existing at full size. Everything else (and JPEGs jpeg-decoder cannot
//! give as 8-bit grey or RGB, e.g. CMYK) goes through the `image` crate.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use jpeg_decoder::{Decoder, PixelFormat};
use shoebox_domain::imaging::{ImageFormat, ImageLimits, ImageRejection};

/// How the decoded bytes are laid out: 1, 3 or 4 bytes a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Gray,
    Rgb,
    /// Only when some pixel is not fully opaque.
    Rgba,
}

/// Decoded pixels, possibly smaller than the original.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) pixels: Vec<u8>,
    pub(crate) layout: Layout,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// The original's dimensions, which variant sizes are computed from.
    pub(crate) full_width: u32,
    pub(crate) full_height: u32,
}

fn undecodable() -> ImageRejection {
    ImageRejection::corrupt("the image data cannot be decoded")
}

fn check_pixels(width: u32, height: u32, limits: ImageLimits) -> Result<(), ImageRejection> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageRejection::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    Ok(())
}

/// Decodes `original` so that its long edge is at least `long_edge` (or
/// full size when the original is smaller).
pub(crate) fn decode(
    original: &[u8],
    format: ImageFormat,
    long_edge: u32,
    limits: ImageLimits,
) -> Result<Source, ImageRejection> {
    if format == ImageFormat::Jpeg {
        match decode_jpeg_scaled(original, long_edge, limits) {
            Ok(Some(source)) => return Ok(source),
            Err(rejection @ ImageRejection::TooManyPixels { .. }) => return Err(rejection),
            // Not grey or RGB, or jpeg-decoder refused it: the general decoder
            // has the last word.
            Ok(None) | Err(_) => {}
        }
    }
    decode_general(original, format, limits)
}

fn decode_jpeg_scaled(
    original: &[u8],
    long_edge: u32,
    limits: ImageLimits,
) -> Result<Option<Source>, ImageRejection> {
    let mut decoder = Decoder::new(original);
    decoder.read_info().map_err(|_| undecodable())?;
    let info = decoder.info().ok_or_else(undecodable)?;
    let (full_width, full_height) = (u32::from(info.width), u32::from(info.height));
    check_pixels(full_width, full_height, limits)?;
    let layout = match info.pixel_format {
        PixelFormat::L8 => Layout::Gray,
        PixelFormat::RGB24 => Layout::Rgb,
        PixelFormat::L16 | PixelFormat::CMYK32 => return Ok(None),
    };
    let long = full_width.max(full_height);
    if long > long_edge {
        let request = |side: u32| {
            let scaled = (u64::from(side) * u64::from(long_edge)).div_ceil(u64::from(long));
            u16::try_from(scaled.max(1)).unwrap_or(u16::MAX)
        };
        decoder
            .scale(request(full_width), request(full_height))
            .map_err(|_| undecodable())?;
    }
    let pixels = decoder.decode().map_err(|_| undecodable())?;
    let info = decoder.info().ok_or_else(undecodable)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let channels = if layout == Layout::Gray { 1 } else { 3 };
    if pixels.len() != width as usize * height as usize * channels {
        return Err(undecodable());
    }
    Ok(Some(Source {
        pixels,
        layout,
        width,
        height,
        full_width,
        full_height,
    }))
}

fn decode_general(
    original: &[u8],
    format: ImageFormat,
    limits: ImageLimits,
) -> Result<Source, ImageRejection> {
    let format = match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
        ImageFormat::Gif => image::ImageFormat::Gif,
    };
    let mut reader = ImageReader::with_format(Cursor::new(original), format);
    let mut decoder_limits = Limits::default();
    // Up to 16-bit RGBA at the pixel limit, and not a byte more.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decoder_limits);
    let decoder = reader.into_decoder().map_err(|_| undecodable())?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, limits)?;
    let image = DynamicImage::from_decoder(decoder).map_err(|_| undecodable())?;
    let (layout, pixels) = if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        if rgba.pixels().all(|pixel| pixel.0[3] == u8::MAX) {
            (
                Layout::Rgb,
                DynamicImage::ImageRgba8(rgba).into_rgb8().into_raw(),
            )
        } else {
            (Layout::Rgba, rgba.into_raw())
        }
    } else if image.color().has_color() {
        (Layout::Rgb, image.into_rgb8().into_raw())
    } else {
        (Layout::Gray, image.into_luma8().into_raw())
    };
    Ok(Source {
        pixels,
        layout,
        width,
        height,
        full_width: width,
        full_height: height,
    })
}
