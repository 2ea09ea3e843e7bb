//! The scheduler: enqueues each slot of each cron-like task once, across
//! every replica that runs it.
//!
//! Every replica ticks; the ledger decides. A tick only ever considers the
//! latest slot that is due, so a scheduler that was stopped for a day runs
//! each task once when it comes back, not once per missed slot.

use std::{collections::HashMap, future::Future, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use shoebox_domain::jobs::{NewJob, Schedule};
use shoebox_ports::outbound::{Clock, ScheduleLedger, SlotClaim};

/// How long the scheduler sleeps at most between ticks, so that it notices a
/// clock that jumped (or a test clock that moved) soon enough.
const LONGEST_SLEEP: Duration = Duration::from_secs(30);

/// A task that runs on a schedule.
#[derive(Debug, Clone)]
pub struct ScheduledTask {
    /// Unique among tasks; names the task in the ledger and in dedup keys.
    pub name: String,
    pub schedule: Schedule,
    /// The job each slot enqueues; its `run_at` and `dedup_key` are set per slot.
    pub job: NewJob,
}

impl ScheduledTask {
    /// The job for one slot: due at the slot, keyed `"{task}@{slot}"`.
    pub fn job_for(&self, slot: DateTime<Utc>) -> NewJob {
        self.job.clone().with_run_at(slot).with_dedup_key(format!(
            "{}@{}",
            self.name,
            slot.to_rfc3339()
        ))
    }
}

pub struct Scheduler {
    clock: Arc<dyn Clock>,
    ledger: Arc<dyn ScheduleLedger>,
    tasks: Vec<ScheduledTask>,
    /// The latest slot this instance has seen settled per task, so it asks
    /// the ledger about a slot once, not on every tick.
    settled: HashMap<String, DateTime<Utc>>,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("tasks", &self.tasks)
            .field("settled", &self.settled)
            .finish_non_exhaustive()
    }
}

impl Scheduler {
    pub fn new(
        clock: Arc<dyn Clock>,
        ledger: Arc<dyn ScheduleLedger>,
        tasks: Vec<ScheduledTask>,
    ) -> Self {
        Self {
            clock,
            ledger,
            tasks,
            settled: HashMap::new(),
        }
    }

    /// Enqueues the latest due slot of every task, unless it is settled
    /// (by this or another replica). Returns the slots this call enqueued.
    /// A ledger error leaves the slot for the next tick.
    pub async fn tick(&mut self, now: DateTime<Utc>) -> Vec<(String, DateTime<Utc>)> {
        let mut enqueued = Vec::new();
        for task in &self.tasks {
            let Some(slot) = task.schedule.latest_at_or_before(now) else {
                continue;
            };
            if self
                .settled
                .get(&task.name)
                .is_some_and(|settled| *settled >= slot)
            {
                continue;
            }
            match self
                .ledger
                .claim_slot(
                    task.name.clone(),
                    slot,
                    // Due when it is enqueued: a slot claimed late (after
                    // a restart, or a tick that came after the slot) is
                    // not older than it is, so the queue's age metric
                    // (`shoebox_jobs_oldest_due_age_seconds`) stays true.
                    task.job_for(slot).with_run_at(slot.max(now)),
                )
                .await
            {
                Ok(claim) => {
                    self.settled.insert(task.name.clone(), slot);
                    if let SlotClaim::Claimed(outcome) = claim {
                        tracing::info!(task = %task.name, %slot, job_id = %outcome.id(), "scheduled job enqueued");
                        enqueued.push((task.name.clone(), slot));
                    }
                }
                Err(error) => {
                    tracing::error!(task = %task.name, %slot, error = %format!("{error:#}"), "could not claim a scheduler slot; trying again next tick");
                }
            }
        }
        enqueued
    }

    /// Ticks now and whenever the next slot comes due, until `shutdown`.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        let names: Vec<&str> = self.tasks.iter().map(|task| task.name.as_str()).collect();
        tracing::info!(tasks = ?names, "scheduler started");
        tokio::pin!(shutdown);
        loop {
            let now = self.clock.now();
            self.tick(now).await;
            let pause = self
                .tasks
                .iter()
                .filter_map(|task| task.schedule.next_after(now))
                .min()
                .and_then(|next| (next - now).to_std().ok())
                .unwrap_or(LONGEST_SLEEP)
                .min(LONGEST_SLEEP);
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!("scheduler stopped");
    }
}
