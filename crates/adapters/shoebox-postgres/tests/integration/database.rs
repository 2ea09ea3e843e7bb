//! The pool: reaching the database, recovering from lost connections, and the
//! schema check through it.

use diesel::RunQueryDsl;
use shoebox_ports::outbound::SchemaInspector;
use shoebox_postgres::{DatabaseSettings, PostgresDatabase, PostgresSchemaInspector, migrations};
use shoebox_test_support::{TestDatabase, admin_url};

#[tokio::test]
async fn the_pool_reaches_the_database() {
    let database = TestDatabase::migrated();
    database.database().ping().await.unwrap();
}

#[tokio::test]
async fn building_the_pool_needs_no_database_and_errors_never_show_the_password() {
    let settings = DatabaseSettings {
        connect_timeout_seconds: 2,
        ..DatabaseSettings::new("postgres://shoebox:hunter2@127.0.0.1:1/shoebox")
    };
    let pool = PostgresDatabase::connect(&settings).unwrap();
    assert!(!format!("{pool:?}").contains("hunter2"));
    let error = pool.ping().await.unwrap_err();
    let message = format!("{error:#} {error:?}");
    assert!(
        message.contains("no database connection available"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn a_pool_needs_at_least_one_connection() {
    let settings = DatabaseSettings {
        pool_size: 0,
        ..DatabaseSettings::new("postgres://127.0.0.1/shoebox")
    };
    let error = PostgresDatabase::connect(&settings).unwrap_err();
    assert!(error.to_string().contains("pool_size"), "{error}");
}

#[tokio::test]
async fn a_connection_cut_by_the_server_is_replaced() {
    let database = TestDatabase::migrated();
    let pool = PostgresDatabase::connect(&DatabaseSettings {
        pool_size: 1,
        ..database.settings()
    })
    .unwrap();
    pool.ping().await.unwrap();

    // What a server restart or a failover looks like from the pool: its one
    // connection is gone. The second argument makes the server wait until
    // the backend has actually exited.
    let terminated = diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '{}'",
        database.name()
    ))
    .execute(&mut <diesel::PgConnection as diesel::Connection>::establish(admin_url()).unwrap())
    .unwrap();
    assert_eq!(terminated, 1);

    // The request that meets the dead connection fails; the pool then drops
    // it instead of handing it out again, so the next request succeeds.
    assert!(pool.ping().await.is_err());
    pool.ping().await.unwrap();
}

#[tokio::test]
async fn the_schema_inspector_sees_what_the_cli_sees() {
    let migrated = TestDatabase::migrated();
    let inspector = PostgresSchemaInspector::new(&migrated.database());
    let state = inspector.schema_state().await.unwrap();
    assert!(state.is_compatible());
    assert_eq!(state.current_version, Some(migrations::required_version()));
    assert_eq!(state, migrations::state(migrated.url()).unwrap());

    let empty = TestDatabase::empty();
    let inspector = PostgresSchemaInspector::new(&empty.database());
    let state = inspector.schema_state().await.unwrap();
    assert_eq!(state.pending, migrations::embedded_versions());
    assert_eq!(state.current_version, None);
    // The check stayed read-only: the database is still unmigrated, not half-set-up.
    assert_eq!(migrations::state(empty.url()).unwrap(), state);
}

#[tokio::test]
async fn the_monitor_sums_stored_bytes_and_reads_the_pool() {
    use shoebox_ports::outbound::DatabaseMonitor;
    use shoebox_postgres::PostgresDatabaseMonitor;

    let database = TestDatabase::migrated();
    let pool = PostgresDatabase::connect(&DatabaseSettings {
        pool_size: 3,
        ..database.settings()
    })
    .unwrap();
    let monitor = PostgresDatabaseMonitor::new(&pool);
    assert_eq!(
        monitor.stored_bytes().await.unwrap(),
        0,
        "an empty database"
    );

    let mut connection = database.connect();
    let user = "00000000-0000-7000-8000-000000000001";
    let photo = "00000000-0000-7000-8000-0000000000a1";
    for sql in [
        format!(
            "INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) \
             VALUES ('{user}', 'm@example.com', 'M', 'x', 'member', now(), now())"
        ),
        format!(
            "INSERT INTO photos (id, owner_id, format, size_bytes, sha256, width, height, \
             sort_at, created_at, updated_at) VALUES ('{photo}', '{user}', 'jpeg', 5000000000, \
             decode(repeat('01', 32), 'hex'), 4, 3, now(), now(), now())"
        ),
        format!(
            "INSERT INTO photo_variants (photo_id, kind, format, width, height, size_bytes, sha256) \
             VALUES ('{photo}', 'thumbnail', 'jpeg', 4, 3, 1234, decode(repeat('aa', 32), 'hex'))"
        ),
    ] {
        diesel::sql_query(sql).execute(&mut connection).unwrap();
    }
    // Past 32 bits: the sum is a bigint all the way.
    assert_eq!(monitor.stored_bytes().await.unwrap(), 5_000_001_234);

    let status = monitor.pool_status();
    assert_eq!(status.max_size, 3);
    assert!(status.size >= 1 && status.size <= 3, "{status:?}");
    assert_eq!(status.waiting, 0);
}
