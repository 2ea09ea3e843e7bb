//! `cargo xtask bench`: the release build under load, measured with wrk and
//! compared with pgbench against the same PostgreSQL in the same run, so the
//! figures are ratios that mean something on any machine.
//!
//! Steps: build `shoebox` (release), make sure `wrk`, `curl` and
//! `vipsthumbnail` are installed, start a throwaway cluster, measure the
//! pgbench select-only reference, migrate, serve, sign up a bench user, run
//! the wrk scenarios while sampling the server's memory (the last one lists a
//! 100-photo album filled by `album`), measure concurrent 20 MB uploads on a
//! fresh server against copies of the same bytes (`uploads`), grow the
//! database to 1 GiB and measure `shoebox backup run` against `pg_dump
//! --format=custom` with the restore and verify times (`backups`), stop the
//! cluster, then measure thumbnails against `vipsthumbnail` on one 12-MP
//! JPEG (`thumbnails`), print the table and the targets. Missed targets print
//! FAIL and only fail the command with `--strict`; a load generator that
//! cannot run always fails it. Everything started is stopped at the end.

mod album;

mod backups;
mod copies;
mod pgbench;
mod report;
mod rss;
mod scenarios;
mod thumbnails;
mod uploads;
mod wrk;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use shoebox_localpg::{Cluster, free_port};

use crate::process::run_step;
use crate::server::Server;
use crate::ui::{self, Step};
use crate::{prerequisites, project};

use crate::api_session::{self as api, Session};
use report::Measured;

/// Flags of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// Exit non-zero when a target is missed.
    #[arg(long)]
    strict: bool,
    /// Seconds each scenario, and the pgbench reference, runs.
    #[arg(long, default_value_t = 10)]
    duration: u32,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    prerequisites::postgres()?;
    let wrk = prerequisites::debian_program("wrk", "wrk")?;
    prerequisites::debian_program("curl", "curl")?;
    let vips = thumbnails::vipsthumbnail()?;
    run_step(
        "building shoebox-server (release)",
        project::cargo().args(["build", "--release", "-p", "shoebox-server", "--locked"]),
    )?;
    let binary = project::shoebox_binary(&project::target_dir()?, "release");
    let work_dir = project::root().join("target").join("shoebox-bench");
    fresh_dir(&work_dir)?;
    let sample = thumbnails::generate_sample(&binary, &work_dir)?;
    let upload_files = uploads::prepare(&sample, &work_dir)?;

    let step = Step::start("starting a throwaway PostgreSQL");
    let cluster = Cluster::start_ephemeral()?;
    step.done();
    let reference_tps = pgbench::measure(&cluster, flags.duration)?;
    cluster.create_database("shoebox")?;

    let database_url = cluster.admin_url("shoebox");
    // The object store and the copies of the upload scenario share a filesystem.
    let objects = fresh_dir(&work_dir.join("objects"))?;
    let port = free_port()?;
    let env = crate::server::local_env(&database_url, port, &objects);
    let mut migrate = Command::new(&binary);
    migrate
        .arg("migrate")
        .envs(env.iter().map(|(name, value)| (name, value)));
    run_step("migrating the database", &mut migrate)?;

    let mut server = Server::spawn(&binary, port, &env)?;
    server.wait_healthy(Duration::from_secs(60))?;
    let session = api::sign_up(port)?;
    let login_script = scenarios::write_login_script(&work_dir)?;
    let mut measured = Vec::new();
    for scenario in scenarios::api(&session, &login_script) {
        measured.push(scenarios::measure(
            &wrk,
            &mut server,
            port,
            &scenario,
            flags.duration,
        )?);
    }
    let album = album::seed(&binary, &env, &session, &vips, &sample, &work_dir)?;
    let listing = scenarios::listing(&session, &album);
    measured.push(scenarios::measure(
        &wrk,
        &mut server,
        port,
        &listing,
        flags.duration,
    )?);
    server.terminate()?;

    // The uploads get a server of their own, so that its memory grows from
    // where a server starts rather than into what the scenarios above left
    // it; the session is in the database and carries over.
    let port = free_port()?;
    let mut server = Server::spawn(
        &binary,
        port,
        &crate::server::local_env(&database_url, port, &objects),
    )?;
    server.wait_healthy(Duration::from_secs(60))?;
    let pid = server.pid().context("the server has no process id")?;
    let session = Session { port, ..session };
    let uploaded = uploads::measure(&session, pid, &upload_files, &work_dir.join("copies"))?;
    if let Some(status) = server.exited()? {
        bail!("the server exited during the uploads ({status})");
    }
    server.terminate()?;

    // Backups of the same database, grown to 1 GiB, against pg_dump.
    let backups = backups::measure(&binary, &cluster, "shoebox", &database_url, &env)?;
    cluster.stop()?;

    // Imaging, apart from the HTTP scenarios: thumbnails against vipsthumbnail.
    let thumbnails = thumbnails::measure(&binary, &vips, &sample, &work_dir, flags.duration)?;

    print_report(
        reference_tps,
        &measured,
        &uploaded,
        &thumbnails,
        &backups,
        flags.strict,
    )
}

fn print_report(
    reference_tps: f64,
    measured: &[Measured],
    uploaded: &uploads::UploadFigures,
    thumbnails: &thumbnails::ThumbnailRates,
    backups: &backups::BackupFigures,
    strict: bool,
) -> Result<()> {
    let [me, _healthz, login_storm, listing] = measured else {
        bail!("expected four scenarios, measured {}", measured.len());
    };
    let mut verdicts = report::verdicts(reference_tps, me, login_storm);
    verdicts.push(report::listing_verdict(reference_tps, listing));
    verdicts.extend(uploaded.verdicts());
    verdicts.push(thumbnails.verdict());
    verdicts.extend(backups.verdicts());
    print_out(&format!(
        "\n{}{}{}{}\n{}",
        report::table(reference_tps, measured),
        uploaded.line(),
        thumbnails.line(),
        backups.line(),
        report::verdict_lines(&verdicts)
    ));
    for row in measured {
        let errors = row.summary.non_success + row.summary.socket_errors;
        if errors > 0 {
            ui::note(&format!(
                "{}: {errors} of {} requests were errors (non-2xx/3xx or socket errors)",
                row.name, row.summary.requests
            ));
        }
    }
    let missed = verdicts.iter().filter(|verdict| !verdict.passed).count();
    if missed > 0 && strict {
        bail!("{missed} target(s) missed");
    }
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the report is what the command prints")]
fn print_out(text: &str) {
    print!("{text}");
}

/// Creates `dir` empty, removing what a previous run left.
fn fresh_dir(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("could not clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    Ok(dir.to_path_buf())
}
