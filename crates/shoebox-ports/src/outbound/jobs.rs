//! The job queue, the scheduler's ledger of slots, and maintenance.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    jobs::{
        CancelJobError, ClaimedJob, EnqueueOutcome, FailureOutcome, Job, JobCounts, JobId, JobKind,
        JobState, LeaseError, LeaseToken, NewJob, PurgeCutoffs, PurgeReport, RetryJobError,
    },
    page::{Page, PageRequest},
};

/// What a worker asks for when it claims jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequest {
    /// Who claims: recorded as `locked_by`, for admins and logs.
    pub worker: String,
    /// Only jobs of these kinds (the worker has handlers for them).
    pub kinds: Vec<JobKind>,
    pub now: DateTime<Utc>,
    /// The lease: unless extended by a heartbeat, the claim lapses at
    /// `now + lease` and the job becomes claimable again.
    pub lease: Duration,
    /// At most this many jobs.
    pub limit: u32,
}

/// Why [`JobQueue::wait_for_work`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WakeReason {
    /// A job was enqueued or made runnable since the last wait (by any process).
    Notified,
    /// Nothing was announced within the wait: look anyway (polling fallback,
    /// and jobs whose `run_at` has come are never announced).
    TimedOut,
}

/// A durable queue of jobs shared by every process. Delivery is at least
/// once; claims exclude each other (no job is held by two workers under live
/// leases).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Adds a job, or finds the live job (queued, running or waiting for a
    /// retry) of the same kind holding the same de-duplication key.
    /// Errors: only `Unexpected`.
    async fn enqueue(&self, job: NewJob) -> anyhow::Result<EnqueueOutcome>;

    /// Claims up to `limit` due jobs of the given kinds, oldest `run_at`
    /// first, skipping jobs other workers are claiming at the same moment.
    /// Each claim counts an attempt and draws a new lease token. Jobs whose
    /// lease expired are first returned to the queue (or made dead when they
    /// had no attempt left). Errors: only `Unexpected`.
    async fn claim(&self, request: ClaimRequest) -> anyhow::Result<Vec<ClaimedJob>>;

    /// Extends the lease to `locked_until`.
    /// Errors: `LeaseLost` when the job is no longer held under `lease`; `Unexpected`.
    async fn heartbeat(
        &self,
        id: JobId,
        lease: LeaseToken,
        locked_until: DateTime<Utc>,
    ) -> Result<(), LeaseError>;

    /// Records success. Errors: `LeaseLost` (the outcome is then not recorded); `Unexpected`.
    async fn complete(
        &self,
        id: JobId,
        lease: LeaseToken,
        now: DateTime<Utc>,
    ) -> Result<(), LeaseError>;

    /// Records a failed attempt with its error, and either schedules the next
    /// attempt or makes the job dead. Errors: `LeaseLost`; `Unexpected`.
    async fn fail(
        &self,
        id: JobId,
        lease: LeaseToken,
        error: String,
        outcome: FailureOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), LeaseError>;

    /// Waits until work is announced, or `max_wait` passes. Never fails: when
    /// announcements are unavailable it just waits `max_wait` (polling).
    async fn wait_for_work(&self, max_wait: Duration) -> WakeReason;

    /// Jobs per state, and the oldest due unclaimed job. Errors: only `Unexpected`.
    async fn counts(&self, now: DateTime<Utc>) -> anyhow::Result<JobCounts>;

    /// Jobs in `state`, newest first. Errors: only `Unexpected`.
    async fn list(&self, state: JobState, page: PageRequest) -> anyhow::Result<Page<Job>>;

    /// Errors: only `Unexpected`.
    async fn find(&self, id: JobId) -> anyhow::Result<Option<Job>>;

    /// Makes a failed, dead or cancelled job queued again, due at `now`, with
    /// its attempts reset (its last error is kept).
    /// Errors: `NotFound`, `NotRetryable`, `DuplicateLive`, `Unexpected`.
    async fn retry(&self, id: JobId, now: DateTime<Utc>) -> Result<Job, RetryJobError>;

    /// Cancels a queued job or a failed job waiting for a retry.
    /// Errors: `NotFound`, `NotCancellable` (running or finished), `Unexpected`.
    async fn cancel(&self, id: JobId, now: DateTime<Utc>) -> Result<Job, CancelJobError>;
}

/// What claiming a scheduler slot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotClaim {
    /// This caller won the slot, and its job was enqueued in the same transaction.
    Claimed(EnqueueOutcome),
    /// Another replica (or an earlier tick) had the slot already.
    AlreadyClaimed,
}

/// Which scheduler slots have run, shared by every replica.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ScheduleLedger: Send + Sync {
    /// Records `(task, slot)` and enqueues `job` atomically: exactly one
    /// caller per `(task, slot)` ever gets `Claimed`, across processes, and
    /// a crash cannot record a slot without its job. Errors: only `Unexpected`.
    async fn claim_slot(
        &self,
        task: String,
        slot: DateTime<Utc>,
        job: NewJob,
    ) -> anyhow::Result<SlotClaim>;
}

/// Housekeeping on stored data.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait MaintenanceRepository: Send + Sync {
    /// Deletes expired sessions, ended invitations, lapsed throttle counters,
    /// old finished jobs, old scheduler slots, spent or expired mail links
    /// and undelivered old mail, per `cutoffs`.
    /// Errors: only `Unexpected`.
    async fn purge_expired(&self, cutoffs: PurgeCutoffs) -> anyhow::Result<PurgeReport>;
}
