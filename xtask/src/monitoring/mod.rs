//! `cargo xtask monitoring`: the alerts, the metrics, the logs and the
//! dashboards tested against the real tools (also part of `cargo xtask test`).
//!
//! Installs Debian's `prometheus` and `prometheus-alertmanager` (apt as root,
//! else the command to run) and aiosmtpd into `target/tools/venv`, then:
//! - static checks (`rules`): `promtool check rules` and `promtool test rules`
//!   on `deploy/monitoring/` (every alert needs a test that fires it and one
//!   that keeps it quiet), `amtool check-config` on the Alertmanager config,
//!   the Loki pipeline and LogQL rule, and the dashboards' shape;
//! - live (`live`): a debug `shoebox serve` on a throwaway PostgreSQL; its
//!   `/metrics` through `promtool check metrics`; a sign-up, sign-in, API
//!   token and upload whose JSON log lines are checked for fields and
//!   secrets (`log_check.py`); the spans of a scrape, exported over OTLP to
//!   a receiver on 127.0.0.1 (`otlp_receiver.py`), must hold the request,
//!   a use case and database calls in one trace; then Prometheus scraping it with the rules
//!   loaded (`for:` shortened in a copy) and Alertmanager mailing an
//!   aiosmtpd on 127.0.0.1: the backup alert's mail must arrive (no backup
//!   was ever made), and after PostgreSQL is stopped the 5xx alert's mail;
//!   finally every dashboard panel's query runs against that Prometheus.

mod live;
mod mail;
mod rules;
mod traces;

use std::path::PathBuf;

use anyhow::Result;

use crate::prerequisites::{debian_program, python_package, python_tool};
use crate::project;

/// The SMTP server the alert mails go to: the same pin as the mail tests'
/// (one venv; two pins would reinstall it back and forth).
const AIOSMTPD: &str = crate::test::AIOSMTPD_REQUIREMENT;
/// The OpenTelemetry project's protobuf classes, for the OTLP receiver.
const OPENTELEMETRY_PROTO: &str = "opentelemetry-proto==1.38.0";

/// Where the monitoring files live, relative to the workspace root.
pub(crate) const MONITORING: &str = "deploy/monitoring";

/// The programs the checks run.
#[derive(Debug)]
struct Tools {
    promtool: PathBuf,
    amtool: PathBuf,
    prometheus: PathBuf,
    alertmanager: PathBuf,
    aiosmtpd: PathBuf,
    /// The venv's Python, with opentelemetry-proto.
    python: PathBuf,
}

impl Tools {
    fn install() -> Result<Self> {
        Ok(Self {
            promtool: debian_program("promtool", "prometheus")?,
            prometheus: debian_program("prometheus", "prometheus")?,
            amtool: debian_program("amtool", "prometheus-alertmanager")?,
            alertmanager: debian_program("prometheus-alertmanager", "prometheus-alertmanager")?,
            aiosmtpd: python_tool(AIOSMTPD, "aiosmtpd")?,
            python: python_package(
                OPENTELEMETRY_PROTO,
                "opentelemetry.proto.collector.trace.v1.trace_service_pb2",
            )?,
        })
    }
}

fn dir() -> PathBuf {
    project::root().join(MONITORING)
}

pub(crate) fn run() -> Result<()> {
    let tools = Tools::install()?;
    rules::check(&tools)?;
    live::run(&tools)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_python_tools_are_pinned() {
        for requirement in [AIOSMTPD, OPENTELEMETRY_PROTO] {
            assert!(requirement.contains("=="), "{requirement}");
        }
    }
}
