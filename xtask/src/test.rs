//! `cargo xtask test`: every test of the workspace, against one throwaway
//! PostgreSQL cluster shared by all test binaries.
//!
//! The cluster's URL is handed to the tests as `SHOEBOX_TEST_PG_URL`
//! (`shoebox-test-support` uses it when set, and starts its own otherwise),
//! and the S3-compatible test server (moto, installed into
//! `target/tools/venv`) as `SHOEBOX_TEST_MOTO_SERVER`.
//! Output streams as it comes; cargo's own colour detection applies.
//! The web app's linter, component tests, generated-types check and
//! end-to-end tests in Chromium (`cargo xtask e2e`) run first, then the
//! chart, delivery and monitoring checks (`cargo xtask monitoring`).

use std::path::Path;

use shoebox_localpg::Cluster;

use anyhow::Result;

use crate::prerequisites;
use crate::process::run_streamed;
use crate::project;
use crate::ui::Step;

/// The variable through which the tests find the shared cluster.
pub(crate) const TEST_PG_URL: &str = "SHOEBOX_TEST_PG_URL";

/// The variable through which the tests find `moto_server`.
const TEST_MOTO_SERVER: &str = "SHOEBOX_TEST_MOTO_SERVER";

/// moto's S3 server, the S3-compatible store of the object storage tests.
/// `shoebox-test-support` installs the same when run without the xtask.
const MOTO_REQUIREMENT: &str = "moto[server]==5.2.5";

/// The variable through which the tests find a `python` with aiosmtpd.
const TEST_SMTP_PYTHON: &str = "SHOEBOX_TEST_SMTP_PYTHON";

/// aiosmtpd, the SMTP server the mail tests deliver to.
/// `shoebox-test-support` installs the same when run without the xtask.
pub(crate) const AIOSMTPD_REQUIREMENT: &str = "aiosmtpd==1.4.6";

/// Flags of `cargo xtask test` (and `ci`).
#[derive(Debug, Default, clap::Args)]
pub(crate) struct Flags {
    /// Passed to both `cargo test` runs after `--` (e.g. a test name filter).
    #[arg(last = true)]
    test_args: Vec<String>,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    // The web app's checks come first: they take seconds, the cargo tests minutes.
    web_checks()?;
    crate::helm::run()?;
    crate::deploy_lint::run()?;
    crate::monitoring::run()?;
    prerequisites::postgres()?;
    let moto_server = prerequisites::python_tool(MOTO_REQUIREMENT, "moto_server")?;
    crate::ui::note(&format!("{TEST_MOTO_SERVER}={}", moto_server.display()));
    let aiosmtpd = prerequisites::python_tool(AIOSMTPD_REQUIREMENT, "aiosmtpd")?;
    let smtp_python = aiosmtpd.with_file_name("python");
    crate::ui::note(&format!("{TEST_SMTP_PYTHON}={}", smtp_python.display()));
    let cluster = throwaway_cluster("starting a throwaway PostgreSQL for the tests")?;
    let url = cluster.admin_url("postgres");
    crate::ui::note(&format!("{TEST_PG_URL}={url}"));

    let result = run_tests(&url, &moto_server, &smtp_python, &flags.test_args);
    // Stop the cluster whatever the tests did; their failure is the news.
    let stopped = cluster.stop();
    result?;
    stopped?;
    if flags.test_args.is_empty() {
        crate::smoke::run(&crate::smoke::Flags::default())?;
        crate::compat::run()?;
        delivery_tests()
    } else {
        crate::ui::note(
            "a test filter was given: skipping the smoke, compat, release and image tests",
        );
        Ok(())
    }
}

/// The delivery tests, after every other: a real release in a temporary
/// clone published to a local registry, and the released image run under
/// chroot (the run's one release build).
fn delivery_tests() -> Result<()> {
    crate::release::rehearsal::run()
}

/// A throwaway PostgreSQL cluster, started as a step named `title`.
pub(crate) fn throwaway_cluster(title: &str) -> Result<Cluster> {
    let step = Step::start(title);
    match Cluster::start_ephemeral() {
        Ok(cluster) => {
            step.done();
            Ok(cluster)
        }
        Err(error) => {
            step.failed();
            Err(error.into())
        }
    }
}

/// `npm ci` (when the lock file changed), ESLint and tsc, Vitest, the check
/// that the generated API types match the server's OpenAPI document, and
/// the end-to-end tests. The app is built before the debug `shoebox` that
/// codegen and the end-to-end tests share, so that binary embeds it.
fn web_checks() -> Result<()> {
    crate::web::lint()?;
    crate::web::test()?;
    crate::web::build()?;
    crate::web::check_codegen()?;
    crate::e2e::exercise(&[])
}

fn run_tests(
    url: &str,
    moto_server: &Path,
    smtp_python: &Path,
    test_args: &[String],
) -> Result<()> {
    for kind in ["--all-targets", "--doc"] {
        let mut command = project::cargo();
        command
            .args(["test", "--workspace", kind, "--locked"])
            .env(TEST_PG_URL, url)
            .env(TEST_MOTO_SERVER, moto_server)
            .env(TEST_SMTP_PYTHON, smtp_python);
        if !test_args.is_empty() {
            command.arg("--").args(test_args);
        }
        run_streamed(&mut command)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_support_installs_the_same_aiosmtpd() {
        let path = project::root().join("crates/shoebox-test-support/src/smtp/mod.rs");
        let source = std::fs::read_to_string(&path).unwrap();
        let expected = format!("AIOSMTPD_REQUIREMENT: &str = \"{AIOSMTPD_REQUIREMENT}\";");
        assert!(
            source.contains(&expected),
            "{} must pin {AIOSMTPD_REQUIREMENT}",
            path.display()
        );
        let variable = format!("SMTP_PYTHON_VARIABLE: &str = \"{TEST_SMTP_PYTHON}\";");
        assert!(source.contains(&variable), "{}", path.display());
    }

    #[test]
    fn test_support_installs_the_same_moto() {
        let path = project::root().join("crates/shoebox-test-support/src/s3/install.rs");
        let source = std::fs::read_to_string(&path).unwrap();
        let expected = format!("MOTO_REQUIREMENT: &str = \"{MOTO_REQUIREMENT}\";");
        assert!(
            source.contains(&expected),
            "{} must pin {MOTO_REQUIREMENT}",
            path.display()
        );
        let variable = format!("MOTO_SERVER_VARIABLE: &str = \"{TEST_MOTO_SERVER}\";");
        assert!(source.contains(&variable), "{}", path.display());
    }
}
