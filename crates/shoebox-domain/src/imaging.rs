//! Images as the business sees them: which formats are accepted, what an
//! upload is allowed to be (size and pixel limits), why one is refused, the
//! facts read from it (dimensions, orientation, taken-at, camera, location),
//! and the variants made from it.
//!
//! Location is personal data: it is extracted here so that the owner can see
//! it, and must never be served to anyone else (SPEC §5).

use std::fmt;

use chrono::NaiveDateTime;

/// The image formats Shoebox accepts, recognised by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    WebP,
    Gif,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown image format {0:?}")]
pub struct UnknownImageFormat(pub String);

impl ImageFormat {
    pub const ALL: [Self; 4] = [Self::Jpeg, Self::Png, Self::WebP, Self::Gif];

    /// The IANA media type, for `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// The usual file extension, without the dot (downloads, exports).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }

    /// The stable name stored in the database; [`ImageFormat::parse`] reads it back.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownImageFormat> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == raw)
            .ok_or_else(|| UnknownImageFormat(raw.to_owned()))
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// How the stored pixels must be turned to be seen upright: the EXIF
/// Orientation tag (1..=8), named as exiftool names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    #[default]
    Normal,
    MirrorHorizontal,
    Rotate180,
    MirrorVertical,
    MirrorHorizontalRotate270,
    Rotate90,
    MirrorHorizontalRotate90,
    Rotate270,
}

impl Orientation {
    pub const ALL: [Self; 8] = [
        Self::Normal,
        Self::MirrorHorizontal,
        Self::Rotate180,
        Self::MirrorVertical,
        Self::MirrorHorizontalRotate270,
        Self::Rotate90,
        Self::MirrorHorizontalRotate90,
        Self::Rotate270,
    ];

    /// `None` for values outside 1..=8 (which cameras do write; callers treat
    /// them as [`Orientation::Normal`]).
    pub fn from_exif(value: u16) -> Option<Self> {
        let index = usize::from(value).checked_sub(1)?;
        Self::ALL.get(index).copied()
    }

    pub fn to_exif(self) -> u16 {
        match self {
            Self::Normal => 1,
            Self::MirrorHorizontal => 2,
            Self::Rotate180 => 3,
            Self::MirrorVertical => 4,
            Self::MirrorHorizontalRotate270 => 5,
            Self::Rotate90 => 6,
            Self::MirrorHorizontalRotate90 => 7,
            Self::Rotate270 => 8,
        }
    }

    /// Whether showing the image upright exchanges its width and height (5..=8).
    pub fn swaps_axes(self) -> bool {
        self.to_exif() >= 5
    }
}

/// Where a photo was taken (WGS 84 degrees; altitude in metres above sea level).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoLocation {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude_m: Option<f64>,
}

/// What the upload inspection learnt about an accepted image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageFacts {
    pub format: ImageFormat,
    /// Stored width, before orientation is applied.
    pub width: u32,
    /// Stored height, before orientation is applied.
    pub height: u32,
    pub orientation: Orientation,
    /// Camera-local time (EXIF has no reliable time zone).
    pub taken_at: Option<NaiveDateTime>,
    /// See [`camera_name`].
    pub camera: Option<String>,
    /// Shown to the owner only.
    pub location: Option<GeoLocation>,
}

impl ImageFacts {
    /// Facts with nothing but the format and the stored dimensions.
    pub fn new(format: ImageFormat, width: u32, height: u32) -> Self {
        Self {
            format,
            width,
            height,
            orientation: Orientation::Normal,
            taken_at: None,
            camera: None,
            location: None,
        }
    }

    /// `(width, height)` as the image is seen, after orientation.
    pub fn displayed_dimensions(&self) -> (u32, u32) {
        if self.orientation.swaps_axes() {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Longest camera name kept, in characters.
pub const MAX_CAMERA_NAME: usize = 200;

/// A display name for a camera from the EXIF Make and Model: trimmed, control
/// characters removed, the make left out when the model already starts with
/// it (Make "Canon", Model "Canon EOS R6" is "Canon EOS R6"; Make "NIKON
/// CORPORATION", Model "NIKON D750" is "NIKON D750"), at most
/// [`MAX_CAMERA_NAME`] characters.
pub fn camera_name(make: Option<&str>, model: Option<&str>) -> Option<String> {
    let clean = |raw: Option<&str>| {
        raw.map(|text| {
            text.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|text| !text.is_empty())
    };
    let name = match (clean(make), clean(model)) {
        (None, None) => return None,
        (Some(make), None) => make,
        (None, Some(model)) => model,
        (Some(make), Some(model)) => {
            let brand = make.split_whitespace().next().unwrap_or_default();
            let repeats_make = model
                .get(..brand.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(brand));
            if repeats_make {
                model
            } else {
                format!("{make} {model}")
            }
        }
    };
    Some(name.chars().take(MAX_CAMERA_NAME).collect())
}

/// What an upload may be. Checked while it streams, before any decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    pub max_bytes: u64,
    /// Width × height; stops decompression bombs before they are decoded.
    pub max_pixels: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_bytes: 50_000_000,
            max_pixels: 100_000_000,
        }
    }
}

/// Why an upload is not accepted as an image. The messages are shown to
/// members as they are; they never name internals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRejection {
    #[error("the file is empty")]
    Empty,
    #[error("not a JPEG, PNG, WebP or GIF image")]
    UnsupportedFormat,
    #[error("the file is larger than the limit of {limit_bytes} bytes")]
    TooLarge { limit_bytes: u64 },
    #[error("the image is {width}×{height} pixels, more than the limit of {limit} pixels")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("the image is truncated: the file ends before the image does")]
    Truncated,
    #[error("the image is corrupt: {reason}")]
    Corrupt { reason: String },
    #[error("data after the end of the image, e.g. a polyglot file")]
    TrailingData,
}

