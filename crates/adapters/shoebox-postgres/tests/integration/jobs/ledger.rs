//! The scheduler's ledger: one claim per (task, slot), with its job.

use shoebox_domain::jobs::EnqueueOutcome;
use shoebox_ports::outbound::{JobQueue, ScheduleLedger, SlotClaim};
use shoebox_postgres::{PostgresDatabase, PostgresScheduleLedger};

use super::{Queue, at, new_job};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_slot_is_claimed_once_across_replicas_with_its_job() {
    let fixture = Queue::new();
    // Three "replicas": separate pools, so separate connections.
    let replicas: Vec<PostgresScheduleLedger> = (0..3)
        .map(|_| {
            PostgresScheduleLedger::new(
                &PostgresDatabase::connect(&fixture.database.settings()).unwrap(),
            )
        })
        .collect();
    let attempts: Vec<_> = (0..12)
        .map(|n| {
            let ledger = replicas[n % 3].clone();
            tokio::spawn(async move {
                ledger
                    .claim_slot("backup".into(), at(3600), new_job(at(3600)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for attempt in attempts {
        if let SlotClaim::Claimed(outcome) = attempt.await.unwrap() {
            claimed.push(outcome);
        }
    }
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    let EnqueueOutcome::Enqueued(id) = claimed[0] else {
        panic!("the winner enqueued its job");
    };
    assert!(fixture.queue.find(id).await.unwrap().is_some());
    assert_eq!(fixture.queue.counts(at(3600)).await.unwrap().queued, 1);

    // Another slot, or another task in the same slot, is a new claim.
    assert!(matches!(
        replicas[0]
            .claim_slot("backup".into(), at(7200), new_job(at(7200)))
            .await
            .unwrap(),
        SlotClaim::Claimed(_)
    ));
    assert!(matches!(
        replicas[1]
            .claim_slot("verify".into(), at(3600), new_job(at(3600)))
            .await
            .unwrap(),
        SlotClaim::Claimed(_)
    ));
    assert_eq!(
        replicas[2]
            .claim_slot("backup".into(), at(3600), new_job(at(3600)))
            .await
            .unwrap(),
        SlotClaim::AlreadyClaimed
    );
}
