//! Peak resident memory of a process during a scenario. `VmHWM` cannot be
//! reset between scenarios, so a thread samples `VmRSS` from
//! `/proc/PID/status` every 50 ms and keeps the maximum.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

const PERIOD: Duration = Duration::from_millis(50);

/// A running sampler; [`RssSampler::finish`] returns the peak in KiB.
#[derive(Debug)]
pub(crate) struct RssSampler {
    stop: Sender<()>,
    thread: JoinHandle<u64>,
}

impl RssSampler {
    pub(crate) fn start(pid: u32) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            loop {
                peak = peak.max(rss_kib(pid).unwrap_or(0));
                match stopped.recv_timeout(PERIOD) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return peak,
                }
            }
        });
        Self { stop, thread }
    }

    /// Stops sampling; the highest `VmRSS` seen, in KiB.
    pub(crate) fn finish(self) -> u64 {
        let _ = self.stop.send(());
        self.thread.join().unwrap_or(0)
    }
}

/// The current `VmRSS` of `pid` in KiB.
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_vm_rss(&status)
}

fn parse_vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_rss() {
        assert_eq!(
            parse_vm_rss("VmPeak:\t 9 kB\nVmRSS:\t    4321 kB\n"),
            Some(4321)
        );
        assert_eq!(parse_vm_rss("Name: x\n"), None);
    }

    #[test]
    fn samples_this_process() {
        let sampler = RssSampler::start(std::process::id());
        let peak = sampler.finish();
        assert!(peak > 0, "a running process has resident memory");
    }
}
