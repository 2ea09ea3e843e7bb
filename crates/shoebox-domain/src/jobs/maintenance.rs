//! What the nightly purge removes, and from when.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// How long rows that no longer serve anyone are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgePolicy {
    /// The login throttle window: a counter whose window is over counts nothing.
    pub throttle_window: Duration,
    /// Expired, accepted or revoked invitations are kept this long for the
    /// admin's history.
    pub invitation_history: Duration,
    /// Succeeded and cancelled jobs are kept this long for inspection. Dead
    /// jobs are kept until an admin deals with them.
    pub finished_job_history: Duration,
    /// Scheduler slots are kept this long; they only need to outlive any
    /// replica's memory of the slot.
    pub schedule_slot_history: Duration,
    /// Messages still in the outbox after this long were never delivered
    /// (their job gave up); their links have long expired.
    pub undelivered_mail_history: Duration,
    /// A device unseen this long has lost its cookie (browsers keep
    /// cookies at most 400 days): it is forgotten.
    pub device_history: Duration,
}

impl PurgePolicy {
    /// The documented retention periods, with the deployment's throttle window.
    pub fn new(throttle_window: Duration) -> Self {
        const DAY: u64 = 86_400;
        Self {
            throttle_window,
            invitation_history: Duration::from_secs(30 * DAY),
            finished_job_history: Duration::from_secs(14 * DAY),
            schedule_slot_history: Duration::from_secs(90 * DAY),
            undelivered_mail_history: Duration::from_secs(30 * DAY),
            device_history: Duration::from_secs(400 * DAY),
        }
    }

    /// The instants before which each kind of row goes.
    pub fn cutoffs(&self, now: DateTime<Utc>) -> PurgeCutoffs {
        let before = |period: Duration| {
            TimeDelta::from_std(period)
                .ok()
                .and_then(|period| now.checked_sub_signed(period))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        PurgeCutoffs {
            sessions_expired_by: now,
            throttle_windows_started_by: before(self.throttle_window),
            invitations_ended_before: before(self.invitation_history),
            jobs_finished_before: before(self.finished_job_history),
            schedule_slots_before: before(self.schedule_slot_history),
            mail_links_ended_by: now,
            mail_queued_before: before(self.undelivered_mail_history),
            devices_unseen_since: before(self.device_history),
        }
    }
}

/// Rows at or past these instants are removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeCutoffs {
    /// Sessions with `expires_at <= this`.
    pub sessions_expired_by: DateTime<Utc>,
    /// Throttle counters with `window_started_at <= this` (their window is over).
    pub throttle_windows_started_by: DateTime<Utc>,
    /// Invitations that expired, were accepted or were revoked before this.
    pub invitations_ended_before: DateTime<Utc>,
    /// Succeeded and cancelled jobs that finished before this.
    pub jobs_finished_before: DateTime<Utc>,
    /// Scheduler slots before this.
    pub schedule_slots_before: DateTime<Utc>,
    /// Password-reset and email-confirmation links that were used, or
    /// expired by this instant (either way they open nothing any more).
    pub mail_links_ended_by: DateTime<Utc>,
    /// Outbox messages queued before this.
    pub mail_queued_before: DateTime<Utc>,
    /// Known devices last seen before this.
    pub devices_unseen_since: DateTime<Utc>,
}

/// How many rows of each kind went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
    pub invitations: u64,
    pub throttle_counters: u64,
    pub jobs: u64,
    pub schedule_slots: u64,
    pub mail_links: u64,
    pub undelivered_mail: u64,
    pub known_devices: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_lie_their_period_before_now() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let cutoffs = PurgePolicy::new(Duration::from_secs(900)).cutoffs(now);
        assert_eq!(cutoffs.sessions_expired_by, now);
        assert_eq!(
            cutoffs.throttle_windows_started_by,
            now - TimeDelta::minutes(15)
        );
        assert_eq!(cutoffs.invitations_ended_before, now - TimeDelta::days(30));
        assert_eq!(cutoffs.jobs_finished_before, now - TimeDelta::days(14));
        assert_eq!(cutoffs.schedule_slots_before, now - TimeDelta::days(90));
        assert_eq!(cutoffs.mail_links_ended_by, now);
        assert_eq!(cutoffs.mail_queued_before, now - TimeDelta::days(30));
        assert_eq!(cutoffs.devices_unseen_since, now - TimeDelta::days(400));
        let huge = PurgePolicy::new(Duration::MAX).cutoffs(now);
        assert_eq!(huge.throttle_windows_started_by, DateTime::<Utc>::MIN_UTC);
    }
}
