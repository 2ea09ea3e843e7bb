//! Running one wrk scenario and reading its summary.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::process::describe;

/// What wrk measured in one run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WrkSummary {
    pub(crate) requests_per_second: f64,
    pub(crate) p50: Duration,
    pub(crate) p99: Duration,
    pub(crate) requests: u64,
    /// Responses with a status outside 2xx/3xx.
    pub(crate) non_success: u64,
    /// Connect, read, write and timeout errors together.
    pub(crate) socket_errors: u64,
}

/// One load scenario.
#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) path: String,
    pub(crate) connections: u32,
    pub(crate) headers: Vec<String>,
    /// A Lua script that shapes the request (method, body, headers).
    pub(crate) script: Option<std::path::PathBuf>,
}

/// Runs `scenario` against 127.0.0.1:`port` for `seconds` with two threads.
pub(crate) fn run(wrk: &Path, port: u16, scenario: &Scenario, seconds: u32) -> Result<WrkSummary> {
    let mut command = Command::new(wrk);
    command.args([
        "--latency",
        "-t",
        "2",
        "-c",
        &scenario.connections.to_string(),
        "-d",
        &format!("{seconds}s"),
    ]);
    for header in &scenario.headers {
        command.arg("-H").arg(header);
    }
    if let Some(script) = &scenario.script {
        command.arg("-s").arg(script);
    }
    command.arg(format!("http://127.0.0.1:{port}{}", scenario.path));
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "`{}` failed ({}): {}{}",
            describe(&command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim(),
            printed.trim()
        );
    }
    parse(&printed).with_context(|| format!("could not read wrk's summary:\n{printed}"))
}

/// Reads wrk's `--latency` summary.
pub(crate) fn parse(text: &str) -> Option<WrkSummary> {
    let mut summary = WrkSummary {
        requests_per_second: 0.0,
        p50: Duration::ZERO,
        p99: Duration::ZERO,
        requests: 0,
        non_success: 0,
        socket_errors: 0,
    };
    let (mut seen_rate, mut seen_p50, mut seen_p99) = (false, false, false);
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rate] => {
                summary.requests_per_second = rate.parse().ok()?;
                seen_rate = true;
            }
            ["50%", latency] => {
                summary.p50 = parse_duration(latency)?;
                seen_p50 = true;
            }
            ["99%", latency] => {
                summary.p99 = parse_duration(latency)?;
                seen_p99 = true;
            }
            [count, "requests", "in", ..] => summary.requests = count.parse().ok()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                summary.non_success = count.parse().ok()?
            }
            ["Socket", "errors:", rest @ ..] => {
                summary.socket_errors = rest
                    .iter()
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    (seen_rate && seen_p50 && seen_p99).then_some(summary)
}

/// Parses wrk's durations: `812.00us`, `1.25ms`, `2.00s`, `1.00m`.
fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|character: char| character.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => value / 1_000_000.0,
        "ms" => value / 1_000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3_600.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Running 10s test @ http://127.0.0.1:8080/api/v1/me
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  512.33us  15.10ms   80.12%
    Req/Sec    15.80k     1.10k   18.20k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    1.80ms
     99%    3.25ms
  314159 requests in 10.00s, 52.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 17
Requests/sec:  31415.90
Transfer/sec:      5.21MB
";

    #[test]
    fn reads_the_summary() {
        let summary = parse(SAMPLE).unwrap();
        assert!((summary.requests_per_second - 31415.90).abs() < 1e-6);
        assert_eq!(summary.p50, Duration::from_micros(812));
        assert_eq!(summary.p99, Duration::from_micros(3250));
        assert_eq!(summary.requests, 314_159);
        assert_eq!(summary.non_success, 17);
        assert_eq!(summary.socket_errors, 3);
    }

    #[test]
    fn a_summary_without_latencies_is_rejected() {
        assert!(parse("Requests/sec:  10.0\n").is_none());
    }

    #[test]
    fn reads_every_unit() {
        assert_eq!(parse_duration("2.00s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.00m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("12parsecs"), None);
    }
}
