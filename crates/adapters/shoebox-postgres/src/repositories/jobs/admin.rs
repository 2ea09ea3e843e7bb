//! What admins see of the queue and do to it.

use chrono::{DateTime, Utc};
use diesel::{
    PgConnection, QueryResult, RunQueryDsl,
    dsl::{count_star, min},
    prelude::*,
    result::DatabaseErrorKind,
};
use shoebox_domain::{
    jobs::{JobCounts, JobId, JobState},
    page::PageRequest,
};
use uuid::Uuid;

use super::row::JobRow;
use crate::schema::jobs;

/// Rows per state, and the `run_at` of the oldest due job nobody holds.
pub(super) struct RawCounts {
    per_state: Vec<(String, i64)>,
    oldest_due_at: Option<DateTime<Utc>>,
}

pub(super) fn counts(connection: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<RawCounts> {
    let per_state = jobs::table
        .group_by(jobs::state)
        .select((jobs::state, count_star()))
        .load(connection)?;
    let oldest_due = jobs::table
        .filter(jobs::state.eq_any(["queued", "failed"]))
        .filter(jobs::run_at.le(now))
        .select(min(jobs::run_at))
        .get_result(connection)?;
    Ok(RawCounts {
        per_state,
        oldest_due_at: oldest_due,
    })
}

pub(super) fn into_counts(
    RawCounts {
        per_state,
        oldest_due_at,
    }: RawCounts,
) -> anyhow::Result<JobCounts> {
    let mut counts = JobCounts {
        oldest_due_at,
        ..JobCounts::default()
    };
    for (state, count) in per_state {
        let state = state.parse::<JobState>().map_err(anyhow::Error::msg)?;
        counts.set(state, u64::try_from(count).unwrap_or_default());
    }
    Ok(counts)
}

/// One more row than the page holds, newest first, so the caller knows
/// whether another page follows.
pub(super) fn list(
    connection: &mut PgConnection,
    state: JobState,
    page: PageRequest,
) -> QueryResult<Vec<JobRow>> {
    let mut query = jobs::table
        .filter(jobs::state.eq(state.as_str()))
        .order(jobs::id.desc())
        .limit(i64::from(page.limit()) + 1)
        .select(JobRow::as_select())
        .into_boxed();
    if let Some(after) = page.after() {
        query = query.filter(jobs::id.lt(after));
    }
    query.load(connection)
}

pub(super) fn find(connection: &mut PgConnection, id: JobId) -> QueryResult<Option<JobRow>> {
    jobs::table
        .find(id.as_uuid())
        .select(JobRow::as_select())
        .get_result(connection)
        .optional()
}

/// What an admin action found.
pub(super) enum Transition {
    Done(Box<JobRow>),
    NotFound,
    /// The job is in a state the action does not apply to.
    Refused(String),
    /// Another live job of the kind holds the job's de-duplication key.
    Duplicate,
}

fn locked_state(connection: &mut PgConnection, id: Uuid) -> QueryResult<Option<String>> {
    jobs::table
        .find(id)
        .select(jobs::state)
        .for_update()
        .get_result(connection)
        .optional()
}

/// Queues a failed, dead or cancelled job again.
pub(super) fn retry(
    connection: &mut PgConnection,
    id: JobId,
    now: DateTime<Utc>,
) -> QueryResult<Transition> {
    let outcome = connection.transaction(|connection| {
        let Some(state) = locked_state(connection, id.as_uuid())? else {
            return Ok(Transition::NotFound);
        };
        if !state
            .parse::<JobState>()
            .is_ok_and(|state| state.is_retryable())
        {
            return Ok(Transition::Refused(state));
        }
        let row = diesel::update(jobs::table.find(id.as_uuid()))
            .set((
                jobs::state.eq("queued"),
                jobs::attempts.eq(0),
                jobs::run_at.eq(now),
                jobs::finished_at.eq(None::<DateTime<Utc>>),
                jobs::updated_at.eq(now),
            ))
            .returning(JobRow::as_returning())
            .get_result(connection)?;
        Ok(Transition::Done(Box::new(row)))
    });
    // The transaction has rolled back by now; a unique violation means
    // another live job holds the key.
    match outcome {
        Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(Transition::Duplicate)
        }
        other => other,
    }
}

/// Cancels a queued job or a failed job waiting for its retry.
pub(super) fn cancel(
    connection: &mut PgConnection,
    id: JobId,
    now: DateTime<Utc>,
) -> QueryResult<Transition> {
    connection.transaction(|connection| {
        let Some(state) = locked_state(connection, id.as_uuid())? else {
            return Ok(Transition::NotFound);
        };
        if !state
            .parse::<JobState>()
            .is_ok_and(|state| state.is_cancellable())
        {
            return Ok(Transition::Refused(state));
        }
        let row = diesel::update(jobs::table.find(id.as_uuid()))
            .set((
                jobs::state.eq("cancelled"),
                jobs::finished_at.eq(now),
                jobs::updated_at.eq(now),
            ))
            .returning(JobRow::as_returning())
            .get_result(connection)?;
        Ok(Transition::Done(Box::new(row)))
    })
}
