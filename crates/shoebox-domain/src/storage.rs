//! STUB (replaced by the object-store branch at merge).
use std::fmt;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid object key")]
pub struct InvalidObjectKey;
impl ObjectKey {
    pub fn parse(raw: &str) -> Result<Self, InvalidObjectKey> {
        Ok(Self(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectPrefix(String);
impl ObjectPrefix {
    pub fn parse(raw: &str) -> Result<Self, InvalidObjectKey> {
        Ok(Self(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    FromTo { start: u64, end_inclusive: u64 },
    From { start: u64 },
    Suffix { length: u64 },
}
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsatisfiable range")]
pub struct UnsatisfiableRange;
impl ByteRange {
    pub fn resolve(&self, size: u64) -> Result<std::ops::Range<u64>, UnsatisfiableRange> {
        match *self {
            Self::FromTo { start, end_inclusive } if start < size && start <= end_inclusive => {
                Ok(start..end_inclusive.min(size - 1) + 1)
            }
            Self::From { start } if start < size => Ok(start..size),
            Self::Suffix { length } if length > 0 && size > 0 => Ok(size.saturating_sub(length)..size),
            _ => Err(UnsatisfiableRange),
        }
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: ObjectKey,
    pub size: u64,
    pub last_modified: DateTime<Utc>,
    pub etag: Option<String>,
}
