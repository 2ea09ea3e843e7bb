//! Housekeeping: deleting rows that no longer serve anyone.

use async_trait::async_trait;
use diesel::prelude::*;
use shoebox_domain::jobs::{PurgeCutoffs, PurgeReport};
use shoebox_ports::outbound::MaintenanceRepository;

use crate::{
    PostgresDatabase,
    schema::{
        email_confirmations, invitations, jobs, known_devices, login_throttle, mail_outbox,
        password_resets, schedule_slots, sessions,
    },
};

/// [`MaintenanceRepository`] over every table that accumulates.
#[derive(Debug, Clone)]
pub struct PostgresMaintenanceRepository {
    database: PostgresDatabase,
}

impl PostgresMaintenanceRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl MaintenanceRepository for PostgresMaintenanceRepository {
    async fn purge_expired(&self, cutoffs: PurgeCutoffs) -> anyhow::Result<PurgeReport> {
        self.database
            .run("purging expired rows", move |connection| {
                // One transaction per table: each delete stands alone, and a
                // long purge of one table does not hold locks on the others.
                let sessions = diesel::delete(
                    sessions::table.filter(sessions::expires_at.le(cutoffs.sessions_expired_by)),
                )
                .execute(connection)?;
                let before = cutoffs.invitations_ended_before;
                let invitations = diesel::delete(
                    invitations::table.filter(
                        invitations::expires_at
                            .lt(before)
                            .or(invitations::accepted_at.lt(before))
                            .or(invitations::revoked_at.lt(before)),
                    ),
                )
                .execute(connection)?;
                let throttle_counters = diesel::delete(login_throttle::table.filter(
                    login_throttle::window_started_at.le(cutoffs.throttle_windows_started_by),
                ))
                .execute(connection)?;
                let jobs = diesel::delete(
                    jobs::table
                        .filter(jobs::state.eq_any(["succeeded", "cancelled"]))
                        .filter(jobs::finished_at.lt(cutoffs.jobs_finished_before)),
                )
                .execute(connection)?;
                let schedule_slots = diesel::delete(
                    schedule_slots::table
                        .filter(schedule_slots::slot.lt(cutoffs.schedule_slots_before)),
                )
                .execute(connection)?;
                let ended = cutoffs.mail_links_ended_by;
                let resets = diesel::delete(
                    password_resets::table.filter(
                        password_resets::expires_at
                            .le(ended)
                            .or(password_resets::used_at.is_not_null()),
                    ),
                )
                .execute(connection)?;
                let confirmations = diesel::delete(
                    email_confirmations::table.filter(
                        email_confirmations::expires_at
                            .le(ended)
                            .or(email_confirmations::used_at.is_not_null()),
                    ),
                )
                .execute(connection)?;
                let undelivered_mail = diesel::delete(
                    mail_outbox::table
                        .filter(mail_outbox::created_at.lt(cutoffs.mail_queued_before)),
                )
                .execute(connection)?;
                let known_devices = diesel::delete(
                    known_devices::table
                        .filter(known_devices::last_seen_at.lt(cutoffs.devices_unseen_since)),
                )
                .execute(connection)?;
                Ok(PurgeReport {
                    sessions: sessions as u64,
                    invitations: invitations as u64,
                    throttle_counters: throttle_counters as u64,
                    jobs: jobs as u64,
                    schedule_slots: schedule_slots as u64,
                    mail_links: (resets + confirmations) as u64,
                    undelivered_mail: undelivered_mail as u64,
                    known_devices: known_devices as u64,
                })
            })
            .await
    }
}
