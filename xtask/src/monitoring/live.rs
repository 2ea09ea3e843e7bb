//! The live checks: a real server scraped, logged, alerted on and graphed.

use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use shoebox_localpg::{Cluster, free_port};

use super::rules::{ALERTMANAGER, RULES, dashboard_queries};
use super::{Tools, dir};
use crate::process::run_step;
use crate::server::{Server, terminate_child};
use crate::ui::Step;
use crate::{http, prerequisites, project};

/// The `namespace` label Prometheus gives the scraped server (the chart's
/// alerts and dashboards group by it).
const NAMESPACE: &str = "monitoring-test";

/// Every family SPEC §10 asks of `/metrics`.
const FAMILIES: [&str; 13] = [
    "shoebox_http_requests_total",
    "shoebox_http_request_duration_seconds_bucket",
    "shoebox_panics_total",
    "shoebox_db_pool_connections",
    "shoebox_db_pool_waiting",
    "shoebox_jobs",
    "shoebox_jobs_readable",
    "shoebox_jobs_oldest_due_age_seconds",
    "shoebox_storage_bytes",
    "shoebox_backup_store_readable",
    "shoebox_backup_retained",
    "shoebox_build_info",
    "shoebox_db_pool_max_connections",
];

pub(super) fn run(tools: &Tools) -> Result<()> {
    prerequisites::postgres()?;
    let binary = project::build_debug_shoebox("building shoebox")?;
    let work = project::root().join("target").join("monitoring-test");
    let _ = std::fs::remove_dir_all(&work);
    let objects = work.join("objects");
    std::fs::create_dir_all(&objects)
        .with_context(|| format!("could not create {}", objects.display()))?;

    let mut cluster = Some(crate::test::throwaway_cluster(
        "starting a throwaway PostgreSQL",
    )?);
    let result = with_server(tools, &binary, &work, &mut cluster);
    let stopped = cluster.take().map_or(Ok(()), Cluster::stop);
    result?;
    stopped?;
    Ok(())
}

fn with_server(
    tools: &Tools,
    binary: &Path,
    work: &Path,
    cluster: &mut Option<Cluster>,
) -> Result<()> {
    let database = cluster.as_ref().context("no cluster")?;
    database.create_database("shoebox")?;
    let port = free_port()?;
    let objects = work.join("objects");
    let mut env = crate::server::local_env(&database.admin_url("shoebox"), port, &objects);
    for (name, value) in &mut env {
        if name == "RUST_LOG" {
            // The log check needs each request's completion line.
            *value = "info".to_owned();
        }
    }
    run_step(
        "migrating the database",
        Command::new(binary)
            .arg("migrate")
            .envs(env.iter().map(|(name, value)| (name, value))),
    )?;
    let otlp_port = free_port()?;
    let spans = work.join("spans.jsonl");
    let mut receiver = Daemon::spawn(
        Command::new(&tools.python)
            .arg(project::root().join("xtask/src/monitoring/otlp_receiver.py"))
            .arg(otlp_port.to_string())
            .arg(&spans)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        &work.join("otlp_receiver.log"),
    )?;
    wait_for(
        "the OTLP receiver did not listen",
        Duration::from_secs(30),
        || {
            if receiver.exited() {
                bail!(
                    "the OTLP receiver exited: {}",
                    std::fs::read_to_string(work.join("otlp_receiver.log")).unwrap_or_default()
                );
            }
            Ok(shoebox_localpg::port_is_open(otlp_port).then_some(()))
        },
    )?;
    env.push((
        "OTEL_EXPORTER_OTLP_ENDPOINT".to_owned(),
        format!("http://127.0.0.1:{otlp_port}"),
    ));
    // Export batches every 100 ms instead of 5 s.
    env.push(("OTEL_BSP_SCHEDULE_DELAY".to_owned(), "100".to_owned()));
    let log_path = work.join("shoebox.log");
    let log = File::create(&log_path)
        .with_context(|| format!("could not create {}", log_path.display()))?;
    let mut server = Server::spawn_with_output(binary, port, &env, Some(log))?;
    let checked = server
        .wait_healthy(Duration::from_secs(60))
        .and_then(|()| check_metrics(tools, port, work))
        .and_then(|()| check_logs(port, &log_path))
        .and_then(|()| super::traces::check(port, &spans))
        .and_then(|()| alerts_end_to_end(tools, port, work, cluster));
    let stopped = server.terminate();
    if checked.is_err() {
        crate::ui::note(&format!("the server's log: {}", log_path.display()));
    }
    checked.and(stopped)
}

