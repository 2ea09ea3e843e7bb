//! Who the server runs as. PostgreSQL refuses to run as root, so when this
//! process is root the server programs run as the `postgres` system user
//! through `runuser`, in a data directory owned by that user.

use std::ffi::OsString;
use std::fs::DirBuilder;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::LocalPgError;
use crate::process::run;

/// The user the server programs (`initdb`, `pg_ctl`) run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunAs {
    /// This process is not root: run the programs directly.
    CurrentUser,
    /// This process is root: run them as `postgres` through `runuser`.
    Postgres { uid: u32, gid: u32 },
}

impl RunAs {
    /// Decides from this process's effective user id.
    pub(crate) fn detect() -> Result<Self, LocalPgError> {
        if effective_uid()? != 0 {
            return Ok(Self::CurrentUser);
        }
        let id = |flag: &str| -> Result<u32, LocalPgError> {
            let output = run(Command::new("id").args([flag, "postgres"])).map_err(|error| {
                LocalPgError::PostgresUserMissing {
                    detail: error.to_string(),
                }
            })?;
            String::from_utf8_lossy(&output.stdout)
                .trim()
                .parse()
                .map_err(|_| LocalPgError::PostgresUserMissing {
                    detail: format!("`id {flag} postgres` printed no number"),
                })
        };
        Ok(Self::Postgres {
            uid: id("-u")?,
            gid: id("-g")?,
        })
    }

    /// The words to put before a server program to run it as the right user.
    pub(crate) fn prefix(&self) -> Vec<OsString> {
        match self {
            Self::CurrentUser => Vec::new(),
            Self::Postgres { .. } => ["runuser", "-u", "postgres", "--"]
                .map(OsString::from)
                .to_vec(),
        }
    }

    /// A command that runs `program` as the right user. It starts in `/`,
    /// which every user can enter, so that PostgreSQL's programs do not
    /// complain about a working directory they cannot read.
    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut words = self.prefix();
        words.push(program.as_os_str().to_owned());
        let mut command = Command::new(&words[0]);
        command.args(&words[1..]).current_dir("/");
        command
    }

    /// Creates `dir` (mode 0700) if it is missing, hands it to the server's
    /// user and checks that this user can reach it.
    pub(crate) fn prepare_data_dir(&self, dir: &Path) -> Result<(), LocalPgError> {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|error| {
                LocalPgError::io(format!("could not create {}", parent.display()), error)
            })?;
        }
        if !dir.exists() {
            DirBuilder::new().mode(0o700).create(dir).map_err(|error| {
                LocalPgError::io(format!("could not create {}", dir.display()), error)
            })?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|error| {
            LocalPgError::io(
                format!("could not restrict {} to its owner", dir.display()),
                error,
            )
        })?;
        if let Self::Postgres { uid, gid } = *self {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid)).map_err(|error| {
                LocalPgError::io(
                    format!("could not give {} to the postgres user", dir.display()),
                    error,
                )
            })?;
            self.check_reachable(dir)?;
        }
        Ok(())
    }

    fn check_reachable(&self, dir: &Path) -> Result<(), LocalPgError> {
        if self.can("-w", dir) {
            return Ok(());
        }
        let blocking = dir
            .ancestors()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|ancestor| !self.can("-x", ancestor))
            .unwrap_or(dir)
            .to_path_buf();
        Err(LocalPgError::NotTraversable {
            data_dir: dir.to_path_buf(),
            blocking,
        })
    }

    /// Whether the server's user passes `test FLAG path`.
    fn can(&self, flag: &str, path: &Path) -> bool {
        self.command(Path::new("test"))
            .arg(flag)
            .arg(path)
            .status()
            .is_ok_and(|status| status.success())
    }
}

/// This process's effective user id, from `/proc/self/status` (or `id -u`
/// where there is no `/proc`), so that no `unsafe` call to `geteuid` is needed.
fn effective_uid() -> Result<u32, LocalPgError> {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(uid) = parse_effective_uid(&status)
    {
        return Ok(uid);
    }
    let output = run(Command::new("id").arg("-u"))?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| LocalPgError::CommandFailed {
            command: "id -u".to_owned(),
            status: "unrecognised output".to_owned(),
            output: String::from_utf8_lossy(&output.stdout).into_owned(),
        })
}

/// The effective id from the `Uid:` line (real, effective, saved, file system).
fn parse_effective_uid(status: &str) -> Option<u32> {
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_effective_uid() {
        let status = "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t5\t5\t5\t5\n";
        assert_eq!(parse_effective_uid(status), Some(0));
        assert_eq!(parse_effective_uid("Name: x\n"), None);
    }

    #[test]
    fn root_runs_programs_through_runuser() {
        let root = RunAs::Postgres { uid: 101, gid: 104 };
        let command = root.command(Path::new("/usr/bin/initdb"));
        assert_eq!(command.get_program(), "runuser");
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args, ["-u", "postgres", "--", "/usr/bin/initdb"]);
        let user = RunAs::CurrentUser.command(Path::new("/usr/bin/initdb"));
        assert_eq!(user.get_program(), "/usr/bin/initdb");
        assert_eq!(user.get_args().count(), 0);
    }

    #[test]
    fn detects_this_process_consistently_with_id() {
        let output = Command::new("id").arg("-u").output().unwrap();
        let uid: u32 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap();
        assert_eq!(effective_uid().unwrap(), uid);
        let run_as = RunAs::detect().unwrap();
        assert_eq!(uid == 0, run_as != RunAs::CurrentUser);
    }
}
