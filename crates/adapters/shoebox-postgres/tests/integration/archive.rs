//! `PostgresArchive`: dumps and restores with the real pg_dump, pg_restore
//! and psql.

use bytes::Bytes;
use diesel::RunQueryDsl;
use futures_util::{StreamExt, stream};
use shoebox_ports::outbound::{
    BlobError, ByteStream, DatabaseArchive, RestoreError, UserRepository,
};
use shoebox_postgres::{PostgresArchive, migrations};
use shoebox_test_support::{TestDatabase, fixtures};

use crate::support::{Fixture, instant};

#[derive(diesel::QueryableByName)]
struct Email {
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
}

async fn insert_users(fixture: &Fixture, emails: &[&str]) {
    for email in emails {
        fixture
            .users
            .insert(fixtures::new_user(email, instant()), None)
            .await
            .unwrap();
    }
}

async fn collect(body: ByteStream) -> Vec<u8> {
    let chunks: Vec<Result<Bytes, BlobError>> = body.collect().await;
    chunks
        .into_iter()
        .flat_map(|chunk| chunk.unwrap().to_vec())
        .collect()
}

fn stream_of(bytes: Vec<u8>, then_fail: bool) -> ByteStream {
    let mut items: Vec<Result<Bytes, BlobError>> = bytes
        .chunks(4096)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    if then_fail {
        items.push(Err(BlobError::Unexpected(anyhow::anyhow!(
            "checksum mismatch"
        ))));
    }
    Box::pin(stream::iter(items))
}

fn archive(database: &TestDatabase) -> PostgresArchive {
    PostgresArchive::new(&database.settings()).unwrap()
}

#[tokio::test]
async fn a_dump_restores_into_an_empty_database_with_the_same_facts() {
    let fixture = Fixture::new();
    insert_users(&fixture, &["ada@example.org", "grace@example.org"]).await;
    let source = archive(&fixture.database);

    let dump = source.dump().await.unwrap();
    let bytes = collect(dump.body).await;
    let facts = dump.facts.await.unwrap();
    assert!(bytes.starts_with(b"PGDMP"), "a custom-format archive");
    assert_eq!(facts.row_counts.get("users"), Some(&2));
    assert_eq!(facts.schema_version, Some(migrations::required_version()));
    assert!(
        facts.server_version.starts_with("15"),
        "{}",
        facts.server_version
    );
    assert_eq!(facts, source.facts().await.unwrap());

    let empty = TestDatabase::empty();
    let target = archive(&empty);
    assert_eq!(target.table_count().await.unwrap(), 0);
    target.restore(stream_of(bytes, false)).await.unwrap();
    assert_eq!(target.facts().await.unwrap(), facts);
    assert!(target.table_count().await.unwrap() > 5);
    assert_eq!(
        target.migrate().await.unwrap(),
        Vec::<String>::new(),
        "already current"
    );
}

#[tokio::test]
async fn the_dump_and_its_facts_are_one_snapshot_while_writes_go_on() {
    let fixture = Fixture::new();
    insert_users(&fixture, &["ada@example.org"]).await;
    let source = archive(&fixture.database);

    let dump = source.dump().await.unwrap();
    // Written after the snapshot was taken: in neither the facts nor the archive.
    insert_users(&fixture, &["late@example.org"]).await;
    let bytes = collect(dump.body).await;
    let facts = dump.facts.await.unwrap();
    assert_eq!(facts.row_counts.get("users"), Some(&1));

    let empty = TestDatabase::empty();
    let target = archive(&empty);
    target.restore(stream_of(bytes, false)).await.unwrap();
    assert_eq!(
        target.facts().await.unwrap().row_counts.get("users"),
        Some(&1)
    );
}

#[tokio::test]
async fn a_restore_replaces_a_database_or_changes_nothing() {
    let source_fixture = Fixture::new();
    insert_users(&source_fixture, &["ada@example.org"]).await;
    let dump = archive(&source_fixture.database).dump().await.unwrap();
    let bytes = collect(dump.body).await;

    let target_fixture = Fixture::new();
    insert_users(
        &target_fixture,
        &["x@example.org", "y@example.org", "z@example.org"],
    )
    .await;
    let target = archive(&target_fixture.database);
    let before = target.facts().await.unwrap();

    // The archive's stream fails at its very end (a wrong checksum): nothing changes.
    let failed = target.restore(stream_of(bytes.clone(), true)).await;
    assert!(
        matches!(failed, Err(RestoreError::Unexpected(_))),
        "{failed:?}"
    );
    assert_eq!(target.facts().await.unwrap(), before);

    // Cut short: pg_restore refuses it, nothing changes.
    let half = bytes[..bytes.len() / 2].to_vec();
    let failed = target.restore(stream_of(half, false)).await;
    assert!(
        matches!(failed, Err(RestoreError::Rejected(_))),
        "{failed:?}"
    );
    assert_eq!(target.facts().await.unwrap(), before);

    // Not an archive at all.
    let failed = target
        .restore(stream_of(b"hello, world".repeat(1000), false))
        .await;
    let Err(RestoreError::Rejected(message)) = failed else {
        panic!("{failed:?}");
    };
    assert!(message.contains("pg_restore"), "{message}");
    assert_eq!(target.facts().await.unwrap(), before);

    // Whole: the target holds the source's rows, and only those.
    target.restore(stream_of(bytes, false)).await.unwrap();
    let after = target.facts().await.unwrap();
    assert_eq!(after.row_counts.get("users"), Some(&1));
    let mut connection = target_fixture.database.connect();
    let restored: Vec<Email> = diesel::sql_query("SELECT email FROM users")
        .load(&mut connection)
        .unwrap();
    let restored: Vec<String> = restored.into_iter().map(|row| row.email).collect();
    assert_eq!(restored, vec!["ada@example.org".to_owned()]);
}

#[tokio::test]
async fn scratch_databases_come_and_go() {
    let fixture = Fixture::new();
    let source = archive(&fixture.database);
    let name = format!("shoebox_scratch_{}", uuid::Uuid::new_v4().simple());
    let scratch = source.create_scratch(&name).await.unwrap();
    assert_eq!(scratch.table_count().await.unwrap(), 0);
    assert_eq!(
        scratch.migrate().await.unwrap(),
        migrations::embedded_versions()
    );
    assert!(scratch.table_count().await.unwrap() > 5);
    source.drop_scratch(&name).await.unwrap();
    assert!(scratch.table_count().await.is_err(), "the database is gone");
    source.drop_scratch(&name).await.unwrap();

    for bad in ["", "Upper", "semi;colon", "quote\"d", &"x".repeat(64)] {
        assert!(source.create_scratch(bad).await.is_err(), "{bad:?}");
    }
}

#[test]
fn an_archive_needs_a_url_it_can_hand_to_the_tools() {
    let settings = shoebox_postgres::DatabaseSettings::new("host=localhost dbname=shoebox");
    let error = PostgresArchive::new(&settings).unwrap_err();
    assert!(error.to_string().contains("postgres:// URL"), "{error}");
}
