//! The reference: pgbench's read-only (select-only) workload against the same
//! cluster, over TCP, with the same client count as the main scenario.

use anyhow::{Context, Result, bail};
use shoebox_localpg::Cluster;

use crate::process::describe;
use crate::ui::Step;

/// The database pgbench fills and reads.
const DATABASE: &str = "pgbench";

/// Initialises `pgbench -i -s 10` and runs `pgbench -S -c 32 -j 2 -T seconds`;
/// returns the transactions per second.
pub(crate) fn measure(cluster: &Cluster, seconds: u32) -> Result<f64> {
    cluster.create_database(DATABASE)?;
    let step = Step::start("pgbench: initialising (scale 10)");
    let mut init = cluster.client("pgbench");
    init.args(["-i", "-s", "10", "-q", DATABASE]);
    if let Err(error) = run(&mut init) {
        step.failed();
        return Err(error);
    }
    step.done();

    let step = Step::start(format!("pgbench: select-only, 32 clients, {seconds}s"));
    let mut select = cluster.client("pgbench");
    select.args([
        "-S",
        "-c",
        "32",
        "-j",
        "2",
        "-T",
        &seconds.to_string(),
        DATABASE,
    ]);
    let printed = match run(&mut select) {
        Ok(printed) => printed,
        Err(error) => {
            step.failed();
            return Err(error);
        }
    };
    step.done();
    parse_tps(&printed).with_context(|| format!("could not read pgbench's tps:\n{printed}"))
}

fn run(command: &mut std::process::Command) -> Result<String> {
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("could not run `{}`", describe(command)))?;
    if !output.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The tps line: `tps = 23456.7 (without initial connection time)` since
/// PostgreSQL 14, `(excluding connections establishing)` before.
fn parse_tps(text: &str) -> Option<f64> {
    let tps_lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("tps = "))
        .collect();
    let line = tps_lines
        .iter()
        .find(|line| line.contains("without initial") || line.contains("excluding"))
        .or_else(|| tps_lines.first())?;
    line.trim_start_matches("tps = ")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tps_of_current_and_old_versions() {
        let current = "number of failed transactions: 0 (0.000%)\nlatency average = 1.1 ms\n\
            initial connection time = 25.0 ms\ntps = 28901.123456 (without initial connection time)\n";
        assert_eq!(parse_tps(current), Some(28901.123456));
        let old = "tps = 100.0 (including connections establishing)\n\
            tps = 120.5 (excluding connections establishing)\n";
        assert_eq!(parse_tps(old), Some(120.5));
        assert_eq!(parse_tps("nothing here"), None);
    }
}
