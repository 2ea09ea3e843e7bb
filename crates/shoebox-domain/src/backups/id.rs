use std::{fmt, str::FromStr};

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where every backup object lives in the object store.
pub const BACKUP_PREFIX: &str = "backups/";

/// A backup, named by the UTC second it started: `20261203T140000Z`.
///
/// Ids order by time, so the newest backup is the greatest id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BackupId(DateTime<Utc>);

/// A text that is not a backup id; holds the text refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a backup id (expected YYYYMMDDTHHMMSSZ in UTC, e.g. 20261203T140000Z)")]
pub struct InvalidBackupId(pub String);

/// The objects a backup is made of, all under the same date folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackupObjectKind {
    /// The archive (`pg_dump --format=custom`, maybe encrypted): `<id>.dump`.
    Dump,
    /// Written last, its presence makes the backup complete: `<id>.manifest.json`.
    Manifest,
    /// The outcome of the latest restore drill: `<id>.verification.json`.
    Verification,
}

impl BackupObjectKind {
    const ALL: [Self; 3] = [Self::Dump, Self::Manifest, Self::Verification];

    fn suffix(self) -> &'static str {
        match self {
            Self::Dump => ".dump",
            Self::Manifest => ".manifest.json",
            Self::Verification => ".verification.json",
        }
    }
}

impl BackupId {
    /// The backup that started at `time`; sub-seconds are dropped.
    pub fn from_time(time: DateTime<Utc>) -> Self {
        Self(time.trunc_subsecs(0))
    }

    /// When the backup started, to the second.
    pub fn started_at(&self) -> DateTime<Utc> {
        self.0
    }

    /// `backups/YYYY/MM/DD/<id><suffix of kind>`, the folders being the id's UTC date.
    pub fn key(&self, kind: BackupObjectKind) -> String {
        format!(
            "{BACKUP_PREFIX}{}/{self}{}",
            self.0.format("%Y/%m/%d"),
            kind.suffix()
        )
    }

    /// `backups/YYYY/MM/DD/<id>.dump`.
    pub fn dump_key(&self) -> String {
        self.key(BackupObjectKind::Dump)
    }

    /// `backups/YYYY/MM/DD/<id>.manifest.json`.
    pub fn manifest_key(&self) -> String {
        self.key(BackupObjectKind::Manifest)
    }

    /// `backups/YYYY/MM/DD/<id>.verification.json`.
    pub fn verification_key(&self) -> String {
        self.key(BackupObjectKind::Verification)
    }

    /// The backup and the kind of object a key holds. `None` for any other
    /// key, including one whose date folders disagree with its id: only the
    /// exact keys [`BackupId::key`] writes are recognised.
    pub fn from_key(key: &str) -> Option<(Self, BackupObjectKind)> {
        let file_name = key.rsplit('/').next()?;
        BackupObjectKind::ALL.into_iter().find_map(|kind| {
            let id: Self = file_name.strip_suffix(kind.suffix())?.parse().ok()?;
            (id.key(kind) == key).then_some((id, kind))
        })
    }
}

impl fmt::Display for BackupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y%m%dT%H%M%SZ"))
    }
}

impl FromStr for BackupId {
    type Err = InvalidBackupId;

    /// Exactly the sixteen characters [`fmt::Display`] writes. Parsed by hand
    /// rather than with chrono's `%Y%m%d…`, which tolerates signs and short
    /// fields: an id that parses must name one object key only.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidBackupId(text.to_owned());
        let bytes = text.as_bytes();
        if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
            return Err(invalid());
        }
        let field = |from: usize, to: usize| -> Option<u32> {
            bytes.get(from..to)?.iter().try_fold(0_u32, |value, byte| {
                byte.is_ascii_digit()
                    .then(|| value * 10 + u32::from(byte - b'0'))
            })
        };
        let year = field(0, 4).and_then(|year| i32::try_from(year).ok());
        let time = year
            .zip(field(4, 6))
            .zip(field(6, 8))
            .and_then(|((year, month), day)| NaiveDate::from_ymd_opt(year, month, day))
            .zip(field(9, 11).zip(field(11, 13)).zip(field(13, 15)))
            .and_then(|(date, ((hour, minute), second))| date.and_hms_opt(hour, minute, second));
        time.map(|time| Self(time.and_utc())).ok_or_else(invalid)
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
mod tests;
