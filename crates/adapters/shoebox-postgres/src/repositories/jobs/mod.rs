//! The job queue on the `jobs` table, and the scheduler's ledger.
//!
//! Claims use `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for
//! each other nor take the same job; every claim draws a lease token, and a
//! worker's outcome is only recorded while its token still holds the job.

mod admin;
mod insert;
mod lease;
mod ledger;
mod listener;
mod row;

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    jobs::{
        CancelJobError, ClaimedJob, EnqueueOutcome, FailureOutcome, Job, JobCounts, JobId,
        JobState, LeaseError, LeaseToken, NewJob, RetryJobError,
    },
    page::{Page, PageRequest},
};
use shoebox_ports::outbound::{ClaimRequest, JobQueue, WakeReason};

use crate::{DatabaseSettings, PostgresDatabase};
use admin::Transition;
use listener::JobListener;
use row::{JobRow, bounded_error};

pub(crate) use insert::insert_job;
pub use ledger::PostgresScheduleLedger;

/// [`JobQueue`] on PostgreSQL. Cheap to clone; clones share the pool and the
/// listener.
#[derive(Debug, Clone)]
pub struct PostgresJobQueue {
    database: PostgresDatabase,
    listener: Option<Arc<JobListener>>,
}

impl PostgresJobQueue {
    /// A queue whose waiters poll: for processes that only enqueue (and tests).
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
            listener: None,
        }
    }

    /// A queue whose waiters are woken by LISTEN/NOTIFY on a dedicated
    /// connection to `settings`' database (needs a tokio runtime). Waits up
    /// to the connect timeout for the first LISTEN; polls until it succeeds.
    pub async fn listening(database: &PostgresDatabase, settings: &DatabaseSettings) -> Self {
        let ready_within = Duration::from_secs(settings.connect_timeout_seconds.max(1));
        let listener = JobListener::start(settings.connection_url(), ready_within).await;
        Self {
            database: database.clone(),
            listener: Some(Arc::new(listener)),
        }
    }
}

fn lease_outcome(held: anyhow::Result<bool>) -> Result<(), LeaseError> {
    match held? {
        true => Ok(()),
        false => Err(LeaseError::LeaseLost),
    }
}

#[async_trait]
impl JobQueue for PostgresJobQueue {
    async fn enqueue(&self, job: NewJob) -> anyhow::Result<EnqueueOutcome> {
        self.database
            .run("enqueueing a job", move |connection| {
                insert_job(connection, &job)
            })
            .await
    }

    async fn claim(&self, request: ClaimRequest) -> anyhow::Result<Vec<ClaimedJob>> {
        if request.kinds.is_empty() || request.limit == 0 {
            return Ok(Vec::new());
        }
        let rows = self
            .database
            .run("claiming jobs", move |connection| {
                lease::claim(connection, &request)
            })
            .await?;
        rows.into_iter().map(JobRow::into_claimed).collect()
    }

    async fn heartbeat(
        &self,
        id: JobId,
        lease: LeaseToken,
        locked_until: DateTime<Utc>,
    ) -> Result<(), LeaseError> {
        let held = self
            .database
            .run("extending a job's lease", move |connection| {
                lease::heartbeat(connection, id, lease, locked_until)
            })
            .await;
        lease_outcome(held)
    }

    async fn complete(
        &self,
        id: JobId,
        lease: LeaseToken,
        now: DateTime<Utc>,
    ) -> Result<(), LeaseError> {
        let held = self
            .database
            .run("recording a job's success", move |connection| {
                lease::complete(connection, id, lease, now)
            })
            .await;
        lease_outcome(held)
    }

    async fn fail(
        &self,
        id: JobId,
        lease: LeaseToken,
        error: String,
        outcome: FailureOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), LeaseError> {
        let error = bounded_error(error);
        let held = self
            .database
            .run("recording a job's failure", move |connection| {
                lease::fail(connection, id, lease, error, outcome, now)
            })
            .await;
        lease_outcome(held)
    }

    async fn wait_for_work(&self, max_wait: Duration) -> WakeReason {
        let notified = match &self.listener {
            Some(listener) => listener.wait(max_wait).await,
            None => {
                tokio::time::sleep(max_wait).await;
                false
            }
        };
        if notified {
            WakeReason::Notified
        } else {
            WakeReason::TimedOut
        }
    }

    async fn counts(&self, now: DateTime<Utc>) -> anyhow::Result<JobCounts> {
        let rows = self
            .database
            .run("counting jobs", move |connection| {
                admin::counts(connection, now)
            })
            .await?;
        admin::into_counts(rows)
    }

    async fn list(&self, state: JobState, page: PageRequest) -> anyhow::Result<Page<Job>> {
        let rows = self
            .database
            .run("listing jobs", move |connection| {
                admin::list(connection, state, page)
            })
            .await?;
        let jobs = row::jobs(rows)?;
        Ok(Page::from_overfetched(jobs, page, |job| job.id.as_uuid()))
    }

    async fn find(&self, id: JobId) -> anyhow::Result<Option<Job>> {
        let row = self
            .database
            .run("finding a job", move |connection| {
                admin::find(connection, id)
            })
            .await?;
        row.map(JobRow::into_job).transpose()
    }

    async fn retry(&self, id: JobId, now: DateTime<Utc>) -> Result<Job, RetryJobError> {
        let outcome = self
            .database
            .run("retrying a job", move |connection| {
                admin::retry(connection, id, now)
            })
            .await?;
        match outcome {
            Transition::Done(row) => Ok(row.into_job()?),
            Transition::NotFound => Err(RetryJobError::NotFound),
            Transition::Refused(state) => Err(RetryJobError::NotRetryable {
                state: parse_state(&state)?,
            }),
            Transition::Duplicate => Err(RetryJobError::DuplicateLive),
        }
    }

    async fn cancel(&self, id: JobId, now: DateTime<Utc>) -> Result<Job, CancelJobError> {
        let outcome = self
            .database
            .run("cancelling a job", move |connection| {
                admin::cancel(connection, id, now)
            })
            .await?;
        match outcome {
            Transition::Done(row) => Ok(row.into_job()?),
            Transition::NotFound => Err(CancelJobError::NotFound),
            Transition::Refused(state) => Err(CancelJobError::NotCancellable {
                state: parse_state(&state)?,
            }),
            Transition::Duplicate => Err(CancelJobError::Unexpected(anyhow::anyhow!(
                "cancelling a job reported a de-duplication conflict"
            ))),
        }
    }
}

fn parse_state(state: &str) -> anyhow::Result<JobState> {
    state.parse::<JobState>().map_err(anyhow::Error::msg)
}
