//! Waking waiting workers with LISTEN/NOTIFY.

use std::time::Duration;

use shoebox_domain::jobs::FailureOutcome;
use shoebox_ports::outbound::{JobQueue, WakeReason};
use shoebox_postgres::{PostgresDatabase, PostgresJobQueue};

use super::{Queue, at, new_job};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_is_notified_of_a_job_enqueued_on_another_connection() {
    let fixture = Queue::new();
    let listening = PostgresJobQueue::listening(&fixture.pool, &fixture.database.settings()).await;
    // Nothing was announced yet, so a short wait runs out.
    assert_eq!(
        listening.wait_for_work(Duration::from_millis(200)).await,
        WakeReason::TimedOut
    );

    let waiter = {
        let listening = listening.clone();
        tokio::spawn(async move { listening.wait_for_work(Duration::from_secs(60)).await })
    };
    // Another process: a pool of its own.
    let elsewhere =
        PostgresJobQueue::new(&PostgresDatabase::connect(&fixture.database.settings()).unwrap());
    let id = elsewhere.enqueue(new_job(at(0))).await.unwrap().id();
    assert_eq!(waiter.await.unwrap(), WakeReason::Notified);

    // Making a job queued again (an admin retry) is announced too.
    let claimed = fixture.claim_one("w", at(0), 60).await.unwrap();
    fixture
        .queue
        .fail(
            id,
            claimed.lease,
            "boom".into(),
            FailureOutcome::Dead,
            at(1),
        )
        .await
        .unwrap();
    // Drain what the enqueue and the failure may have left behind.
    while listening.wait_for_work(Duration::from_millis(200)).await == WakeReason::Notified {}
    let waiter = {
        let listening = listening.clone();
        tokio::spawn(async move { listening.wait_for_work(Duration::from_secs(60)).await })
    };
    elsewhere.retry(id, at(2)).await.unwrap();
    assert_eq!(waiter.await.unwrap(), WakeReason::Notified);
}

#[tokio::test]
async fn without_a_listener_waiting_is_polling() {
    let fixture = Queue::new();
    fixture.enqueue(new_job(at(0))).await;
    assert_eq!(
        fixture.queue.wait_for_work(Duration::from_millis(50)).await,
        WakeReason::TimedOut
    );
}
