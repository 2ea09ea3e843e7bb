//! Driving `initdb` and `pg_ctl` for a [`Cluster`], and the throwaway
//! directory it lives in.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::Cluster;
use crate::LocalPgError;
use crate::binaries::PgBinaries;
use crate::net::free_port;
use crate::privilege::RunAs;
use crate::process::{printed, run, shell_quote, tail};

/// How often a start is retried when the free port chosen was taken meanwhile.
const PORT_ATTEMPTS: usize = 5;

/// Unix-domain socket paths must fit in `sun_path` (108 bytes on Linux).
const MAX_SOCKET_PATH: usize = 100;

/// Lines of the server log quoted in a start failure.
const LOG_TAIL_LINES: usize = 30;

impl Cluster {
    pub(super) fn initdb(&self) -> Result<(), LocalPgError> {
        run(self
            .run_as
            .command(&self.binaries.bin("initdb"))
            .arg("-D")
            .arg(&self.data_dir)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ]))
        .map(drop)
    }

    /// Stops a server that a previous run left running in this directory,
    /// so that it starts afresh on the port asked for.
    pub(super) fn stop_leftover_server(&self) -> Result<(), LocalPgError> {
        let status = self
            .pg_ctl()
            .arg("status")
            .output()
            .map_err(|error| LocalPgError::io("could not run pg_ctl status", error))?;
        if status.status.success() {
            run(self.pg_ctl().args(["stop", "-m", "fast", "-w", "-t", "60"]))?;
        }
        Ok(())
    }

    /// Starts the server on `port` (or a free one, retrying if another
    /// process takes it first) and waits until it accepts connections.
    pub(super) fn start_server(
        &mut self,
        port: Option<u16>,
        extra_settings: &str,
    ) -> Result<(), LocalPgError> {
        let log = self.log_path();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let candidate = match port {
                Some(port) => port,
                None => free_port()?,
            };
            let log_before = std::fs::metadata(&log).map_or(0, |metadata| metadata.len());
            let options = format!(
                "-p {candidate} {} -c listen_addresses=127.0.0.1 -c max_connections=200 {extra_settings}",
                self.socket_option(candidate)
            );
            let output = self
                .pg_ctl()
                .arg("start")
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &options])
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(|error| LocalPgError::io("could not run pg_ctl start", error))?;
            if output.status.success() {
                self.port = candidate;
                self.running = true;
                return Ok(());
            }
            let port_taken = new_log_text(&log, log_before).contains("Address already in use");
            if !(port.is_none() && port_taken && attempt < PORT_ATTEMPTS) {
                return Err(LocalPgError::StartFailed {
                    data_dir: self.data_dir.clone(),
                    reason: printed(&output),
                    log_tail: tail(&log, LOG_TAIL_LINES),
                    log,
                });
            }
        }
    }

    /// The socket directory option: the data directory when its socket path
    /// is short enough, else no Unix socket at all (clients use TCP anyway).
    fn socket_option(&self, port: u16) -> String {
        let socket = self.data_dir.join(format!(".s.PGSQL.{port}"));
        if socket.as_os_str().len() < MAX_SOCKET_PATH {
            format!("-k {}", shell_quote(&self.data_dir))
        } else {
            "-k ''".to_owned()
        }
    }

    pub(super) fn pg_ctl(&self) -> Command {
        let mut command = self.run_as.command(&self.binaries.bin("pg_ctl"));
        command.arg("-D").arg(&self.data_dir);
        command
    }
}

pub(super) fn pg_ctl_command(run_as: &RunAs, binaries: &PgBinaries) -> Vec<OsString> {
    let mut words = run_as.prefix();
    words.push(binaries.bin("pg_ctl").into_os_string());
    words
}

pub(super) fn is_empty_dir(dir: &Path) -> Result<bool, LocalPgError> {
    let mut entries = std::fs::read_dir(dir)
        .map_err(|error| LocalPgError::io(format!("could not read {}", dir.display()), error))?;
    Ok(entries.next().is_none())
}

/// What the log gained since it was `offset` bytes long.
fn new_log_text(log: &Path, offset: u64) -> String {
    let bytes = std::fs::read(log).unwrap_or_default();
    let start = usize::try_from(offset).unwrap_or(0).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

/// A fresh, private directory for a throwaway cluster. It lives in the
/// temporary directory unless that path is so long that the server's socket
/// path would not fit, in which case `/tmp` is used.
pub(super) fn create_unique_dir() -> Result<PathBuf, LocalPgError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let temp = std::env::temp_dir();
    let base = if temp.as_os_str().len() <= 40 {
        temp
    } else {
        PathBuf::from("/tmp")
    };
    loop {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let name = format!(
            "shoebox-pg-{}-{}-{nanos:x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = base.join(name);
        match std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
        {
            Ok(()) => return Ok(dir),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(LocalPgError::io(
                    format!("could not create {}", dir.display()),
                    error,
                ));
            }
        }
    }
}
