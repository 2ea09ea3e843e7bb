//! Applying migrations, and comparing a database with what the binary needs.

use std::{sync::Barrier, thread, time::Duration};

use diesel::{QueryableByName, RunQueryDsl, sql_types::Text};
use shoebox_postgres::migrations;
use shoebox_test_support::TestDatabase;

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

fn recorded_versions(database: &TestDatabase) -> Vec<String> {
    diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
        .load::<Version>(&mut database.connect())
        .unwrap()
        .into_iter()
        .map(|row| row.version)
        .collect()
}

fn has_migrations_table(database: &TestDatabase) -> bool {
    diesel::sql_query(
        "SELECT 'yes' AS version WHERE to_regclass('__diesel_schema_migrations') IS NOT NULL",
    )
    .load::<Version>(&mut database.connect())
    .unwrap()
    .len()
        == 1
}

#[test]
fn versions_are_the_directory_dates_without_dashes() {
    let versions = migrations::embedded_versions();
    assert_eq!(versions.first().map(String::as_str), Some("20261123000001"));
    let mut sorted = versions.clone();
    sorted.sort();
    assert_eq!(versions, sorted);
    assert_eq!(Some(&migrations::required_version()), versions.last());
    assert_eq!(migrations::fingerprint().len(), 16);
}

#[test]
fn two_concurrent_runs_both_succeed_and_apply_each_migration_once() {
    let database = TestDatabase::empty();
    let start = Barrier::new(2);
    let outcomes: Vec<Vec<String>> = thread::scope(|scope| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    migrations::run_pending(database.url())
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap().expect("both runs succeed"))
            .collect()
    });
    let embedded = migrations::embedded_versions();
    // One run applied everything; the other waited for the lock and found nothing to do.
    let mut applied: Vec<String> = outcomes.concat();
    applied.sort();
    assert_eq!(applied, embedded);
    assert!(outcomes.iter().any(Vec::is_empty));
    assert_eq!(recorded_versions(&database), embedded);

    // And running again is a no-op.
    assert_eq!(
        migrations::run_pending(database.url()).unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn an_empty_database_has_everything_pending_and_is_left_untouched() {
    let database = TestDatabase::empty();
    let state = migrations::state(database.url()).unwrap();
    assert_eq!(state.pending, migrations::embedded_versions());
    assert_eq!(state.current_version, None);
    assert!(!state.is_compatible());
    assert!(
        !has_migrations_table(&database),
        "checking the state must not create diesel's table"
    );
}

#[test]
fn a_migrated_database_has_nothing_pending() {
    let database = TestDatabase::migrated();
    let state = migrations::state(database.url()).unwrap();
    assert_eq!(state.pending, Vec::<String>::new());
    assert_eq!(state.current_version, Some(migrations::required_version()));
    assert!(state.is_compatible());
}

#[test]
fn a_newer_schema_is_still_compatible() {
    let database = TestDatabase::migrated();
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')")
        .execute(&mut database.connect())
        .unwrap();
    let state = migrations::state(database.url()).unwrap();
    assert!(state.is_compatible());
    assert_eq!(state.current_version.as_deref(), Some("29991231000001"));
    // Migrating again leaves the newer version alone.
    assert_eq!(
        migrations::run_pending(database.url()).unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn a_missing_migration_is_pending_even_when_a_newer_one_is_applied() {
    let database = TestDatabase::migrated();
    let required = migrations::required_version();
    let mut connection = database.connect();
    diesel::sql_query(format!(
        "DELETE FROM __diesel_schema_migrations WHERE version = '{required}'"
    ))
    .execute(&mut connection)
    .unwrap();
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')")
        .execute(&mut connection)
        .unwrap();
    let state = migrations::state(database.url()).unwrap();
    assert_eq!(state.pending, vec![required]);
    assert!(!state.is_compatible());
}

#[test]
fn waiting_on_an_unmigrated_database_times_out_saying_what_is_missing() {
    let database = TestDatabase::empty();
    let error =
        migrations::wait_until_current(database.url(), Duration::from_millis(600)).unwrap_err();
    let message = format!("{error:#}");
    let pending = migrations::embedded_versions().len();
    assert!(
        message.contains(&format!("still {pending} migration(s) behind")),
        "{message}"
    );
    assert!(
        message.contains("timed out after 0.6 s waiting"),
        "{message}"
    );
}

#[test]
fn waiting_on_an_unreachable_database_times_out_saying_why() {
    let error = migrations::wait_until_current(
        "postgres://shoebox:hunter2@127.0.0.1:1/shoebox",
        Duration::from_millis(600),
    )
    .unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.contains("could not connect to the database"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn waiting_returns_once_another_process_migrates() {
    let database = TestDatabase::empty();
    thread::scope(|scope| {
        let waiter = scope
            .spawn(|| migrations::wait_until_current(database.url(), Duration::from_secs(120)));
        // Until the migration below, the waiter cannot succeed; it can only
        // fail, and only after two minutes.
        assert!(!waiter.is_finished());
        migrations::run_pending(database.url()).unwrap();
        waiter
            .join()
            .unwrap()
            .expect("the wait ends once the schema is current");
    });
}
