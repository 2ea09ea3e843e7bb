//! The backup use cases over a small in-memory store and a scripted database.
//! (The PostgreSQL side is tested against a real server in
//! `shoebox-postgres`; the whole chain in the server's tests.)

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::TimeZone;
use futures_util::stream;
use shoebox_domain::storage::ObjectMeta;
use shoebox_ports::outbound::{
    BlobRead, BlobWriter, DatabaseDump, DatabaseFacts, MockClock, ObjectMetaStream,
};

/// Objects in a map (the application may not depend on an adapter, even in
/// tests: the dependency rule).
#[derive(Default)]
struct MemoryStore {
    objects: Arc<Mutex<BTreeMap<String, Bytes>>>,
}

impl MemoryStore {
    fn in_memory() -> Self {
        Self::default()
    }

    fn meta(key: &str, bytes: &Bytes) -> ObjectMeta {
        ObjectMeta {
            key: ObjectKey::parse(key).unwrap(),
            size: bytes.len() as u64,
            last_modified: DateTime::UNIX_EPOCH,
            etag: None,
        }
    }
}

struct MemoryWriter {
    objects: Arc<Mutex<BTreeMap<String, Bytes>>>,
    key: String,
    bytes: Vec<u8>,
}

#[async_trait]
impl BlobWriter for MemoryWriter {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        self.bytes.extend_from_slice(&chunk);
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<ObjectMeta, BlobError> {
        let bytes = Bytes::from(self.bytes);
        let meta = MemoryStore::meta(&self.key, &bytes);
        self.objects.lock().unwrap().insert(self.key, bytes);
        Ok(meta)
    }

    async fn abort(self: Box<Self>) -> Result<(), BlobError> {
        Ok(())
    }
}

#[async_trait]
impl BlobStore for MemoryStore {
    async fn create(&self, key: &ObjectKey) -> Result<Box<dyn BlobWriter>, BlobError> {
        Ok(Box::new(MemoryWriter {
            objects: Arc::clone(&self.objects),
            key: key.as_str().to_owned(),
            bytes: Vec::new(),
        }))
    }

    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<ObjectMeta, BlobError> {
        let meta = Self::meta(key.as_str(), &bytes);
        self.objects
            .lock()
            .unwrap()
            .insert(key.as_str().to_owned(), bytes);
        Ok(meta)
    }

    async fn get(
        &self,
        key: &ObjectKey,
        _range: Option<std::ops::Range<u64>>,
    ) -> Result<BlobRead, BlobError> {
        let bytes = self
            .objects
            .lock()
            .unwrap()
            .get(key.as_str())
            .cloned()
            .ok_or(BlobError::NotFound)?;
        let meta = Self::meta(key.as_str(), &bytes);
        let chunks: Vec<Result<Bytes, BlobError>> = bytes
            .chunks(700)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        Ok(BlobRead {
            range: 0..meta.size,
            meta,
            body: Box::pin(stream::iter(chunks)),
        })
    }

    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, BlobError> {
        let objects = self.objects.lock().unwrap();
        let bytes = objects.get(key.as_str()).ok_or(BlobError::NotFound)?;
        Ok(Self::meta(key.as_str(), bytes))
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), BlobError> {
        self.objects.lock().unwrap().remove(key.as_str());
        Ok(())
    }

    async fn delete_prefix(&self, _prefix: &ObjectPrefix) -> Result<u64, BlobError> {
        Err(BlobError::Unexpected(anyhow::anyhow!(
            "not used by backups"
        )))
    }

    fn list(&self, prefix: &ObjectPrefix) -> ObjectMetaStream {
        let prefix = format!("{}/", prefix.as_str());
        let metas: Vec<Result<ObjectMeta, BlobError>> = self
            .objects
            .lock()
            .unwrap()
            .iter()
            .filter(|(key, _)| key.starts_with(&prefix))
            .map(|(key, bytes)| Ok(Self::meta(key, bytes)))
            .collect();
        Box::pin(stream::iter(metas))
    }

    async fn remove_abandoned_writes(&self, _older_than: DateTime<Utc>) -> Result<u64, BlobError> {
        Ok(0)
    }

    async fn presigned_get(
        &self,
        _key: &ObjectKey,
        _expires_in: std::time::Duration,
    ) -> Result<Option<String>, BlobError> {
        Ok(None)
    }
}

use super::*;

/// A database whose dump is `archive` and whose restore keeps what it reads,
/// or rejects it when the body ends with an error.
#[derive(Default)]
struct ScriptedDatabase {
    archive: Vec<u8>,
    tables: u64,
    restored: Mutex<Option<Vec<u8>>>,
    scratches: Mutex<Vec<String>>,
    /// Every scratch database ever created, in order.
    created: Mutex<Vec<String>>,
}

fn facts() -> DatabaseFacts {
    DatabaseFacts {
        schema_version: Some("20261101000000".to_owned()),
        server_version: "15.18".to_owned(),
        row_counts: BTreeMap::from([("photos".to_owned(), 3), ("users".to_owned(), 2)]),
    }
}

