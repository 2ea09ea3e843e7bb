//! The admin's view of background jobs (the role Flower plays for Celery).

use async_trait::async_trait;
use shoebox_domain::{
    auth::Actor,
    jobs::{CancelJobError, Job, JobAdminError, JobId, JobOverview, JobState, RetryJobError},
    page::{Page, PageRequest},
};

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait JobAdministration: Send + Sync {
    /// Jobs per state and how long the oldest due job has waited.
    /// Errors: `Forbidden` unless the actor is an admin; `Unexpected`.
    async fn overview(&self, actor: Actor) -> Result<JobOverview, JobAdminError>;

    /// Jobs in `state`, newest first, with their last errors.
    /// Errors: `Forbidden`; `Unexpected`.
    async fn list(
        &self,
        actor: Actor,
        state: JobState,
        page: PageRequest,
    ) -> Result<Page<Job>, JobAdminError>;

    /// Queues a failed, dead or cancelled job again, due now.
    /// Errors: `Forbidden`, `NotFound`, `NotRetryable`, `DuplicateLive`, `Unexpected`.
    async fn retry(&self, actor: Actor, id: JobId) -> Result<Job, RetryJobError>;

    /// Cancels a job that is queued or waiting for a retry.
    /// Errors: `Forbidden`, `NotFound`, `NotCancellable`, `Unexpected`.
    async fn cancel(&self, actor: Actor, id: JobId) -> Result<Job, CancelJobError>;
}
