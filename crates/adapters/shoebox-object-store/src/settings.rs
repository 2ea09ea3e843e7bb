//! `[storage]`, `SHOEBOX_STORAGE__*`: where objects live.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

/// The default store: a directory under the working directory, so that a
/// first `shoebox serve` works without any configuration.
pub const DEFAULT_URL: &str = "file://./data/objects";

/// The region used when none is set (what most S3-compatible servers expect).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Where and how to store objects.
///
/// * `url`: `file:///absolute/dir`, `file://./relative/dir` (against the
///   working directory; created when missing), `memory://` (lost on exit:
///   tests only) or `s3://bucket`;
/// * for `file://` only: `fsync` (default `true`): a write returns only once
///   the file and its directory are on disk. Turn it off only where the
///   disk cannot lose acknowledged writes (battery-backed cache) or loss on
///   power failure is acceptable: it roughly halves write throughput;
/// * for `s3://` only: `endpoint` (an `http://` or `https://` base URL of an
///   S3-compatible server; AWS when unset), `region`, `access_key_id` and
///   `secret_access_key` (both or neither; neither means the standard AWS
///   environment: `AWS_*` variables, web identity, instance metadata), and
///   `path_style` (`http://host/bucket/key` instead of
///   `http://bucket.host/key`, which most self-hosted servers need).
///
/// The credentials are secrets: `Debug` and `Serialize` show `***`.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct StorageSettings {
    pub url: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<SecretString>,
    pub secret_access_key: Option<SecretString>,
    pub path_style: bool,
    pub fsync: bool,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self::new(DEFAULT_URL)
    }
}

/// Why the settings cannot make a store. Each message names its key.
#[derive(Debug, thiserror::Error)]
pub enum StorageConfigError {
    #[error("storage.url {url:?} must start with file://, memory:// or s3://")]
    UnsupportedScheme { url: String },
    #[error("storage.url {url:?} names no directory (e.g. file:///var/lib/shoebox/objects)")]
    MissingDirectory { url: String },
    #[error("storage.url {url:?}: nothing may follow memory://")]
    MemoryWithPath { url: String },
    #[error("storage.url {url:?}: {reason}")]
    InvalidBucket { url: String, reason: &'static str },
    #[error("storage.{key} only applies to s3:// URLs")]
    OnlyForS3 { key: &'static str },
    #[error("storage.fsync only applies to file:// URLs")]
    OnlyForLocal,
    #[error("storage.endpoint {endpoint:?} must be an http:// or https:// URL with a host")]
    InvalidEndpoint { endpoint: String },
    #[error("storage.region must not be empty")]
    EmptyRegion,
    #[error("storage.access_key_id and storage.secret_access_key must be set together")]
    IncompleteCredentials,
    #[error("storage.url: cannot use directory {}: {source}", path.display())]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("storage: {0}")]
    Store(String),
}

/// The backend the settings describe, checked but not yet built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Backend {
    /// As written after `file://`: absolute, or relative to the working directory.
    Local {
        directory: PathBuf,
        fsync: bool,
    },
    Memory,
    S3 {
        bucket: String,
        endpoint: Option<String>,
        region: String,
    },
}

impl StorageSettings {
    /// Settings for `url` with every other key unset.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            endpoint: None,
            region: None,
            access_key_id: None,
            secret_access_key: None,
            path_style: false,
            fsync: true,
        }
    }

    /// Checks the settings without touching the disk or the network (for
    /// `shoebox config check` and start-up validation).
    pub fn validate(&self) -> Result<(), StorageConfigError> {
        self.backend().map(|_| ())
    }

    /// The effective region of an S3 store.
    pub fn effective_region(&self) -> &str {
        self.region.as_deref().unwrap_or(DEFAULT_REGION)
    }

    pub(crate) fn backend(&self) -> Result<Backend, StorageConfigError> {
        let url = self.url.trim();
        if let Some(path) = url.strip_prefix("file://") {
            self.refuse_s3_keys()?;
            if path.is_empty() {
                return Err(StorageConfigError::MissingDirectory { url: url.into() });
            }
            Ok(Backend::Local {
                directory: PathBuf::from(path),
                fsync: self.fsync,
            })
        } else if let Some(rest) = url.strip_prefix("memory://") {
            self.refuse_s3_keys()?;
            self.refuse_local_keys()?;
            if !rest.is_empty() {
                return Err(StorageConfigError::MemoryWithPath { url: url.into() });
            }
            Ok(Backend::Memory)
        } else if let Some(bucket) = url.strip_prefix("s3://") {
            self.refuse_local_keys()?;
            check_bucket(bucket).map_err(|reason| StorageConfigError::InvalidBucket {
                url: url.into(),
                reason,
            })?;
            if let Some(endpoint) = &self.endpoint {
                check_endpoint(endpoint)?;
            }
            if self.region.as_deref().is_some_and(|r| r.trim().is_empty()) {
                return Err(StorageConfigError::EmptyRegion);
            }
            if self.access_key_id.is_some() != self.secret_access_key.is_some() {
                return Err(StorageConfigError::IncompleteCredentials);
            }
            Ok(Backend::S3 {
                bucket: bucket.to_owned(),
                endpoint: self.endpoint.clone(),
                region: self.effective_region().to_owned(),
            })
        } else {
            Err(StorageConfigError::UnsupportedScheme { url: url.into() })
        }
    }

    /// A key set for S3 on a store that is not S3 would be silently ignored:
    /// refuse it, as a typo in a key is refused.
    fn refuse_s3_keys(&self) -> Result<(), StorageConfigError> {
        let set = [
            ("endpoint", self.endpoint.is_some()),
            ("region", self.region.is_some()),
            ("access_key_id", self.access_key_id.is_some()),
            ("secret_access_key", self.secret_access_key.is_some()),
            ("path_style", self.path_style),
        ];
        match set.into_iter().find(|(_, is_set)| *is_set) {
            Some((key, _)) => Err(StorageConfigError::OnlyForS3 { key }),
            None => Ok(()),
        }
    }
}

