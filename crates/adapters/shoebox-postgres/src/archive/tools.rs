//! Running PostgreSQL's own client programs against one database, with the
//! password in the environment rather than on the command line.

use std::{path::PathBuf, process::Stdio};

use anyhow::Context;
use tokio::{io::AsyncReadExt, process::Command};

use crate::settings::split_password;

/// The most of a tool's standard error kept for an error message.
const STDERR_KEPT: usize = 4096;

/// Where the tools are and which database they talk to.
#[derive(Clone)]
pub(super) struct PgTools {
    dir: Option<PathBuf>,
    /// The database URL without its password.
    url: String,
    password: Option<String>,
}

impl std::fmt::Debug for PgTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTools")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl PgTools {
    pub(super) fn new(url: &str, dir: Option<PathBuf>) -> anyhow::Result<Self> {
        let (url, password) = split_password(url).context(
            "backups need database.url as a postgres:// URL (a key=value connection string cannot be handed to pg_dump safely)",
        )?;
        Ok(Self { dir, url, password })
    }

    /// `program` (pg_dump, pg_restore, psql) with the connection in its
    /// environment: `--dbname` must still be passed by the caller for
    /// pg_dump and psql ([`PgTools::dbname_arg`]).
    pub(super) fn command(&self, program: &str) -> Command {
        let path = self
            .dir
            .as_ref()
            .map_or_else(|| PathBuf::from(program), |dir| dir.join(program));
        let mut command = Command::new(path);
        command
            .env_remove("PGPASSWORD")
            .env("PGAPPNAME", "shoebox-backup")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }

    pub(super) fn dbname_arg(&self) -> String {
        format!("--dbname={}", self.url)
    }
}

/// Reads what a tool says on standard error (the last few kilobytes), for
/// the error message when it fails.
pub(super) async fn read_stderr(stderr: Option<tokio::process::ChildStderr>) -> String {
    let Some(mut stderr) = stderr else {
        return String::new();
    };
    let mut all = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        match stderr.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                all.extend_from_slice(&buffer[..read]);
                if all.len() > 2 * STDERR_KEPT {
                    all.drain(..all.len() - STDERR_KEPT);
                }
            }
        }
    }
    let start = all.len().saturating_sub(STDERR_KEPT);
    String::from_utf8_lossy(&all[start..]).trim().to_owned()
}

/// A tool that could not be started: most often, not installed.
pub(super) fn spawn_error(program: &str, error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context(format!(
        "could not start {program} (install PostgreSQL's client programs, or set database.tools_dir)"
    ))
}