#[async_trait]
impl DatabaseArchive for ScriptedDatabase {
    async fn dump(&self) -> anyhow::Result<DatabaseDump> {
        let chunks: Vec<Result<Bytes, BlobError>> = self
            .archive
            .chunks(1000)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        Ok(DatabaseDump {
            facts: Box::pin(async { Ok(facts()) }),
            body: Box::pin(stream::iter(chunks)),
        })
    }

    async fn facts(&self) -> anyhow::Result<DatabaseFacts> {
        Ok(facts())
    }

    async fn table_count(&self) -> anyhow::Result<u64> {
        Ok(self.tables)
    }

    async fn restore(&self, mut body: ByteStream) -> Result<(), RestoreError> {
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(chunk) => bytes.extend_from_slice(&chunk),
                // As the PostgreSQL adapter does: a failing input is not
                // the database's verdict on the archive.
                Err(error) => return Err(RestoreError::Unexpected(error.into())),
            }
        }
        *self.restored.lock().unwrap() = Some(bytes);
        Ok(())
    }

    async fn migrate(&self) -> anyhow::Result<Vec<String>> {
        Ok(vec!["20261201000000".to_owned()])
    }

    async fn create_scratch(&self, name: &str) -> anyhow::Result<Box<dyn DatabaseArchive>> {
        self.scratches.lock().unwrap().push(name.to_owned());
        self.created.lock().unwrap().push(name.to_owned());
        Ok(Box::new(ScriptedDatabase::default()))
    }

    async fn drop_scratch(&self, name: &str) -> anyhow::Result<()> {
        self.scratches
            .lock()
            .unwrap()
            .retain(|scratch| scratch != name);
        Ok(())
    }
}

fn archive() -> Vec<u8> {
    (0..10_000u32).map(|i| (i % 251) as u8).collect()
}

fn service_at(
    database: Arc<ScriptedDatabase>,
    blobs: Arc<MemoryStore>,
    now: DateTime<Utc>,
) -> BackupService {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now);
    BackupService::new(
        BackupStores {
            archive: database,
            blobs,
            clock: Arc::new(clock),
            encryptor: None,
        },
        RetentionPolicy::default(),
        "9.9.9",
    )
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
}

#[tokio::test]
async fn a_backup_is_its_dump_and_a_manifest_that_describes_it() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let service = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    let manifest = service.run().await.unwrap();
    assert_eq!(manifest.id.to_string(), "20261203T120000Z");
    assert_eq!(manifest.size_bytes, 10_000);
    assert_eq!(manifest.sha256, hex(&Sha256::digest(archive())));
    assert_eq!(manifest.row_counts, facts().row_counts);
    assert_eq!(manifest.app_version, "9.9.9");
    let listed = service.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, BackupState::Complete);
    assert_eq!(listed[0].manifest.as_ref(), Some(&manifest));

    let report = service
        .restore(database.as_ref(), BackupSelector::Latest, false, None)
        .await
        .unwrap();
    assert_eq!(report.id, manifest.id);
    assert_eq!(report.migrations, ["20261201000000"]);
    assert!(database.restored.lock().unwrap().as_deref() == Some(&archive()[..]));
}

#[tokio::test]
async fn a_dump_without_manifest_is_listed_incomplete_and_never_restored() {
    let database = Arc::new(ScriptedDatabase::default());
    let blobs = Arc::new(MemoryStore::in_memory());
    let id = BackupId::from_time(noon());
    blobs
        .put(
            &key(&id.dump_key()).unwrap(),
            Bytes::from_static(b"partial"),
        )
        .await
        .unwrap();
    let service = service_at(Arc::clone(&database), blobs, noon());
    let listed = service.list().await.unwrap();
    assert_eq!(listed[0].state, BackupState::Incomplete);
    assert!(matches!(
        service
            .restore(database.as_ref(), BackupSelector::Latest, false, None)
            .await,
        Err(BackupError::NoBackup)
    ));
    assert!(matches!(
        service
            .restore(database.as_ref(), BackupSelector::Id(id), false, None)
            .await,
        Err(BackupError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_non_empty_target_is_refused_without_force() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        tables: 12,
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let service = service_at(Arc::clone(&database), blobs, noon());
    service.run().await.unwrap();
    let error = service
        .restore(database.as_ref(), BackupSelector::Latest, false, None)
        .await
        .unwrap_err();
    assert!(matches!(error, BackupError::TargetNotEmpty(12)), "{error}");
    assert!(error.to_string().contains("--force"));
    assert!(database.restored.lock().unwrap().is_none());
    service
        .restore(database.as_ref(), BackupSelector::Latest, true, None)
        .await
        .unwrap();
    assert!(database.restored.lock().unwrap().is_some());
}

#[tokio::test]
async fn one_flipped_byte_fails_verification_with_a_clear_message() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let service = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    let manifest = service.run().await.unwrap();
    let good = service.verify(BackupSelector::Latest, None).await.unwrap();
    assert!(good.ok, "{}", good.message);

    let mut damaged = archive();
    damaged[5000] ^= 0x10;
    blobs
        .put(&key(&manifest.dump_key).unwrap(), Bytes::from(damaged))
        .await
        .unwrap();
    let bad = service
        .verify(BackupSelector::Id(manifest.id), None)
        .await
        .unwrap();
    assert!(!bad.ok);
    assert!(bad.message.contains("checksum mismatch"), "{}", bad.message);
    assert!(
        database.scratches.lock().unwrap().is_empty(),
        "the scratch database is dropped either way"
    );
    let listed = service.list().await.unwrap();
    assert_eq!(listed[0].verification.as_ref(), Some(&bad));
    // A restore of the damaged backup never reaches the database intact.
    let error = service
        .restore(database.as_ref(), BackupSelector::Latest, false, None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("checksum mismatch"), "{error}");
    assert!(database.restored.lock().unwrap().is_none());
}

#[tokio::test]
async fn prune_deletes_what_the_policy_says_and_a_dry_run_nothing() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    // Two backups on one day 40 days ago, one today.
    let old_day = noon() - chrono::TimeDelta::days(40);
    for time in [old_day, old_day + chrono::TimeDelta::hours(1), noon()] {
        service_at(Arc::clone(&database), Arc::clone(&blobs), time)
            .run()
            .await
            .unwrap();
    }
    let service = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    let planned = service.prune(None, true).await.unwrap();
    let keep: Vec<bool> = planned.iter().map(|decision| decision.keep).collect();
    assert_eq!(keep, [true, false, true]);
    assert_eq!(
        service.list().await.unwrap().len(),
        3,
        "a dry run deletes nothing"
    );
    service.prune(None, false).await.unwrap();
    let left: Vec<BackupId> = service
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|listing| listing.id)
        .collect();
    assert_eq!(left, [planned[0].id, planned[2].id]);
    // An explicit "now" far in the future: only the newest stays.
    let later = noon() + chrono::TimeDelta::days(800);
    let decisions = service.prune(Some(later), true).await.unwrap();
    assert_eq!(
        decisions.iter().filter(|decision| decision.keep).count(),
        2,
        "the first of its month and the newest success"
    );
}