/// `/metrics` of the running server through `promtool check metrics`, and
/// every family of SPEC §10 in it.
fn check_metrics(tools: &Tools, port: u16, work: &Path) -> Result<()> {
    let response = http::get(port, "/metrics").context("could not scrape /metrics")?;
    if response.status != 200 {
        bail!("/metrics answered {}: {}", response.status, response.body);
    }
    let missing: Vec<&str> = FAMILIES
        .iter()
        .copied()
        .filter(|family| {
            !response
                .body
                .lines()
                .any(|line| line.split([' ', '{']).next() == Some(family))
        })
        .collect();
    if !missing.is_empty() {
        bail!("/metrics lacks {}:\n{}", missing.join(", "), response.body);
    }
    let scrape = work.join("metrics.txt");
    std::fs::write(&scrape, &response.body)
        .with_context(|| format!("could not write {}", scrape.display()))?;
    run_step(
        "promtool check metrics (a scrape of the running server)",
        Command::new(&tools.promtool)
            .args(["check", "metrics"])
            .stdin(File::open(&scrape)?),
    )?;
    Ok(())
}

/// The log test: `log_check.py` drives sign-up, sign-in, an API token and an
/// upload, then checks the JSON lines.
fn check_logs(port: u16, log_path: &Path) -> Result<()> {
    let python = prerequisites::tools_dir().join("venv/bin/python");
    let transcript = run_step(
        "the JSON logs of a sign-in and an upload (fields, no secrets)",
        Command::new(python)
            .arg(project::root().join("xtask/src/monitoring/log_check.py"))
            .arg(format!("http://127.0.0.1:{port}"))
            .arg(log_path)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )?;
    crate::ui::note(transcript.trim());
    Ok(())
}

/// A background process stopped (SIGTERM, then SIGKILL) when dropped.
struct Daemon {
    child: Child,
}

impl Daemon {
    fn spawn(command: &mut Command, log: &Path) -> Result<Self> {
        let file =
            File::create(log).with_context(|| format!("could not create {}", log.display()))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("could not start {}", crate::process::describe(command)))?;
        Ok(Self { child })
    }

    fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = terminate_child(&mut self.child);
    }
}

/// Polls `check` until it yields, failing after `timeout` with `what`.
pub(super) fn wait_for<T>(
    what: &str,
    timeout: Duration,
    mut check: impl FnMut() -> Result<Option<T>>,
) -> Result<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = check()? {
            return Ok(found);
        }
        if Instant::now() >= deadline {
            bail!("{what}: nothing within {}s", timeout.as_secs());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn ready(name: &str, daemon: &mut Daemon, port: u16, log: &Path) -> Result<()> {
    wait_for(
        &format!("{name} did not become ready"),
        Duration::from_secs(30),
        || {
            if daemon.exited() {
                bail!(
                    "{name} exited: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            Ok(http::get(port, "/-/ready")
                .is_ok_and(|response| response.status == 200)
                .then_some(()))
        },
    )
}

/// The rules with every `for:` shortened to one second, so an alert fires
/// within seconds of its condition (the real durations are unit-tested).
fn rules_for_the_test(rules: &str) -> Result<String> {
    let mut shortened = 0;
    let text: Vec<String> = rules
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("for:") {
                shortened += 1;
                format!("{}for: 1s", &line[..line.len() - trimmed.len()])
            } else {
                line.to_owned()
            }
        })
        .collect();
    if shortened == 0 {
        bail!("no `for:` in the rules: has their layout changed?");
    }
    Ok(text.join("\n") + "\n")
}

