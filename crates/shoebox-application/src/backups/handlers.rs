//! The backup jobs, as the worker runs them: a backup followed by a prune
//! (hourly by default), and the restore drill of the latest backup (daily).

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use chrono::DateTime;
use shoebox_domain::jobs::{ClaimedJob, JobKind, NewJob, Schedule};
use shoebox_ports::outbound::ArchiveDecryptor;

use super::{BackupError, BackupSelector, BackupService};
use crate::jobs::{JobFailure, JobHandler, ScheduledTask};

/// Kind of the job that backs up and then prunes.
pub const RUN_BACKUP_JOB: &str = "backups.run";
/// Kind of the job that verifies the latest backup.
pub const VERIFY_BACKUP_JOB: &str = "backups.verify";

fn kind(raw: &'static str) -> JobKind {
    match JobKind::parse(raw) {
        Ok(kind) => kind,
        Err(error) => unreachable!("{error}"),
    }
}

/// The job "back up now" enqueues, and the scheduler at each slot.
pub fn run_backup_job() -> NewJob {
    NewJob::new(
        kind(RUN_BACKUP_JOB),
        serde_json::json!({}),
        DateTime::UNIX_EPOCH,
    )
    .with_max_attempts(3)
}

/// Backs up, then applies the retention policy.
#[derive(Debug, Clone)]
pub struct BackupJob {
    service: Arc<BackupService>,
}

impl BackupJob {
    pub fn new(service: Arc<BackupService>) -> Self {
        Self { service }
    }

    pub fn scheduled_task(schedule: Schedule) -> ScheduledTask {
        ScheduledTask {
            name: RUN_BACKUP_JOB.to_owned(),
            schedule,
            job: run_backup_job(),
        }
    }
}

#[async_trait]
impl JobHandler for BackupJob {
    fn kind(&self) -> JobKind {
        kind(RUN_BACKUP_JOB)
    }

    /// A retry makes a new backup (a new id); the prune removes what a
    /// failed attempt left once it is older than the grace period.
    async fn handle(&self, _claimed: &ClaimedJob) -> Result<(), JobFailure> {
        self.service.run().await.map_err(failure)?;
        let decisions = self.service.prune(None, false).await.map_err(failure)?;
        let deleted = decisions.iter().filter(|decision| !decision.keep).count();
        tracing::info!(
            kept = decisions.len() - deleted,
            deleted,
            "backups pruned after a backup"
        );
        Ok(())
    }
}

/// Restores the latest backup into a scratch database and records the
/// outcome; a failed verification fails the job too, so it shows among the
/// dead jobs as well as in the backup metrics.
#[derive(Clone)]
pub struct VerifyJob {
    service: Arc<BackupService>,
    decryptor: Option<Arc<dyn ArchiveDecryptor>>,
}

impl fmt::Debug for VerifyJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyJob")
            .field("identity", &self.decryptor.is_some())
            .finish_non_exhaustive()
    }
}

impl VerifyJob {
    pub fn new(service: Arc<BackupService>, decryptor: Option<Arc<dyn ArchiveDecryptor>>) -> Self {
        Self { service, decryptor }
    }

    pub fn scheduled_task(schedule: Schedule) -> ScheduledTask {
        ScheduledTask {
            name: VERIFY_BACKUP_JOB.to_owned(),
            schedule,
            job: NewJob::new(
                kind(VERIFY_BACKUP_JOB),
                serde_json::json!({}),
                DateTime::UNIX_EPOCH,
            )
            .with_max_attempts(2),
        }
    }
}

#[async_trait]
impl JobHandler for VerifyJob {
    fn kind(&self) -> JobKind {
        kind(VERIFY_BACKUP_JOB)
    }

    /// With no backup yet (a new installation, whose first backup may still
    /// be running) there is nothing to prove: the job succeeds, and the
    /// missing backup is what the backup alert reports.
    async fn handle(&self, _claimed: &ClaimedJob) -> Result<(), JobFailure> {
        let record = match self
            .service
            .verify(BackupSelector::Latest, self.decryptor.as_deref())
            .await
        {
            Ok(record) => record,
            Err(BackupError::NoBackup) => {
                tracing::warn!("no complete backup to verify yet");
                return Ok(());
            }
            Err(error) => return Err(failure(error)),
        };
        if record.ok {
            Ok(())
        } else {
            Err(JobFailure::Permanent(format!(
                "backup {} failed verification: {}",
                record.id, record.message
            )))
        }
    }
}

fn failure(error: BackupError) -> JobFailure {
    match error {
        BackupError::Unexpected(error) => JobFailure::Retry(error),
        other => JobFailure::Permanent(other.to_string()),
    }
}
