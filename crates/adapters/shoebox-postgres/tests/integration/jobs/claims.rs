//! Claiming, leases, outcomes and de-duplication.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

use shoebox_domain::jobs::{EnqueueOutcome, FailureOutcome, JobKind, JobState, LeaseError};
use shoebox_ports::outbound::JobQueue;

use super::{Queue, at, new_job, request};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_take_every_job_exactly_once() {
    const CLAIMERS: usize = 8;
    const JOBS_PER_CLAIMER: usize = 200;
    let fixture = Queue::with_pool_size(CLAIMERS);
    let mut expected = HashSet::new();
    for _ in 0..CLAIMERS * JOBS_PER_CLAIMER {
        expected.insert(fixture.enqueue(new_job(at(0))).await);
    }
    let handled = Arc::new(Mutex::new(Vec::new()));
    let claimers: Vec<_> = (0..CLAIMERS)
        .map(|number| {
            let (queue, handled) = (fixture.queue.clone(), Arc::clone(&handled));
            tokio::spawn(async move {
                let worker = format!("worker-{number}");
                loop {
                    let claimed = queue.claim(request(&worker, at(1), 300, 7)).await.unwrap();
                    if claimed.is_empty() {
                        break;
                    }
                    for job in claimed {
                        assert_eq!(job.job.locked_by.as_deref(), Some(worker.as_str()));
                        assert_eq!(job.job.attempts, 1);
                        handled.lock().unwrap().push(job.job.id);
                        queue.complete(job.job.id, job.lease, at(2)).await.unwrap();
                    }
                }
            })
        })
        .collect();
    for claimer in claimers {
        claimer.await.unwrap();
    }
    let handled = handled.lock().unwrap().clone();
    let distinct: HashSet<_> = handled.iter().copied().collect();
    assert_eq!(handled.len(), distinct.len(), "no job was claimed twice");
    assert_eq!(distinct, expected, "every job was claimed");
    let counts = fixture.queue.counts(at(3)).await.unwrap();
    assert_eq!(counts.succeeded, (CLAIMERS * JOBS_PER_CLAIMER) as u64);
    assert_eq!(counts.queued + counts.running, 0);
}

#[tokio::test]
async fn claims_take_due_jobs_of_the_asked_kinds_oldest_first() {
    let fixture = Queue::new();
    let later = fixture.enqueue(new_job(at(20))).await;
    let sooner = fixture.enqueue(new_job(at(10))).await;
    let other_kind = JobKind::parse("test.other").unwrap();
    fixture
        .enqueue(shoebox_domain::jobs::NewJob::new(
            other_kind,
            serde_json::Value::Null,
            at(0),
        ))
        .await;
    assert!(
        fixture.claim_one("w", at(9), 60).await.is_none(),
        "nothing due yet"
    );
    let claimed = fixture
        .queue
        .claim(request("w", at(30), 60, 10))
        .await
        .unwrap();
    let ids: Vec<_> = claimed.iter().map(|job| job.job.id).collect();
    assert_eq!(ids, [sooner, later]);
    assert!(
        claimed
            .iter()
            .all(|job| job.job.state == JobState::Running && job.job.locked_until == Some(at(90)))
    );
    assert_ne!(
        claimed[0].lease, claimed[1].lease,
        "each claim has its own token"
    );
}

#[tokio::test]
async fn a_dedup_key_is_unique_among_live_jobs_of_a_kind_only() {
    let fixture = Queue::new();
    let keyed = || new_job(at(0)).with_dedup_key("photo-1");
    let EnqueueOutcome::Enqueued(first) = fixture.queue.enqueue(keyed()).await.unwrap() else {
        panic!("the first job is enqueued");
    };
    assert_eq!(
        fixture.queue.enqueue(keyed()).await.unwrap(),
        EnqueueOutcome::Duplicate(first)
    );
    let mut other_kind = keyed();
    other_kind.kind = JobKind::parse("test.other").unwrap();
    assert!(matches!(
        fixture.queue.enqueue(other_kind).await.unwrap(),
        EnqueueOutcome::Enqueued(_)
    ));

    // Running and waiting for a retry are live too.
    let claimed = fixture.claim_one("w", at(1), 60).await.unwrap();
    assert_eq!(
        fixture.queue.enqueue(keyed()).await.unwrap(),
        EnqueueOutcome::Duplicate(first)
    );
    fixture
        .queue
        .fail(
            first,
            claimed.lease,
            "boom".into(),
            FailureOutcome::RetryAt(at(100)),
            at(2),
        )
        .await
        .unwrap();
    assert_eq!(
        fixture.queue.enqueue(keyed()).await.unwrap(),
        EnqueueOutcome::Duplicate(first)
    );

    // Once the job is over, the key is free again.
    let claimed = fixture.claim_one("w", at(100), 60).await.unwrap();
    fixture
        .queue
        .complete(first, claimed.lease, at(101))
        .await
        .unwrap();
    let EnqueueOutcome::Enqueued(second) = fixture.queue.enqueue(keyed()).await.unwrap() else {
        panic!("a finished job does not hold its key");
    };
    assert_ne!(second, first);
}

