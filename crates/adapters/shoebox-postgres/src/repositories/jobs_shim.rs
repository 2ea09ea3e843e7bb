//! TEMPORARY: inserts a job row until the job-queue repository lands (then
//! `jobs::insert_job` replaces this).

use diesel::{
    prelude::*,
    sql_types::{Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid},
};
use shoebox_domain::jobs::NewJob;

pub(crate) fn insert_job(connection: &mut PgConnection, job: &NewJob) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO jobs (id, kind, payload, max_attempts, run_at, dedup_key)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, dedup_key)
             WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'failed')
         DO NOTHING",
    )
    .bind::<SqlUuid, _>(uuid::Uuid::now_v7())
    .bind::<Text, _>(job.kind.as_str())
    .bind::<Jsonb, _>(&job.payload)
    .bind::<Integer, _>(i32::try_from(job.max_attempts).unwrap_or(5))
    .bind::<Timestamptz, _>(job.run_at)
    .bind::<Nullable<Text>, _>(job.dedup_key.as_deref())
    .execute(connection)
    .map(drop)
}