#[test]
fn selectors_parse_latest_or_an_id() {
    assert_eq!(
        "latest".parse::<BackupSelector>(),
        Ok(BackupSelector::Latest)
    );
    assert!(matches!(
        "20261203T120000Z".parse::<BackupSelector>(),
        Ok(BackupSelector::Id(_))
    ));
    assert!("yesterday".parse::<BackupSelector>().is_err());
}

#[tokio::test]
async fn two_backups_started_in_one_second_do_not_write_over_each_other() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let service = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    let first = service.run().await.unwrap();
    let second = service.run().await.unwrap();
    assert_eq!(first.id.to_string(), "20261203T120000Z");
    assert_eq!(second.id.to_string(), "20261203T120001Z");
    let listed = service.list().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|listing| listing.state == BackupState::Complete)
    );
    assert!(
        service
            .verify(BackupSelector::Id(first.id), None)
            .await
            .unwrap()
            .ok
    );
}

#[tokio::test]
async fn the_status_is_the_newest_success_the_count_kept_and_the_last_drill() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let empty = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    assert_eq!(empty.status().await.unwrap(), BackupStatus::default());

    let earlier = noon() - chrono::TimeDelta::hours(2);
    service_at(Arc::clone(&database), Arc::clone(&blobs), earlier)
        .run()
        .await
        .unwrap();
    let service = service_at(Arc::clone(&database), Arc::clone(&blobs), noon());
    let newest = service.run().await.unwrap();
    // A backup still running: its dump, no manifest.
    let running = BackupId::from_time(noon() + chrono::TimeDelta::minutes(5));
    blobs
        .put(
            &key(&running.dump_key()).unwrap(),
            Bytes::from_static(b"par"),
        )
        .await
        .unwrap();
    let record = service.verify(BackupSelector::Latest, None).await.unwrap();

    let status = service.status().await.unwrap();
    assert_eq!(status.last_success.as_ref(), Some(&newest));
    assert_eq!(status.retained, 2);
    assert_eq!(status.incomplete, 1);
    assert_eq!(status.last_verification, Some(record));
    assert_eq!(
        status,
        BackupStatus::of(&service.list().await.unwrap()),
        "the cheap status and the one derived from the full listing agree"
    );
}

#[tokio::test]
async fn two_drills_of_one_backup_use_scratch_databases_of_their_own() {
    let database = Arc::new(ScriptedDatabase {
        archive: archive(),
        ..ScriptedDatabase::default()
    });
    let blobs = Arc::new(MemoryStore::in_memory());
    let service = service_at(Arc::clone(&database), blobs, noon());
    service.run().await.unwrap();
    for _ in 0..2 {
        assert!(
            service
                .verify(BackupSelector::Latest, None)
                .await
                .unwrap()
                .ok
        );
    }
    let created = database.created.lock().unwrap().clone();
    assert_eq!(created.len(), 2);
    assert_ne!(
        created[0], created[1],
        "a concurrent drill would drop the other's"
    );
    for name in &created {
        assert!(
            name.starts_with("shoebox_verify_20261203t120000z_"),
            "{name}"
        );
        assert!(
            name.len() <= 63
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "a valid PostgreSQL name: {name}"
        );
    }
}
