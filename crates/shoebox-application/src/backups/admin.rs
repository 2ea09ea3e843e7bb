//! The admin's view of backups: the list with its figures, and "back up now".

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use async_trait::async_trait;
use shoebox_domain::{audit::AuditAction, auth::Actor, jobs::JobId};
use shoebox_ports::{
    inbound::{BackupAdminError, BackupAdministration, BackupOverview, BackupStatus},
    outbound::{Clock, JobQueue},
};

use super::{BackupError, BackupService, run_backup_job};
use crate::Auditor;

#[derive(Clone)]
pub struct BackupAdministrationService {
    service: Arc<BackupService>,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    scheduled: bool,
    audit: Auditor,
    /// The last status read, so that scrapes list the store at most once
    /// per [`STATUS_TTL`].
    status: Arc<Mutex<Option<(Instant, BackupStatus)>>>,
}

/// How long a status read serves scrapes (Prometheus scrapes every 15–60 s;
/// each read lists the store, which costs money on S3).
const STATUS_TTL: Duration = Duration::from_secs(30);

impl std::fmt::Debug for BackupAdministrationService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupAdministrationService")
            .finish_non_exhaustive()
    }
}

impl BackupAdministrationService {
    /// `scheduled`: whether the in-app scheduler makes backups (shown to the
    /// admin, who otherwise relies on CronJobs).
    pub fn new(
        service: Arc<BackupService>,
        queue: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
        scheduled: bool,
        audit: Auditor,
    ) -> Self {
        Self {
            service,
            queue,
            clock,
            scheduled,
            audit,
            status: Arc::default(),
        }
    }
}

impl BackupAdministrationService {
    fn cached_status(&self) -> Option<(Instant, BackupStatus)> {
        self.status.lock().ok().and_then(|cached| cached.clone())
    }
}

/// The dedup key of "back up now": a second press while one backup waits or
/// runs returns that one.
const BACK_UP_NOW_KEY: &str = "backups.run@now";

fn unexpected(error: BackupError) -> BackupAdminError {
    BackupAdminError::Unexpected(anyhow::Error::new(error))
}

#[async_trait]
impl BackupAdministration for BackupAdministrationService {
    async fn overview(&self, actor: Actor) -> Result<BackupOverview, BackupAdminError> {
        if !actor.user.is_admin() {
            return Err(BackupAdminError::Forbidden);
        }
        let mut backups = self.service.list().await.map_err(unexpected)?;
        let status = BackupStatus::of(&backups);
        backups.reverse();
        Ok(BackupOverview {
            backups,
            status,
            encrypted: self.service.encrypts(),
            scheduled: self.scheduled,
            now: self.clock.now(),
        })
    }

    async fn back_up_now(&self, actor: Actor) -> Result<JobId, BackupAdminError> {
        if !actor.user.is_admin() {
            return Err(BackupAdminError::Forbidden);
        }
        let job = run_backup_job()
            .with_run_at(self.clock.now())
            .with_dedup_key(BACK_UP_NOW_KEY.to_owned());
        let id = self.queue.enqueue(job).await?.id();
        tracing::info!(actor_id = %actor.user.id, job_id = %id, "backup requested by admin");
        self.audit
            .by(&actor, AuditAction::BackupRequested, Some(id.as_uuid()))
            .await;
        Ok(id)
    }

    async fn status(&self) -> anyhow::Result<BackupStatus> {
        if let Some((read_at, status)) = self.cached_status()
            && read_at.elapsed() < STATUS_TTL
        {
            return Ok(status);
        }
        let status = self.service.status().await?;
        if let Ok(mut cached) = self.status.lock() {
            *cached = Some((Instant::now(), status.clone()));
        }
        Ok(status)
    }
}
