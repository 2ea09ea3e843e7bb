//! `maintenance.purge`: the nightly removal of expired rows.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::DateTime;
use shoebox_domain::jobs::{ClaimedJob, JobKind, NewJob, PurgePolicy, Schedule};
use shoebox_ports::outbound::{Clock, MaintenanceRepository};

use super::{JobFailure, JobHandler, ScheduledTask};

pub struct PurgeExpiredHandler {
    maintenance: Arc<dyn MaintenanceRepository>,
    clock: Arc<dyn Clock>,
    policy: PurgePolicy,
}

impl std::fmt::Debug for PurgeExpiredHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PurgeExpiredHandler")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl PurgeExpiredHandler {
    pub const KIND: &'static str = "maintenance.purge";

    pub fn new(
        maintenance: Arc<dyn MaintenanceRepository>,
        clock: Arc<dyn Clock>,
        policy: PurgePolicy,
    ) -> Self {
        Self {
            maintenance,
            clock,
            policy,
        }
    }

    fn job_kind() -> JobKind {
        match JobKind::parse(Self::KIND) {
            Ok(kind) => kind,
            // A constant of the right alphabet; the tests parse it.
            Err(error) => unreachable!("{error}"),
        }
    }

    /// Daily at 03:30 UTC, when few people use the instance.
    pub fn scheduled_task() -> ScheduledTask {
        ScheduledTask {
            name: Self::KIND.to_owned(),
            schedule: Schedule::daily_at(3, 30),
            job: NewJob::new(
                Self::job_kind(),
                serde_json::json!({}),
                DateTime::UNIX_EPOCH,
            )
            .with_max_attempts(3),
        }
    }
}

#[async_trait]
impl JobHandler for PurgeExpiredHandler {
    fn kind(&self) -> JobKind {
        Self::job_kind()
    }

    /// Idempotent: a second run finds nothing more to delete.
    async fn handle(&self, _job: &ClaimedJob) -> Result<(), JobFailure> {
        let cutoffs = self.policy.cutoffs(self.clock.now());
        let report = self.maintenance.purge_expired(cutoffs).await?;
        tracing::info!(
            sessions = report.sessions,
            invitations = report.invitations,
            throttle_counters = report.throttle_counters,
            jobs = report.jobs,
            schedule_slots = report.schedule_slots,
            mail_links = report.mail_links,
            undelivered_mail = report.undelivered_mail,
            known_devices = report.known_devices,
            "expired rows purged"
        );
        Ok(())
    }
}
