use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::BackupId;

/// What a finished backup records (SPEC §7), written as JSON after the dump:
/// its presence makes the backup complete and restorable. Unknown fields are
/// ignored, so a newer binary's manifest still reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    /// Version of this document's layout.
    pub format: u32,
    pub id: BackupId,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Bytes stored (after encryption, when encrypted).
    pub size_bytes: u64,
    /// SHA-256 of the stored bytes, lowercase hex.
    pub sha256: String,
    pub app_version: String,
    /// The newest migration in the dump.
    pub schema_version: Option<String>,
    pub postgres_version: String,
    /// Rows per table at the dump's snapshot.
    pub row_counts: BTreeMap<String, u64>,
    /// `Some("age")` when the dump is encrypted.
    pub encryption: Option<String>,
    pub dump_key: String,
}

/// The manifest layout this binary writes.
pub const MANIFEST_FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("the manifest is not valid JSON of a backup manifest: {0}")]
    Unreadable(String),
    #[error("the manifest's checksum is not a SHA-256 in lowercase hex")]
    BadChecksum,
    #[error("the manifest names the dump {found:?}, expected {expected:?}")]
    WrongDump { found: String, expected: String },
}

impl BackupManifest {
    pub fn format() -> u32 {
        MANIFEST_FORMAT
    }

    pub fn to_json_bytes(&self) -> Vec<u8> {
        // A struct of strings, numbers and maps with string keys always serialises.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub fn from_json_bytes(bytes: &[u8]) -> Result<Self, ManifestError> {
        let manifest: Self = serde_json::from_slice(bytes)
            .map_err(|error| ManifestError::Unreadable(error.to_string()))?;
        if manifest.sha256.len() != 64
            || !manifest
                .sha256
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        {
            return Err(ManifestError::BadChecksum);
        }
        let expected = manifest.id.dump_key();
        if manifest.dump_key != expected {
            return Err(ManifestError::WrongDump {
                found: manifest.dump_key,
                expected,
            });
        }
        Ok(manifest)
    }
}

/// The outcome of a restore drill (`backup verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRecord {
    pub id: BackupId,
    pub verified_at: DateTime<Utc>,
    pub ok: bool,
    /// What was checked, or what went wrong, in a sentence.
    pub message: String,
    pub duration_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> BackupManifest {
        let id: BackupId = "20261203T140005Z".parse().unwrap();
        BackupManifest {
            format: MANIFEST_FORMAT,
            id,
            started_at: id.started_at(),
            finished_at: id.started_at() + chrono::TimeDelta::seconds(42),
            size_bytes: 1234,
            sha256: "ab".repeat(32),
            app_version: "0.1.0".to_owned(),
            schema_version: Some("2026-11-01-000000".to_owned()),
            postgres_version: "15.18".to_owned(),
            row_counts: BTreeMap::from([("users".to_owned(), 3)]),
            encryption: None,
            dump_key: id.dump_key(),
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_ignores_newer_fields() {
        let written = manifest();
        assert_eq!(
            BackupManifest::from_json_bytes(&written.to_json_bytes()).unwrap(),
            written
        );
        let mut json: serde_json::Value = serde_json::from_slice(&written.to_json_bytes()).unwrap();
        json["added_later"] = serde_json::json!(true);
        let bytes = serde_json::to_vec(&json).unwrap();
        assert_eq!(BackupManifest::from_json_bytes(&bytes).unwrap(), written);
    }

    #[test]
    fn a_manifest_with_a_bad_checksum_or_another_dump_is_refused() {
        let mut bad = manifest();
        bad.sha256 = "AB".repeat(32);
        assert!(matches!(
            BackupManifest::from_json_bytes(&bad.to_json_bytes()),
            Err(ManifestError::BadChecksum)
        ));
        let mut bad = manifest();
        bad.dump_key = "backups/2026/12/03/other.dump".to_owned();
        assert!(matches!(
            BackupManifest::from_json_bytes(&bad.to_json_bytes()),
            Err(ManifestError::WrongDump { .. })
        ));
        assert!(matches!(
            BackupManifest::from_json_bytes(b"{\"id\": 1}"),
            Err(ManifestError::Unreadable(_))
        ));
    }
}
