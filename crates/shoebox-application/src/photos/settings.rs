//! The photo policy an operator can tune (`[photos]`, `SHOEBOX_PHOTOS__*`).

use shoebox_domain::imaging::ImageLimits;

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PhotoSettings {
    /// Largest accepted file, in bytes.
    pub max_upload_bytes: u64,
    /// Largest accepted image, in pixels (width × height), checked from the
    /// header before anything is decoded.
    pub max_pixels: u64,
    /// Storage each member may use (originals and variants), in bytes; none
    /// when unset.
    pub quota_bytes: Option<u64>,
    /// Answer file requests with a redirect to a short-lived URL of the store
    /// itself, when it offers them (S3).
    pub redirect_to_store: bool,
    /// Objects without a photo row are removed once older than this.
    pub orphan_grace_hours: u64,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        let limits = ImageLimits::default();
        Self {
            max_upload_bytes: limits.max_bytes,
            max_pixels: limits.max_pixels,
            quota_bytes: None,
            redirect_to_store: false,
            orphan_grace_hours: 24,
        }
    }
}

impl PhotoSettings {
    /// How old an object without a photo row must be before it is swept.
    pub fn orphan_grace(&self) -> chrono::TimeDelta {
        let hours = i64::try_from(self.orphan_grace_hours).unwrap_or(i64::MAX);
        chrono::TimeDelta::try_hours(hours).unwrap_or(chrono::TimeDelta::MAX)
    }

    pub fn limits(&self) -> ImageLimits {
        ImageLimits {
            max_bytes: self.max_upload_bytes,
            max_pixels: self.max_pixels,
        }
    }
}

impl PhotoSettings {
    /// One line naming the first invalid key.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_upload_bytes == 0 {
            return Err("photos.max_upload_bytes must be at least 1".to_owned());
        }
        if self.max_pixels == 0 {
            return Err("photos.max_pixels must be at least 1".to_owned());
        }
        if self.quota_bytes == Some(0) {
            return Err(
                "photos.quota_bytes must be at least 1 (leave it unset for no quota)".to_owned(),
            );
        }
        if self.orphan_grace_hours == 0 {
            return Err(
                "photos.orphan_grace_hours must be at least 1: uploads in flight need time"
                    .to_owned(),
            );
        }
        Ok(())
    }
}
