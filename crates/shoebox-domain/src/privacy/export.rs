//! Data exports (SPEC §8): a ZIP of a member's profile, albums and original
//! photos, built by a job, downloadable by that member only, for seven days.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::{accounts::UserId, storage::ObjectKey};

/// How long a finished export can be downloaded before the sweeper removes it.
pub const EXPORT_LIFETIME: TimeDelta = TimeDelta::days(7);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExportId(Uuid);

impl ExportId {
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

impl Default for ExportId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ExportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an export's ZIP lives: under the member's own prefix, so that
/// erasing the member removes it with everything else they own.
pub fn export_object_key(owner: UserId, id: ExportId) -> ObjectKey {
    let raw = format!("users/{owner}/exports/{id}.zip");
    ObjectKey::parse(&raw).unwrap_or_else(|_| unreachable!("UUIDs form valid keys"))
}

/// The export a key names, when it is an export's key.
pub fn export_of_key(key: &ObjectKey) -> Option<(UserId, ExportId)> {
    let mut parts = key.as_str().split('/');
    let (Some("users"), Some(user), Some("exports"), Some(file), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let user = Uuid::parse_str(user).ok()?;
    let export = Uuid::parse_str(file.strip_suffix(".zip")?).ok()?;
    Some((UserId::from_uuid(user), ExportId::from_uuid(export)))
}

/// Where an export stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportStatus {
    /// Waiting for, or being built by, its job.
    Pending,
    /// Built; downloadable until `expires_at`.
    Ready,
    /// The job gave up; the member may ask again.
    Failed,
}

impl ExportStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "ready" => Some(Self::Ready),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One export a member asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataExport {
    pub id: ExportId,
    pub owner_id: UserId,
    pub status: ExportStatus,
    pub requested_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When a ready export stops being downloadable (finished + 7 days).
    pub expires_at: Option<DateTime<Utc>>,
    /// Size of the ZIP, once ready.
    pub size_bytes: Option<u64>,
    /// Original photos in the ZIP, once ready.
    pub photo_count: Option<u64>,
}

impl DataExport {
    pub fn requested(owner: UserId, now: DateTime<Utc>) -> Self {
        Self {
            id: ExportId::new(),
            owner_id: owner,
            status: ExportStatus::Pending,
            requested_at: now,
            finished_at: None,
            expires_at: None,
            size_bytes: None,
            photo_count: None,
        }
    }

    pub fn object_key(&self) -> ObjectKey {
        export_object_key(self.owner_id, self.id)
    }

    /// Whether the owner may download it at `now`.
    pub fn downloadable(&self, now: DateTime<Utc>) -> Result<(), ExportError> {
        match self.status {
            ExportStatus::Pending => Err(ExportError::NotReady),
            ExportStatus::Failed => Err(ExportError::Failed),
            ExportStatus::Ready => match self.expires_at {
                Some(expires_at) if now < expires_at => Ok(()),
                _ => Err(ExportError::Expired),
            },
        }
    }
}

/// What the export job puts in the ZIP, and how the archive is laid out.
pub mod layout {
    /// The member's profile.
    pub const PROFILE: &str = "profile.json";
    /// Their albums: titles, descriptions, photo order, share links.
    pub const ALBUMS: &str = "albums.json";
    /// Every photo's details, and the file in `photos/` holding its original.
    pub const PHOTOS: &str = "photos.json";
    /// What the files are, in plain words.
    pub const README: &str = "README.txt";
    /// Folder of the original photos.
    pub const PHOTOS_DIR: &str = "photos";
}

/// Why an export could not be requested or downloaded.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No such export of this member's (another member's looks the same).
    #[error("no such export")]
    NotFound,
    #[error("the export is still being built")]
    NotReady,
    #[error("the export failed; ask for a new one")]
    Failed,
    #[error("the export expired; exports can be downloaded for 7 days")]
    Expired,
    #[error("an export is already being built; wait for it to finish")]
    AlreadyPending,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn ready(now: DateTime<Utc>) -> DataExport {
        DataExport {
            status: ExportStatus::Ready,
            finished_at: Some(now),
            expires_at: Some(now + EXPORT_LIFETIME),
            size_bytes: Some(10),
            photo_count: Some(1),
            ..DataExport::requested(UserId::from_uuid(Uuid::from_u128(1)), now)
        }
    }

    #[test]
    fn an_export_is_downloadable_for_seven_days_once_ready() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap();
        let export = ready(now);
        assert!(export.downloadable(now).is_ok());
        assert!(
            export
                .downloadable(now + EXPORT_LIFETIME - TimeDelta::seconds(1))
                .is_ok()
        );
        assert!(matches!(
            export.downloadable(now + EXPORT_LIFETIME),
            Err(ExportError::Expired)
        ));
        let pending = DataExport::requested(export.owner_id, now);
        assert!(matches!(
            pending.downloadable(now),
            Err(ExportError::NotReady)
        ));
        let failed = DataExport {
            status: ExportStatus::Failed,
            ..pending
        };
        assert!(matches!(failed.downloadable(now), Err(ExportError::Failed)));
    }

    #[test]
    fn the_zip_lives_under_the_owners_prefix() {
        let export = ready(Utc::now());
        assert!(super::super::objects_prefix_of(export.owner_id).covers(&export.object_key()));
        assert!(export.object_key().as_str().ends_with(".zip"));
        assert_eq!(
            export_of_key(&export.object_key()),
            Some((export.owner_id, export.id))
        );
        for other in [
            "users/x/exports/y.zip",
            "users/1/photos/2/original",
            "exports/a.zip",
        ] {
            assert_eq!(
                export_of_key(&ObjectKey::parse(other).unwrap()),
                None,
                "{other}"
            );
        }
        assert_eq!(
            crate::photos::photo_of_key(&export.object_key()),
            None,
            "the orphan sweeper must not take it for a photo file"
        );
        for status in [
            ExportStatus::Pending,
            ExportStatus::Ready,
            ExportStatus::Failed,
        ] {
            assert_eq!(ExportStatus::parse(status.as_str()), Some(status));
        }
    }
}
