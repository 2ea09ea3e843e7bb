//! Background jobs: what a job is, the states it moves through, when a failed
//! one is tried again, cron-like schedules, and what the nightly purge removes.
//!
//! ```text
//!             enqueue                claim (attempts + 1)
//!   (new) ───────────► Queued ──────────────────────────► Running ──► Succeeded
//!                        ▲  │                              │ │ │
//!     admin retry ───────┘  │ admin cancel                 │ │ └─ handler fails, attempts left ──► Failed
//!   (Failed, Dead,          ▼                              │ │     (run_at = now + backoff)          │
//!    Cancelled)          Cancelled ◄── admin cancel ───────┼─┼───────────────────────────────────────┤
//!                                                          │ │                       claim again ◄───┘
//!                                                          │ └─ lease expired: Failed (or Dead when no
//!                                                          │    attempt is left), claimable at once
//!                                                          └─ permanent failure, or no attempt left ──► Dead
//! ```
//!
//! Delivery is at least once: a worker that dies after its handler finished
//! but before it recorded the outcome leaves the job to be run again once its
//! lease expires. Handlers must therefore be idempotent.

mod errors;
mod job;
mod maintenance;
mod retry;
mod schedule;

pub use errors::{
    CancelJobError, JobAdminError, JobKindError, LeaseError, RetryJobError, ScheduleError,
};
pub use job::{
    ClaimedJob, DEFAULT_MAX_ATTEMPTS, EnqueueOutcome, Job, JobCounts, JobId, JobKind, JobOverview,
    JobState, LeaseToken, NewJob,
};
pub use maintenance::{PurgeCutoffs, PurgePolicy, PurgeReport};
pub use retry::{FailureOutcome, RetryPolicy};
pub use schedule::Schedule;
