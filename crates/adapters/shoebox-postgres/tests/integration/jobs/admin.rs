//! What admins see and do: counts, listings, retry and cancel.

use shoebox_domain::{
    jobs::{CancelJobError, FailureOutcome, JobId, JobState, RetryJobError},
    page::PageRequest,
};
use shoebox_ports::outbound::JobQueue;

use super::{Queue, at, new_job};

/// Enqueues a job and lets it die with `error`.
async fn dead_job(fixture: &Queue, key: Option<&str>, error: &str) -> JobId {
    let mut job = new_job(at(0)).with_max_attempts(1);
    job.dedup_key = key.map(str::to_owned);
    let id = fixture.enqueue(job).await;
    let claimed = fixture.claim_one("w", at(0), 60).await.unwrap();
    assert_eq!(claimed.job.id, id);
    fixture
        .queue
        .fail(id, claimed.lease, error.into(), FailureOutcome::Dead, at(1))
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn counts_per_state_and_the_oldest_due_job() {
    let fixture = Queue::new();
    assert_eq!(
        fixture.queue.counts(at(0)).await.unwrap().oldest_due_at,
        None
    );
    dead_job(&fixture, None, "boom").await;
    fixture.enqueue(new_job(at(5))).await;
    fixture.enqueue(new_job(at(50))).await;
    fixture.enqueue(new_job(at(100))).await;
    fixture.claim_one("w", at(10), 60).await.unwrap();

    let counts = fixture.queue.counts(at(60)).await.unwrap();
    assert_eq!(
        (counts.queued, counts.running, counts.dead, counts.succeeded),
        (2, 1, 1, 0)
    );
    assert_eq!(
        counts.oldest_due_at,
        Some(at(50)),
        "the job due at 100 is not due yet"
    );
}

#[tokio::test]
async fn listings_are_newest_first_by_state_with_a_cursor() {
    let fixture = Queue::new();
    let mut dead = Vec::new();
    for n in 0..5 {
        dead.push(dead_job(&fixture, None, &format!("error {n}")).await);
    }
    fixture.enqueue(new_job(at(1_000))).await;

    let first = fixture
        .queue
        .list(JobState::Dead, PageRequest::new(Some(3), None))
        .await
        .unwrap();
    let ids: Vec<_> = first.items.iter().map(|job| job.id).collect();
    assert_eq!(ids, [dead[4], dead[3], dead[2]]);
    assert_eq!(first.items[0].last_error.as_deref(), Some("error 4"));
    let second = fixture
        .queue
        .list(JobState::Dead, PageRequest::new(Some(3), first.next_cursor))
        .await
        .unwrap();
    let ids: Vec<_> = second.items.iter().map(|job| job.id).collect();
    assert_eq!(ids, [dead[1], dead[0]]);
    assert_eq!(second.next_cursor, None);
}

#[tokio::test]
async fn retry_requeues_a_dead_job_now_with_fresh_attempts_and_its_error_kept() {
    let fixture = Queue::new();
    let id = dead_job(&fixture, None, "boom").await;
    let retried = fixture.queue.retry(id, at(500)).await.unwrap();
    assert_eq!(retried.state, JobState::Queued);
    assert_eq!((retried.attempts, retried.run_at), (0, at(500)));
    assert_eq!(retried.finished_at, None);
    assert_eq!(retried.last_error.as_deref(), Some("boom"));
    let claimed = fixture.claim_one("w", at(500), 60).await.unwrap();
    assert_eq!((claimed.job.id, claimed.job.attempts), (id, 1));

    assert!(matches!(
        fixture.queue.retry(id, at(501)).await,
        Err(RetryJobError::NotRetryable {
            state: JobState::Running
        })
    ));
    assert!(matches!(
        fixture.queue.retry(JobId::new(), at(501)).await,
        Err(RetryJobError::NotFound)
    ));
}

#[tokio::test]
async fn retry_refuses_when_a_live_job_holds_the_same_key() {
    let fixture = Queue::new();
    let id = dead_job(&fixture, Some("once"), "boom").await;
    let live = fixture.enqueue(new_job(at(2)).with_dedup_key("once")).await;
    assert_ne!(live, id);
    assert!(matches!(
        fixture.queue.retry(id, at(3)).await,
        Err(RetryJobError::DuplicateLive)
    ));
    assert_eq!(
        fixture.queue.find(id).await.unwrap().unwrap().state,
        JobState::Dead,
        "the refused retry changed nothing"
    );
}

#[tokio::test]
async fn cancel_applies_to_waiting_jobs_only() {
    let fixture = Queue::new();
    let queued = fixture.enqueue(new_job(at(0))).await;
    let cancelled = fixture.queue.cancel(queued, at(1)).await.unwrap();
    assert_eq!(
        (cancelled.state, cancelled.finished_at),
        (JobState::Cancelled, Some(at(1)))
    );
    assert!(
        fixture.claim_one("w", at(2), 60).await.is_none(),
        "a cancelled job never runs"
    );

    let running = fixture.enqueue(new_job(at(0))).await;
    fixture.claim_one("w", at(2), 60).await.unwrap();
    assert!(matches!(
        fixture.queue.cancel(running, at(3)).await,
        Err(CancelJobError::NotCancellable {
            state: JobState::Running
        })
    ));
    assert!(matches!(
        fixture.queue.cancel(queued, at(3)).await,
        Err(CancelJobError::NotCancellable {
            state: JobState::Cancelled
        })
    ));
    assert!(matches!(
        fixture.queue.cancel(JobId::new(), at(3)).await,
        Err(CancelJobError::NotFound)
    ));
    // A cancelled job can be retried.
    assert_eq!(
        fixture.queue.retry(queued, at(4)).await.unwrap().state,
        JobState::Queued
    );
}
