//! `PostgresLoginThrottleRepository`.

use std::time::Duration;

use shoebox_domain::auth::{ThrottleKey, ThrottleState};
use shoebox_ports::outbound::LoginThrottleRepository;

use crate::support::{Fixture, at};

const WINDOW: Duration = Duration::from_secs(900);

fn keys() -> (ThrottleKey, ThrottleKey) {
    (
        ThrottleKey::account("ada@example.org"),
        ThrottleKey::ip("192.0.2.7".parse().unwrap()),
    )
}

fn state(failures: u32, window_started_at: i64) -> ThrottleState {
    ThrottleState {
        failures,
        window_started_at: at(window_started_at),
    }
}

#[tokio::test]
async fn failures_are_counted_per_key_within_a_window() {
    let fixture = Fixture::new();
    let (account, ip) = keys();
    assert!(
        fixture
            .throttle
            .counters(vec![account.clone(), ip.clone()])
            .await
            .unwrap()
            .is_empty()
    );

    fixture
        .throttle
        .record_failure(vec![account.clone(), ip.clone()], at(0), WINDOW)
        .await
        .unwrap();
    fixture
        .throttle
        .record_failure(vec![account.clone(), ip.clone()], at(10), WINDOW)
        .await
        .unwrap();
    fixture
        .throttle
        .record_failure(vec![ip.clone()], at(20), WINDOW)
        .await
        .unwrap();

    let mut counters = fixture
        .throttle
        .counters(vec![account.clone(), ip.clone()])
        .await
        .unwrap();
    counters.sort_by_key(|(key, _)| key.scope());
    assert_eq!(
        counters,
        vec![(account.clone(), state(2, 0)), (ip.clone(), state(3, 0))]
    );

    // Only the keys asked for come back.
    assert_eq!(
        fixture.throttle.counters(vec![ip.clone()]).await.unwrap(),
        vec![(ip, state(3, 0))]
    );
    assert!(
        fixture
            .throttle
            .counters(Vec::new())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_failure_after_the_window_starts_a_new_one() {
    let fixture = Fixture::new();
    let (account, _) = keys();
    for second in [0, 100, 200] {
        fixture
            .throttle
            .record_failure(vec![account.clone()], at(second), WINDOW)
            .await
            .unwrap();
    }
    fixture
        .throttle
        .record_failure(vec![account.clone()], at(899), WINDOW)
        .await
        .unwrap();
    assert_eq!(
        fixture
            .throttle
            .counters(vec![account.clone()])
            .await
            .unwrap(),
        vec![(account.clone(), state(4, 0))]
    );

    // The window [0, 900) is over at 900 exactly.
    fixture
        .throttle
        .record_failure(vec![account.clone()], at(900), WINDOW)
        .await
        .unwrap();
    assert_eq!(
        fixture
            .throttle
            .counters(vec![account.clone()])
            .await
            .unwrap(),
        vec![(account.clone(), state(1, 900))]
    );
    fixture
        .throttle
        .record_failure(vec![account.clone()], at(901), WINDOW)
        .await
        .unwrap();
    assert_eq!(
        fixture
            .throttle
            .counters(vec![account.clone()])
            .await
            .unwrap(),
        vec![(account, state(2, 900))]
    );
}

#[tokio::test]
async fn scopes_keep_separate_counters_for_the_same_text() {
    let fixture = Fixture::new();
    let as_account = ThrottleKey::Account("192.0.2.7".into());
    let as_ip = ThrottleKey::Ip("192.0.2.7".into());
    fixture
        .throttle
        .record_failure(vec![as_account.clone()], at(0), WINDOW)
        .await
        .unwrap();
    assert_eq!(
        fixture
            .throttle
            .counters(vec![as_ip.clone()])
            .await
            .unwrap(),
        Vec::new()
    );
    assert_eq!(
        fixture
            .throttle
            .counters(vec![as_account.clone(), as_ip])
            .await
            .unwrap(),
        vec![(as_account, state(1, 0))]
    );
}

#[tokio::test]
async fn clearing_forgets_one_key_only() {
    let fixture = Fixture::new();
    let (account, ip) = keys();
    fixture
        .throttle
        .record_failure(vec![account.clone(), ip.clone()], at(0), WINDOW)
        .await
        .unwrap();
    fixture.throttle.clear(account.clone()).await.unwrap();
    assert_eq!(
        fixture
            .throttle
            .counters(vec![account.clone(), ip.clone()])
            .await
            .unwrap(),
        vec![(ip, state(1, 0))]
    );
    // Clearing a key without a counter is fine.
    fixture.throttle.clear(account).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failures_are_all_counted() {
    let fixture = Fixture::new();
    let (account, _) = keys();
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let (throttle, key) = (fixture.throttle.clone(), account.clone());
            tokio::spawn(async move { throttle.record_failure(vec![key], at(1), WINDOW).await })
        })
        .collect();
    for attempt in attempts {
        attempt.await.unwrap().unwrap();
    }
    assert_eq!(
        fixture
            .throttle
            .counters(vec![account.clone()])
            .await
            .unwrap(),
        vec![(account, state(20, 1))]
    );
}
