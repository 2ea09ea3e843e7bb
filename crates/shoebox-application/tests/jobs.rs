//! The job runtime against mocked ports: the scheduler's slot logic, the
//! admin use case's authorization, and how the worker records failures.
//! The same pieces run on the real queue in the server's end-to-end tests.

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use shoebox_application::Auditor;
use shoebox_application::jobs::{
    JobAdministrationService, JobFailure, JobHandler, JobHandlers, PurgeExpiredHandler,
    ScheduledTask, Scheduler, Worker, WorkerSettings,
};
use shoebox_domain::{
    accounts::Role,
    jobs::{
        ClaimedJob, EnqueueOutcome, FailureOutcome, Job, JobAdminError, JobCounts, JobId, JobKind,
        JobState, LeaseToken, NewJob, RetryJobError, Schedule,
    },
    page::PageRequest,
};
use shoebox_ports::{
    inbound::JobAdministration,
    outbound::{
        MockAuditRepository, MockClock, MockJobQueue, MockScheduleLedger, SlotClaim, WakeReason,
    },
};
use tokio::sync::Notify;

use common::{now, session_actor, user};

fn actor(role: Role) -> shoebox_domain::auth::Actor {
    session_actor(user("someone@example.org", role))
}

fn clock_at(time: DateTime<Utc>) -> Arc<MockClock> {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(time);
    Arc::new(clock)
}

fn hourly_task(name: &str) -> ScheduledTask {
    ScheduledTask {
        name: name.to_owned(),
        schedule: Schedule::hourly(),
        job: NewJob::new(
            JobKind::parse("test.task").unwrap(),
            serde_json::json!({}),
            now(),
        ),
    }
}

fn hour(n: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T00:00:00Z")
        .unwrap()
        .to_utc()
        + TimeDelta::hours(n)
}

/// Every claim a ledger was asked for: task, slot and job.
type Claims = Arc<Mutex<Vec<(String, DateTime<Utc>, NewJob)>>>;

/// A ledger that records every claim and grants each (task, slot) once.
fn recording_ledger(claims: Claims) -> MockScheduleLedger {
    let mut ledger = MockScheduleLedger::new();
    ledger
        .expect_claim_slot()
        .returning(move |task, slot, job| {
            let mut claims = claims.lock().unwrap();
            let taken = claims.iter().any(|(t, s, _)| *t == task && *s == slot);
            claims.push((task, slot, job));
            Ok(if taken {
                SlotClaim::AlreadyClaimed
            } else {
                SlotClaim::Claimed(EnqueueOutcome::Enqueued(JobId::new()))
            })
        });
    ledger
}

#[tokio::test]
async fn a_slot_is_asked_for_once_per_instance_with_its_key_and_time() {
    let claims = Arc::new(Mutex::new(Vec::new()));
    let mut scheduler = Scheduler::new(
        clock_at(hour(0)),
        Arc::new(recording_ledger(Arc::clone(&claims))),
        vec![hourly_task("backup"), hourly_task("verify")],
    );
    let first = scheduler.tick(hour(1) + TimeDelta::minutes(5)).await;
    assert_eq!(
        first,
        [
            ("backup".to_owned(), hour(1)),
            ("verify".to_owned(), hour(1))
        ]
    );
    assert!(
        scheduler
            .tick(hour(1) + TimeDelta::minutes(30))
            .await
            .is_empty()
    );
    assert_eq!(
        claims.lock().unwrap().len(),
        2,
        "a settled slot is not asked for again"
    );

    let claims = claims.lock().unwrap();
    let (_, slot, job) = &claims[0];
    assert_eq!(*slot, hour(1));
    // Claimed five minutes after the slot: due from then, not from the slot.
    assert_eq!(job.run_at, hour(1) + TimeDelta::minutes(5));
    assert_eq!(
        job.dedup_key.as_deref(),
        Some("backup@2026-11-23T01:00:00+00:00")
    );
}

