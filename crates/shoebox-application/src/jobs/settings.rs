//! The `[worker]` section of the configuration.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use shoebox_domain::jobs::RetryPolicy;

/// How a worker runs (`SHOEBOX_WORKER__CONCURRENCY`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct WorkerSettings {
    /// Jobs run at once by one process.
    pub concurrency: usize,
    /// How long a claim holds a job without a heartbeat; a job whose worker
    /// died is claimed again after this (the visibility timeout).
    pub lease_seconds: u64,
    /// How often a running job's lease is extended.
    pub heartbeat_seconds: u64,
    /// How often an idle worker looks for due jobs when no announcement
    /// comes (retries that come due are never announced).
    pub poll_interval_millis: u64,
    /// On SIGTERM, how long running jobs may take to finish before the
    /// process exits (they are retried after their lease).
    pub shutdown_grace_seconds: u64,
    /// The delay after a job's first failed attempt; it doubles per attempt.
    pub retry_base_seconds: u64,
    /// The longest delay between attempts.
    pub retry_max_seconds: u64,
    /// Whether this process also runs the scheduler. Turn it off when the
    /// scheduled tasks run as Kubernetes CronJobs instead.
    pub scheduler: bool,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            concurrency: 2,
            lease_seconds: 300,
            heartbeat_seconds: 60,
            poll_interval_millis: 5_000,
            shutdown_grace_seconds: 30,
            retry_base_seconds: 30,
            retry_max_seconds: 3_600,
            scheduler: true,
        }
    }
}

impl WorkerSettings {
    /// Refuses settings under which the worker cannot work; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.concurrency == 0 {
            return Err("worker.concurrency must be at least 1".into());
        }
        if self.heartbeat_seconds == 0 || self.heartbeat_seconds * 2 > self.lease_seconds {
            return Err(
                "worker.heartbeat_seconds must be at least 1 and at most half of worker.lease_seconds"
                    .into(),
            );
        }
        if self.poll_interval_millis < 10 {
            return Err("worker.poll_interval_millis must be at least 10".into());
        }
        if self.retry_base_seconds == 0 || self.retry_max_seconds < self.retry_base_seconds {
            return Err(
                "worker.retry_base_seconds must be at least 1 and at most worker.retry_max_seconds"
                    .into(),
            );
        }
        Ok(())
    }

    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_seconds)
    }

    pub fn heartbeat(&self) -> Duration {
        Duration::from_secs(self.heartbeat_seconds.max(1))
    }

    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_millis.max(10))
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_secs(self.retry_base_seconds),
            max: Duration::from_secs(self.retry_max_seconds),
            jitter: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_nonsense_is_refused_by_key() {
        assert_eq!(WorkerSettings::default().validate(), Ok(()));
        let cases = [
            (
                WorkerSettings {
                    concurrency: 0,
                    ..Default::default()
                },
                "worker.concurrency",
            ),
            (
                WorkerSettings {
                    heartbeat_seconds: 200,
                    ..Default::default()
                },
                "worker.heartbeat_seconds",
            ),
            (
                WorkerSettings {
                    poll_interval_millis: 1,
                    ..Default::default()
                },
                "worker.poll_interval_millis",
            ),
            (
                WorkerSettings {
                    retry_max_seconds: 1,
                    ..Default::default()
                },
                "worker.retry_base_seconds",
            ),
        ];
        for (settings, key) in cases {
            let error = settings.validate().unwrap_err();
            assert!(error.starts_with(key), "{error}");
        }
    }
}
