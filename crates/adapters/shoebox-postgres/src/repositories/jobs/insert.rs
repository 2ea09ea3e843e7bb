//! Inserting a job, inside whatever transaction the caller holds.

use diesel::{
    PgConnection, QueryResult, RunQueryDsl,
    prelude::*,
    sql_types::{Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid},
};
use shoebox_domain::jobs::{EnqueueOutcome, JobId, NewJob};
use uuid::Uuid;

use super::row::LIVE_STATES;
use crate::schema::jobs;

#[derive(QueryableByName)]
struct InsertedId {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Inserts `job` on `connection`, in the caller's transaction if it holds
/// one: a repository that creates a row and the job that processes it does
/// both atomically (the job is announced to workers at commit).
///
/// With a de-duplication key held by a live job of the same kind, inserts
/// nothing and returns that job as [`EnqueueOutcome::Duplicate`].
pub(crate) fn insert_job(
    connection: &mut PgConnection,
    job: &NewJob,
) -> QueryResult<EnqueueOutcome> {
    let max_attempts = i32::try_from(job.max_attempts.max(1)).unwrap_or(i32::MAX);
    // The live job holding the key can finish between the failed insert and
    // the look-up; then the key is free and the insert is tried again.
    loop {
        let id = JobId::new();
        let inserted: Option<InsertedId> = diesel::sql_query(
            "INSERT INTO jobs (id, kind, payload, state, max_attempts, run_at, dedup_key) \
             VALUES ($1, $2, $3, 'queued', $4, $5, $6) \
             ON CONFLICT (kind, dedup_key) \
                 WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'failed') \
             DO NOTHING \
             RETURNING id",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<Text, _>(job.kind.as_str())
        .bind::<Jsonb, _>(&job.payload)
        .bind::<Integer, _>(max_attempts)
        .bind::<Timestamptz, _>(job.run_at)
        .bind::<Nullable<Text>, _>(job.dedup_key.as_deref())
        .get_result(connection)
        .optional()?;
        if let Some(inserted) = inserted {
            return Ok(EnqueueOutcome::Enqueued(JobId::from_uuid(inserted.id)));
        }
        let Some(key) = job.dedup_key.as_deref() else {
            // Without a key nothing can conflict; an empty result would be a
            // server bug, not a reason to loop.
            return Err(diesel::result::Error::NotFound);
        };
        let live: Option<Uuid> = jobs::table
            .filter(jobs::kind.eq(job.kind.as_str()))
            .filter(jobs::dedup_key.eq(key))
            .filter(jobs::state.eq_any(LIVE_STATES))
            .select(jobs::id)
            .first(connection)
            .optional()?;
        if let Some(existing) = live {
            return Ok(EnqueueOutcome::Duplicate(JobId::from_uuid(existing)));
        }
    }
}
