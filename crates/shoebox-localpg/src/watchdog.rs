//! The watchdog: a small `sh` child that stops a cluster when the process
//! that started it goes away, however it goes away.
//!
//! Its standard input is a pipe whose only write end lives in this process
//! (Rust opens pipes close-on-exec, so no program we start inherits it). When
//! this process exits — normally, by panic, or by `SIGKILL` — the kernel
//! closes that end, the watchdog's `read` sees end-of-file, and it stops the
//! server (and removes a throwaway data directory). No polling is involved.
//! A clean [`Watchdog::disarm`] sends one line instead, and it exits quietly.
//!
//! It runs in its own process group and ignores the terminal's signals, so a
//! Ctrl-C that ends its parent does not end it before it has done its job.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::LocalPgError;

/// The script; its arguments are: shutdown mode, `remove` or `keep`, data
/// directory, then the command that runs `pg_ctl` (with `runuser` when root).
const SCRIPT: &str = r#"
trap '' HUP INT QUIT TERM PIPE
mode=$1; removal=$2; dir=$3; shift 3
if IFS= read -r line && [ "$line" = disarm ]; then exit 0; fi
"$@" stop -D "$dir" -m "$mode" -w -t 60 >/dev/null 2>&1
if [ "$removal" = remove ]; then rm -rf -- "$dir"; fi
"#;

/// What the watchdog does to the data directory after stopping the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnOrphan {
    /// A throwaway cluster: stop it immediately and delete its directory.
    StopAndRemove,
    /// A persistent cluster: shut it down cleanly and keep its data.
    StopAndKeep,
}

/// A running watchdog; dropping it without [`Watchdog::disarm`] triggers it.
#[derive(Debug)]
pub(crate) struct Watchdog {
    child: Child,
}

impl Watchdog {
    /// Starts a watchdog for the cluster in `data_dir`, stopped with `pg_ctl`
    /// (the full command, e.g. `runuser -u postgres -- /…/pg_ctl`).
    pub(crate) fn spawn(
        data_dir: &Path,
        pg_ctl: Vec<OsString>,
        on_orphan: OnOrphan,
    ) -> Result<Self, LocalPgError> {
        let (mode, removal) = match on_orphan {
            OnOrphan::StopAndRemove => ("immediate", "remove"),
            OnOrphan::StopAndKeep => ("fast", "keep"),
        };
        let child = Command::new("sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("shoebox-localpg-watchdog")
            .args([mode, removal])
            .arg(data_dir)
            .args(pg_ctl)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|error| {
                LocalPgError::io("could not start the cluster's watchdog (sh)", error)
            })?;
        Ok(Self { child })
    }

    /// Tells the watchdog the cluster was stopped properly, and reaps it.
    pub(crate) fn disarm(mut self) -> Result<(), LocalPgError> {
        if let Some(mut stdin) = self.child.stdin.take() {
            stdin
                .write_all(b"disarm\n")
                .map_err(|error| LocalPgError::io("could not disarm the watchdog", error))?;
        }
        self.reap()
    }

    /// Lets the watchdog stop the cluster now, and waits until it has.
    pub(crate) fn trigger(mut self) -> Result<(), LocalPgError> {
        drop(self.child.stdin.take());
        self.reap()
    }

    fn reap(&mut self) -> Result<(), LocalPgError> {
        self.child
            .wait()
            .map(drop)
            .map_err(|error| LocalPgError::io("could not wait for the watchdog", error))
    }
}
