//! A private PostgreSQL cluster, started from the server binaries installed on
//! this machine, for `cargo xtask dev`, the test suite and `cargo xtask bench`.
//!
//! This crate owns everything about running a local server: finding the
//! binaries ([`PgBinaries`]), `initdb`, choosing a free port, starting and
//! stopping with `pg_ctl`, and making sure a throwaway cluster never outlives
//! the process that started it ([`Cluster::start_ephemeral`]). It works as a
//! normal user and as root (then the server runs as the `postgres` system
//! user through `runuser`, because PostgreSQL refuses to run as root).
//!
//! It must not know anything about Shoebox itself — no schema, no migrations,
//! no settings — and it stays free of async runtimes and database drivers:
//! administration goes through the `psql` and `createdb` binaries.
//!
//! ```no_run
//! # fn main() -> Result<(), shoebox_localpg::LocalPgError> {
//! let cluster = shoebox_localpg::Cluster::start_ephemeral()?;
//! let answer = cluster.psql("postgres", "select 1")?;
//! assert_eq!(answer.trim(), "1");
//! println!("connect to {}", cluster.admin_url("postgres"));
//! cluster.stop()?;
//! # Ok(())
//! # }
//! ```

mod binaries;
mod cluster;
mod error;
mod net;
mod privilege;
mod process;
mod watchdog;

pub use binaries::{PgBinaries, PgVersion};
pub use cluster::Cluster;
pub use error::LocalPgError;
pub use net::{free_port, port_is_open};
