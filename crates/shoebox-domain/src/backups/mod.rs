//! Backups (SPEC §7): how a backup is named and where its objects live
//! ([`BackupId`]), what its manifest records ([`BackupManifest`]), the result
//! of a restore drill ([`VerificationRecord`]), and which backups the
//! retention policy keeps ([`retention_decisions`]).

mod id;
mod manifest;
mod retention;

pub use id::{BACKUP_PREFIX, BackupId, BackupObjectKind, InvalidBackupId};
pub use manifest::{BackupManifest, MANIFEST_FORMAT, ManifestError, VerificationRecord};
pub use retention::{
    BackupState, BackupSummary, Decision, InvalidRetentionPolicy, RetentionPolicy, Rule,
    retention_decisions,
};
