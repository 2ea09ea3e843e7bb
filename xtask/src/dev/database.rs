//! The dev database: `DATABASE_URL` when given, else the private persistent
//! cluster under `target/shoebox-dev/pg` with a database `shoebox`.
//!
//! The cluster keeps its port across runs (saved in `target/shoebox-dev/pg.port`)
//! so that a URL copied into a SQL client stays valid.

use std::path::Path;

use anyhow::{Context, Result};
use shoebox_localpg::{Cluster, free_port};

use crate::server::port_is_free;
use crate::ui::{self, Step};

/// The database the dev server uses, and the cluster behind it if we own it.
#[derive(Debug)]
pub(crate) struct DevDatabase {
    pub(crate) url: String,
    pub(crate) cluster: Option<Cluster>,
}

impl DevDatabase {
    /// Stops the private cluster, if there is one.
    pub(crate) fn stop(self) -> Result<()> {
        if let Some(cluster) = self.cluster {
            let step = Step::start("stopping PostgreSQL");
            cluster.stop()?;
            step.done();
        }
        Ok(())
    }
}

/// Uses `database_url` if given, else starts the private cluster in
/// `dev_dir/pg` and creates the database `shoebox` in it.
pub(crate) fn provision(dev_dir: &Path, database_url: Option<String>) -> Result<DevDatabase> {
    if let Some(url) = database_url {
        ui::note("using DATABASE_URL from the environment");
        return Ok(DevDatabase { url, cluster: None });
    }
    let port_file = dev_dir.join("pg.port");
    let saved = std::fs::read_to_string(&port_file)
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok());
    let port = match saved {
        Some(port) if port_is_free(port) => port,
        Some(port) => {
            let fresh = free_port()?;
            ui::note(&format!(
                "port {port} of the dev PostgreSQL is taken; moving it to {fresh}"
            ));
            fresh
        }
        None => free_port()?,
    };
    let data_dir = dev_dir.join("pg");
    let title = if data_dir.join("PG_VERSION").is_file() {
        "starting PostgreSQL (target/shoebox-dev/pg)"
    } else {
        "creating and starting PostgreSQL (initdb in target/shoebox-dev/pg)"
    };
    let step = Step::start(title);
    let cluster = match Cluster::start_persistent(&data_dir, Some(port)) {
        Ok(cluster) => cluster,
        Err(error) => {
            step.failed();
            return Err(error.into());
        }
    };
    step.done();
    std::fs::write(&port_file, format!("{port}\n"))
        .with_context(|| format!("could not write {}", port_file.display()))?;
    if cluster.create_database("shoebox")? {
        ui::note("created database `shoebox`");
    }
    Ok(DevDatabase {
        url: cluster.admin_url("shoebox"),
        cluster: Some(cluster),
    })
}
