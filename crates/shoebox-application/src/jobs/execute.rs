//! Running one claimed job: the handler in a task of its own, heartbeats
//! while it runs, and the outcome recorded under the job's lease.

use std::{any::Any, sync::Arc, time::Duration};

use chrono::TimeDelta;
use shoebox_domain::jobs::{
    ClaimedJob, FailureOutcome, JobId, LeaseError, LeaseToken, RetryPolicy,
};
use shoebox_ports::outbound::{Clock, JobQueue};
use tokio::{task::JoinHandle, time::Instant};
use tracing::Instrument;

use super::{JobFailure, JobHandler};

/// What one job's execution needs from its worker.
#[derive(Clone)]
pub(super) struct Execution {
    pub(super) queue: Arc<dyn JobQueue>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) lease: Duration,
    pub(super) heartbeat: Duration,
    pub(super) retry: RetryPolicy,
}

/// Aborts the handler's task when the execution is dropped (the worker shut
/// down past its grace, or was itself dropped), so no handler outlives it.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Execution {
    pub(super) async fn run(self, handler: Arc<dyn JobHandler>, claimed: ClaimedJob) {
        let span = tracing::info_span!(
            "job",
            job_id = %claimed.job.id,
            kind = %claimed.job.kind,
            attempt = claimed.job.attempts,
        );
        self.run_in_span(handler, claimed).instrument(span).await;
    }

    async fn run_in_span(self, handler: Arc<dyn JobHandler>, claimed: ClaimedJob) {
        let (id, lease) = (claimed.job.id, claimed.lease);
        let job = claimed.job.clone();
        // A task of its own, so that a panicking handler is a failed job
        // (a `JoinError`), not a crashed worker.
        let mut handling = AbortOnDrop(tokio::spawn(async move { handler.handle(&claimed).await }));
        let mut heartbeats =
            tokio::time::interval_at(Instant::now() + self.heartbeat, self.heartbeat);
        let joined = loop {
            tokio::select! {
                joined = &mut handling.0 => break joined,
                _ = heartbeats.tick() => {
                    if !self.extend_lease(id, lease).await {
                        // Someone else holds the job now; our outcome would be refused.
                        return;
                    }
                }
            }
        };
        let now = self.clock.now();
        let recorded = match joined {
            Ok(Ok(())) => self.queue.complete(id, lease, now).await,
            Ok(Err(JobFailure::Permanent(reason))) => {
                tracing::warn!(%reason, "job failed permanently");
                self.queue
                    .fail(id, lease, reason, FailureOutcome::Dead, now)
                    .await
            }
            Ok(Err(JobFailure::Retry(error))) => {
                let outcome = self.retry.after_failure(&job, now);
                tracing::warn!(error = %format!("{error:#}"), ?outcome, "job failed");
                self.queue
                    .fail(id, lease, format!("{error:#}"), outcome, now)
                    .await
            }
            Err(join_error) if join_error.is_panic() => {
                let message = format!(
                    "the handler panicked: {}",
                    panic_message(join_error.into_panic())
                );
                let outcome = self.retry.after_failure(&job, now);
                tracing::error!(%message, ?outcome, "job handler panicked");
                self.queue.fail(id, lease, message, outcome, now).await
            }
            // Cancelled: only when the runtime shuts down under us.
            Err(_) => return,
        };
        match recorded {
            Ok(()) => tracing::debug!("job outcome recorded"),
            Err(LeaseError::LeaseLost) => {
                tracing::warn!(
                    "the job's lease was lost before its outcome was recorded; it will run again"
                )
            }
            Err(LeaseError::Unexpected(error)) => {
                tracing::error!(error = %format!("{error:#}"), "could not record the job's outcome; it will run again after its lease")
            }
        }
    }

    /// `false` when the lease is lost for good.
    async fn extend_lease(&self, id: JobId, lease: LeaseToken) -> bool {
        let until = self
            .clock
            .now()
            .checked_add_signed(TimeDelta::from_std(self.lease).unwrap_or(TimeDelta::MAX));
        let Some(until) = until else { return true };
        match self.queue.heartbeat(id, lease, until).await {
            Ok(()) => true,
            Err(LeaseError::LeaseLost) => {
                tracing::warn!("the job's lease was lost while it ran; abandoning it");
                false
            }
            Err(LeaseError::Unexpected(error)) => {
                // The lease may still hold; the next heartbeat tries again.
                tracing::warn!(error = %format!("{error:#}"), "could not extend the job's lease");
                true
            }
        }
    }
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(message) => (*message).to_owned(),
            Err(_) => "(no message)".to_owned(),
        },
    }
}
