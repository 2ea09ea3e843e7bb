//! What the image is: its files, its user, its entrypoint and its labels.
//!
//! One definition of the runtime contract that `cargo xtask image` builds,
//! that `deploy/container/Containerfile` must match (checked by a test in
//! `containerfile.rs`), and that the Helm chart relies on (user 10001, a
//! writable `/tmp` and working directory, port 8080).

/// The user and group the processes run as (no name lookups needed).
pub(crate) const USER_ID: u32 = 10001;
/// Where the `shoebox` binary lives.
pub(crate) const BINARY: &str = "/usr/local/bin/shoebox";
/// The working directory, owned by the user (relative storage paths land here).
pub(crate) const WORKDIR: &str = "/var/lib/shoebox";
/// The container port `serve` listens on.
pub(crate) const PORT: u16 = 8080;
/// The default command after the entrypoint.
pub(crate) const CMD: &[&str] = &["serve"];
/// PostgreSQL client programs the backups run (the server's major version or newer).
pub(crate) const PG_PROGRAMS: &[&str] = &["pg_dump", "pg_restore", "psql"];
/// The CA bundle (TLS to S3, SMTP and managed PostgreSQL).
pub(crate) const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The PostgreSQL client directory for a major version, as Debian lays it out.
pub(crate) fn pg_bin_dir(major: u32) -> String {
    format!("/usr/lib/postgresql/{major}/bin")
}

/// The environment baked into the image.
pub(crate) fn env(pg_major: u32) -> Vec<(String, String)> {
    vec![
        (
            "PATH".to_owned(),
            format!("/usr/local/bin:{}:/usr/bin:/bin", pg_bin_dir(pg_major)),
        ),
        ("SHOEBOX_HTTP__BIND".to_owned(), format!("0.0.0.0:{PORT}")),
        ("SHOEBOX_LOG__FORMAT".to_owned(), "json".to_owned()),
    ]
}

/// The files under `deploy/container/etc/` that go to `/etc/` (the
/// Containerfile copies the same): the user and group, and name lookups
/// from files then DNS with nothing to load.
pub(crate) const ETC_FILES: &[&str] = &["passwd", "group", "nsswitch.conf"];

/// `deploy/container/etc/` in the checkout.
pub(crate) fn etc_dir() -> std::path::PathBuf {
    crate::project::root().join("deploy/container/etc")
}

/// The OCI label keys every image carries (values per build).
pub(crate) const LABELS: &[&str] = &[
    "org.opencontainers.image.title",
    "org.opencontainers.image.description",
    "org.opencontainers.image.version",
    "org.opencontainers.image.revision",
    "org.opencontainers.image.source",
    "org.opencontainers.image.created",
    "org.opencontainers.image.licenses",
];

/// What one build of the image says about itself.
#[derive(Debug, Clone)]
pub(crate) struct Metadata {
    /// The binary's version (`shoebox --version`), e.g. `0.2.0` or `0.1.0+3.gabc`.
    pub(crate) version: String,
    /// The full commit id.
    pub(crate) revision: String,
    /// The repository URL.
    pub(crate) source: String,
    /// The licence expression.
    pub(crate) licenses: String,
    /// Seconds since the epoch of the commit: the image's creation time and
    /// every file's mtime, so that one commit builds one image.
    pub(crate) created_epoch: i64,
}

impl Metadata {
    /// `created` as RFC 3339 in UTC.
    pub(crate) fn created(&self) -> String {
        chrono::DateTime::from_timestamp(self.created_epoch, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }

    /// The image tag for the version: OCI tags allow no `+`.
    pub(crate) fn tag(&self) -> String {
        self.version.replace('+', "-")
    }

    /// The labels, in [`LABELS`] order.
    pub(crate) fn labels(&self) -> Vec<(String, String)> {
        let values = [
            "shoebox".to_owned(),
            "Self-hostable photo sharing for clubs, associations and families".to_owned(),
            self.version.clone(),
            self.revision.clone(),
            self.source.clone(),
            self.created(),
            self.licenses.clone(),
        ];
        LABELS
            .iter()
            .map(|key| (*key).to_owned())
            .zip(values)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_replace_the_build_metadata_separator() {
        let metadata = Metadata {
            version: "0.1.0+3.gabc".to_owned(),
            revision: "abc".to_owned(),
            source: "https://example.org".to_owned(),
            licenses: "MIT".to_owned(),
            created_epoch: 1_764_806_400,
        };
        assert_eq!(metadata.tag(), "0.1.0-3.gabc");
        assert_eq!(metadata.created(), "2025-12-04T00:00:00Z");
        let labels = metadata.labels();
        assert_eq!(labels.len(), LABELS.len());
        assert!(labels.contains(&(
            "org.opencontainers.image.version".to_owned(),
            "0.1.0+3.gabc".to_owned()
        )));
    }

    #[test]
    fn the_user_is_in_passwd_and_group() {
        let read = |name: &str| std::fs::read_to_string(etc_dir().join(name)).unwrap();
        let passwd = read("passwd");
        assert!(
            passwd.contains(&format!("shoebox:x:{USER_ID}:{USER_ID}:Shoebox:{WORKDIR}:")),
            "{passwd}"
        );
        assert!(read("group").contains(&format!("shoebox:x:{USER_ID}:")));
        assert!(read("nsswitch.conf").contains("hosts: files dns"));
    }
}
