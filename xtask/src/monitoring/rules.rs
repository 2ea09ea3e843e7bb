//! The static checks: rules, their unit tests, the Alertmanager config and
//! the dashboards' shape.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{MONITORING, Tools, dir};
use crate::prerequisites::python_package;
use crate::process::run_step;
use crate::project;

/// The rules, as Prometheus loads them (a link to the chart's file).
pub(super) const RULES: &str = "shoebox.rules.yaml";
/// Their `promtool test rules` file.
const RULE_TESTS: &str = "tests/shoebox.rules.test.yaml";
/// Alertmanager: the maintainers by email.
pub(super) const ALERTMANAGER: &str = "alertmanager.yml";
/// The chart's copy the PrometheusRule is made of.
const CHART_RULES: &str = "deploy/helm/shoebox/rules/shoebox.rules.yaml";
/// The dashboards the chart ships.
pub(super) const DASHBOARDS: &str = "deploy/helm/shoebox/dashboards";

pub(super) fn check(tools: &Tools) -> Result<()> {
    let monitoring = dir();
    same_file(&monitoring.join(RULES), &project::root().join(CHART_RULES))?;
    run_step(
        "promtool check rules",
        Command::new(&tools.promtool)
            .args(["check", "rules", RULES])
            .current_dir(&monitoring),
    )?;
    let rules = read(&monitoring.join(RULES))?;
    let tests = read(&monitoring.join(RULE_TESTS))?;
    let untested = untested_alerts(&rules, &tests);
    if !untested.is_empty() {
        bail!("{RULE_TESTS}: {}", untested.join("; "));
    }
    run_step(
        &format!("promtool test rules ({} alerts)", alert_names(&rules).len()),
        Command::new(&tools.promtool)
            .args(["test", "rules", RULE_TESTS])
            .current_dir(&monitoring),
    )?;
    run_step(
        "amtool check-config",
        Command::new(&tools.amtool)
            .args(["check-config", ALERTMANAGER])
            .current_dir(&monitoring),
    )?;
    chart_mails_alike()?;
    dashboards_cover_spec()?;
    loki(&monitoring)
}

/// The chart's AlertmanagerConfig template.
const CHART_ALERTMANAGER: &str = "deploy/helm/shoebox/templates/alertmanagerconfig.yaml";

/// The chart's AlertmanagerConfig must write the same mail (subject and
/// every line of the text) as `alertmanager.yml`.
fn chart_mails_alike() -> Result<()> {
    let plain = read(&dir().join(ALERTMANAGER))?;
    let chart = read(&project::root().join(CHART_ALERTMANAGER))?;
    let subject = plain
        .lines()
        .find_map(|line| line.trim().strip_prefix("Subject:"))
        .map(str::trim)
        .context("alertmanager.yml sets no Subject header")?;
    let text_lines: Vec<&str> = plain
        .lines()
        .skip_while(|line| !line.trim().starts_with("text:"))
        .skip(1)
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if text_lines.is_empty() {
        bail!("alertmanager.yml has no mail text");
    }
    let missing: Vec<&str> = std::iter::once(subject)
        .chain(text_lines)
        .filter(|line| !chart.contains(line))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{CHART_ALERTMANAGER} does not write the mail of {MONITORING}/{ALERTMANAGER}; missing: {}",
            missing.join(" | ")
        );
    }
    Ok(())
}

/// What the dashboards must show (SPEC §10): traffic, errors, latency, jobs,
/// backups, storage and the database pool, each by its metric.
const DASHBOARD_TOPICS: [(&str, &str); 7] = [
    ("traffic", "shoebox_http_requests_total"),
    ("errors", "status=~\"5..\""),
    ("latency", "shoebox_http_request_duration_seconds_bucket"),
    ("jobs", "shoebox_jobs"),
    ("backups", "shoebox_backup_"),
    ("storage", "shoebox_storage_bytes"),
    ("database pool", "shoebox_db_pool_"),
];

fn dashboards_cover_spec() -> Result<()> {
    let mut all = String::new();
    for (path, queries) in dashboard_queries()? {
        if queries.is_empty() {
            bail!("{}: no panel has a query", path.display());
        }
        for (_, expr) in queries {
            all.push_str(&expr);
            all.push('\n');
        }
    }
    let missing: Vec<&str> = DASHBOARD_TOPICS
        .iter()
        .filter(|(_, metric)| !all.contains(metric))
        .map(|(topic, _)| *topic)
        .collect();
    if !missing.is_empty() {
        bail!("{DASHBOARDS}: no panel shows {}", missing.join(", "));
    }
    Ok(())
}

