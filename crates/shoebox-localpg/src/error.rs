//! The one error type of this crate. Every variant says what to do next.

use std::io;
use std::path::PathBuf;

/// Why a local cluster could not be located, started, used or stopped.
#[derive(Debug, thiserror::Error)]
pub enum LocalPgError {
    /// No directory holding `initdb`, `pg_ctl` and `postgres` was found.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; looked in: {searched}. \
         Install them with `apt-get install -y postgresql` (Debian/Ubuntu), or set \
         SHOEBOX_PG_BIN to the directory that holds initdb and pg_ctl"
    )]
    BinariesNotFound {
        /// The places that were searched, for the message.
        searched: String,
    },

    /// Running as root needs the `postgres` system user, which is missing.
    #[error(
        "running as root, so PostgreSQL must run as the `postgres` system user, but it does not \
         exist ({detail}); install the `postgresql` package (it creates the user) or run as a \
         normal user"
    )]
    PostgresUserMissing {
        /// What `id postgres` said.
        detail: String,
    },

    /// A directory on the way to the data directory is closed to the `postgres` user.
    #[error(
        "the `postgres` system user cannot reach {}: {} is not traversable by it; run \
         `chmod o+x {}` or use a data directory elsewhere",
        data_dir.display(),
        blocking.display(),
        blocking.display()
    )]
    NotTraversable {
        /// The data directory the server needs.
        data_dir: PathBuf,
        /// The first ancestor that `postgres` cannot enter.
        blocking: PathBuf,
    },

    /// The data directory exists and holds something other than a cluster.
    #[error(
        "{} is not empty and holds no PostgreSQL cluster (no PG_VERSION); remove it or choose \
         another directory",
        data_dir.display()
    )]
    NotACluster {
        /// The directory in question.
        data_dir: PathBuf,
    },

    /// A file-system or process operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// A helper program (initdb, pg_ctl, psql, ...) exited unsuccessfully.
    #[error("`{command}` failed ({status}): {output}")]
    CommandFailed {
        /// The command line, for the message.
        command: String,
        /// Its exit status.
        status: String,
        /// What it printed on stderr and stdout.
        output: String,
    },

    /// The server did not come up; the tail of its log says why.
    #[error(
        "PostgreSQL did not start in {}: {reason}\n--- last lines of {} ---\n{log_tail}",
        data_dir.display(),
        log.display()
    )]
    StartFailed {
        /// The cluster's data directory.
        data_dir: PathBuf,
        /// What `pg_ctl start` said.
        reason: String,
        /// The server log.
        log: PathBuf,
        /// Its last lines.
        log_tail: String,
    },
}

impl LocalPgError {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }
}
