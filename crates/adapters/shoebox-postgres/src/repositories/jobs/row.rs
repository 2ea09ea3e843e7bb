//! A `jobs` row, and its translation into the domain's `Job`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use diesel::{Queryable, QueryableByName, Selectable, pg::Pg};
use shoebox_domain::jobs::{ClaimedJob, Job, JobId, JobKind, JobState, LeaseToken};
use uuid::Uuid;

use crate::schema::jobs;

/// Every column, for both the query builder and `RETURNING jobs.*`.
#[derive(Debug, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs, check_for_backend(Pg))]
pub(crate) struct JobRow {
    id: Uuid,
    kind: String,
    payload: serde_json::Value,
    state: String,
    attempts: i32,
    max_attempts: i32,
    run_at: DateTime<Utc>,
    dedup_key: Option<String>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    locked_by: Option<String>,
    locked_until: Option<DateTime<Utc>>,
    lease_token: Option<Uuid>,
}

impl JobRow {
    pub(crate) fn into_job(self) -> anyhow::Result<Job> {
        let id = self.id;
        let invalid = |column: &str| format!("stored job {id} has an invalid {column}");
        Ok(Job {
            id: JobId::from_uuid(id),
            kind: JobKind::parse(&self.kind).with_context(|| invalid("kind"))?,
            payload: self.payload,
            state: self
                .state
                .parse::<JobState>()
                .map_err(anyhow::Error::msg)
                .with_context(|| invalid("state"))?,
            attempts: u32::try_from(self.attempts).with_context(|| invalid("attempts"))?,
            max_attempts: u32::try_from(self.max_attempts)
                .with_context(|| invalid("max_attempts"))?,
            run_at: self.run_at,
            dedup_key: self.dedup_key,
            last_error: self.last_error,
            created_at: self.created_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
            locked_by: self.locked_by,
            locked_until: self.locked_until,
        })
    }

    /// A row returned by a claim: running, with the token of that claim.
    pub(crate) fn into_claimed(self) -> anyhow::Result<ClaimedJob> {
        let token = self
            .lease_token
            .with_context(|| format!("claimed job {} has no lease token", self.id))?;
        Ok(ClaimedJob {
            job: self.into_job()?,
            lease: LeaseToken::from_uuid(token),
        })
    }
}

pub(crate) fn jobs(rows: Vec<JobRow>) -> anyhow::Result<Vec<Job>> {
    rows.into_iter().map(JobRow::into_job).collect()
}

/// The states in which a job will still run; de-duplication keys are unique among them.
pub(crate) const LIVE_STATES: [&str; 3] = ["queued", "running", "failed"];

/// Error texts are kept for admins, bounded so that a handler that fails with
/// a megabyte of context cannot bloat the table.
pub(crate) fn bounded_error(error: String) -> String {
    const MAX_CHARS: usize = 4000;
    match error.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &error[..cut]),
        None => error,
    }
}

impl JobRow {
    /// The order in which due jobs are claimed.
    pub(crate) fn due_order(&self) -> (DateTime<Utc>, Uuid) {
        (self.run_at, self.id)
    }
}