/// `text` with `from` replaced by `to`, failing when `from` is missing (the
/// shipped file changed under the test).
fn replaced(text: &str, from: &str, to: &str) -> Result<String> {
    if !text.contains(from) {
        bail!("expected `{from}` in {ALERTMANAGER}");
    }
    Ok(text.replacen(from, to, 1))
}

/// The shipped Alertmanager config, sending to the test's SMTP server at once.
fn alertmanager_for_the_test(config: &str, smtp_port: u16) -> Result<String> {
    let config = replaced(
        config,
        "smtp_smarthost: smtp.example.org:587",
        &format!("smtp_smarthost: 127.0.0.1:{smtp_port}"),
    )?;
    let config = replaced(&config, "smtp_require_tls: true", "smtp_require_tls: false")?;
    let config = replaced(&config, "group_wait: 30s", "group_wait: 1s")?;
    replaced(&config, "group_interval: 5m", "group_interval: 1s")
}

fn prometheus_config(app_port: u16, alertmanager_port: u16, rules: &Path) -> String {
    format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
         rule_files:\n  - {rules}\n\
         alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:{alertmanager_port}']\n\
         scrape_configs:\n  - job_name: shoebox\n    static_configs:\n      - targets: ['127.0.0.1:{app_port}']\n        labels:\n          namespace: {NAMESPACE}\n",
        rules = rules.display()
    )
}

