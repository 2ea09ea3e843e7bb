//! `cargo xtask e2e`: the web app end to end in a real browser.
//!
//! Installs Debian's Chromium when missing (apt as root), builds the web app
//! and then `shoebox` (which embeds it), starts a throwaway PostgreSQL and
//! `shoebox serve --with-worker` on a free 127.0.0.1 port, and runs
//! `web/e2e` with playwright-core driving Chromium. Everything it started is
//! stopped on the way out; screenshots land in `target/e2e-screenshots`.

use std::time::Duration;

use anyhow::{Context, Result};
use shoebox_localpg::{Cluster, free_port};

use crate::prerequisites;
use crate::process::{run_step, run_streamed};
use crate::project;
use crate::server::Server;
use crate::ui::Step;
use crate::web;

pub(crate) fn run() -> Result<()> {
    let chromium = prerequisites::debian_program("chromium", "chromium")?;
    prerequisites::postgres()?;
    web::build()?;
    let binary = project::build_debug_shoebox("building shoebox with the web app embedded")?;
    let work_dir = project::root().join("target").join("shoebox-e2e");
    let _ = std::fs::remove_dir_all(&work_dir);
    let objects = work_dir.join("objects");
    std::fs::create_dir_all(&objects)
        .with_context(|| format!("could not create {}", objects.display()))?;

    let step = Step::start("starting a throwaway PostgreSQL");
    let cluster = Cluster::start_ephemeral()?;
    step.done();
    let result = (|| -> Result<()> {
        cluster.create_database("shoebox")?;
        let port = free_port()?;
        let env = crate::server::local_env(&cluster.admin_url("shoebox"), port, &objects);
        run_step(
            "migrating the database",
            std::process::Command::new(&binary)
                .arg("migrate")
                .envs(env.iter().map(|(name, value)| (name, value))),
        )?;
        let mut server = Server::spawn(&binary, port, &env)?;
        let tested = server.wait_healthy(Duration::from_secs(60)).and_then(|()| {
            run_streamed(
                web::npm()?
                    .args(["run", "e2e"])
                    .env("SHOEBOX_E2E_URL", format!("http://127.0.0.1:{port}"))
                    .env("SHOEBOX_E2E_CHROMIUM", &chromium)
                    .env(
                        "SHOEBOX_E2E_SCREENSHOTS",
                        project::root().join("target/e2e-screenshots"),
                    ),
            )
        });
        let stopped = server.terminate();
        tested.and(stopped)
    })();
    let stopped = cluster.stop();
    result?;
    stopped?;
    Ok(())
}
