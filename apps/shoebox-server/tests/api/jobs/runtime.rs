//! The worker on the real queue: retries with backoff, graceful shutdown,
//! and a killed worker's job taken over after its lease.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use chrono::TimeDelta;
use shoebox_application::jobs::{JobFailure, JobHandler, JobHandlers, Worker, WorkerSettings};
use shoebox_domain::jobs::{ClaimedJob, JobKind, JobState, NewJob};
use shoebox_ports::outbound::JobQueue;
use shoebox_postgres::PostgresJobQueue;
use shoebox_test_support::{FakeClock, TestDatabase, fixtures::instant};
use tokio::sync::{Notify, watch};

use super::{DEADLINE, eventually, job_where};

const KIND: &str = "test.runtime";

fn kind() -> JobKind {
    JobKind::parse(KIND).unwrap()
}

fn settings() -> WorkerSettings {
    WorkerSettings {
        concurrency: 2,
        lease_seconds: 300,
        heartbeat_seconds: 1,
        poll_interval_millis: 20,
        shutdown_grace_seconds: 30,
        retry_base_seconds: 60,
        retry_max_seconds: 3600,
        scheduler: false,
    }
}

struct Setup {
    queue: Arc<PostgresJobQueue>,
    clock: FakeClock,
    _database: TestDatabase,
}

fn setup() -> Setup {
    let database = TestDatabase::migrated();
    Setup {
        queue: Arc::new(PostgresJobQueue::new(&database.database())),
        clock: FakeClock::at(instant()),
        _database: database,
    }
}

/// Starts a worker with `handler`; flip the returned switch to stop it.
fn start(
    setup: &Setup,
    name: &str,
    handler: Arc<dyn JobHandler>,
    settings: WorkerSettings,
) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let mut handlers = JobHandlers::new();
    handlers.register(handler).unwrap();
    let worker = Worker::new(
        name,
        setup.queue.clone(),
        Arc::new(setup.clock.clone()),
        handlers,
        settings,
    );
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    }));
    (stop, task)
}

/// Fails every attempt, saying which one it was.
struct AlwaysFailing;

#[async_trait]
impl JobHandler for AlwaysFailing {
    fn kind(&self) -> JobKind {
        kind()
    }

    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobFailure> {
        Err(anyhow::anyhow!("flaky service, attempt {}", job.job.attempts).into())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_is_retried_at_its_backoff_time_then_dies_with_its_error() {
    let setup = setup();
    let (stop, task) = start(&setup, "w", Arc::new(AlwaysFailing), settings());
    let policy = settings().retry_policy();
    let id = setup
        .queue
        .enqueue(NewJob::new(kind(), serde_json::json!({}), instant()).with_max_attempts(3))
        .await
        .unwrap()
        .id();

    let first = job_where(&*setup.queue, id, "the first failure", |job| {
        job.state == JobState::Failed && job.attempts == 1
    })
    .await;
    let delay = TimeDelta::from_std(policy.delay(1, id)).unwrap();
    assert_eq!(first.run_at, instant() + delay);
    assert_eq!(
        first.last_error.as_deref(),
        Some("flaky service, attempt 1")
    );

    setup.clock.set(first.run_at);
    let second = job_where(&*setup.queue, id, "the second failure", |job| {
        job.attempts == 2 && job.state == JobState::Failed
    })
    .await;
    let delay = TimeDelta::from_std(policy.delay(2, id)).unwrap();
    assert_eq!(second.run_at, first.run_at + delay);

    setup.clock.set(second.run_at);
    let dead = job_where(&*setup.queue, id, "death", |job| {
        job.state == JobState::Dead
    })
    .await;
    assert_eq!(dead.attempts, 3);
    assert_eq!(dead.last_error.as_deref(), Some("flaky service, attempt 3"));
    assert_eq!(dead.finished_at, Some(second.run_at));

    stop.send_replace(true);
    task.await.unwrap();
}

/// Blocks until released, then succeeds; counts starts and completions.
#[derive(Default)]
struct Gated {
    release: Notify,
    started: AtomicUsize,
    completed: AtomicUsize,
    /// Only the first start waits for the release; later ones finish at once.
    only_first_waits: bool,
    /// Set when a waiting handler was dropped before it finished.
    abandoned: AtomicBool,
}

struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[async_trait]
impl JobHandler for Gated {
    fn kind(&self) -> JobKind {
        kind()
    }

    async fn handle(&self, _job: &ClaimedJob) -> Result<(), JobFailure> {
        let start = self.started.fetch_add(1, Ordering::SeqCst);
        if start == 0 || !self.only_first_waits {
            let guard = SetOnDrop(&self.abandoned);
            self.release.notified().await;
            std::mem::forget(guard);
        }
        self.completed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_shutdown_a_running_job_finishes_within_the_grace() {
    let setup = setup();
    let handler = Arc::new(Gated::default());
    let (stop, task) = start(&setup, "w", handler.clone(), settings());
    let id = setup
        .queue
        .enqueue(NewJob::new(kind(), serde_json::json!({}), instant()))
        .await
        .unwrap()
        .id();
    eventually("the handler to start", || async {
        (handler.started.load(Ordering::SeqCst) == 1).then_some(())
    })
    .await;

    stop.send_replace(true);
    // Shutdown was asked for while the job runs; the worker waits for it.
    assert!(!task.is_finished());
    handler.release.notify_one();
    tokio::time::timeout(DEADLINE, task).await.unwrap().unwrap();
    assert_eq!(
        setup.queue.find(id).await.unwrap().unwrap().state,
        JobState::Succeeded
    );
    assert_eq!(handler.completed.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_workers_job_is_run_again_after_its_lease_and_completed_once() {
    let setup = setup();
    let handler = Arc::new(Gated {
        only_first_waits: true,
        ..Gated::default()
    });
    let (_stop_a, worker_a) = start(&setup, "worker-a", handler.clone(), settings());
    let id = setup
        .queue
        .enqueue(NewJob::new(kind(), serde_json::json!({}), instant()))
        .await
        .unwrap()
        .id();
    job_where(&*setup.queue, id, "worker a to hold the job", |job| {
        job.state == JobState::Running && job.locked_by.as_deref() == Some("worker-a")
    })
    .await;
    eventually("the handler to start", || async {
        (handler.started.load(Ordering::SeqCst) == 1).then_some(())
    })
    .await;

    // The process dies: its worker future is dropped mid-job.
    worker_a.abort();
    assert!(worker_a.await.unwrap_err().is_cancelled());
    eventually("worker a's handler to be dropped", || async {
        handler.abandoned.load(Ordering::SeqCst).then_some(())
    })
    .await;

    let (stop_b, worker_b) = start(&setup, "worker-b", handler.clone(), settings());
    // Until the lease runs out, worker b leaves the job alone.
    setup.clock.advance(Duration::from_secs(299));
    let running = setup.queue.find(id).await.unwrap().unwrap();
    assert_eq!(running.locked_by.as_deref(), Some("worker-a"));
    setup.clock.advance(Duration::from_secs(1));

    let done = job_where(&*setup.queue, id, "worker b to finish the job", |job| {
        job.state == JobState::Succeeded
    })
    .await;
    assert_eq!(done.attempts, 2);
    assert_eq!(done.locked_by.as_deref(), Some("worker-b"));
    assert_eq!(handler.started.load(Ordering::SeqCst), 2);
    assert_eq!(
        handler.completed.load(Ordering::SeqCst),
        1,
        "completed once"
    );

    stop_b.send_replace(true);
    worker_b.await.unwrap();
}
