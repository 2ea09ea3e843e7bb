use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::BackupId;

/// The manifest layout this binary writes ([`BackupManifest::format`]).
pub const MANIFEST_FORMAT: u32 = 1;

/// What a finished backup records (SPEC §7), written as JSON after the dump:
/// its presence makes the backup complete and restorable.
///
/// Unknown fields are ignored on reading, so a manifest written by a newer
/// binary that added fields still reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    /// Version of this document's layout; [`MANIFEST_FORMAT`] when written here.
    pub format: u32,
    /// The backup this manifest completes.
    pub id: BackupId,
    /// When the dump started (the id is this instant truncated to the second).
    pub started_at: DateTime<Utc>,
    /// When the last byte of the dump was stored.
    pub finished_at: DateTime<Utc>,
    /// Bytes stored (after encryption, when encrypted).
    pub size_bytes: u64,
    /// SHA-256 of the stored bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// Version of the Shoebox binary that made the backup.
    pub app_version: String,
    /// The newest migration applied in the dumped database, if any.
    pub schema_version: Option<String>,
    /// `server_version` of the dumped PostgreSQL.
    pub postgres_version: String,
    /// Rows per table at the dump's snapshot, checked by restore drills.
    pub row_counts: BTreeMap<String, u64>,
    /// How the stored bytes are encrypted (`"age"`), `None` when they are not.
    pub encryption: Option<String>,
    /// The dump's object key; always `id.dump_key()`.
    pub dump_key: String,
}

/// Why a stored manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON, or a required field is missing or of the wrong type.
    #[error("the backup manifest is not readable: {0}")]
    Unreadable(String),
    /// `sha256` is not 64 lowercase hex digits.
    #[error("the backup manifest's sha256 {0:?} is not 64 lowercase hex digits")]
    BadChecksum(String),
    /// `dump_key` is not the key of the manifest's own dump.
    #[error("the backup manifest names the dump {found:?}, expected {expected:?}")]
    WrongDump {
        /// The key in the manifest.
        found: String,
        /// `id.dump_key()`.
        expected: String,
    },
}

impl BackupManifest {
    /// The manifest as stored: pretty-printed JSON, readable by an operator.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        // Strings, numbers, dates and a map with string keys always serialise;
        // were it ever to fail, the empty document would be refused on reading
        // rather than taken for a manifest.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// Reads a stored manifest, ignoring fields it does not know, and checks
    /// that its checksum is well formed and that it names its own dump.
    ///
    /// Errors: [`ManifestError::Unreadable`], [`ManifestError::BadChecksum`],
    /// [`ManifestError::WrongDump`].
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Self, ManifestError> {
        let manifest: Self = serde_json::from_slice(bytes)
            .map_err(|error| ManifestError::Unreadable(error.to_string()))?;
        let lowercase_hex = |byte: u8| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte);
        if manifest.sha256.len() != 64 || !manifest.sha256.bytes().all(lowercase_hex) {
            return Err(ManifestError::BadChecksum(manifest.sha256));
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

/// The outcome of a restore drill (`shoebox backup verify`), stored next to
/// the backup as `<id>.verification.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRecord {
    /// The backup restored.
    pub id: BackupId,
    /// When the drill finished.
    pub verified_at: DateTime<Utc>,
    /// Whether the restore, schema version and row counts all matched.
    pub ok: bool,
    /// What was checked, or what went wrong, in a sentence.
    pub message: String,
    /// How long the drill took.
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
            sha256: "0123456789abcdef".repeat(4),
            app_version: "0.1.0".to_owned(),
            schema_version: Some("2026-11-01-000000".to_owned()),
            postgres_version: "15.18".to_owned(),
            row_counts: BTreeMap::from([("users".to_owned(), 3), ("photos".to_owned(), 0)]),
            encryption: Some("age".to_owned()),
            dump_key: id.dump_key(),
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_ignores_newer_fields() {
        let written = manifest();
        let bytes = written.to_json_bytes();
        assert_eq!(BackupManifest::from_json_bytes(&bytes).unwrap(), written);
        let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["id"], "20261203T140005Z");
        assert_eq!(json["format"], 1);
        json["added_later"] = serde_json::json!({ "by": "a newer binary" });
        let bytes = serde_json::to_vec(&json).unwrap();
        assert_eq!(BackupManifest::from_json_bytes(&bytes).unwrap(), written);
    }

    #[test]
    fn optional_fields_may_be_null_or_absent() {
        let mut written = manifest();
        written.schema_version = None;
        written.encryption = None;
        let mut json = serde_json::to_value(&written).unwrap();
        assert_eq!(json["encryption"], serde_json::Value::Null);
        let object = json.as_object_mut().unwrap();
        object.remove("encryption");
        object.remove("schema_version");
        let bytes = serde_json::to_vec(&json).unwrap();
        assert_eq!(BackupManifest::from_json_bytes(&bytes).unwrap(), written);
    }

    #[test]
    fn a_bad_checksum_is_refused() {
        for sha256 in [
            "0123456789ABCDEF".repeat(4),
            "0123456789abcdef".repeat(4)[1..].to_owned(),
            format!("{}0", "0123456789abcdef".repeat(4)),
            "0123456789abcdeg".repeat(4),
            String::new(),
        ] {
            let mut bad = manifest();
            bad.sha256 = sha256.clone();
            let error = BackupManifest::from_json_bytes(&bad.to_json_bytes()).unwrap_err();
            assert!(
                matches!(&error, ManifestError::BadChecksum(found) if *found == sha256),
                "{error:?}"
            );
            assert!(error.to_string().contains("64 lowercase hex"), "{error}");
        }
    }

    #[test]
    fn a_manifest_naming_another_dump_or_missing_fields_is_refused() {
        let mut bad = manifest();
        bad.dump_key = "backups/2026/12/04/20261203T140005Z.dump".to_owned();
        let error = BackupManifest::from_json_bytes(&bad.to_json_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the backup manifest names the dump \"backups/2026/12/04/20261203T140005Z.dump\", \
             expected \"backups/2026/12/03/20261203T140005Z.dump\""
        );
        for bytes in [
            &b""[..],
            b"not json",
            b"{\"id\": \"20261203T140005Z\"}",
            b"{\"id\": 1}",
        ] {
            let error = BackupManifest::from_json_bytes(bytes).unwrap_err();
            assert!(matches!(error, ManifestError::Unreadable(_)), "{error:?}");
        }
        let mut json = serde_json::to_value(manifest()).unwrap();
        json["id"] = serde_json::json!("2026-12-03");
        let error =
            BackupManifest::from_json_bytes(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert!(error.to_string().contains("YYYYMMDDTHHMMSSZ"), "{error}");
    }

    #[test]
    fn a_verification_record_round_trips() {
        let record = VerificationRecord {
            id: "20261203T140005Z".parse().unwrap(),
            verified_at: "2026-12-04T03:00:00Z".parse().unwrap(),
            ok: false,
            message: "photos: 12 rows restored, the manifest says 13".to_owned(),
            duration_ms: 5_300,
        };
        let json = serde_json::to_string(&record).unwrap();
        assert!(json.contains("\"id\":\"20261203T140005Z\""), "{json}");
        assert_eq!(
            serde_json::from_str::<VerificationRecord>(&json).unwrap(),
            record
        );
    }
}
