//! Response bodies of the admin backup routes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shoebox_domain::backups::{BackupState, VerificationRecord};
use shoebox_ports::inbound::{BackupListing, BackupOverview, BackupStatus};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BackupStateDto {
    /// Dump and manifest: restorable.
    Complete,
    /// A dump without its manifest: still running, or failed. Never restored.
    Incomplete,
}

/// The latest restore drill of a backup.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationResponse {
    /// The backup restored.
    pub backup_id: String,
    pub verified_at: DateTime<Utc>,
    /// Whether the restore, the schema version and every row count matched.
    pub ok: bool,
    /// What was checked, or what went wrong.
    pub message: String,
    pub duration_ms: u64,
}

impl From<VerificationRecord> for VerificationResponse {
    fn from(record: VerificationRecord) -> Self {
        Self {
            backup_id: record.id.to_string(),
            verified_at: record.verified_at,
            ok: record.ok,
            message: record.message,
            duration_ms: record.duration_ms,
        }
    }
}

/// One backup.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupResponse {
    /// The UTC second it started, e.g. `20261204T061500Z`.
    pub id: String,
    pub state: BackupStateDto,
    pub started_at: DateTime<Utc>,
    /// Set for complete backups.
    pub finished_at: Option<DateTime<Utc>>,
    /// Bytes stored (after encryption, when encrypted).
    pub size_bytes: u64,
    /// `age` when encrypted at rest; none otherwise (or when incomplete).
    pub encryption: Option<String>,
    pub app_version: Option<String>,
    pub schema_version: Option<String>,
    pub verification: Option<VerificationResponse>,
}

impl From<BackupListing> for BackupResponse {
    fn from(listing: BackupListing) -> Self {
        let manifest = listing.manifest;
        Self {
            id: listing.id.to_string(),
            state: match listing.state {
                BackupState::Complete => BackupStateDto::Complete,
                BackupState::Incomplete => BackupStateDto::Incomplete,
            },
            started_at: listing.id.started_at(),
            finished_at: manifest.as_ref().map(|manifest| manifest.finished_at),
            size_bytes: listing.size_bytes,
            encryption: manifest
                .as_ref()
                .and_then(|manifest| manifest.encryption.clone()),
            app_version: manifest
                .as_ref()
                .map(|manifest| manifest.app_version.clone()),
            schema_version: manifest.and_then(|manifest| manifest.schema_version),
            verification: listing.verification.map(Into::into),
        }
    }
}

/// The figures the metrics report too.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupStatusResponse {
    /// Id of the newest complete backup.
    pub last_success_id: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_duration_seconds: Option<f64>,
    pub last_size_bytes: Option<u64>,
    /// Complete backups kept.
    pub retained: u64,
    /// Dumps without a manifest.
    pub incomplete: u64,
    pub last_verification: Option<VerificationResponse>,
}

impl From<BackupStatus> for BackupStatusResponse {
    fn from(status: BackupStatus) -> Self {
        let last = status.last_success.as_ref();
        Self {
            last_success_id: last.map(|manifest| manifest.id.to_string()),
            last_success_at: last.map(|manifest| manifest.finished_at),
            last_duration_seconds: last
                .map(|manifest| (manifest.finished_at - manifest.started_at).as_seconds_f64()),
            last_size_bytes: last.map(|manifest| manifest.size_bytes),
            retained: status.retained,
            incomplete: status.incomplete,
            last_verification: status.last_verification.map(Into::into),
        }
    }
}

/// Every backup, newest first, with the status figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupsResponse {
    pub status: BackupStatusResponse,
    /// Whether new backups are encrypted (age recipients configured).
    pub encrypted: bool,
    /// Whether the in-app scheduler backs up (hourly by default) and verifies (daily).
    pub scheduled: bool,
    /// The server's clock, to compute ages against.
    pub now: DateTime<Utc>,
    pub items: Vec<BackupResponse>,
}

impl From<BackupOverview> for BackupsResponse {
    fn from(overview: BackupOverview) -> Self {
        Self {
            status: overview.status.into(),
            encrypted: overview.encrypted,
            scheduled: overview.scheduled,
            now: overview.now,
            items: overview.backups.into_iter().map(Into::into).collect(),
        }
    }
}

/// A backup queued by "back up now".
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupRequestedResponse {
    /// The job that makes it (see `/api/v1/admin/jobs`); the one already
    /// waiting or running when there is one.
    pub job_id: Uuid,
}
