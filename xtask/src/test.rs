//! `cargo xtask test`: every test of the workspace, against one throwaway
//! PostgreSQL cluster shared by all test binaries.
//!
//! The cluster's URL is handed to the tests as `SHOEBOX_TEST_PG_URL`
//! (`shoebox-test-support` uses it when set, and starts its own otherwise).
//! Output streams as it comes; cargo's own colour detection applies.

use shoebox_localpg::Cluster;

use anyhow::Result;

use crate::prerequisites;
use crate::process::run_streamed;
use crate::project;
use crate::ui::Step;

/// The variable through which the tests find the shared cluster.
pub(crate) const TEST_PG_URL: &str = "SHOEBOX_TEST_PG_URL";

/// Flags of `cargo xtask test` (and `ci`).
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// Passed to both `cargo test` runs after `--` (e.g. a test name filter).
    #[arg(last = true)]
    test_args: Vec<String>,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    prerequisites::postgres()?;
    let step = Step::start("starting a throwaway PostgreSQL for the tests");
    let cluster = match Cluster::start_ephemeral() {
        Ok(cluster) => {
            step.done();
            cluster
        }
        Err(error) => {
            step.failed();
            return Err(error.into());
        }
    };
    let url = cluster.admin_url("postgres");
    crate::ui::note(&format!("{TEST_PG_URL}={url}"));

    let result = run_tests(&url, &flags.test_args);
    // Stop the cluster whatever the tests did; their failure is the news.
    let stopped = cluster.stop();
    result?;
    stopped?;
    Ok(())
}

fn run_tests(url: &str, test_args: &[String]) -> Result<()> {
    for kind in ["--all-targets", "--doc"] {
        let mut command = project::cargo();
        command
            .args(["test", "--workspace", kind, "--locked"])
            .env(TEST_PG_URL, url);
        if !test_args.is_empty() {
            command.arg("--").args(test_args);
        }
        run_streamed(&mut command)?;
    }
    Ok(())
}
