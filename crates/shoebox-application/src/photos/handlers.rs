//! The photo jobs, as the worker runs them: variants for each upload, and
//! the daily orphan sweep.

use async_trait::async_trait;
use chrono::DateTime;
use shoebox_domain::{
    jobs::{ClaimedJob, JobKind, NewJob, Schedule},
    photos::VariantJobError,
};

use super::{MAKE_VARIANTS_JOB, OrphanSweep, VariantMaker, variants::photo_of_variants_job};
use crate::jobs::{JobFailure, JobHandler, ScheduledTask};

/// Kind of the orphan sweep job.
pub const SWEEP_ORPHANS_JOB: &str = "photos.sweep_orphans";

fn kind(raw: &'static str) -> JobKind {
    match JobKind::parse(raw) {
        Ok(kind) => kind,
        Err(error) => unreachable!("{error}"),
    }
}

#[async_trait]
impl JobHandler for VariantMaker {
    fn kind(&self) -> JobKind {
        kind(MAKE_VARIANTS_JOB)
    }

    async fn handle(&self, claimed: &ClaimedJob) -> Result<(), JobFailure> {
        let Some(photo) = photo_of_variants_job(&claimed.job.payload) else {
            return Err(JobFailure::Permanent(
                "the payload names no photo".to_owned(),
            ));
        };
        let last_attempt = claimed.job.attempts >= claimed.job.max_attempts;
        self.run(photo, last_attempt)
            .await
            .map_err(|error| match error {
                VariantJobError::Transient(error) => JobFailure::Retry(error),
                VariantJobError::Permanent(reason) => JobFailure::Permanent(reason),
            })
    }
}

#[async_trait]
impl JobHandler for OrphanSweep {
    fn kind(&self) -> JobKind {
        kind(SWEEP_ORPHANS_JOB)
    }

    /// Idempotent: a second sweep finds nothing more to remove.
    async fn handle(&self, _claimed: &ClaimedJob) -> Result<(), JobFailure> {
        self.sweep().await?;
        Ok(())
    }
}

impl OrphanSweep {
    /// Daily at 04:00 UTC, after the nightly purge.
    pub fn scheduled_task() -> ScheduledTask {
        ScheduledTask {
            name: SWEEP_ORPHANS_JOB.to_owned(),
            schedule: Schedule::daily_at(4, 0),
            job: NewJob::new(
                kind(SWEEP_ORPHANS_JOB),
                serde_json::json!({}),
                DateTime::UNIX_EPOCH,
            )
            .with_max_attempts(3),
        }
    }
}
