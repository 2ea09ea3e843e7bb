//! The admin's view of the job queue.

use std::sync::Arc;

use async_trait::async_trait;
use shoebox_domain::{
    audit::AuditAction,
    auth::Actor,
    jobs::{CancelJobError, Job, JobAdminError, JobId, JobOverview, JobState, RetryJobError},
    page::{Page, PageRequest},
};
use shoebox_ports::{
    inbound::JobAdministration,
    outbound::{Clock, JobQueue},
};

use crate::Auditor;

#[derive(Clone)]
pub struct JobAdministrationService {
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    audit: Auditor,
}

impl std::fmt::Debug for JobAdministrationService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobAdministrationService")
            .finish_non_exhaustive()
    }
}

impl JobAdministrationService {
    pub fn new(queue: Arc<dyn JobQueue>, clock: Arc<dyn Clock>, audit: Auditor) -> Self {
        Self {
            queue,
            clock,
            audit,
        }
    }
}

/// The same rule as member administration: the acting user must be an admin.
fn is_admin(actor: &Actor) -> bool {
    actor.user.is_admin()
}

#[async_trait]
impl JobAdministration for JobAdministrationService {
    async fn overview(&self, actor: Actor) -> Result<JobOverview, JobAdminError> {
        if !is_admin(&actor) {
            return Err(JobAdminError::Forbidden);
        }
        let now = self.clock.now();
        Ok(JobOverview::new(self.queue.counts(now).await?, now))
    }

    async fn list(
        &self,
        actor: Actor,
        state: JobState,
        page: PageRequest,
    ) -> Result<Page<Job>, JobAdminError> {
        if !is_admin(&actor) {
            return Err(JobAdminError::Forbidden);
        }
        Ok(self.queue.list(state, page).await?)
    }

    async fn retry(&self, actor: Actor, id: JobId) -> Result<Job, RetryJobError> {
        if !is_admin(&actor) {
            return Err(RetryJobError::Forbidden);
        }
        let job = self.queue.retry(id, self.clock.now()).await?;
        tracing::info!(actor_id = %actor.user.id, job_id = %id, kind = %job.kind, "job retried by admin");
        self.audit
            .by(&actor, AuditAction::JobRetried, Some(id.as_uuid()))
            .await;
        Ok(job)
    }

    async fn cancel(&self, actor: Actor, id: JobId) -> Result<Job, CancelJobError> {
        if !is_admin(&actor) {
            return Err(CancelJobError::Forbidden);
        }
        let job = self.queue.cancel(id, self.clock.now()).await?;
        tracing::info!(actor_id = %actor.user.id, job_id = %id, kind = %job.kind, "job cancelled by admin");
        self.audit
            .by(&actor, AuditAction::JobCancelled, Some(id.as_uuid()))
            .await;
        Ok(job)
    }
}
