//! The bench report: a table of the scenarios next to the pgbench reference,
//! and the targets, each PASS or FAIL.

use std::fmt::Write as _;
use std::time::Duration;

use super::wrk::WrkSummary;

/// One measured scenario.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    pub(crate) name: &'static str,
    pub(crate) connections: u32,
    pub(crate) summary: WrkSummary,
    pub(crate) peak_rss_kib: u64,
}

/// A target and whether it was met.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    pub(crate) target: String,
    pub(crate) measured: String,
    pub(crate) passed: bool,
}

const KIB_PER_MIB: f64 = 1024.0;

/// The table, as text.
pub(crate) fn table(reference_tps: f64, measured: &[Measured]) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<34} {:>5} {:>10} {:>11} {:>11} {:>11} {:>8} {:>10}",
        "scenario", "conns", "req/s", "p50", "p99", "max RSS", "errors", "÷ pgbench"
    );
    for row in measured {
        let summary = &row.summary;
        let _ = writeln!(
            text,
            "{:<34} {:>5} {:>10.0} {:>11} {:>11} {:>7.1} MiB {:>8} {:>9.2}×",
            row.name,
            row.connections,
            summary.requests_per_second,
            millis(summary.p50),
            millis(summary.p99),
            mib(row.peak_rss_kib),
            summary.non_success + summary.socket_errors,
            ratio(summary.requests_per_second, reference_tps),
        );
    }
    let _ = writeln!(
        text,
        "{:<34} {:>5} {:>10.0} {:>11} {:>11} {:>11} {:>8} {:>9.2}×",
        "pgbench -S (reference, tps)", 32, reference_tps, "-", "-", "-", "-", 1.0
    );
    text
}

/// Checks the targets: `/api/v1/me` at 32 connections reaches half of
/// pgbench's tps with p99 under 10 ms and under 64 MiB, and the login storm
/// stays under 256 MiB.
pub(crate) fn verdicts(reference_tps: f64, me: &Measured, login_storm: &Measured) -> Vec<Verdict> {
    let me_ratio = ratio(me.summary.requests_per_second, reference_tps);
    vec![
        Verdict {
            target: "GET /api/v1/me @32: req/s ≥ 0.5 × pgbench tps".to_owned(),
            measured: format!("{me_ratio:.2}×"),
            passed: me_ratio >= 0.5,
        },
        Verdict {
            target: "GET /api/v1/me @32: p99 < 10 ms".to_owned(),
            measured: millis(me.summary.p99),
            passed: me.summary.p99 < Duration::from_millis(10),
        },
        Verdict {
            target: "GET /api/v1/me @32: max RSS < 64 MiB".to_owned(),
            measured: format!("{:.1} MiB", mib(me.peak_rss_kib)),
            passed: mib(me.peak_rss_kib) < 64.0,
        },
        Verdict {
            target: "login storm @64: max RSS < 256 MiB".to_owned(),
            measured: format!("{:.1} MiB", mib(login_storm.peak_rss_kib)),
            passed: mib(login_storm.peak_rss_kib) < 256.0,
        },
    ]
}

/// Checks that listing a 100-photo album at 32 connections reaches a
/// quarter of pgbench's tps.
pub(crate) fn listing_verdict(reference_tps: f64, listing: &Measured) -> Verdict {
    let listing_ratio = ratio(listing.summary.requests_per_second, reference_tps);
    Verdict {
        target: format!(
            "album 100-photo page @{}: ≥ 0.25 × pgbench tps",
            listing.connections
        ),
        measured: format!("{listing_ratio:.2}×"),
        passed: listing_ratio >= 0.25,
    }
}

/// The verdicts, one line each.
pub(crate) fn verdict_lines(verdicts: &[Verdict]) -> String {
    let mut text = String::new();
    for verdict in verdicts {
        let mark = if verdict.passed { "PASS" } else { "FAIL" };
        let _ = writeln!(
            text,
            "{mark}  {:<48} measured {}",
            verdict.target, verdict.measured
        );
    }
    text
}

fn ratio(value: f64, reference: f64) -> f64 {
    if reference > 0.0 {
        value / reference
    } else {
        0.0
    }
}

fn mib(kib: u64) -> f64 {
    // KiB counts of a process fit f64's mantissa exactly.
    kib as f64 / KIB_PER_MIB
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(rate: f64, p99_ms: u64, rss_mib: u64) -> Measured {
        Measured {
            name: "x",
            connections: 32,
            summary: WrkSummary {
                requests_per_second: rate,
                p50: Duration::from_millis(1),
                p99: Duration::from_millis(p99_ms),
                requests: 1,
                non_success: 0,
                socket_errors: 0,
            },
            peak_rss_kib: rss_mib * 1024,
        }
    }

    #[test]
    fn targets_pass_and_fail_on_their_thresholds() {
        let good = verdicts(1000.0, &measured(500.0, 9, 63), &measured(1.0, 1, 255));
        assert!(good.iter().all(|verdict| verdict.passed), "{good:?}");
        let bad = verdicts(1000.0, &measured(499.0, 10, 64), &measured(1.0, 1, 256));
        assert!(bad.iter().all(|verdict| !verdict.passed), "{bad:?}");
        assert!(
            verdict_lines(&bad)
                .lines()
                .all(|line| line.starts_with("FAIL"))
        );
    }

    #[test]
    fn the_listing_needs_a_quarter_of_pgbench() {
        assert!(listing_verdict(1000.0, &measured(250.0, 50, 100)).passed);
        let missed = listing_verdict(1000.0, &measured(249.0, 1, 1));
        assert!(!missed.passed);
        assert_eq!(missed.measured, "0.25×");
    }

    #[test]
    fn the_table_shows_ratios_to_the_reference() {
        let text = table(2000.0, &[measured(1000.0, 2, 20)]);
        assert!(text.contains("0.50×"), "{text}");
        assert!(text.contains("20.0 MiB"), "{text}");
        assert!(text.contains("pgbench -S"), "{text}");
    }
}
