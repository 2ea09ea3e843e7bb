//! The photo entity and the values it is made of.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

use super::{Caption, OriginalName, PhotoFile};
use crate::{
    accounts::UserId,
    imaging::{GeoLocation, ImageFacts, ImageFormat, Orientation, VariantKind},
};

/// Identifies a photo. UUIDv7: identifiers sort by upload time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoId(Uuid);

impl PhotoId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for PhotoId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for PhotoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// SHA-256 of an original file: the per-member de-duplication key, and the
/// original's ETag.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({})", self.to_hex())
    }
}

/// Where a photo is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoStatus {
    /// Stored and inspected; its variants are being made.
    Processing,
    /// Thumbnail and preview exist.
    Ready,
    /// The variants cannot be made; the reason is shown to the owner.
    Failed { reason: String },
}

impl PhotoStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Ready => "ready",
            Self::Failed { .. } => "failed",
        }
    }
}

/// A variant made from the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoVariant {
    pub kind: VariantKind,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub size_bytes: u64,
    pub sha256: Sha256Digest,
}

/// What everyone but the owner gets when they ask for the original: its
/// metadata may place the photo (EXIF, XMP, IPTC), which is the owner's alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedOriginal {
    /// Not looked at yet (the photo is still processing): withheld.
    Unchecked,
    /// The original holds no location: the original itself.
    Same,
    /// A copy with the location removed, stored beside the original.
    Scrubbed {
        size_bytes: u64,
        sha256: Sha256Digest,
    },
}

/// A photo as stored. `location` is the owner's alone: every view for someone
/// else goes through [`Photo::as_seen_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub id: PhotoId,
    pub owner_id: UserId,
    pub status: PhotoStatus,
    pub format: ImageFormat,
    pub size_bytes: u64,
    pub sha256: Sha256Digest,
    /// Displayed dimensions (orientation applied).
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub taken_at: Option<NaiveDateTime>,
    pub camera: Option<String>,
    pub location: Option<GeoLocation>,
    pub caption: Option<Caption>,
    pub original_name: Option<OriginalName>,
    pub variants: Vec<PhotoVariant>,
    pub shared_original: SharedOriginal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Photo {
    /// The photo as `viewer` may see it: location metadata only for its owner.
    pub fn as_seen_by(mut self, viewer: Option<UserId>) -> Self {
        if viewer != Some(self.owner_id) {
            self.location = None;
        }
        self
    }

    /// Which file `viewer` gets when asking for the original: the file as
    /// uploaded for its owner; for anyone else the same file when it holds
    /// no location, a copy without it, or nothing until that is known.
    pub fn original_for(&self, viewer: Option<UserId>) -> Option<PhotoFile> {
        if viewer == Some(self.owner_id) {
            return Some(PhotoFile::Original);
        }
        match self.shared_original {
            SharedOriginal::Same => Some(PhotoFile::Original),
            SharedOriginal::Scrubbed { .. } => Some(PhotoFile::SharedOriginal),
            SharedOriginal::Unchecked => None,
        }
    }

    pub fn variant(&self, kind: VariantKind) -> Option<&PhotoVariant> {
        self.variants.iter().find(|variant| variant.kind == kind)
    }

    /// Bytes this photo occupies in storage: original and variants.
    pub fn stored_bytes(&self) -> u64 {
        let shared = match self.shared_original {
            SharedOriginal::Scrubbed { size_bytes, .. } => size_bytes,
            SharedOriginal::Unchecked | SharedOriginal::Same => 0,
        };
        self.size_bytes + shared + self.variants.iter().map(|v| v.size_bytes).sum::<u64>()
    }
}

/// A photo about to be recorded: its original is already in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPhoto {
    pub id: PhotoId,
    pub owner_id: UserId,
    pub facts: ImageFacts,
    pub size_bytes: u64,
    pub sha256: Sha256Digest,
    pub original_name: Option<OriginalName>,
    pub created_at: DateTime<Utc>,
}

impl NewPhoto {
    /// The photo row this becomes, in `processing` state.
    pub fn into_photo(self) -> Photo {
        let (width, height) = self.facts.displayed_dimensions();
        Photo {
            id: self.id,
            owner_id: self.owner_id,
            status: PhotoStatus::Processing,
            format: self.facts.format,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            width,
            height,
            orientation: self.facts.orientation,
            taken_at: self.facts.taken_at,
            camera: self.facts.camera,
            location: self.facts.location,
            caption: None,
            original_name: self.original_name,
            variants: Vec::new(),
            shared_original: SharedOriginal::Unchecked,
            created_at: self.created_at,
            updated_at: self.created_at,
        }
    }
}

/// What the owner may change on a photo. `None` leaves a field alone;
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoUpdate {
    pub caption: Option<Option<Caption>>,
}

/// Order of a photo listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PhotoOrder {
    /// Most recently uploaded first.
    #[default]
    Newest,
    /// Most recently taken first; photos without a date sort by upload time.
    TakenAt,
}

/// How much storage a member uses, and their limit if one is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageUsage {
    pub used_bytes: u64,
    pub quota_bytes: Option<u64>,
}

impl StorageUsage {
    /// Bytes that may still be added; `None` when there is no quota.
    pub fn remaining(&self) -> Option<u64> {
        self.quota_bytes
            .map(|quota| quota.saturating_sub(self.used_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::ImageFacts;

    fn photo(shared_original: SharedOriginal) -> Photo {
        let mut photo = NewPhoto {
            id: PhotoId::new(),
            owner_id: UserId::new(),
            facts: ImageFacts {
                format: ImageFormat::Jpeg,
                width: 4,
                height: 3,
                orientation: Orientation::default(),
                taken_at: None,
                camera: None,
                location: None,
            },
            size_bytes: 100,
            sha256: Sha256Digest::from_bytes([1; 32]),
            original_name: None,
            created_at: Utc::now(),
        }
        .into_photo();
        photo.shared_original = shared_original;
        photo
    }

    #[test]
    fn only_the_owner_gets_the_original_as_uploaded_unless_it_holds_no_location() {
        let scrubbed = SharedOriginal::Scrubbed {
            size_bytes: 90,
            sha256: Sha256Digest::from_bytes([2; 32]),
        };
        for shared in [SharedOriginal::Unchecked, SharedOriginal::Same, scrubbed] {
            let photo = photo(shared.clone());
            assert_eq!(
                photo.original_for(Some(photo.owner_id)),
                Some(PhotoFile::Original)
            );
            let expected = match shared {
                SharedOriginal::Unchecked => None,
                SharedOriginal::Same => Some(PhotoFile::Original),
                SharedOriginal::Scrubbed { .. } => Some(PhotoFile::SharedOriginal),
            };
            assert_eq!(photo.original_for(Some(UserId::new())), expected);
            assert_eq!(photo.original_for(None), expected);
        }
    }

    #[test]
    fn a_scrubbed_copy_counts_as_stored() {
        let scrubbed = SharedOriginal::Scrubbed {
            size_bytes: 90,
            sha256: Sha256Digest::from_bytes([2; 32]),
        };
        assert_eq!(photo(SharedOriginal::Same).stored_bytes(), 100);
        assert_eq!(photo(scrubbed).stored_bytes(), 190);
    }
}
