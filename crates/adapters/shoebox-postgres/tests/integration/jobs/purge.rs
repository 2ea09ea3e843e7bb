//! The nightly purge of rows that serve no one any more.

use std::time::Duration;

use chrono::TimeDelta;
use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use shoebox_domain::{
    auth::ThrottleKey,
    jobs::{PurgePolicy, PurgeReport},
};
use shoebox_ports::outbound::{
    InvitationRepository, JobQueue, LoginThrottleRepository, MaintenanceRepository, ScheduleLedger,
};
use shoebox_postgres::{
    PostgresDatabase, PostgresInvitationRepository, PostgresMaintenanceRepository,
    PostgresScheduleLedger,
};

use super::{new_job, request};
use crate::support::{Fixture, at};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn count(fixture: &Fixture, table: &str) -> i64 {
    diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
        .get_result::<Count>(&mut fixture.database.connect())
        .unwrap()
        .count
}

const DAY: i64 = 86_400;

#[tokio::test]
async fn the_purge_removes_exactly_what_expired() {
    let fixture = Fixture::new();
    let pool = PostgresDatabase::connect(&fixture.database.settings()).unwrap();
    let queue = shoebox_postgres::PostgresJobQueue::new(&pool);
    let ledger = PostgresScheduleLedger::new(&pool);
    let maintenance = PostgresMaintenanceRepository::new(&pool);
    let now = at(200 * DAY);
    let user = fixture.user("ada@example.org").await;

    // Sessions: one expired, one live.
    fixture
        .session(user.id, at(0), now - TimeDelta::seconds(1))
        .await;
    fixture
        .session(user.id, at(0), now + TimeDelta::days(1))
        .await;
    // Invitations: expired 31 days ago (goes), expired 29 days ago (stays),
    // revoked 31 days ago (goes), pending (stays).
    fixture
        .invitation(None, user.id, at(0), now - TimeDelta::days(31))
        .await;
    fixture
        .invitation(None, user.id, at(0), now - TimeDelta::days(29))
        .await;
    let revoked = fixture
        .invitation(None, user.id, at(0), now + TimeDelta::days(5))
        .await;
    let invitations = PostgresInvitationRepository::new(&pool);
    invitations
        .revoke(revoked.invitation.id, now - TimeDelta::days(31))
        .await
        .unwrap();
    fixture
        .invitation(None, user.id, at(0), now + TimeDelta::days(5))
        .await;
    // Throttle counters: a window that is over, and a current one.
    let window = Duration::from_secs(900);
    fixture
        .throttle
        .record_failure(
            vec![ThrottleKey::account("old@example.org")],
            now - TimeDelta::seconds(900),
            window,
        )
        .await
        .unwrap();
    fixture
        .throttle
        .record_failure(
            vec![ThrottleKey::account("new@example.org")],
            now - TimeDelta::seconds(899),
            window,
        )
        .await
        .unwrap();
    // Jobs: succeeded 15 days ago (goes), succeeded 13 days ago (stays),
    // dead long ago (stays for inspection), queued (stays).
    for (finished, dead) in [
        (now - TimeDelta::days(15), false),
        (now - TimeDelta::days(13), false),
        (at(0), true),
    ] {
        queue.enqueue(new_job(at(0))).await.unwrap();
        let claimed = queue
            .claim(request("w", at(0), 60, 1))
            .await
            .unwrap()
            .pop()
            .unwrap();
        if dead {
            queue
                .fail(
                    claimed.job.id,
                    claimed.lease,
                    "boom".into(),
                    shoebox_domain::jobs::FailureOutcome::Dead,
                    finished,
                )
                .await
                .unwrap();
        } else {
            queue
                .complete(claimed.job.id, claimed.lease, finished)
                .await
                .unwrap();
        }
    }
    queue
        .enqueue(new_job(now + TimeDelta::days(1)))
        .await
        .unwrap();
    // Slots: 91 days old (goes) and 89 days old (stays).
    for age in [91, 89] {
        let slot = now - TimeDelta::days(age);
        ledger
            .claim_slot("backup".into(), slot, new_job(slot))
            .await
            .unwrap();
    }
    // The two slot jobs are queued too; they stay.
    // Mail links (password resets and email confirmations): one expired and
    // one used (go), one live (stays), of each kind.
    let stamp =
        |time: chrono::DateTime<chrono::Utc>| format!("'{}'::timestamptz", time.to_rfc3339());
    let (expired, live, used) = (
        stamp(now - TimeDelta::seconds(1)),
        stamp(now + TimeDelta::hours(1)),
        stamp(now - TimeDelta::minutes(1)),
    );
    let mut connection = fixture.database.connect();
    for (table, extra_column, extra_value) in [
        ("password_resets", "", ""),
        ("email_confirmations", ", email", ", 'ada@new.example'"),
    ] {
        for (token, expires_at, used_at) in [
            ("expired", &expired, "NULL"),
            ("used", &live, used.as_str()),
            ("live", &live, "NULL"),
        ] {
            diesel::sql_query(format!(
                "INSERT INTO {table} (token_hash, user_id, expires_at, used_at{extra_column}) \
                 VALUES (sha256('{table}-{token}'), '{}', {expires_at}, {used_at}{extra_value})",
                user.id.as_uuid()
            ))
            .execute(&mut connection)
            .unwrap();
        }
    }
    // Devices last seen 401 days ago (forgotten) and 399 days ago (kept).
    for age in [401, 399] {
        diesel::sql_query(format!(
            "INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) \
             VALUES ('{}', sha256('device-{age}'), {seen}, {seen})",
            user.id.as_uuid(),
            seen = stamp(now - TimeDelta::days(age))
        ))
        .execute(&mut connection)
        .unwrap();
    }
    // Outbox messages queued 31 days ago (never delivered: goes) and 29 days ago (stays).
    for age in [31, 29] {
        diesel::sql_query(format!(
            "INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, created_at) \
             VALUES (gen_random_uuid(), 'ada@example.org', 's', 't', 'h', {})",
            stamp(now - TimeDelta::days(age))
        ))
        .execute(&mut connection)
        .unwrap();
    }

    let report = maintenance
        .purge_expired(PurgePolicy::new(window).cutoffs(now))
        .await
        .unwrap();
    assert_eq!(
        report,
        PurgeReport {
            sessions: 1,
            invitations: 2,
            throttle_counters: 1,
            jobs: 1,
            schedule_slots: 1,
            mail_links: 4,
            undelivered_mail: 1,
            known_devices: 1,
        }
    );
    assert_eq!(count(&fixture, "sessions"), 1);
    assert_eq!(count(&fixture, "invitations"), 2);
    assert_eq!(count(&fixture, "login_throttle"), 1);
    assert_eq!(count(&fixture, "jobs"), 5);
    assert_eq!(count(&fixture, "schedule_slots"), 1);
    assert_eq!(count(&fixture, "password_resets"), 1);
    assert_eq!(count(&fixture, "email_confirmations"), 1);
    assert_eq!(count(&fixture, "mail_outbox"), 1);
    assert_eq!(count(&fixture, "known_devices"), 1);

    // Running it again finds nothing more.
    let again = maintenance
        .purge_expired(PurgePolicy::new(window).cutoffs(now))
        .await
        .unwrap();
    assert_eq!(again, PurgeReport::default());
}
