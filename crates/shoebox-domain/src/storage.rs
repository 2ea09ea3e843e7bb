//! The language of stored objects: keys that are safe on every backend (a
//! directory on disk as much as an S3 bucket), prefixes for listing, the byte
//! ranges HTTP clients ask for, and what a store knows about an object.

use std::fmt;
use std::ops::Range;

use chrono::{DateTime, Utc};

/// Longest key accepted. S3 allows 1024 bytes; half of that leaves room for a
/// local directory prefix within common `PATH_MAX` limits.
pub const MAX_KEY_LENGTH: usize = 512;

/// Why a string is not an object key (or prefix).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidObjectKey {
    #[error("object key is empty")]
    Empty,
    #[error("object key is longer than {MAX_KEY_LENGTH} bytes")]
    TooLong,
    #[error("object key has an empty segment (leading, trailing or doubled '/')")]
    EmptySegment,
    #[error("object key has a '.' or '..' segment")]
    DotSegment,
    #[error("object key contains {0:?}; only A-Z, a-z, 0-9, '.', '_', '-' and '/' are allowed")]
    ForbiddenCharacter(char),
}

/// Where an object lives in the store, e.g. `originals/0190…/photo.jpg`.
///
/// '/'-separated segments of `[A-Za-z0-9._-]`, none empty, none `.` or `..`,
/// at most [`MAX_KEY_LENGTH`] bytes. The narrow alphabet means a key never
/// needs escaping, can never climb out of a local directory, and reads the
/// same in a file name, a URL and an S3 key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

impl ObjectKey {
    pub fn parse(raw: &str) -> Result<Self, InvalidObjectKey> {
        if raw.is_empty() {
            return Err(InvalidObjectKey::Empty);
        }
        check_segments(raw)?;
        Ok(Self(raw.to_owned()))
    }

    /// This key followed by `/` and `relative` (one segment or several).
    pub fn join(&self, relative: &str) -> Result<Self, InvalidObjectKey> {
        if relative.is_empty() {
            return Err(InvalidObjectKey::EmptySegment);
        }
        Self::parse(&format!("{}/{relative}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last segment (the "file name").
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A set of keys to list or delete: every key whose leading segments are the
/// prefix's segments. Matching is by whole segments, so `users/1` covers
/// `users/1/avatar` but neither `users/12/avatar` nor the key `users/1`
/// itself. The empty prefix covers every key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ObjectPrefix(String);

impl ObjectPrefix {
    /// Same rules as [`ObjectKey::parse`], except that the empty string is
    /// allowed and means every key.
    pub fn parse(raw: &str) -> Result<Self, InvalidObjectKey> {
        if !raw.is_empty() {
            check_segments(raw)?;
        }
        Ok(Self(raw.to_owned()))
    }

    /// The prefix that covers every key.
    pub fn everything() -> Self {
        Self(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_everything(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `key` lies under this prefix (by whole segments).
    pub fn covers(&self, key: &ObjectKey) -> bool {
        self.0.is_empty()
            || key
                .as_str()
                .strip_prefix(self.0.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// Everything stored under a key taken as a directory.
impl From<ObjectKey> for ObjectPrefix {
    fn from(key: ObjectKey) -> Self {
        Self(key.0)
    }
}

impl fmt::Display for ObjectPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_segments(raw: &str) -> Result<(), InvalidObjectKey> {
    if raw.len() > MAX_KEY_LENGTH {
        return Err(InvalidObjectKey::TooLong);
    }
    if let Some(forbidden) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')))
    {
        return Err(InvalidObjectKey::ForbiddenCharacter(forbidden));
    }
    for segment in raw.split('/') {
        match segment {
            "" => return Err(InvalidObjectKey::EmptySegment),
            "." | ".." => return Err(InvalidObjectKey::DotSegment),
            _ => {}
        }
    }
    Ok(())
}

/// What a stored object is, as the store reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: ObjectKey,
    /// Size in bytes.
    pub size: u64,
    /// When the object was last written (seconds precision on S3).
    pub last_modified: DateTime<Utc>,
    /// The store's entity tag, when it has one; changes whenever the content
    /// may have changed.
    pub etag: Option<String>,
}

/// One byte range as an HTTP `Range: bytes=…` header asks for it (RFC 9110
/// §14.1.2), before the size of the object is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=start-end_inclusive`
    FromTo { start: u64, end_inclusive: u64 },
    /// `bytes=start-`
    From { start: u64 },
    /// `bytes=-length`: the last `length` bytes.
    Suffix { length: u64 },
}

/// The range cannot be served from an object of this size (answer 416 with
/// `Content-Range: bytes */size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the requested range is not satisfiable for an object of {size} bytes")]
pub struct UnsatisfiableRange {
    pub size: u64,
}

impl ByteRange {
    /// The half-open byte range to serve from an object of `size` bytes.
    ///
    /// Follows RFC 9110 §14.1.2: an end past the object is clamped to its
    /// last byte; a start at or past the end is unsatisfiable; a suffix longer
    /// than the object means the whole object; a zero-length suffix is
    /// unsatisfiable. A `FromTo` whose end lies before its start is not a valid
    /// range at all (§14.1.1 says to ignore such a header); it is refused here
    /// rather than guessed at. The result is never empty, except that the RFC
    /// deems a non-zero suffix of an empty object satisfiable: that is `0..0`.
    pub fn resolve(&self, size: u64) -> Result<Range<u64>, UnsatisfiableRange> {
        let unsatisfiable = UnsatisfiableRange { size };
        match *self {
            Self::FromTo {
                start,
                end_inclusive,
            } => {
                if start >= size || end_inclusive < start {
                    return Err(unsatisfiable);
                }
                // `end_inclusive` may be u64::MAX: clamp before adding one.
                Ok(start..end_inclusive.min(size - 1) + 1)
            }
            Self::From { start } => {
                if start >= size {
                    return Err(unsatisfiable);
                }
                Ok(start..size)
            }
            Self::Suffix { length } => {
                if length == 0 {
                    return Err(unsatisfiable);
                }
                Ok(size.saturating_sub(length)..size)
            }
        }
    }
}

#[cfg(test)]
mod tests;