#[tokio::test]
async fn after_a_long_pause_only_the_latest_slot_is_enqueued() {
    let claims = Arc::new(Mutex::new(Vec::new()));
    let mut scheduler = Scheduler::new(
        clock_at(hour(0)),
        Arc::new(recording_ledger(Arc::clone(&claims))),
        vec![hourly_task("backup")],
    );
    scheduler.tick(hour(1)).await;
    let after_pause = scheduler.tick(hour(30) + TimeDelta::minutes(59)).await;
    assert_eq!(after_pause, [("backup".to_owned(), hour(30))]);
    assert_eq!(claims.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_ledger_failure_leaves_the_slot_for_the_next_tick() {
    let mut ledger = MockScheduleLedger::new();
    let mut calls = 0;
    ledger
        .expect_claim_slot()
        .times(2)
        .returning(move |_, _, _| {
            calls += 1;
            if calls == 1 {
                Err(anyhow::anyhow!("database unreachable"))
            } else {
                Ok(SlotClaim::Claimed(EnqueueOutcome::Enqueued(JobId::new())))
            }
        });
    let mut scheduler = Scheduler::new(
        clock_at(hour(0)),
        Arc::new(ledger),
        vec![hourly_task("backup")],
    );
    assert!(scheduler.tick(hour(1)).await.is_empty());
    assert_eq!(
        scheduler.tick(hour(1)).await,
        [("backup".to_owned(), hour(1))]
    );
}

#[test]
fn the_purge_runs_daily_at_half_past_three_utc() {
    let task = PurgeExpiredHandler::scheduled_task();
    assert_eq!(task.name, "maintenance.purge");
    assert_eq!(task.job.kind.as_str(), PurgeExpiredHandler::KIND);
    assert_eq!(
        task.schedule.next_after(hour(0)),
        Some(hour(3) + TimeDelta::minutes(30))
    );
}

/// An audit log that fails the test if anything is written to it: neither a
/// refused request nor a read is an action to audit.
fn silent_auditor() -> Auditor {
    Auditor::new(Arc::new(MockAuditRepository::new()), clock_at(now()))
}

#[tokio::test]
async fn members_may_not_see_or_touch_jobs() {
    let service = JobAdministrationService::new(
        Arc::new(MockJobQueue::new()),
        clock_at(now()),
        silent_auditor(),
    );
    let member = || actor(Role::Member);
    assert!(matches!(
        service.overview(member()).await,
        Err(JobAdminError::Forbidden)
    ));
    assert!(matches!(
        service
            .list(member(), JobState::Dead, PageRequest::default())
            .await,
        Err(JobAdminError::Forbidden)
    ));
    assert!(matches!(
        service.retry(member(), JobId::new()).await,
        Err(RetryJobError::Forbidden)
    ));
    assert!(matches!(
        service.cancel(member(), JobId::new()).await,
        Err(shoebox_domain::jobs::CancelJobError::Forbidden)
    ));
}

#[tokio::test]
async fn admins_get_counts_with_the_age_of_the_oldest_due_job() {
    let mut queue = MockJobQueue::new();
    queue.expect_counts().returning(|at| {
        Ok(JobCounts {
            queued: 4,
            oldest_due_at: Some(at - TimeDelta::seconds(42)),
            ..JobCounts::default()
        })
    });
    let service = JobAdministrationService::new(Arc::new(queue), clock_at(now()), silent_auditor());
    let overview = service.overview(actor(Role::Admin)).await.unwrap();
    assert_eq!(overview.counts.queued, 4);
    assert_eq!(overview.oldest_due_age, Some(Duration::from_secs(42)));
}

struct Failing {
    permanent: bool,
}

#[async_trait]
impl JobHandler for Failing {
    fn kind(&self) -> JobKind {
        JobKind::parse("test.failing").unwrap()
    }

    async fn handle(&self, _job: &ClaimedJob) -> Result<(), JobFailure> {
        if self.permanent {
            return Err(JobFailure::Permanent("the photo is gone".into()));
        }
        panic!("handler bug");
    }
}

fn claimed(attempts: u32, max_attempts: u32) -> ClaimedJob {
    ClaimedJob {
        job: Job {
            id: JobId::new(),
            kind: JobKind::parse("test.failing").unwrap(),
            payload: serde_json::Value::Null,
            state: JobState::Running,
            attempts,
            max_attempts,
            run_at: now(),
            dedup_key: None,
            last_error: None,
            created_at: now(),
            updated_at: now(),
            finished_at: None,
            locked_by: Some("w".into()),
            locked_until: Some(now() + TimeDelta::minutes(5)),
        },
        lease: LeaseToken::from_uuid(JobId::new().as_uuid()),
    }
}

/// Runs a worker with one `Failing` handler on one claimed job until the
/// failure is recorded; returns the recorded (error, outcome).
async fn recorded_failure(permanent: bool, job: ClaimedJob) -> (String, FailureOutcome) {
    let mut queue = MockJobQueue::new();
    let pending = Arc::new(Mutex::new(vec![job.clone()]));
    queue
        .expect_claim()
        .returning(move |_| Ok(pending.lock().unwrap().drain(..).collect()));
    queue
        .expect_wait_for_work()
        .returning(|_| WakeReason::TimedOut);
    let recorded = Arc::new(Mutex::new(None));
    let done = Arc::new(Notify::new());
    {
        let (recorded, done, expected) = (Arc::clone(&recorded), Arc::clone(&done), job.clone());
        queue
            .expect_fail()
            .times(1)
            .returning(move |id, lease, error, outcome, _| {
                assert_eq!((id, lease), (expected.job.id, expected.lease));
                *recorded.lock().unwrap() = Some((error, outcome));
                done.notify_one();
                Ok(())
            });
    }
    let mut handlers = JobHandlers::new();
    handlers.register(Arc::new(Failing { permanent })).unwrap();
    let worker = Worker::new(
        "test-worker",
        Arc::new(queue),
        clock_at(now()),
        handlers,
        WorkerSettings::default(),
    );
    worker.run(async move { done.notified().await }).await;
    recorded
        .lock()
        .unwrap()
        .take()
        .expect("the failure was recorded")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_a_retryable_failure_not_a_crash() {
    let job = claimed(1, 5);
    let policy = WorkerSettings::default().retry_policy();
    let expected = policy.after_failure(&job.job, now());
    let (error, outcome) = recorded_failure(false, job).await;
    assert!(
        error.contains("panicked") && error.contains("handler bug"),
        "{error}"
    );
    assert_eq!(outcome, expected);
    assert!(matches!(outcome, FailureOutcome::RetryAt(at) if at > now()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_failure_makes_the_job_dead_at_once() {
    let (error, outcome) = recorded_failure(true, claimed(1, 5)).await;
    assert_eq!(error, "the photo is gone");
    assert_eq!(outcome, FailureOutcome::Dead);
}

#[test]
fn a_kind_has_one_handler() {
    let mut handlers = JobHandlers::new();
    handlers
        .register(Arc::new(Failing { permanent: true }))
        .unwrap();
    let error = handlers
        .register(Arc::new(Failing { permanent: false }))
        .unwrap_err();
    assert_eq!(error.0.as_str(), "test.failing");
    assert_eq!(handlers.kinds().len(), 1);
}
