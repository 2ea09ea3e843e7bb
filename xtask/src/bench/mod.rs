//! `cargo xtask bench`: the release build under load, measured with wrk and
//! compared with pgbench against the same PostgreSQL in the same run, so the
//! figures are ratios that mean something on any machine.
//!
//! Steps: build `shoebox` (release), make sure `wrk` is installed, start a
//! throwaway cluster, measure the pgbench select-only reference, migrate,
//! serve, sign up a bench user, run the scenarios while sampling the server's
//! memory, then measure thumbnails against `vipsthumbnail` on one 12-MP
//! JPEG (`thumbnails`), print the table and the targets. Missed targets print FAIL and
//! only fail the command with `--strict`; a load generator that cannot run
//! always fails it. Everything started is stopped at the end.

mod pgbench;
mod report;
mod rss;
mod thumbnails;
mod wrk;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use shoebox_localpg::{Cluster, free_port};

use crate::process::run_step;
use crate::server::Server;
use crate::ui::{self, Step};
use crate::{http, prerequisites, project};

use report::Measured;
use wrk::Scenario;

const BENCH_EMAIL: &str = "bench@example.com";
const BENCH_PASSWORD: &str = "bench-Correct-Horse-Battery-Staple-42";

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
    run_step(
        "building shoebox-server (release)",
        project::cargo().args(["build", "--release", "-p", "shoebox-server", "--locked"]),
    )?;
    let binary = project::shoebox_binary(&project::target_dir()?, "release");
    let work_dir = project::root().join("target").join("shoebox-bench");
    fresh_dir(&work_dir)?;

    let step = Step::start("starting a throwaway PostgreSQL");
    let cluster = Cluster::start_ephemeral()?;
    step.done();
    let reference_tps = pgbench::measure(&cluster, flags.duration)?;
    cluster.create_database("shoebox")?;

    let port = free_port()?;
    let env = bench_env(&cluster.admin_url("shoebox"), port);
    let mut migrate = Command::new(&binary);
    migrate
        .arg("migrate")
        .envs(env.iter().map(|(name, value)| (name, value)));
    run_step("migrating the database", &mut migrate)?;

    let mut server = Server::spawn(&binary, port, &env)?;
    server.wait_healthy(Duration::from_secs(60))?;
    let pid = server.pid().context("the server has no process id")?;
    let cookie = sign_up(port)?;
    let scenarios = scenarios(&cookie, &write_login_script(&work_dir)?);

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
    let thumbnails = thumbnails::measure(&binary, &work_dir, flags.duration)?;

    print_report(reference_tps, &measured, &thumbnails, flags.strict)
}

fn print_report(
    reference_tps: f64,
    measured: &[Measured],
    thumbnails: &thumbnails::ThumbnailRates,
    strict: bool,
) -> Result<()> {
    let [me, _healthz, login_storm] = measured else {
        bail!("expected three scenarios, measured {}", measured.len());
    };
    let mut verdicts = report::verdicts(reference_tps, me, login_storm);
    verdicts.push(thumbnails.verdict());
    print_out(&format!(
        "\n{}{}\n{}",
        report::table(reference_tps, measured),
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

fn scenarios(cookie: &str, login_script: &Path) -> Vec<Scenario> {
    vec![
        Scenario {
            name: "GET /api/v1/me",
            path: "/api/v1/me",
            connections: 32,
            headers: vec![format!("Cookie: shoebox_session={cookie}")],
            script: None,
        },
        Scenario {
            name: "GET /healthz",
            path: "/healthz",
            connections: 32,
            headers: Vec::new(),
            script: None,
        },
        Scenario {
            name: "POST /api/v1/auth/login (storm)",
            path: "/api/v1/auth/login",
            connections: 64,
            headers: Vec::new(),
            script: Some(login_script.to_path_buf()),
        },
    ]
}

fn bench_env(database_url: &str, port: u16) -> Vec<(String, String)> {
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
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// Signs up the bench user and returns its session cookie.
fn sign_up(port: u16) -> Result<String> {
    let body = format!(
        r#"{{"email":"{BENCH_EMAIL}","password":"{BENCH_PASSWORD}","display_name":"Bench"}}"#
    );
    let response = http::post_json(port, "/api/v1/auth/signup", &body)
        .context("could not sign up the bench user")?;
    if !(200..300).contains(&response.status) {
        bail!(
            "signing up the bench user answered {}: {}",
            response.status,
            response.body
        );
    }
    response
        .cookie("shoebox_session")
        .map(str::to_owned)
        .context("the sign-up response set no shoebox_session cookie")
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
