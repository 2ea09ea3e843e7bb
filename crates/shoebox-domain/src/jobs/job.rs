//! Jobs, their identity, kind and state.

use std::{fmt, str::FromStr, time::Duration};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::JobKindError;

/// How many times a job is tried unless its creator says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// Identifies a job. UUIDv7, so identifiers sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(Uuid);

impl JobId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for JobId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a job does, e.g. `photos.variants` or `maintenance.purge`; handlers
/// are registered by kind. 1–64 characters of `[a-z0-9_.-]`, so a kind is
/// safe in logs, metrics labels and URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobKind(String);

impl JobKind {
    pub fn parse(raw: &str) -> Result<Self, JobKindError> {
        let valid = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(JobKindError(raw.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a job is in its life (see the diagram in [`crate::jobs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobState {
    /// Waiting for its first attempt at `run_at`.
    Queued,
    /// Claimed by a worker that holds a lease on it until `locked_until`.
    Running,
    /// Done. Kept for 14 days, then purged.
    Succeeded,
    /// An attempt failed; waiting for the next one at `run_at`.
    Failed,
    /// Failed for good (no attempt left, or a permanent failure); kept for
    /// inspection until an admin retries it.
    Dead,
    /// Cancelled by an admin before it ran. Kept for 14 days, then purged.
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        Self::Queued,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Dead,
        Self::Cancelled,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Dead => "dead",
            Self::Cancelled => "cancelled",
        }
    }

    /// Queued, running, or waiting for a retry: a job that will still run.
    /// De-duplication keys are unique among live jobs only.
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Queued | Self::Running | Self::Failed)
    }

    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Failed | Self::Dead | Self::Cancelled)
    }

    pub fn is_cancellable(&self) -> bool {
        matches!(self, Self::Queued | Self::Failed)
    }
}

impl FromStr for JobState {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == raw)
            .ok_or_else(|| format!("unknown job state {raw:?}"))
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job to enqueue. The queue assigns its id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub kind: JobKind,
    /// Whatever the handler needs; keep it small (ids, not contents).
    pub payload: serde_json::Value,
    /// While a live job of the same kind holds this key, enqueueing another
    /// returns the live one instead ([`EnqueueOutcome::Duplicate`]).
    pub dedup_key: Option<String>,
    /// Not before this time.
    pub run_at: DateTime<Utc>,
    /// At least 1.
    pub max_attempts: u32,
}

impl NewJob {
    /// A job to run now, tried up to [`DEFAULT_MAX_ATTEMPTS`] times, without a key.
    pub fn new(kind: JobKind, payload: serde_json::Value, now: DateTime<Utc>) -> Self {
        Self {
            kind,
            payload,
            dedup_key: None,
            run_at: now,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn with_dedup_key(mut self, key: impl Into<String>) -> Self {
        self.dedup_key = Some(key.into());
        self
    }

    pub fn with_run_at(mut self, run_at: DateTime<Utc>) -> Self {
        self.run_at = run_at;
        self
    }

    /// Clamped to at least 1: a job is always tried once.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }
}

/// What enqueueing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnqueueOutcome {
    Enqueued(JobId),
    /// A live job of the same kind holds the key; nothing was inserted.
    Duplicate(JobId),
}

impl EnqueueOutcome {
    /// The job that will run, new or existing.
    pub fn id(&self) -> JobId {
        match self {
            Self::Enqueued(id) | Self::Duplicate(id) => *id,
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub kind: JobKind,
    pub payload: serde_json::Value,
    pub state: JobState,
    /// Attempts started so far (a claim counts as one).
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: DateTime<Utc>,
    pub dedup_key: Option<String>,
    /// The error of the latest failed attempt, kept after later states.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Proves that a worker holds a job: every claim draws a new token, so a
/// worker whose lease expired cannot record an outcome for an attempt that
/// is now someone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeaseToken(Uuid);

impl LeaseToken {
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

/// A job a worker has claimed, with the lease it holds on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub job: Job,
    pub lease: LeaseToken,
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub queued: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub dead: u64,
    pub cancelled: u64,
    /// The earliest `run_at` among jobs due now that no worker has claimed:
    /// how far behind the workers are.
    pub oldest_due_at: Option<DateTime<Utc>>,
}

impl JobCounts {
    pub fn get(&self, state: JobState) -> u64 {
        match state {
            JobState::Queued => self.queued,
            JobState::Running => self.running,
            JobState::Succeeded => self.succeeded,
            JobState::Failed => self.failed,
            JobState::Dead => self.dead,
            JobState::Cancelled => self.cancelled,
        }
    }

    pub fn set(&mut self, state: JobState, count: u64) {
        let slot = match state {
            JobState::Queued => &mut self.queued,
            JobState::Running => &mut self.running,
            JobState::Succeeded => &mut self.succeeded,
            JobState::Failed => &mut self.failed,
            JobState::Dead => &mut self.dead,
            JobState::Cancelled => &mut self.cancelled,
        };
        *slot = count;
    }
}

/// The admin's summary of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobOverview {
    pub counts: JobCounts,
    /// How long the oldest due, unclaimed job has waited.
    pub oldest_due_age: Option<Duration>,
}

impl JobOverview {
    pub fn new(counts: JobCounts, now: DateTime<Utc>) -> Self {
        let oldest_due_age = counts
            .oldest_due_at
            .map(|due| (now - due).to_std().unwrap_or_default());
        Self {
            counts,
            oldest_due_age,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_accept_only_the_safe_alphabet() {
        for good in [
            "photos.variants",
            "maintenance.purge",
            "a",
            "x_1-2.z",
            &"k".repeat(64),
        ] {
            assert_eq!(JobKind::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", "Photos", "photos variants", "a/b", "é", &"k".repeat(65)] {
            assert!(JobKind::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn states_round_trip_and_classify() {
        for state in JobState::ALL {
            assert_eq!(state.as_str().parse::<JobState>(), Ok(state));
        }
        assert!("paused".parse::<JobState>().is_err());
        let live: Vec<_> = JobState::ALL
            .into_iter()
            .filter(JobState::is_live)
            .collect();
        assert_eq!(
            live,
            [JobState::Queued, JobState::Running, JobState::Failed]
        );
        assert!(!JobState::Running.is_cancellable() && !JobState::Running.is_retryable());
        assert!(JobState::Dead.is_retryable() && !JobState::Dead.is_cancellable());
    }

    #[test]
    fn new_jobs_run_now_once_per_key_and_at_least_once() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let kind = JobKind::parse("k").unwrap();
        let job = NewJob::new(kind, serde_json::json!({"a": 1}), now)
            .with_dedup_key("k@1")
            .with_max_attempts(0);
        assert_eq!(job.run_at, now);
        assert_eq!(job.max_attempts, 1);
        assert_eq!(job.dedup_key.as_deref(), Some("k@1"));
    }

    #[test]
    fn the_overview_ages_the_oldest_due_job() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let mut counts = JobCounts::default();
        counts.set(JobState::Dead, 3);
        assert_eq!(counts.get(JobState::Dead), 3);
        counts.oldest_due_at = Some(now - chrono::TimeDelta::seconds(90));
        let overview = JobOverview::new(counts, now);
        assert_eq!(overview.oldest_due_age, Some(Duration::from_secs(90)));
        assert_eq!(
            JobOverview::new(JobCounts::default(), now).oldest_due_age,
            None
        );
    }
}
