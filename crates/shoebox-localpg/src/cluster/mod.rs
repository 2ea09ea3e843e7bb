//! A running cluster: creating, starting, administering and stopping it.

mod control;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::LocalPgError;
use crate::binaries::PgBinaries;
use crate::privilege::RunAs;
use crate::process::run;
use crate::watchdog::{OnOrphan, Watchdog};

use control::{create_unique_dir, is_empty_dir, pg_ctl_command};

/// Server settings for a throwaway cluster: durability is worth nothing there.
const NOT_DURABLE: &str = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

/// A running PostgreSQL server on 127.0.0.1 with trust authentication and the
/// superuser `postgres`.
///
/// Dropping it stops the server (and deletes a throwaway cluster's data
/// directory); [`Cluster::stop`] does the same and reports failures.
#[derive(Debug)]
pub struct Cluster {
    binaries: PgBinaries,
    run_as: RunAs,
    data_dir: PathBuf,
    port: u16,
    ephemeral: bool,
    running: bool,
    /// `None` once the cluster has been shut down.
    watchdog: Option<Watchdog>,
}

impl Cluster {
    /// Starts the persistent cluster in `data_dir` (used by `cargo xtask dev`):
    /// runs `initdb` first when the directory holds no cluster yet, stops a
    /// server left running there, then starts on `port` (or a free port) and
    /// waits until it accepts connections. Data survives [`Cluster::stop`].
    ///
    /// Even so, the server is shut down (cleanly) if this process dies.
    pub fn start_persistent(data_dir: &Path, port: Option<u16>) -> Result<Self, LocalPgError> {
        let binaries = PgBinaries::locate()?;
        let run_as = RunAs::detect()?;
        let data_dir = std::path::absolute(data_dir).map_err(|error| {
            LocalPgError::io(format!("could not resolve {}", data_dir.display()), error)
        })?;
        run_as.prepare_data_dir(&data_dir)?;
        let initialised = data_dir.join("PG_VERSION").is_file();
        if !initialised && !is_empty_dir(&data_dir)? {
            return Err(LocalPgError::NotACluster { data_dir });
        }
        let pg_ctl = pg_ctl_command(&run_as, &binaries);
        let mut cluster = Self {
            watchdog: Some(Watchdog::spawn(&data_dir, pg_ctl, OnOrphan::StopAndKeep)?),
            binaries,
            run_as,
            data_dir,
            port: 0,
            ephemeral: false,
            running: false,
        };
        if initialised {
            cluster.stop_leftover_server()?;
        } else {
            cluster.initdb()?;
        }
        cluster.start_server(port, "")?;
        Ok(cluster)
    }

    /// Starts a throwaway cluster in a fresh temporary directory (tests,
    /// benchmarks), with durability switched off for speed.
    ///
    /// It never outlives this process: if the process dies without stopping
    /// it — even by `SIGKILL` — a watchdog child stops the server and deletes
    /// the directory.
    pub fn start_ephemeral() -> Result<Self, LocalPgError> {
        let binaries = PgBinaries::locate()?;
        let run_as = RunAs::detect()?;
        let data_dir = create_unique_dir()?;
        let pg_ctl = pg_ctl_command(&run_as, &binaries);
        // The watchdog exists before anything else can fail, so that even a
        // failed start leaves no directory behind.
        let watchdog = Watchdog::spawn(&data_dir, pg_ctl, OnOrphan::StopAndRemove);
        let watchdog = match watchdog {
            Ok(watchdog) => watchdog,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&data_dir);
                return Err(error);
            }
        };
        let mut cluster = Self {
            watchdog: Some(watchdog),
            binaries,
            run_as,
            data_dir,
            port: 0,
            ephemeral: true,
            running: false,
        };
        cluster.run_as.prepare_data_dir(&cluster.data_dir)?;
        cluster.initdb()?;
        cluster.start_server(None, NOT_DURABLE)?;
        Ok(cluster)
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL as the superuser `postgres` to `database` (a plain
    /// name; it is not percent-encoded), e.g.
    /// `postgres://postgres@127.0.0.1:5432/postgres`.
    pub fn admin_url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// The directory of the server binaries (and client tools) in use.
    pub fn bin_dir(&self) -> &Path {
        self.binaries.dir()
    }

    /// The binaries in use.
    pub fn binaries(&self) -> &PgBinaries {
        &self.binaries
    }

    /// The cluster's data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server log (`server.log` in the data directory).
    pub fn log_path(&self) -> PathBuf {
        self.data_dir.join("server.log")
    }

    /// Runs `sql` in `database` with `psql` as `postgres`, stopping at the
    /// first error, and returns what it printed (unaligned, tuples only).
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, LocalPgError> {
        let output = run(self
            .client("psql")
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"])
            .args(["-d", database, "-c", sql]))?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Creates the database `name` unless it exists; returns whether it did.
    pub fn create_database(&self, name: &str) -> Result<bool, LocalPgError> {
        let literal = name.replace('\'', "''");
        let query = format!("select 1 from pg_database where datname = '{literal}'");
        if self.psql("postgres", &query)?.trim() == "1" {
            return Ok(false);
        }
        match run(self.client("createdb").arg(name)) {
            Ok(_) => Ok(true),
            // Someone else created it between the check and now.
            Err(LocalPgError::CommandFailed { output, .. })
                if output.contains("already exists") =>
            {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// A client program from the binaries directory, pointed at this server
    /// over TCP as `postgres` (add the database and the rest).
    pub fn client(&self, program: &str) -> Command {
        let mut command = Command::new(self.binaries.bin(program));
        command
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .env_remove("PGDATABASE")
            .env_remove("PGSERVICE")
            .current_dir("/");
        command
    }

    /// Stops the server (`pg_ctl stop -m fast`) and, for a throwaway
    /// cluster, deletes its data directory.
    pub fn stop(mut self) -> Result<(), LocalPgError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), LocalPgError> {
        let Some(watchdog) = self.watchdog.take() else {
            return Ok(());
        };
        if self.running {
            let stopped = run(self.pg_ctl().args(["stop", "-m", "fast", "-w", "-t", "60"]));
            if let Err(error) = stopped {
                // The watchdog's immediate stop is the last resort.
                let _ = watchdog.trigger();
                return Err(error);
            }
            self.running = false;
        }
        let removed = if self.ephemeral {
            std::fs::remove_dir_all(&self.data_dir).map_err(|error| {
                LocalPgError::io(
                    format!("could not remove {}", self.data_dir.display()),
                    error,
                )
            })
        } else {
            Ok(())
        };
        watchdog.disarm()?;
        removed
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Failures cannot be reported from here; the watchdog covers a
        // server that would not stop.
        let _ = self.shutdown();
    }
}
