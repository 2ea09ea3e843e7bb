use std::{fmt, str::FromStr};

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where every backup object lives in the store.
pub const BACKUP_PREFIX: &str = "backups/";

const FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A backup, named by the UTC second it started: `20261203T140000Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BackupId(DateTime<Utc>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a backup id (expected YYYYMMDDTHHMMSSZ, e.g. 20261203T140000Z)")]
pub struct InvalidBackupId(pub String);

/// The objects a backup is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupObjectKind {
    /// The archive (`pg_dump --format=custom`, maybe encrypted).
    Dump,
    /// Written last: without it the backup is incomplete.
    Manifest,
    /// The outcome of the latest restore drill.
    Verification,
}

impl BackupObjectKind {
    fn suffix(self) -> &'static str {
        match self {
            Self::Dump => ".dump",
            Self::Manifest => ".manifest.json",
            Self::Verification => ".verification.json",
        }
    }
}

impl BackupId {
    /// The backup started at `time` (sub-seconds dropped).
    pub fn from_time(time: DateTime<Utc>) -> Self {
        Self(time.trunc_subsecs(0))
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.0
    }

    /// `backups/YYYY/MM/DD/<id><suffix>`.
    pub fn key(&self, kind: BackupObjectKind) -> String {
        format!(
            "{BACKUP_PREFIX}{}/{self}{}",
            self.0.format("%Y/%m/%d"),
            kind.suffix()
        )
    }

    pub fn dump_key(&self) -> String {
        self.key(BackupObjectKind::Dump)
    }

    pub fn manifest_key(&self) -> String {
        self.key(BackupObjectKind::Manifest)
    }

    pub fn verification_key(&self) -> String {
        self.key(BackupObjectKind::Verification)
    }

    /// The backup and kind of object a key holds; `None` for any other key,
    /// including one whose date folders disagree with its id.
    pub fn from_key(key: &str) -> Option<(Self, BackupObjectKind)> {
        let name = key.rsplit('/').next()?;
        [
            BackupObjectKind::Dump,
            BackupObjectKind::Manifest,
            BackupObjectKind::Verification,
        ]
        .into_iter()
        .find_map(|kind| {
            let id: Self = name.strip_suffix(kind.suffix())?.parse().ok()?;
            (id.key(kind) == key).then_some((id, kind))
        })
    }
}

impl fmt::Display for BackupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(FORMAT))
    }
}

impl FromStr for BackupId {
    type Err = InvalidBackupId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.len() != 16 {
            return Err(InvalidBackupId(text.to_owned()));
        }
        NaiveDateTime::parse_from_str(text, FORMAT)
            .map(|time| Self(time.and_utc()))
            .map_err(|_| InvalidBackupId(text.to_owned()))
    }
}

impl Serialize for BackupId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BackupId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_second_a_backup_started_and_its_keys() {
        let time = DateTime::parse_from_rfc3339("2026-12-03T14:00:05.678Z")
            .unwrap()
            .with_timezone(&Utc);
        let id = BackupId::from_time(time);
        assert_eq!(id.to_string(), "20261203T140005Z");
        assert_eq!(id.started_at().timestamp_subsec_nanos(), 0);
        assert_eq!("20261203T140005Z".parse::<BackupId>(), Ok(id));
        assert_eq!(id.dump_key(), "backups/2026/12/03/20261203T140005Z.dump");
        assert_eq!(
            id.manifest_key(),
            "backups/2026/12/03/20261203T140005Z.manifest.json"
        );
        for kind in [
            BackupObjectKind::Dump,
            BackupObjectKind::Manifest,
            BackupObjectKind::Verification,
        ] {
            assert_eq!(BackupId::from_key(&id.key(kind)), Some((id, kind)));
        }
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"20261203T140005Z\"");
    }

    #[test]
    fn other_names_and_keys_are_refused() {
        for bad in [
            "",
            "2026-12-03T14:00:05Z",
            "20261203T140005",
            "20261303T140005Z",
            "20261203T140005Z ",
            "+20261203T140005Z",
        ] {
            let error = bad.parse::<BackupId>().unwrap_err();
            assert!(error.to_string().contains("YYYYMMDDTHHMMSSZ"), "{error}");
        }
        for key in [
            "backups/2026/12/04/20261203T140005Z.dump",
            "backups/2026/12/03/20261203T140005Z.sql",
            "users/2026/12/03/20261203T140005Z.dump",
            "backups/20261203T140005Z.dump",
        ] {
            assert_eq!(BackupId::from_key(key), None, "{key}");
        }
    }
}
