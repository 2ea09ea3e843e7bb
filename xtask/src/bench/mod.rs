//! `cargo xtask bench`: the release build under load, measured with wrk and
//! compared with pgbench against the same PostgreSQL in the same run, so the
//! figures are ratios that mean something on any machine.
//!
//! Steps: build `shoebox` (release), make sure `wrk`, `curl` and
//! `vipsthumbnail` are installed, start a throwaway cluster, measure the
//! pgbench select-only reference, migrate, serve, sign up a bench user,
//! measure concurrent 20 MB uploads against copies of the same bytes
//! (`uploads`), fill a 100-photo album (`album`), run the wrk scenarios while
//! sampling the server's memory, then measure thumbnails against
//! `vipsthumbnail` on one 12-MP JPEG (`thumbnails`), print the table and the
//! targets. Missed targets print FAIL and only fail the command with
//! `--strict`; a load generator that cannot run always fails it. Everything
//! started is stopped at the end.

mod album;
mod api;
mod copies;
mod pgbench;
mod report;
mod rss;
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

use api::{BENCH_EMAIL, BENCH_PASSWORD, Session};
use report::Measured;
use wrk::Scenario;

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

    let port = free_port()?;
    // The object store and the copies of the upload scenario share a filesystem.
    let objects = fresh_dir(&work_dir.join("objects"))?;
    let env = bench_env(&cluster.admin_url("shoebox"), port, &objects);
    let mut migrate = Command::new(&binary);
    migrate
        .arg("migrate")
        .envs(env.iter().map(|(name, value)| (name, value)));
    run_step("migrating the database", &mut migrate)?;

    let mut server = Server::spawn(&binary, port, &env)?;
    server.wait_healthy(Duration::from_secs(60))?;
    let pid = server.pid().context("the server has no process id")?;
    let session = api::sign_up(port)?;
    // First, so that the memory growth is measured from a fresh server.
    let uploaded = uploads::measure(&session, pid, &upload_files, &work_dir.join("copies"))?;
    if let Some(status) = server.exited()? {
        bail!("the server exited during the uploads ({status})");
    }
    let album = album::seed(&binary, &env, &session, &vips, &sample, &work_dir)?;
    let scenarios = scenarios(&session, &write_login_script(&work_dir)?, &album);

    let mut measured = Vec::new();
    for scenario in &scenarios {
        let step = Step::start(format!(
            "wrk: {} at {} connections, {}s",
            scenario.name, scenario.connections, flags.duration
        ));
        let sampler = rss::RssSampler::start(pid);
        let summary = wrk::run(&wrk, port, scenario, flags.duration);
        let peak_rss_kib = sampler.finish();
        match summary {
            Ok(summary) => {
                step.done();
                measured.push(Measured {
                    name: scenario.name,
                    connections: scenario.connections,
                    summary,
                    peak_rss_kib,
                });
            }
            Err(error) => {
                step.failed();
                return Err(error);
            }
        }
        if let Some(status) = server.exited()? {
            bail!("the server exited during `{}` ({status})", scenario.name);
        }
    }
    server.terminate()?;
    cluster.stop()?;

    // Imaging, apart from the HTTP scenarios: thumbnails against vipsthumbnail.
    let thumbnails = thumbnails::measure(&binary, &vips, &sample, &work_dir, flags.duration)?;

    print_report(
        reference_tps,
        &measured,
        &uploaded,
        &thumbnails,
        flags.strict,
    )
}

fn print_report(
    reference_tps: f64,
    measured: &[Measured],
    uploaded: &uploads::UploadFigures,
    thumbnails: &thumbnails::ThumbnailRates,
    strict: bool,
) -> Result<()> {
    let [me, _healthz, login_storm, listing] = measured else {
        bail!("expected four scenarios, measured {}", measured.len());
    };
    let mut verdicts = report::verdicts(reference_tps, me, login_storm);
    verdicts.push(report::listing_verdict(reference_tps, listing));
    verdicts.extend(uploaded.verdicts());
    verdicts.push(thumbnails.verdict());
    print_out(&format!(
        "\n{}{}{}\n{}",
        report::table(reference_tps, measured),
        uploaded.line(),
        thumbnails.line(),
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

fn scenarios(session: &Session, login_script: &Path, album: &str) -> Vec<Scenario> {
    vec![
        Scenario {
            name: "GET /api/v1/me",
            path: "/api/v1/me".to_owned(),
            connections: 32,
            headers: vec![session.cookie_header()],
            script: None,
        },
        Scenario {
            name: "GET /healthz",
            path: "/healthz".to_owned(),
            connections: 32,
            headers: Vec::new(),
            script: None,
        },
        Scenario {
            name: "POST /api/v1/auth/login (storm)",
            path: "/api/v1/auth/login".to_owned(),
            connections: 64,
            headers: Vec::new(),
            script: Some(login_script.to_path_buf()),
        },
        Scenario {
            name: "GET album photos (limit=100)",
            path: album::listing_path(album),
            connections: 32,
            headers: vec![session.cookie_header()],
            script: None,
        },
    ]
}

/// The server's environment: its defaults, but for where it listens, who may
/// sign up, the logs, and the object store's directory (`fsync` stays on).
fn bench_env(database_url: &str, port: u16, objects: &Path) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", database_url.to_owned()),
        ("SHOEBOX_HTTP__BIND", format!("127.0.0.1:{port}")),
        (
            "SHOEBOX_HTTP__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        ),
        ("SHOEBOX_AUTH__SIGNUP", "open".to_owned()),
        ("SHOEBOX_LOG__FORMAT", "json".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
        (
            "SHOEBOX_STORAGE__URL",
            format!("file://{}", objects.display()),
        ),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// The wrk script of the login storm: the bench user logging in, again and again.
fn write_login_script(work_dir: &Path) -> Result<PathBuf> {
    let script = work_dir.join("login.lua");
    let body = format!(r#"{{"email":"{BENCH_EMAIL}","password":"{BENCH_PASSWORD}"}}"#);
    let text = format!(
        "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
    );
    std::fs::write(&script, text)
        .with_context(|| format!("could not write {}", script.display()))?;
    Ok(script)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_script_posts_json() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = std::fs::read_to_string(write_login_script(&dir).unwrap()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(script.contains("wrk.method = \"POST\""));
        assert!(script.contains(r#"wrk.headers["Content-Type"] = "application/json""#));
        assert!(script.contains(r#"'{"email":"bench@example.com","password":"#));
    }
}