/// The Promtail pipeline and the LogQL rules (structure; no Loki runs here).
fn loki(monitoring: &Path) -> Result<()> {
    let python = python_package(crate::helm::PYYAML, "yaml")?;
    let transcript = run_step(
        "the Loki pipeline and LogQL rules",
        Command::new(python)
            .arg(project::root().join("xtask/src/monitoring/loki_check.py"))
            .arg(monitoring.join("loki/promtail.yaml"))
            .arg(monitoring.join("loki/rules/shoebox.logql-rules.yaml"))
            .arg(project::root().join("docs/operations/alerts.md"))
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )?;
    crate::ui::note(transcript.trim());
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

/// The plain rules file and the chart's must be one file (a link), so they
/// cannot drift.
fn same_file(link: &Path, target: &Path) -> Result<()> {
    let resolved = |path: &Path| {
        path.canonicalize()
            .with_context(|| format!("could not resolve {}", path.display()))
    };
    if resolved(link)? != resolved(target)? {
        bail!(
            "{} must be a link to {} (one source for both)",
            link.display(),
            target.display()
        );
    }
    Ok(())
}

/// The `- alert: NAME` entries of a rules file.
fn alert_names(rules: &str) -> BTreeSet<String> {
    rules
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- alert:"))
        .map(|name| name.trim().to_owned())
        .collect()
}

/// Alerts of `rules` without a test that fires them (`exp_alerts:` with
/// entries) or without one that keeps them quiet (`exp_alerts: []`).
fn untested_alerts(rules: &str, tests: &str) -> Vec<String> {
    let mut fires = BTreeSet::new();
    let mut quiet = BTreeSet::new();
    let mut current: Option<String> = None;
    for line in tests.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("alertname:") {
            current = Some(name.trim().to_owned());
        } else if let Some(rest) = line.strip_prefix("exp_alerts:")
            && let Some(name) = current.take()
        {
            if rest.trim() == "[]" {
                quiet.insert(name);
            } else {
                fires.insert(name);
            }
        }
    }
    alert_names(rules)
        .into_iter()
        .filter_map(
            |name| match (fires.contains(&name), quiet.contains(&name)) {
                (true, true) => None,
                (false, true) => Some(format!("{name} has no test that fires it")),
                (true, false) => Some(format!("{name} has no test that keeps it quiet")),
                (false, false) => Some(format!("{name} has no test")),
            },
        )
        .collect()
}

/// A dashboard file and its panels' queries as (panel title, `expr`).
pub(super) type DashboardQueries = (std::path::PathBuf, Vec<(String, String)>);

/// Every dashboard file and the queries (`expr`) of its panels.
pub(super) fn dashboard_queries() -> Result<Vec<DashboardQueries>> {
    let folder = project::root().join(DASHBOARDS);
    let mut found = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&folder)
        .with_context(|| format!("could not list {}", folder.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let dashboard: serde_json::Value = serde_json::from_str(&read(&path)?)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let mut queries = Vec::new();
        for panel in dashboard["panels"].as_array().into_iter().flatten() {
            let title = panel["title"].as_str().unwrap_or("(untitled)");
            for target in panel["targets"].as_array().into_iter().flatten() {
                if let Some(expr) = target["expr"].as_str() {
                    queries.push((title.to_owned(), expr.to_owned()));
                }
            }
        }
        found.push((path, queries));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES_TEXT: &str = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n      - alert: B\n        expr: y\n";

    #[test]
    fn an_alert_needs_a_firing_and_a_quiet_test() {
        let tests = "tests:\n  - alert_rule_test:\n      - eval_time: 1m\n        alertname: A\n        exp_alerts:\n          - exp_labels: {}\n      - eval_time: 1m\n        alertname: A\n        exp_alerts: []\n      - eval_time: 1m\n        alertname: B\n        exp_alerts: []\n";
        assert_eq!(
            untested_alerts(RULES_TEXT, tests),
            ["B has no test that fires it"]
        );
        assert_eq!(untested_alerts(RULES_TEXT, "").len(), 2);
    }

    #[test]
    fn the_shipped_rules_are_all_tested() {
        let monitoring = dir();
        let rules = read(&monitoring.join(RULES)).unwrap();
        let tests = read(&monitoring.join(RULE_TESTS)).unwrap();
        assert!(alert_names(&rules).len() >= 12, "{rules}");
        assert_eq!(untested_alerts(&rules, &tests), Vec::<String>::new());
    }

    #[test]
    fn the_shipped_dashboards_cover_spec_10() {
        dashboards_cover_spec().unwrap();
    }

    #[test]
    fn the_chart_mails_like_the_plain_config() {
        chart_mails_alike().unwrap();
    }

    #[test]
    fn the_plain_rules_are_the_charts() {
        same_file(&dir().join(RULES), &project::root().join(CHART_RULES)).unwrap();
    }
}