impl StorageSettings {
    /// `fsync` is on by default; turning it off elsewhere than on a local
    /// directory would silently mean nothing.
    fn refuse_local_keys(&self) -> Result<(), StorageConfigError> {
        if self.fsync {
            Ok(())
        } else {
            Err(StorageConfigError::OnlyForLocal)
        }
    }
}

/// S3's bucket naming rules, in short: what a path-style and a
/// virtual-hosted-style URL can both carry.
fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    if bucket.contains('/') {
        return Err("s3://bucket must name a bucket only, without a path");
    }
    if !(3..=63).contains(&bucket.len()) {
        return Err("a bucket name has 3 to 63 characters");
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    if !bucket.chars().all(allowed) {
        return Err("a bucket name has only lowercase letters, digits, '-' and '.'");
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(bucket.chars().next()) || !edge_ok(bucket.chars().last()) {
        return Err("a bucket name starts and ends with a letter or digit");
    }
    if bucket.contains("..") {
        return Err("a bucket name has no two adjacent dots");
    }
    Ok(())
}

fn check_endpoint(endpoint: &str) -> Result<(), StorageConfigError> {
    let invalid = || StorageConfigError::InvalidEndpoint {
        endpoint: endpoint.to_owned(),
    };
    let rest = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
        .ok_or_else(invalid)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials belong in their own keys, where they are redacted.
    if host.is_empty() || host.contains('@') || rest.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    Ok(())
}

/// `directory` as an absolute path: relative ones are taken against the
/// working directory of the process.
pub(crate) fn absolute_directory(directory: &Path) -> Result<PathBuf, StorageConfigError> {
    std::path::absolute(directory).map_err(|source| StorageConfigError::Directory {
        path: directory.to_owned(),
        source,
    })
}

const REDACTED: &str = "***";

impl fmt::Debug for StorageSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |secret: &Option<SecretString>| secret.as_ref().map(|_| REDACTED);
        f.debug_struct("StorageSettings")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &redacted(&self.access_key_id))
            .field("secret_access_key", &redacted(&self.secret_access_key))
            .field("path_style", &self.path_style)
            .field("fsync", &self.fsync)
            .finish()
    }
}

/// The effective settings with credentials shown as `***`; unset keys are
/// left out (TOML has no null).
impl Serialize for StorageSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("StorageSettings", 7)?;
        state.serialize_field("url", &self.url)?;
        serialize_optional(&mut state, "endpoint", self.endpoint.as_deref())?;
        serialize_optional(&mut state, "region", self.region.as_deref())?;
        let redacted = |secret: &Option<SecretString>| secret.as_ref().map(|_| REDACTED);
        serialize_optional(&mut state, "access_key_id", redacted(&self.access_key_id))?;
        serialize_optional(
            &mut state,
            "secret_access_key",
            redacted(&self.secret_access_key),
        )?;
        state.serialize_field("path_style", &self.path_style)?;
        state.serialize_field("fsync", &self.fsync)?;
        state.end()
    }
}

fn serialize_optional<S: serde::ser::SerializeStruct>(
    state: &mut S,
    key: &'static str,
    value: Option<&str>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => state.serialize_field(key, value),
        None => state.skip_field(key),
    }
}

#[cfg(test)]
mod tests;
