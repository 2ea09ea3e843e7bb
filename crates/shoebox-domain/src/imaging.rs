//! STUB (replaced by the imaging branch at merge): image formats, facts and limits.

use chrono::NaiveDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl ImageFormat {
    pub fn media_type(&self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
        }
    }
    pub fn extension(&self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::WebP, Self::Gif]
            .into_iter()
            .find(|f| f.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orientation(u8);
impl Orientation {
    pub fn from_exif(value: u16) -> Option<Self> {
        (1..=8).contains(&value).then_some(Self(value as u8))
    }
    pub fn value(&self) -> u8 {
        self.0
    }
    pub fn swaps_axes(&self) -> bool {
        self.0 >= 5
    }
}
impl Default for Orientation {
    fn default() -> Self {
        Self(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoLocation {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageFacts {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub taken_at: Option<NaiveDateTime>,
    pub camera: Option<String>,
    pub location: Option<GeoLocation>,
}
impl ImageFacts {
    pub fn displayed_dimensions(&self) -> (u32, u32) {
        if self.orientation.swaps_axes() {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    pub max_bytes: u64,
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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRejection {
    #[error("the file is empty")]
    Empty,
    #[error("not a JPEG, PNG, WebP or GIF image")]
    UnsupportedFormat,
    #[error("the file is larger than {limit_bytes} bytes")]
    TooLarge { limit_bytes: u64 },
    #[error("the image is {width}x{height} pixels, more than the {limit} allowed")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("the image is truncated")]
    Truncated,
    #[error("the image is corrupt: {reason}")]
    Corrupt { reason: String },
    #[error("data after the end of the image, e.g. a polyglot file")]
    TrailingData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantKind {
    Thumbnail,
    Preview,
}
impl VariantKind {
    pub fn long_edge(&self) -> u32 {
        match self {
            Self::Thumbnail => 400,
            Self::Preview => 1600,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Thumbnail => "thumbnail",
            Self::Preview => "preview",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedVariant {
    pub kind: VariantKind,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}
