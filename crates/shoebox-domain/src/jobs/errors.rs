//! The errors of the job operations: business outcomes as variants, anything
//! else as an opaque `Unexpected`.

use super::JobState;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid job kind {0:?}: use 1 to 64 characters among lower-case letters, digits, '_', '.' and '-'"
)]
pub struct JobKindError(pub String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schedule {pattern:?}: {reason}")]
pub struct ScheduleError {
    pub pattern: String,
    pub reason: String,
}

/// Recording the outcome of a job, or extending its lease.
#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// The job is no longer held under this lease: it expired and the job was
    /// reaped or claimed again. The outcome is not recorded; whoever holds the
    /// job now decides it.
    #[error("the lease on this job was lost")]
    LeaseLost,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Reading the job queue as an admin.
#[derive(Debug, thiserror::Error)]
pub enum JobAdminError {
    #[error("only admins may do this")]
    Forbidden,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum RetryJobError {
    #[error("only admins may do this")]
    Forbidden,
    #[error("no such job")]
    NotFound,
    /// Only failed, dead and cancelled jobs can be retried.
    #[error("a {state} job cannot be retried; only failed, dead and cancelled jobs can")]
    NotRetryable { state: JobState },
    /// Another job with the same de-duplication key is queued or running.
    #[error("another job with the same de-duplication key is waiting or running")]
    DuplicateLive,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum CancelJobError {
    #[error("only admins may do this")]
    Forbidden,
    #[error("no such job")]
    NotFound,
    /// Running jobs cannot be cancelled (their handler may be half-way); nor
    /// can jobs that are already over.
    #[error(
        "a {state} job cannot be cancelled; only queued jobs and failed jobs waiting for a retry can"
    )]
    NotCancellable { state: JobState },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}
