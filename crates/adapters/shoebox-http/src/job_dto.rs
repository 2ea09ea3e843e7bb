//! Request and response bodies of the admin job routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shoebox_domain::jobs::{Job, JobCounts, JobState};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStateDto {
    Queued,
    Running,
    Succeeded,
    Failed,
    Dead,
    Cancelled,
}

impl From<JobStateDto> for JobState {
    fn from(state: JobStateDto) -> Self {
        match state {
            JobStateDto::Queued => Self::Queued,
            JobStateDto::Running => Self::Running,
            JobStateDto::Succeeded => Self::Succeeded,
            JobStateDto::Failed => Self::Failed,
            JobStateDto::Dead => Self::Dead,
            JobStateDto::Cancelled => Self::Cancelled,
        }
    }
}

impl From<JobState> for JobStateDto {
    fn from(state: JobState) -> Self {
        match state {
            JobState::Queued => Self::Queued,
            JobState::Running => Self::Running,
            JobState::Succeeded => Self::Succeeded,
            JobState::Failed => Self::Failed,
            JobState::Dead => Self::Dead,
            JobState::Cancelled => Self::Cancelled,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// List the jobs in this state (newest first); without it, only the counts.
    pub state: Option<JobStateDto>,
    /// Items per page (1–200, default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// A job as admins see it. The payload is not shown: it may name people.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobResponse {
    pub id: Uuid,
    pub kind: String,
    pub state: JobStateDto,
    pub attempts: u32,
    pub max_attempts: u32,
    /// Due at (the next attempt, for a failed job).
    pub run_at: DateTime<Utc>,
    pub dedup_key: Option<String>,
    /// The error of the latest failed attempt.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The worker that holds, or last held, the job.
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl From<Job> for JobResponse {
    fn from(job: Job) -> Self {
        Self {
            id: job.id.as_uuid(),
            kind: job.kind.as_str().to_owned(),
            state: job.state.into(),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            run_at: job.run_at,
            dedup_key: job.dedup_key,
            last_error: job.last_error,
            created_at: job.created_at,
            updated_at: job.updated_at,
            finished_at: job.finished_at,
            locked_by: job.locked_by,
            locked_until: job.locked_until,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobCountsResponse {
    pub queued: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub dead: u64,
    pub cancelled: u64,
}

impl From<JobCounts> for JobCountsResponse {
    fn from(counts: JobCounts) -> Self {
        Self {
            queued: counts.queued,
            running: counts.running,
            succeeded: counts.succeeded,
            failed: counts.failed,
            dead: counts.dead,
            cancelled: counts.cancelled,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobsResponse {
    pub counts: JobCountsResponse,
    /// How long the oldest due job has waited for a worker; absent when none waits.
    pub oldest_queued_age_seconds: Option<u64>,
    /// The jobs in the requested `state`; empty without one.
    pub items: Vec<JobResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}