/// The variant of [`ImageRejection`] without its details: a stable code for
/// API error types and for tests that expect "some kind" of rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageRejectionKind {
    Empty,
    UnsupportedFormat,
    TooLarge,
    TooManyPixels,
    Truncated,
    Corrupt,
    TrailingData,
}

impl ImageRejection {
    pub fn corrupt(reason: &str) -> Self {
        Self::Corrupt {
            reason: reason.to_owned(),
        }
    }

    pub fn kind(&self) -> ImageRejectionKind {
        match self {
            Self::Empty => ImageRejectionKind::Empty,
            Self::UnsupportedFormat => ImageRejectionKind::UnsupportedFormat,
            Self::TooLarge { .. } => ImageRejectionKind::TooLarge,
            Self::TooManyPixels { .. } => ImageRejectionKind::TooManyPixels,
            Self::Truncated => ImageRejectionKind::Truncated,
            Self::Corrupt { .. } => ImageRejectionKind::Corrupt,
            Self::TrailingData => ImageRejectionKind::TrailingData,
        }
    }
}

impl ImageRejectionKind {
    /// Stable kebab-case code (e.g. for a problem+json `type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::UnsupportedFormat => "unsupported-format",
            Self::TooLarge => "too-large",
            Self::TooManyPixels => "too-many-pixels",
            Self::Truncated => "truncated",
            Self::Corrupt => "corrupt",
            Self::TrailingData => "trailing-data",
        }
    }
}

/// The downscaled copies made for browsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantKind {
    Thumbnail,
    Preview,
}

impl VariantKind {
    pub const ALL: [Self; 2] = [Self::Thumbnail, Self::Preview];

    /// The longest edge a variant may have, in pixels (never upscaled).
    pub fn long_edge(self) -> u32 {
        match self {
            Self::Thumbnail => 400,
            Self::Preview => 1600,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thumbnail => "thumbnail",
            Self::Preview => "preview",
        }
    }
}

/// A variant ready to store: oriented, scaled, encoded, without metadata.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedVariant {
    pub kind: VariantKind,
    pub format: ImageFormat,
    /// As displayed (orientation already applied).
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for EncodedVariant {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("EncodedVariant")
            .field("kind", &self.kind)
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_stored_name() {
        for format in ImageFormat::ALL {
            assert_eq!(ImageFormat::parse(format.as_str()), Ok(format));
            assert!(format.media_type().starts_with("image/"));
        }
        assert!(ImageFormat::parse("bmp").is_err());
        assert_eq!(ImageFormat::Jpeg.extension(), "jpg");
    }

    #[test]
    fn orientation_reads_exif_values_and_knows_which_swap_axes() {
        assert_eq!(Orientation::from_exif(0), None);
        assert_eq!(Orientation::from_exif(9), None);
        for value in 1..=8 {
            let orientation = Orientation::from_exif(value).unwrap();
            assert_eq!(orientation.to_exif(), value);
            assert_eq!(orientation.swaps_axes(), value >= 5);
        }
        assert_eq!(Orientation::from_exif(6), Some(Orientation::Rotate90));
    }

    #[test]
    fn displayed_dimensions_follow_the_orientation() {
        let mut facts = ImageFacts::new(ImageFormat::Jpeg, 4000, 3000);
        assert_eq!(facts.displayed_dimensions(), (4000, 3000));
        facts.orientation = Orientation::Rotate270;
        assert_eq!(facts.displayed_dimensions(), (3000, 4000));
    }

    #[test]
    fn camera_names_are_clean_and_not_repetitive() {
        assert_eq!(
            camera_name(Some("Canon"), Some("Canon EOS R6")).as_deref(),
            Some("Canon EOS R6")
        );
        assert_eq!(
            camera_name(Some("NIKON CORPORATION "), Some("NIKON D750\0")).as_deref(),
            Some("NIKON D750")
        );
        assert_eq!(
            camera_name(Some("Apple"), Some("iPhone 15")).as_deref(),
            Some("Apple iPhone 15")
        );
        assert_eq!(camera_name(Some("  "), None), None);
        assert_eq!(camera_name(None, Some("X100V")).as_deref(), Some("X100V"));
        let long = "é".repeat(500);
        let name = camera_name(Some("Make"), Some(&long)).unwrap();
        assert_eq!(name.chars().count(), MAX_CAMERA_NAME);
    }

    #[test]
    fn default_limits_are_fifty_megabytes_and_a_hundred_megapixels() {
        let limits = ImageLimits::default();
        assert_eq!(limits.max_bytes, 50_000_000);
        assert_eq!(limits.max_pixels, 100_000_000);
    }

    #[test]
    fn rejections_explain_themselves_without_internals() {
        assert_eq!(
            ImageRejection::UnsupportedFormat.to_string(),
            "not a JPEG, PNG, WebP or GIF image"
        );
        let corrupt = ImageRejection::corrupt("invalid PNG chunk CRC");
        assert_eq!(corrupt.kind().as_str(), "corrupt");
        assert!(corrupt.to_string().ends_with("invalid PNG chunk CRC"));
    }

    #[test]
    fn variants_have_fixed_long_edges() {
        assert_eq!(VariantKind::Thumbnail.long_edge(), 400);
        assert_eq!(VariantKind::Preview.long_edge(), 1600);
    }
}
