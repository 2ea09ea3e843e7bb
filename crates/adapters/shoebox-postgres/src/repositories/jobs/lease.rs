//! Claiming jobs under a lease, and what a worker records about them.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{
    PgConnection, QueryResult, RunQueryDsl,
    prelude::*,
    sql_types::{Array, BigInt, Text, Timestamptz},
};
use shoebox_domain::jobs::{FailureOutcome, JobId, LeaseToken};
use shoebox_ports::outbound::ClaimRequest;

use super::row::JobRow;
use crate::schema::jobs;

/// How many expired leases one claim reaps at most, so that a claim after a
/// mass outage stays a short transaction; the rest go with the next claims.
const REAP_BATCH: i64 = 100;

/// Returns running jobs whose lease expired to the queue (due at once), or
/// makes them dead when that was their last attempt. Rows another
/// transaction is reaping or finishing are skipped, not waited for.
fn reap_expired(connection: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query(
        "WITH expired AS ( \
             SELECT id FROM jobs \
             WHERE state = 'running' AND locked_until <= $1 \
             ORDER BY locked_until \
             LIMIT $2 \
             FOR UPDATE SKIP LOCKED \
         ) \
         UPDATE jobs SET \
             state = CASE WHEN jobs.attempts >= jobs.max_attempts THEN 'dead' ELSE 'failed' END, \
             finished_at = CASE WHEN jobs.attempts >= jobs.max_attempts THEN $1 END, \
             last_error = 'the lease of ' || coalesce(jobs.locked_by, 'its worker') \
                 || ' expired before the attempt finished (the worker stopped or hung)', \
             run_at = $1, locked_until = NULL, lease_token = NULL, updated_at = $1 \
         FROM expired WHERE jobs.id = expired.id",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(REAP_BATCH)
    .execute(connection)
}

/// Reaps expired leases, then claims due jobs, in one transaction.
pub(super) fn claim(
    connection: &mut PgConnection,
    request: &ClaimRequest,
) -> QueryResult<Vec<JobRow>> {
    let lease = TimeDelta::from_std(request.lease).unwrap_or(TimeDelta::MAX);
    let locked_until = request
        .now
        .checked_add_signed(lease)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let kinds: Vec<&str> = request.kinds.iter().map(|kind| kind.as_str()).collect();
    connection.transaction(|connection| {
        reap_expired(connection, request.now)?;
        let mut rows: Vec<JobRow> = diesel::sql_query(
            "WITH picked AS ( \
                 SELECT id FROM jobs \
                 WHERE state IN ('queued', 'failed') AND run_at <= $1 AND kind = ANY($2) \
                 ORDER BY run_at, id \
                 LIMIT $3 \
                 FOR UPDATE SKIP LOCKED \
             ) \
             UPDATE jobs SET \
                 state = 'running', attempts = jobs.attempts + 1, locked_by = $4, \
                 locked_until = $5, lease_token = gen_random_uuid(), updated_at = $1 \
             FROM picked WHERE jobs.id = picked.id \
             RETURNING jobs.*",
        )
        .bind::<Timestamptz, _>(request.now)
        .bind::<Array<Text>, _>(kinds)
        .bind::<BigInt, _>(i64::from(request.limit))
        .bind::<Text, _>(&request.worker)
        .bind::<Timestamptz, _>(locked_until)
        .load(connection)?;
        // RETURNING does not keep the sub-select's order.
        rows.sort_by_key(|row| row.due_order());
        Ok(rows)
    })
}

/// The job, if it is still running under this claim.
#[diesel::dsl::auto_type]
fn held(id: uuid::Uuid, lease: uuid::Uuid) -> _ {
    jobs::table
        .filter(jobs::id.eq(id))
        .filter(jobs::state.eq("running"))
        .filter(jobs::lease_token.eq(lease))
}

/// `true` when the lease was still held and is now extended.
pub(super) fn heartbeat(
    connection: &mut PgConnection,
    id: JobId,
    lease: LeaseToken,
    locked_until: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(held(id.as_uuid(), lease.as_uuid()))
        .set(jobs::locked_until.eq(locked_until))
        .execute(connection)
        .map(|rows| rows == 1)
}

/// `true` when the lease was still held and the job is now succeeded.
pub(super) fn complete(
    connection: &mut PgConnection,
    id: JobId,
    lease: LeaseToken,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(held(id.as_uuid(), lease.as_uuid()))
        .set((
            jobs::state.eq("succeeded"),
            jobs::finished_at.eq(now),
            jobs::updated_at.eq(now),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::lease_token.eq(None::<uuid::Uuid>),
        ))
        .execute(connection)
        .map(|rows| rows == 1)
}

/// `true` when the lease was still held and the failure is recorded.
pub(super) fn fail(
    connection: &mut PgConnection,
    id: JobId,
    lease: LeaseToken,
    error: String,
    outcome: FailureOutcome,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let (state, run_at, finished_at) = match outcome {
        FailureOutcome::RetryAt(at) => ("failed", Some(at), None),
        FailureOutcome::Dead => ("dead", None, Some(now)),
    };
    let target = held(id.as_uuid(), lease.as_uuid());
    let changes = (
        jobs::state.eq(state),
        jobs::last_error.eq(error),
        jobs::finished_at.eq(finished_at),
        jobs::updated_at.eq(now),
        jobs::locked_until.eq(None::<DateTime<Utc>>),
        jobs::lease_token.eq(None::<uuid::Uuid>),
    );
    let rows = match run_at {
        Some(run_at) => diesel::update(target)
            .set((changes, jobs::run_at.eq(run_at)))
            .execute(connection)?,
        None => diesel::update(target).set(changes).execute(connection)?,
    };
    Ok(rows == 1)
}
