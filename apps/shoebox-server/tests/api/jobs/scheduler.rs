//! Three scheduler "replicas" on one database and one controllable clock.

use std::{collections::HashSet, sync::Arc};

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{QueryableByName, RunQueryDsl, sql_types::Text};
use shoebox_application::jobs::{ScheduledTask, Scheduler};
use shoebox_domain::jobs::{JobKind, NewJob, Schedule};
use shoebox_ports::outbound::Clock;
use shoebox_postgres::{PostgresDatabase, PostgresScheduleLedger};
use shoebox_test_support::{FakeClock, TestDatabase};

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    dedup_key: String,
}

fn enqueued_keys(database: &TestDatabase) -> Vec<String> {
    diesel::sql_query("SELECT dedup_key FROM jobs WHERE kind = 'test.hourly' ORDER BY run_at")
        .load::<Key>(&mut database.connect())
        .unwrap()
        .into_iter()
        .map(|row| row.dedup_key)
        .collect()
}

fn hour(n: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T00:00:00Z")
        .unwrap()
        .to_utc()
        + TimeDelta::hours(n)
}

fn task() -> ScheduledTask {
    ScheduledTask {
        name: "hourly".into(),
        schedule: Schedule::hourly(),
        job: NewJob::new(
            JobKind::parse("test.hourly").unwrap(),
            serde_json::json!({}),
            hour(0),
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn three_replicas_enqueue_each_slot_exactly_once_and_never_backfill() {
    let database = TestDatabase::migrated();
    let clock = FakeClock::at(hour(0) + TimeDelta::minutes(1));
    // Each replica has its own pool, as separate processes would.
    let mut replicas: Vec<Scheduler> = (0..3)
        .map(|_| {
            let pool = PostgresDatabase::connect(&database.settings()).unwrap();
            Scheduler::new(
                Arc::new(clock.clone()),
                Arc::new(PostgresScheduleLedger::new(&pool)),
                vec![task()],
            )
        })
        .collect();

    for n in 1..=50 {
        // Each hour, at some minute past the slot, the replicas tick in a
        // different order, some twice, some all at once.
        clock.set(hour(n) + TimeDelta::minutes(n % 60));
        let now = clock.now();
        match n % 3 {
            0 => {
                let [a, b, c] = &mut replicas[..] else {
                    unreachable!()
                };
                tokio::join!(a.tick(now), b.tick(now), c.tick(now));
            }
            1 => {
                replicas[1].tick(now).await;
                replicas[0].tick(now).await;
                replicas[1].tick(now + TimeDelta::minutes(1)).await;
            }
            _ => {
                replicas[2].tick(now).await;
            }
        }
    }
    let keys = enqueued_keys(&database);
    assert_eq!(keys.len(), 50, "one job per slot");
    let distinct: HashSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), 50);
    assert_eq!(keys[0], format!("hourly@{}", hour(1).to_rfc3339()));
    assert_eq!(keys[49], format!("hourly@{}", hour(50).to_rfc3339()));

    // A long pause: 30 slots go by unticked; each replica then ticks, and
    // only the latest slot is enqueued, once.
    clock.set(hour(80) + TimeDelta::minutes(30));
    let now = clock.now();
    let mut enqueued = Vec::new();
    for replica in &mut replicas {
        enqueued.extend(replica.tick(now).await);
    }
    assert_eq!(enqueued, [("hourly".to_owned(), hour(80))]);
    let keys = enqueued_keys(&database);
    assert_eq!(keys.len(), 51);
    assert_eq!(keys[50], format!("hourly@{}", hour(80).to_rfc3339()));
}
