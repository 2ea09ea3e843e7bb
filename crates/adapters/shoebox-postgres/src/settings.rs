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
    /// Where `pg_dump`, `pg_restore` and `psql` are (backups); by default
    /// they are looked up on `PATH`. Their major version must be at least the
    /// server's.
    #[serde(default)]
    pub tools_dir: Option<std::path::PathBuf>,
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
            tools_dir: None,
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
            .field("tools_dir", &self.tools_dir)
            .finish()
    }
}

/// Serialises the effective settings with the password hidden.
impl Serialize for DatabaseSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("DatabaseSettings", 5)?;
        state.serialize_field("url", &self.redacted_url())?;
        state.serialize_field("pool_size", &self.pool_size)?;
        state.serialize_field("connect_timeout_seconds", &self.connect_timeout_seconds)?;
        state.serialize_field("album_page_cache_photos", &self.album_page_cache_photos)?;
        state.serialize_field("tools_dir", &self.tools_dir)?;
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

/// A libpq URL's scheme, authority (`user:password@hosts`) and the rest
/// (`/database?query`); `None` for anything that is not a URL.
fn url_parts(url: &str) -> Option<(&'static str, &str, &str)> {
    let scheme = URL_SCHEMES
        .iter()
        .find(|scheme| url.starts_with(**scheme))?;
    let rest = &url[scheme.len()..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    Some((scheme, authority, tail))
}

/// Splits a libpq URL into the URL without its password (safe on a command
/// line, where other users of the machine can read it) and the password
/// (for the `PGPASSWORD` environment variable), percent-decoded. Returns
/// `None` for anything that is not a URL.
pub(crate) fn split_password(url: &str) -> Option<(String, Option<String>)> {
    let (scheme, authority, tail) = url_parts(url)?;
    let mut password = None;
    let authority = match authority.rsplit_once('@') {
        Some((user_info, hosts)) => match user_info.split_once(':') {
            Some((user, secret)) => {
                password = Some(percent_decode(secret));
                format!("{user}@{hosts}")
            }
            None => format!("{user_info}@{hosts}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let parameters: Vec<&str> = query
                .split('&')
                .filter(|pair| match pair.split_once('=') {
                    Some(("password", secret)) => {
                        password = Some(percent_decode(secret));
                        false
                    }
                    _ => true,
                })
                .collect();
            if parameters.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", parameters.join("&"))
            }
        }
        None => tail.to_owned(),
    };
    Some((format!("{scheme}{authority}{tail}"), password))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The same server and credentials, another database.
pub(crate) fn with_database(url: &str, database: &str) -> Option<String> {
    let (scheme, authority, tail) = url_parts(url)?;
    let query = tail.split_once('?').map(|(_, query)| query);
    Some(match query {
        Some(query) => format!("{scheme}{authority}/{database}?{query}"),
        None => format!("{scheme}{authority}/{database}"),
    })
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

#[cfg(test)]
mod tests {
    use super::{percent_decode, split_password, with_database};

    #[test]
    fn the_password_leaves_the_url_from_the_authority_or_the_query() {
        assert_eq!(
            split_password("postgres://shoebox:s%40cret@db:5432/shoebox?sslmode=require"),
            Some((
                "postgres://shoebox@db:5432/shoebox?sslmode=require".to_owned(),
                Some("s@cret".to_owned())
            ))
        );
        assert_eq!(
            split_password("postgresql://db/shoebox?user=a&password=p%20w&sslmode=disable"),
            Some((
                "postgresql://db/shoebox?user=a&sslmode=disable".to_owned(),
                Some("p w".to_owned())
            ))
        );
        assert_eq!(
            split_password("postgres://shoebox@db/shoebox?password=x"),
            Some((
                "postgres://shoebox@db/shoebox".to_owned(),
                Some("x".to_owned())
            ))
        );
        assert_eq!(
            split_password("postgres://db/shoebox"),
            Some(("postgres://db/shoebox".to_owned(), None))
        );
        assert_eq!(split_password("host=db dbname=shoebox password=x"), None);
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%2Fb%zz%4"), "a/b%zz%4");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
    }

    #[test]
    fn another_database_on_the_same_server_keeps_credentials_and_options() {
        assert_eq!(
            with_database(
                "postgres://u:p@db:5432/shoebox?sslmode=require",
                "scratch_1"
            ),
            Some("postgres://u:p@db:5432/scratch_1?sslmode=require".to_owned())
        );
        assert_eq!(
            with_database("postgres://u@db", "scratch_1"),
            Some("postgres://u@db/scratch_1".to_owned())
        );
        assert_eq!(with_database("dbname=shoebox", "scratch_1"), None);
    }
}
