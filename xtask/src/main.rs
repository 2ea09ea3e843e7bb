//! `cargo xtask`: the contributor commands of the Shoebox workspace.
//!
//! Each task lives in its own module with a `run` function; shared plumbing
//! (running cargo, progress output, the local server process, a tiny HTTP
//! client) sits beside them. The xtask knows the project's layout and its
//! command-line contract (`shoebox migrate | seed | serve` and their
//! environment variables) but no Shoebox code: its only workspace dependency
//! is `shoebox-localpg`, which provides PostgreSQL.

mod api_session;
mod bench;
mod ci;
mod compat;
mod deploy_lint;
mod dev;
mod e2e;
mod helm;
mod http;
mod image;
mod lint;
mod migration_lint;
mod monitoring;
mod prerequisites;
mod process;
mod project;
mod release;
mod server;
mod smoke;
mod test;
mod ui;
mod web;

#[cfg(test)]
mod dependency_rule;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Contributor commands for Shoebox: run it, test it, lint it, measure it.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run the whole app locally (private PostgreSQL, demo data, rebuild and
    /// restart on changes); Ctrl-C stops everything.
    Dev(dev::Flags),
    /// Run every test of the workspace against one throwaway PostgreSQL.
    Test(test::Flags),
    /// What CI runs: formatting and clippy checks, then every test.
    Ci(test::Flags),
    /// Formatting check and clippy with warnings denied, the web app's
    /// linters, and the migration linter.
    Lint,
    /// Lint every migration with squawk against the reviewed allow-list
    /// (also part of `lint`).
    LintMigrations,
    /// Regenerate the web app's API types (web/src/api/schema.ts) from the
    /// OpenAPI document of a freshly built `shoebox`.
    Codegen {
        /// Only check that the committed types are up to date.
        #[arg(long)]
        check: bool,
    },
    /// The web app end to end: Chromium (playwright-core) against a real
    /// server and a throwaway PostgreSQL (also part of `test`).
    E2e(e2e::Flags),
    /// Build the OCI image archive (target/dist/shoebox-VERSION.oci.tar)
    /// from the release binary, without a container daemon.
    Image(image::Flags),
    /// Release: bump, changelog, commit and tag, then the artefacts in
    /// target/dist (binary, OCI image, chart, OpenAPI, SBOM, SHA256SUMS);
    /// --publish pushes the image and chart to $SHOEBOX_REGISTRY.
    Release(release::Flags),
    /// The release test alone (also the end of `test`): a real release in a
    /// temporary clone, published to a local registry, and its image run.
    ReleaseTest,
    /// The API smoke test (the stable /api/v1 outline) against a throwaway
    /// server of this checkout's debug build or of --binary.
    Smoke(smoke::Flags),
    /// The previous release tag's binary against a database migrated by
    /// this checkout, through the API smoke test (also part of `test`).
    Compat,
    /// Measure the release build under load with wrk, against pgbench as the reference.
    Bench(bench::Flags),
    /// Render, lint and validate the Helm chart for every values file, and
    /// check what it must guarantee (also part of `test`).
    Helm,
    /// Alerts, metrics, logs and dashboards against the real tools: promtool
    /// and amtool checks, then Prometheus, Alertmanager and an SMTP server
    /// alerting on a running shoebox (also part of `test`).
    Monitoring,
    /// Static checks of the delivery files: GitHub workflows (actionlint),
    /// compose.yaml, skaffold.yaml, the Tiltfile (also part of `test`).
    DeployLint,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Dev(flags) => dev::run(&flags),
        Task::Test(flags) => test::run(&flags),
        Task::Ci(flags) => ci::run(&flags),
        Task::Lint => lint::run(),
        Task::LintMigrations => migration_lint::run(),
        Task::Bench(flags) => bench::run(&flags),
        Task::DeployLint => deploy_lint::run(),
        Task::E2e(flags) => e2e::run(&flags),
        Task::Image(flags) => image::run(&flags),
        Task::Release(flags) => release::run(&flags),
        Task::ReleaseTest => release::rehearsal::run(),
        Task::Helm => helm::run(),
        Task::Smoke(flags) => smoke::run(&flags),
        Task::Compat => compat::run(),
        Task::Monitoring => monitoring::run(),
        Task::Codegen { check: false } => web::codegen(),
        Task::Codegen { check: true } => web::check_codegen(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            // A failed cargo command hands its own exit status on.
            let code = error
                .downcast_ref::<process::CommandFailed>()
                .and_then(|failed| failed.code)
                .and_then(|code| u8::try_from(code).ok())
                .filter(|code| *code != 0)
                .unwrap_or(1);
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