fn alerts_end_to_end(
    tools: &Tools,
    app_port: u16,
    work: &Path,
    cluster: &mut Option<Cluster>,
) -> Result<()> {
    let smtp_port = free_port()?;
    let mail = work.join("mail");
    let mut smtp = Daemon::spawn(
        Command::new(&tools.aiosmtpd)
            .args(["-n", "-l", &format!("127.0.0.1:{smtp_port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&mail),
        &work.join("aiosmtpd.log"),
    )?;
    wait_for(
        "the SMTP server did not listen",
        Duration::from_secs(30),
        || {
            if smtp.exited() {
                bail!(
                    "aiosmtpd exited: {}",
                    std::fs::read_to_string(work.join("aiosmtpd.log")).unwrap_or_default()
                );
            }
            Ok(shoebox_localpg::port_is_open(smtp_port).then_some(()))
        },
    )?;

    let shipped = std::fs::read_to_string(dir().join(ALERTMANAGER))?;
    let am_config = work.join("alertmanager.yml");
    std::fs::write(&am_config, alertmanager_for_the_test(&shipped, smtp_port)?)?;
    let am_port = free_port()?;
    let am_log = work.join("alertmanager.log");
    let mut alertmanager = Daemon::spawn(
        Command::new(&tools.alertmanager)
            .arg(format!("--config.file={}", am_config.display()))
            .arg(format!(
                "--storage.path={}",
                work.join("alertmanager-data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{am_port}"))
            .arg("--cluster.listen-address="),
        &am_log,
    )?;
    ready("Alertmanager", &mut alertmanager, am_port, &am_log)?;

    let rules = work.join("shoebox.rules.yaml");
    std::fs::write(
        &rules,
        rules_for_the_test(&std::fs::read_to_string(dir().join(RULES))?)?,
    )?;
    let prometheus_yml = work.join("prometheus.yml");
    std::fs::write(
        &prometheus_yml,
        prometheus_config(app_port, am_port, &rules),
    )?;
    let prometheus_port = free_port()?;
    let prometheus_log = work.join("prometheus.log");
    let mut prometheus = Daemon::spawn(
        Command::new(&tools.prometheus)
            .arg(format!("--config.file={}", prometheus_yml.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                work.join("prometheus-data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{prometheus_port}")),
        &prometheus_log,
    )?;
    ready(
        "Prometheus",
        &mut prometheus,
        prometheus_port,
        &prometheus_log,
    )?;

    let step = Step::start("Prometheus scrapes shoebox: no backup yet → the backup alert's mail");
    let backup_mail = wait_for(
        "no mail for ShoeboxBackupMissing",
        Duration::from_secs(90),
        || super::mail::find(&mail, "ShoeboxBackupMissing"),
    );
    finish(step, &backup_mail);
    super::mail::check(&backup_mail?, "ShoeboxBackupMissing", "No Shoebox backup")?;

    let step = Step::start("PostgreSQL stopped → 5xx answers → the 5xx alert's mail");
    let stopped = cluster.take().map_or(Ok(()), Cluster::stop);
    let errors_mail = stopped.map_err(anyhow::Error::from).and_then(|()| {
        wait_for(
            "no mail for ShoeboxHigh5xxRatio",
            Duration::from_secs(120),
            || {
                // Traffic that needs the database: /readyz answers 503 without it.
                for _ in 0..10 {
                    let _ = http::get(app_port, "/readyz");
                }
                super::mail::find(&mail, "ShoeboxHigh5xxRatio")
            },
        )
    });
    finish(step, &errors_mail);
    super::mail::check(&errors_mail?, "ShoeboxHigh5xxRatio", "fail with a 5xx")?;

    dashboards_query(prometheus_port)
}

pub(super) fn finish<T>(step: Step, outcome: &Result<T>) {
    if outcome.is_ok() {
        step.done();
    } else {
        step.failed();
    }
}

/// Every panel's query of every dashboard, run by Prometheus: any error fails.
fn dashboards_query(prometheus_port: u16) -> Result<()> {
    let step = Step::start("every dashboard panel's query against Prometheus");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut with_data = 0;
    for (path, queries) in dashboard_queries()? {
        for (title, expr) in queries {
            count += 1;
            let query = expr.replace("$namespace", NAMESPACE);
            let path_and_query = format!("/api/v1/query?query={}", percent_encode(&query));
            let answer = http::get(prometheus_port, &path_and_query)
                .map_err(anyhow::Error::from)
                .and_then(|response| {
                    serde_json::from_str::<serde_json::Value>(&response.body)
                        .context("Prometheus answered no JSON")
                });
            match answer {
                Ok(json) if json["status"] == "success" => {
                    if json["data"]["result"]
                        .as_array()
                        .is_some_and(|r| !r.is_empty())
                    {
                        with_data += 1;
                    }
                }
                Ok(json) => failures.push(format!(
                    "{} › {title}: {}",
                    path.display(),
                    json["error"].as_str().unwrap_or("unknown error")
                )),
                Err(error) => failures.push(format!("{} › {title}: {error:#}", path.display())),
            }
        }
    }
    if !failures.is_empty() {
        step.failed();
        bail!("dashboard queries failed:\n  {}", failures.join("\n  "));
    }
    step.done();
    crate::ui::note(&format!("{count} panel queries ran, {with_data} with data"));
    Ok(())
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_for_is_shortened_and_nothing_else() {
        let rules =
            "      - alert: A\n        expr: up == 0\n        for: 10m\n        labels: {}\n";
        let shortened = rules_for_the_test(rules).unwrap();
        assert_eq!(shortened, rules.replace("for: 10m", "for: 1s"));
        assert!(rules_for_the_test("groups: []").is_err());
    }

    #[test]
    fn the_shipped_alertmanager_config_can_be_pointed_at_the_test_server() {
        let shipped = std::fs::read_to_string(dir().join(ALERTMANAGER)).unwrap();
        let config = alertmanager_for_the_test(&shipped, 2525).unwrap();
        assert!(config.contains("smtp_smarthost: 127.0.0.1:2525"));
        assert!(config.contains("smtp_require_tls: false"));
    }

    #[test]
    fn queries_are_percent_encoded() {
        assert_eq!(percent_encode("up{a=\"b c\"}"), "up%7Ba%3D%22b%20c%22%7D");
    }
}
