//! The admin's view of backups, and the figures the metrics report.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    auth::Actor,
    backups::{BackupId, BackupManifest, BackupState, VerificationRecord},
    jobs::JobId,
};

/// A backup as `list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupListing {
    pub id: BackupId,
    pub state: BackupState,
    /// Bytes of the dump object.
    pub size_bytes: u64,
    pub manifest: Option<BackupManifest>,
    /// The latest restore drill of this backup.
    pub verification: Option<VerificationRecord>,
}

/// SPEC §7's metrics, read from the store, so that every replica reports the
/// same figures whichever process made the backup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupStatus {
    /// The newest complete backup.
    pub last_success: Option<BackupManifest>,
    /// Complete backups kept.
    pub retained: u64,
    /// Dumps without a manifest (in progress, or failed and not yet pruned).
    pub incomplete: u64,
    /// The most recent verification of any backup.
    pub last_verification: Option<VerificationRecord>,
}

impl BackupStatus {
    /// Derives the figures from a listing.
    pub fn of(listings: &[BackupListing]) -> Self {
        let complete = listings
            .iter()
            .filter_map(|listing| listing.manifest.as_ref());
        Self {
            last_success: complete.clone().max_by_key(|manifest| manifest.id).cloned(),
            retained: complete.count() as u64,
            incomplete: listings
                .iter()
                .filter(|listing| listing.manifest.is_none())
                .count() as u64,
            last_verification: listings
                .iter()
                .filter_map(|listing| listing.verification.as_ref())
                .max_by_key(|record| record.verified_at)
                .cloned(),
        }
    }
}

/// What the admin page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupOverview {
    /// Newest first.
    pub backups: Vec<BackupListing>,
    pub status: BackupStatus,
    /// Whether new backups are encrypted (recipients are configured).
    pub encrypted: bool,
    /// Whether the in-app scheduler makes backups.
    pub scheduled: bool,
    pub now: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupAdminError {
    #[error("only admins may do this")]
    Forbidden,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait BackupAdministration: Send + Sync {
    /// Every backup, newest first, with the status figures.
    /// Errors: `Forbidden` unless the actor is an admin; `Unexpected`.
    async fn overview(&self, actor: Actor) -> Result<BackupOverview, BackupAdminError>;

    /// Queues a backup now (then a prune), or returns the one already
    /// queued or running.
    /// Errors: `Forbidden`; `Unexpected`.
    async fn back_up_now(&self, actor: Actor) -> Result<JobId, BackupAdminError>;

    /// The status figures, for the metrics endpoint (no actor: the figures
    /// carry no member data).
    async fn status(&self) -> anyhow::Result<BackupStatus>;
}