#[tokio::test]
async fn a_failed_job_comes_back_at_its_retry_time_and_dies_after_its_last_attempt() {
    let fixture = Queue::new();
    let id = fixture.enqueue(new_job(at(0)).with_max_attempts(2)).await;

    let first = fixture.claim_one("w", at(0), 60).await.unwrap();
    assert_eq!(first.job.attempts, 1);
    fixture
        .queue
        .fail(
            id,
            first.lease,
            "first failure".into(),
            FailureOutcome::RetryAt(at(60)),
            at(1),
        )
        .await
        .unwrap();
    let failed = fixture.queue.find(id).await.unwrap().unwrap();
    assert_eq!(failed.state, JobState::Failed);
    assert_eq!(
        (failed.run_at, failed.last_error.as_deref()),
        (at(60), Some("first failure"))
    );
    assert!(
        fixture.claim_one("w", at(59), 60).await.is_none(),
        "not before its retry time"
    );

    let second = fixture.claim_one("w", at(60), 60).await.unwrap();
    assert_eq!(second.job.attempts, 2);
    fixture
        .queue
        .fail(
            id,
            second.lease,
            "second failure".into(),
            FailureOutcome::Dead,
            at(61),
        )
        .await
        .unwrap();
    let dead = fixture.queue.find(id).await.unwrap().unwrap();
    assert_eq!(dead.state, JobState::Dead);
    assert_eq!(dead.last_error.as_deref(), Some("second failure"));
    assert_eq!(dead.finished_at, Some(at(61)));
    assert!(fixture.claim_one("w", at(10_000), 60).await.is_none());
}

#[tokio::test]
async fn an_expired_lease_lets_another_worker_claim_and_refuses_the_stale_one() {
    let fixture = Queue::new();
    let id = fixture.enqueue(new_job(at(0))).await;
    let stale = fixture.claim_one("worker-a", at(0), 30).await.unwrap();
    fixture
        .queue
        .heartbeat(id, stale.lease, at(40))
        .await
        .unwrap();
    assert!(
        fixture.claim_one("worker-b", at(39), 30).await.is_none(),
        "the heartbeat extended the lease"
    );

    let fresh = fixture.claim_one("worker-b", at(40), 30).await.unwrap();
    assert_eq!(fresh.job.id, id);
    assert_eq!(fresh.job.attempts, 2, "the lost attempt counts");
    assert_eq!(fresh.job.locked_by.as_deref(), Some("worker-b"));
    assert!(fresh.job.last_error.unwrap().contains("worker-a"));

    assert!(matches!(
        fixture.queue.complete(id, stale.lease, at(41)).await,
        Err(LeaseError::LeaseLost)
    ));
    assert!(matches!(
        fixture.queue.heartbeat(id, stale.lease, at(100)).await,
        Err(LeaseError::LeaseLost)
    ));
    assert!(matches!(
        fixture
            .queue
            .fail(id, stale.lease, "late".into(), FailureOutcome::Dead, at(41))
            .await,
        Err(LeaseError::LeaseLost)
    ));
    assert_eq!(
        fixture.queue.find(id).await.unwrap().unwrap().state,
        JobState::Running,
        "the stale worker changed nothing"
    );
    fixture
        .queue
        .complete(id, fresh.lease, at(42))
        .await
        .unwrap();
    assert_eq!(
        fixture.queue.find(id).await.unwrap().unwrap().state,
        JobState::Succeeded
    );
}

#[tokio::test]
async fn a_lease_that_expires_on_the_last_attempt_makes_the_job_dead() {
    let fixture = Queue::new();
    let id = fixture.enqueue(new_job(at(0)).with_max_attempts(1)).await;
    fixture.claim_one("worker-a", at(0), 30).await.unwrap();
    assert!(fixture.claim_one("worker-b", at(30), 30).await.is_none());
    let dead = fixture.queue.find(id).await.unwrap().unwrap();
    assert_eq!(dead.state, JobState::Dead);
    assert_eq!(dead.attempts, 1);
    assert!(dead.last_error.unwrap().contains("lease"));
}
