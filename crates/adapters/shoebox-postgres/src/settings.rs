//! How to reach the database: the `[database]` section of the configuration.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// Connection settings (`SHOEBOX_DATABASE__URL` or `DATABASE_URL`,
/// `SHOEBOX_DATABASE__POOL_SIZE`, `SHOEBOX_DATABASE__CONNECT_TIMEOUT_SECONDS`).
///
/// The URL holds a password: it is a secret, and both `Debug` and `Serialize`
/// print it with the password replaced by `***`.
#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    /// A libpq URL, e.g. `postgres://shoebox:secret@db:5432/shoebox`.
    pub url: SecretString,
    /// Most connections one process holds open (default: twice the CPUs).
    #[serde(default = "default_pool_size")]
    pub pool_size: usize,
    /// Bound on establishing a connection, and on waiting for a free one.
    #[serde(default = "default_connect_timeout_seconds")]
    pub connect_timeout_seconds: u64,
    /// Photos of album pages kept in memory, each page under its album's
    /// revision (default 20000, about 20 MiB; 0 keeps none). A page is served
    /// from memory only while its album's revision in the database stands.
    #[serde(default = "default_album_page_cache_photos")]
    pub album_page_cache_photos: u64,
}

fn default_album_page_cache_photos() -> u64 {
    20_000
}

/// Twice the CPUs: more connections than that only make queries queue inside
/// PostgreSQL and the kernel instead of in the pool. Measured with
/// `cargo xtask bench` on 2 cores, 32 concurrent `GET /api/v1/me`: pool 16
/// gave p99 70–780 ms, pool 4 gave p99 6 ms at a higher request rate.
fn default_pool_size() -> usize {
    std::thread::available_parallelism().map_or(4, |cpus| cpus.get() * 2)
}

fn default_connect_timeout_seconds() -> u64 {
    5
}

impl DatabaseSettings {
    /// Settings with the default pool size and timeout.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: SecretString::from(url.into()),
            pool_size: default_pool_size(),
            connect_timeout_seconds: default_connect_timeout_seconds(),
            album_page_cache_photos: default_album_page_cache_photos(),
        }
    }

    /// The URL with its password hidden, for logs and `shoebox config check`.
    pub fn redacted_url(&self) -> String {
        redact_url(self.url.expose_secret())
    }

    /// The URL handed to libpq: with a `connect_timeout` unless it sets one,
    /// so that a connection attempt to an unreachable host cannot hang a
    /// blocking thread for minutes.
    pub(crate) fn connection_url(&self) -> String {
        with_connect_timeout(self.url.expose_secret(), self.connect_timeout_seconds)
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.redacted_url())
            .field("pool_size", &self.pool_size)
            .field("connect_timeout_seconds", &self.connect_timeout_seconds)
            .field("album_page_cache_photos", &self.album_page_cache_photos)
            .finish()
    }
}

/// Serialises the effective settings with the password hidden.
impl Serialize for DatabaseSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("DatabaseSettings", 4)?;
        state.serialize_field("url", &self.redacted_url())?;
        state.serialize_field("pool_size", &self.pool_size)?;
        state.serialize_field("connect_timeout_seconds", &self.connect_timeout_seconds)?;
        state.serialize_field("album_page_cache_photos", &self.album_page_cache_photos)?;
        state.end()
    }
}

const URL_SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// Hides the password of a libpq URL, both in the user information
/// (`user:password@`) and in a `password=` parameter. Anything that is not a
/// URL (a `key=value` connection string) is hidden entirely.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme) = URL_SCHEMES.iter().find(|scheme| url.starts_with(**scheme)) else {
        return "[REDACTED]".to_owned();
    };
    let rest = &url[scheme.len()..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, hosts)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{hosts}"),
            None => format!("{user_info}@{hosts}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let parameters: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some(("password", _)) => "password=***".to_owned(),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", parameters.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}{authority}{tail}")
}

pub(crate) fn with_connect_timeout(url: &str, seconds: u64) -> String {
    let is_url = URL_SCHEMES.iter().any(|scheme| url.starts_with(scheme));
    if !is_url || url.contains("connect_timeout=") {
        return url.to_owned();
    }
    // libpq treats values below 2 as 2, and 0 as "wait forever".
    let seconds = seconds.max(2);
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout={seconds}")
}
