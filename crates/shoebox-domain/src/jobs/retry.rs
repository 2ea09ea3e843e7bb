//! When a failed job is tried again: exponential backoff, capped, with an
//! optional jitter that is a pure function of the job id, so that jobs that
//! failed together (an outage) spread out, and tests can still predict it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::{Job, JobId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failed attempt; it doubles with each attempt.
    pub base: Duration,
    /// No delay exceeds this.
    pub max: Duration,
    /// Draw each delay from `[d/2, d]` instead of using `d` itself.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min, 4 min... capped at an hour, with jitter.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            max: Duration::from_secs(3600),
            jitter: true,
        }
    }
}

/// What to do with a job whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Try again, not before this time.
    RetryAt(DateTime<Utc>),
    /// No attempt left, or the failure is permanent: stop.
    Dead,
}

impl RetryPolicy {
    /// The delay before the attempt that follows failed attempt number
    /// `attempt` (1 for the first), in whole milliseconds, so that the retry
    /// time survives storage (PostgreSQL keeps microseconds) unchanged.
    pub fn delay(&self, attempt: u32, job: JobId) -> Duration {
        let doublings = attempt.saturating_sub(1).min(32);
        let full = self
            .base
            .checked_mul(1u32 << doublings.min(31))
            .unwrap_or(self.max)
            .min(self.max);
        if !self.jitter {
            return full;
        }
        let half = full / 2;
        let jittered = half + half.mul_f64(unit_fraction(job, attempt));
        Duration::from_millis(u64::try_from(jittered.as_millis()).unwrap_or(u64::MAX))
    }

    /// The outcome of a retryable failure of `job`'s current attempt.
    pub fn after_failure(&self, job: &Job, now: DateTime<Utc>) -> FailureOutcome {
        if job.attempts >= job.max_attempts {
            return FailureOutcome::Dead;
        }
        let delay = TimeDelta::from_std(self.delay(job.attempts, job.id)).unwrap_or(TimeDelta::MAX);
        FailureOutcome::RetryAt(
            now.checked_add_signed(delay)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }
}

/// A number in `[0, 1)` that depends only on the job and the attempt
/// (SplitMix64 over the id's random bits).
fn unit_fraction(job: JobId, attempt: u32) -> f64 {
    let bytes = job.as_uuid().into_bytes();
    let mut low = [0u8; 8];
    low.copy_from_slice(&bytes[8..]);
    let mut z = u64::from_le_bytes(low) ^ u64::from(attempt).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    // The top 53 bits fill an f64 mantissa exactly.
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{JobKind, JobState};
    use proptest::prelude::*;

    fn job(attempts: u32, max_attempts: u32) -> Job {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        Job {
            id: JobId::new(),
            kind: JobKind::parse("k").unwrap(),
            payload: serde_json::Value::Null,
            state: JobState::Running,
            attempts,
            max_attempts,
            run_at: now,
            dedup_key: None,
            last_error: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
            locked_by: None,
            locked_until: None,
        }
    }

    #[test]
    fn without_jitter_delays_double_up_to_the_cap() {
        let policy = RetryPolicy {
            base: Duration::from_secs(10),
            max: Duration::from_secs(100),
            jitter: false,
        };
        let id = JobId::new();
        let delays: Vec<u64> = (1..=6).map(|a| policy.delay(a, id).as_secs()).collect();
        assert_eq!(delays, [10, 20, 40, 80, 100, 100]);
        assert_eq!(policy.delay(u32::MAX, id), Duration::from_secs(100));
    }

    #[test]
    fn the_last_attempt_makes_the_job_dead() {
        let policy = RetryPolicy::default();
        let now = DateTime::<Utc>::from_timestamp(1_700_000_100, 0).unwrap();
        assert_eq!(policy.after_failure(&job(3, 3), now), FailureOutcome::Dead);
        let failing = job(2, 3);
        assert_eq!(
            policy.after_failure(&failing, now),
            FailureOutcome::RetryAt(
                now + TimeDelta::from_std(policy.delay(2, failing.id)).unwrap()
            )
        );
    }

    proptest! {
        #[test]
        fn jitter_stays_within_half_to_full_and_is_repeatable(attempt in 1u32..40, seed in any::<u128>()) {
            let policy = RetryPolicy::default();
            let id = JobId::from_uuid(uuid::Uuid::from_u128(seed));
            let full = RetryPolicy { jitter: false, ..policy }.delay(attempt, id);
            let jittered = policy.delay(attempt, id);
            prop_assert!(jittered >= (full / 2).saturating_sub(Duration::from_millis(1)) && jittered <= full, "{jittered:?} vs {full:?}");
            prop_assert_eq!(jittered.subsec_nanos() % 1_000_000, 0);
            prop_assert_eq!(jittered, policy.delay(attempt, id));
        }

        #[test]
        fn delays_never_shrink_as_attempts_grow(attempt in 1u32..40) {
            let policy = RetryPolicy { jitter: false, ..RetryPolicy::default() };
            let id = JobId::new();
            prop_assert!(policy.delay(attempt + 1, id) >= policy.delay(attempt, id));
        }
    }
}
