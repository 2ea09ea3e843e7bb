//! Finding the installed PostgreSQL server binaries.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::LocalPgError;
use crate::process::run;

/// The environment variable that names the binaries directory explicitly.
const BIN_DIR_VARIABLE: &str = "SHOEBOX_PG_BIN";

/// Where Debian and Ubuntu install one directory per major version.
const DEBIAN_VERSIONS_DIR: &str = "/usr/lib/postgresql";

/// The programs a cluster cannot be run without.
const SERVER_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// A directory holding PostgreSQL's server binaries (`initdb`, `pg_ctl`,
/// `postgres`) and, usually, its client tools (`psql`, `createdb`, `pgbench`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    dir: PathBuf,
}

/// The version of the installed server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgVersion {
    /// The major version, e.g. `15`.
    pub major: u32,
    /// What `postgres --version` printed, e.g. `postgres (PostgreSQL) 15.14`.
    pub text: String,
}

impl fmt::Display for PgVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

impl PgBinaries {
    /// Finds the server binaries: `$SHOEBOX_PG_BIN` when set, else
    /// `pg_config --bindir`, else the highest `/usr/lib/postgresql/*/bin`.
    ///
    /// Fails with [`LocalPgError::BinariesNotFound`], naming the package to
    /// install, when none of them holds `initdb`, `pg_ctl` and `postgres`.
    pub fn locate() -> Result<Self, LocalPgError> {
        locate_with(std::env::var_os(BIN_DIR_VARIABLE), pg_config_bindir())
    }

    /// Uses `dir` as the binaries directory, checking that it holds the server programs.
    pub fn from_dir(dir: impl Into<PathBuf>) -> Result<Self, LocalPgError> {
        let dir = dir.into();
        if holds_server(&dir) {
            Ok(Self { dir })
        } else {
            Err(LocalPgError::BinariesNotFound {
                searched: dir.display().to_string(),
            })
        }
    }

    /// The path of the program `name` in this directory (it may not exist).
    pub fn bin(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's version, from `postgres --version`.
    pub fn version(&self) -> Result<PgVersion, LocalPgError> {
        let output = run(Command::new(self.bin("postgres")).arg("--version"))?;
        let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        parse_version(&text).ok_or_else(|| LocalPgError::CommandFailed {
            command: format!("{} --version", self.bin("postgres").display()),
            status: "unrecognised output".to_owned(),
            output: text,
        })
    }
}

fn locate_with(
    from_variable: Option<OsString>,
    from_pg_config: Option<PathBuf>,
) -> Result<PgBinaries, LocalPgError> {
    if let Some(dir) = from_variable.filter(|value| !value.is_empty()) {
        // An explicit choice is never second-guessed by falling back elsewhere.
        let dir = PathBuf::from(dir);
        return if holds_server(&dir) {
            Ok(PgBinaries { dir })
        } else {
            Err(LocalPgError::BinariesNotFound {
                searched: format!("{BIN_DIR_VARIABLE}={}", dir.display()),
            })
        };
    }
    let mut searched = Vec::new();
    if let Some(dir) = from_pg_config {
        if holds_server(&dir) {
            return Ok(PgBinaries { dir });
        }
        searched.push(format!("{} (pg_config --bindir)", dir.display()));
    }
    if let Some(dir) = highest_debian_version(Path::new(DEBIAN_VERSIONS_DIR)) {
        return Ok(PgBinaries { dir });
    }
    searched.push(format!("{DEBIAN_VERSIONS_DIR}/*/bin"));
    Err(LocalPgError::BinariesNotFound {
        searched: searched.join(", "),
    })
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let dir = text.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// The `bin` directory of the highest major version under `versions_dir`
/// that holds the server programs.
fn highest_debian_version(versions_dir: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(versions_dir).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = parse_major(&entry.file_name().to_string_lossy())?;
            let bin = entry.path().join("bin");
            holds_server(&bin).then_some((version, bin))
        })
        .max_by(|left, right| left.0.total_cmp(&right.0))
        .map(|(_, bin)| bin)
}

/// Parses a Debian version directory name: `15`, or `9.6` for old releases.
fn parse_major(name: &str) -> Option<f64> {
    name.parse::<f64>().ok().filter(|value| value.is_finite())
}

fn holds_server(dir: &Path) -> bool {
    SERVER_PROGRAMS
        .iter()
        .all(|program| dir.join(program).is_file())
}

fn parse_version(text: &str) -> Option<PgVersion> {
    // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" or "... 16beta1".
    let number = text.split_whitespace().nth(2)?;
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    Some(PgVersion {
        major: digits.parse().ok()?,
        text: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_version_lines() {
        let version =
            parse_version("postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)").unwrap();
        assert_eq!(version.major, 15);
        assert_eq!(
            parse_version("postgres (PostgreSQL) 17beta2")
                .unwrap()
                .major,
            17
        );
        assert_eq!(
            parse_version("postgres (PostgreSQL) 9.6.24").unwrap().major,
            9
        );
        assert!(parse_version("something else").is_none());
    }

    #[test]
    fn an_explicit_directory_without_the_server_is_an_actionable_error() {
        let empty = std::env::temp_dir();
        let error = locate_with(Some(empty.clone().into_os_string()), None).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("SHOEBOX_PG_BIN="), "{message}");
        assert!(
            message.contains("apt-get install -y postgresql"),
            "{message}"
        );
    }

    #[test]
    fn picks_the_highest_version_that_holds_the_server() {
        let root = std::env::temp_dir().join(format!("localpg-versions-{}", std::process::id()));
        for (version, complete) in [("9.6", true), ("13", true), ("16", false), ("main", true)] {
            let bin = root.join(version).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            let programs: &[&str] = if complete {
                &SERVER_PROGRAMS
            } else {
                &["psql"]
            };
            for program in programs {
                std::fs::write(bin.join(program), "").unwrap();
            }
        }
        let found = highest_debian_version(&root);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(found, Some(root.join("13").join("bin")));
    }

    #[test]
    fn finds_the_installed_server() {
        // The project's machines have the server installed; this proves the
        // search finds it and that the binaries run.
        let binaries = PgBinaries::locate().unwrap();
        assert!(binaries.bin("initdb").is_file());
        assert!(binaries.version().unwrap().major >= 12);
    }
}
