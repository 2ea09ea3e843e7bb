//! Backups (SPEC §7): run one, list them, prune by the retention policy,
//! restore one, and prove one restorable (`verify`).
//!
//! A backup is a dump object and, written last, a manifest; the dump is
//! streamed from `pg_dump` through an optional age encryption into a
//! multipart upload, hashed on the way, so memory stays bounded whatever
//! the database's size.

use std::{collections::BTreeMap, fmt, sync::Arc, time::Instant};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use shoebox_domain::{
    backups::{
        BACKUP_PREFIX, BackupId, BackupManifest, BackupObjectKind, BackupState, BackupSummary,
        Decision, MANIFEST_FORMAT, RetentionPolicy, VerificationRecord, retention_decisions,
    },
    storage::{ObjectKey, ObjectPrefix},
};
use shoebox_ports::outbound::{
    ArchiveDecryptor, ArchiveEncryptor, BlobError, BlobStore, ByteStream, Clock, DatabaseArchive,
    RestoreError,
};

mod admin;
mod handlers;
mod settings;

pub use admin::BackupAdministrationService;
pub use handlers::{BackupJob, RUN_BACKUP_JOB, VERIFY_BACKUP_JOB, VerifyJob, run_backup_job};
pub use settings::BackupSettings;
pub use shoebox_ports::inbound::{BackupListing, BackupStatus};

/// How many manifests and records a listing reads at once.
const LISTING_READS: usize = 16;

/// What the backup use cases need.
#[derive(Clone)]
pub struct BackupStores {
    pub archive: Arc<dyn DatabaseArchive>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
    /// Set when recipients are configured: backups are then encrypted.
    pub encryptor: Option<Arc<dyn ArchiveEncryptor>>,
}

impl fmt::Debug for BackupStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupStores")
            .field("encrypted", &self.encryptor.is_some())
            .finish_non_exhaustive()
    }
}

/// Which backup a command is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupSelector {
    Latest,
    Id(BackupId),
}

impl std::str::FromStr for BackupSelector {
    type Err = shoebox_domain::backups::InvalidBackupId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "latest" {
            Ok(Self::Latest)
        } else {
            text.parse().map(Self::Id)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no complete backup found")]
    NoBackup,
    #[error("backup {0} does not exist or has no manifest (incomplete)")]
    NotFound(BackupId),
    #[error("the target database is not empty ({0} tables); pass --force to replace its contents")]
    TargetNotEmpty(u64),
    #[error(
        "backup {0} is encrypted; give the age identity file (--identity or backup.identity_file)"
    )]
    IdentityNeeded(BackupId),
    #[error("backup {id} is damaged: {reason}")]
    Damaged { id: BackupId, reason: String },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<BlobError> for BackupError {
    fn from(error: BlobError) -> Self {
        Self::Unexpected(error.into())
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub id: BackupId,
    /// Migrations applied after the restore, to reach this binary's schema.
    pub migrations: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BackupService {
    stores: BackupStores,
    retention: RetentionPolicy,
    app_version: String,
}

impl BackupService {
    pub fn new(stores: BackupStores, retention: RetentionPolicy, app_version: &str) -> Self {
        Self {
            stores,
            retention,
            app_version: app_version.to_owned(),
        }
    }

    /// Whether new backups are encrypted.
    pub fn encrypts(&self) -> bool {
        self.stores.encryptor.is_some()
    }

    /// Dumps the database into the store; the manifest is written last.
    pub async fn run(&self) -> Result<BackupManifest, BackupError> {
        let id = self.fresh_id().await?;
        let dump_key = key(&id.dump_key())?;
        let dump = self.stores.archive.dump().await?;
        let (encryption, body) = match &self.stores.encryptor {
            Some(encryptor) => (
                Some(encryptor.scheme().to_owned()),
                encryptor.encrypt(dump.body),
            ),
            None => (None, dump.body),
        };
        let mut writer = self.stores.blobs.create(&dump_key).await?;
        let mut hasher = Sha256::new();
        let mut body = body;
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(error) => {
                    let _ = writer.abort().await;
                    return Err(anyhow::anyhow!("backup {id} failed: {error}").into());
                }
            };
            hasher.update(&chunk);
            if let Err(error) = writer.write(chunk).await {
                let _ = writer.abort().await;
                return Err(error.into());
            }
        }
        let facts = match dump.facts.await {
            Ok(facts) => facts,
            Err(error) => {
                let _ = writer.abort().await;
                return Err(error.into());
            }
        };
        let stored = writer.finish().await?;
        let manifest = BackupManifest {
            format: MANIFEST_FORMAT,
            id,
            started_at: id.started_at(),
            finished_at: self.stores.clock.now(),
            size_bytes: stored.size,
            sha256: hex(&hasher.finalize()),
            app_version: self.app_version.clone(),
            schema_version: facts.schema_version,
            postgres_version: facts.server_version,
            row_counts: facts.row_counts,
            encryption,
            dump_key: id.dump_key(),
        };
        self.stores
            .blobs
            .put(
                &key(&id.manifest_key())?,
                Bytes::from(manifest.to_json_bytes()),
            )
            .await?;
        tracing::info!(backup = %id, size = manifest.size_bytes, "backup written");
        Ok(manifest)
    }

    /// The id of the current second, or of the next free one: two backups
    /// started in the same second (a scheduled one and "back up now") must
    /// not write over each other.
    async fn fresh_id(&self) -> Result<BackupId, BackupError> {
        let mut at = self.stores.clock.now();
        for _ in 0..60 {
            let id = BackupId::from_time(at);
            match self.stores.blobs.head(&key(&id.dump_key())?).await {
                Err(BlobError::NotFound) => return Ok(id),
                Ok(_) => at += chrono::TimeDelta::seconds(1),
                Err(error) => return Err(error.into()),
            }
        }
        Err(anyhow::anyhow!("no free backup id within a minute of now").into())
    }

    /// Every backup in the store, oldest first, with manifests and the
    /// latest verification. Reads the small objects a few at a time.
    pub async fn list(&self) -> Result<Vec<BackupListing>, BackupError> {
        let found = self.scan().await?;
        futures_util::stream::iter(found)
            .filter_map(|(id, found)| async move {
                // A manifest or record whose dump was pruned: nothing to list.
                found.dump_size.map(|size| (id, found, size))
            })
            .map(|(id, found, size)| self.listing(id, found, size))
            .buffered(LISTING_READS)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    /// SPEC §7's metrics: one listing of the store and two small reads.
    pub async fn status(&self) -> Result<BackupStatus, BackupError> {
        let found = self.scan().await?;
        let with_dump = || found.iter().filter(|(_, found)| found.dump_size.is_some());
        let retained = with_dump().filter(|(_, found)| found.manifest).count() as u64;
        let incomplete = with_dump().filter(|(_, found)| !found.manifest).count() as u64;
        let last_success = match with_dump().rfind(|(_, found)| found.manifest) {
            Some((id, _)) => Some(self.manifest(*id).await?),
            None => None,
        };
        // The daily drill verifies the newest backup, so the newest record
        // is the last verification.
        let last_verification = match with_dump().rfind(|(_, found)| found.verification) {
            Some((id, _)) => self
                .read_json::<VerificationRecord>(&id.verification_key())
                .await
                .ok(),
            None => None,
        };
        Ok(BackupStatus {
            last_success,
            retained,
            incomplete,
            last_verification,
        })
    }

    async fn listing(
        &self,
        id: BackupId,
        found: Found,
        size_bytes: u64,
    ) -> Result<BackupListing, BackupError> {
        let manifest = if found.manifest {
            match self.manifest(id).await {
                Ok(manifest) => Some(manifest),
                Err(BackupError::Damaged { reason, .. }) => {
                    tracing::warn!(backup = %id, %reason, "unreadable manifest; listed as incomplete");
                    None
                }
                Err(error) => return Err(error),
            }
        } else {
            None
        };
        let verification = if found.verification {
            self.read_json::<VerificationRecord>(&id.verification_key())
                .await
                .ok()
        } else {
            None
        };
        Ok(BackupListing {
            id,
            state: if manifest.is_some() {
                BackupState::Complete
            } else {
                BackupState::Incomplete
            },
            size_bytes,
            manifest,
            verification,
        })
    }

    /// Applies the retention policy as of `now` (the clock's by default);
    /// with `dry_run`, only decides. Returns every decision, oldest first.
    pub async fn prune(
        &self,
        now: Option<DateTime<Utc>>,
        dry_run: bool,
    ) -> Result<Vec<Decision>, BackupError> {
        let now = now.unwrap_or_else(|| self.stores.clock.now());
        let summaries: Vec<BackupSummary> = self
            .list_summaries()
            .await?
            .into_iter()
            .map(|(id, state)| BackupSummary {
                id,
                state,
                size_bytes: None,
            })
            .collect();
        let decisions = retention_decisions(&summaries, now, &self.retention);
        if !dry_run {
            for decision in decisions.iter().filter(|decision| !decision.keep) {
                // The manifest first: a backup half deleted is incomplete,
                // never restorable, and the next prune finishes the job.
                for kind in [
                    BackupObjectKind::Manifest,
                    BackupObjectKind::Dump,
                    BackupObjectKind::Verification,
                ] {
                    self.stores
                        .blobs
                        .delete(&key(&decision.id.key(kind))?)
                        .await?;
                }
                tracing::info!(backup = %decision.id, rule = %decision.rule, "backup pruned");
            }
        }
        Ok(decisions)
    }

    /// Restores a backup into `target`: refuses a non-empty one unless
    /// `force`, checks the checksum before anything commits, then migrates to
    /// this binary's schema.
    pub async fn restore(
        &self,
        target: &dyn DatabaseArchive,
        which: BackupSelector,
        force: bool,
        decryptor: Option<&dyn ArchiveDecryptor>,
    ) -> Result<RestoreReport, BackupError> {
        let manifest = self.select(which).await?;
        let tables = target.table_count().await?;
        if tables > 0 && !force {
            return Err(BackupError::TargetNotEmpty(tables));
        }
        let (body, integrity) = self.verified_body(&manifest, decryptor).await?;
        target
            .restore(body)
            .await
            .map_err(|error| restore_error(&manifest, &integrity, error))?;
        let migrations = target.migrate().await?;
        tracing::info!(backup = %manifest.id, migrations = migrations.len(), "backup restored");
        Ok(RestoreReport {
            id: manifest.id,
            migrations,
        })
    }

    /// Restores a backup into a scratch database, compares schema version
    /// and row counts with the manifest, drops the scratch database, and
    /// records the outcome beside the backup.
    pub async fn verify(
        &self,
        which: BackupSelector,
        decryptor: Option<&dyn ArchiveDecryptor>,
    ) -> Result<VerificationRecord, BackupError> {
        let manifest = self.select(which).await?;
        let started = Instant::now();
        let outcome = self.drill(&manifest, decryptor).await;
        let (ok, message) = match outcome {
            Ok(()) => (
                true,
                format!(
                    "restored into a scratch database: schema {} and the row counts of {} tables match the manifest",
                    manifest.schema_version.as_deref().unwrap_or("(none)"),
                    manifest.row_counts.len()
                ),
            ),
            Err(BackupError::Unexpected(error)) => return Err(BackupError::Unexpected(error)),
            Err(error) => (false, error.to_string()),
        };
        let record = VerificationRecord {
            id: manifest.id,
            verified_at: self.stores.clock.now(),
            ok,
            message,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let json = serde_json::to_vec_pretty(&record).map_err(anyhow::Error::from)?;
        self.stores
            .blobs
            .put(&key(&manifest.id.verification_key())?, Bytes::from(json))
            .await?;
        if record.ok {
            tracing::info!(backup = %record.id, "backup verified");
        } else {
            tracing::error!(backup = %record.id, reason = %record.message, "backup verification failed");
        }
        Ok(record)
    }

    async fn drill(
        &self,
        manifest: &BackupManifest,
        decryptor: Option<&dyn ArchiveDecryptor>,
    ) -> Result<(), BackupError> {
        let (body, integrity) = self.verified_body(manifest, decryptor).await?;
        // Unique per drill: two drills of one backup (the schedule and an
        // operator), or two installations sharing a server, must not drop
        // each other's scratch database.
        let name = format!(
            "shoebox_verify_{}_{}",
            manifest.id.to_string().to_lowercase(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let scratch = self.stores.archive.create_scratch(&name).await?;
        let outcome = async {
            scratch
                .restore(body)
                .await
                .map_err(|error| restore_error(manifest, &integrity, error))?;
            let facts = scratch.facts().await?;
            if facts.schema_version != manifest.schema_version {
                return Err(BackupError::Damaged {
                    id: manifest.id,
                    reason: format!(
                        "schema version {:?} after restore, the manifest says {:?}",
                        facts.schema_version, manifest.schema_version
                    ),
                });
            }
            if facts.row_counts != manifest.row_counts {
                let differing: Vec<String> = manifest
                    .row_counts
                    .keys()
                    .chain(facts.row_counts.keys())
                    .filter(|table| manifest.row_counts.get(*table) != facts.row_counts.get(*table))
                    .map(|table| {
                        format!(
                            "{table}: {} restored, {} in the manifest",
                            facts.row_counts.get(table).copied().unwrap_or(0),
                            manifest.row_counts.get(table).copied().unwrap_or(0)
                        )
                    })
                    .collect();
                return Err(BackupError::Damaged {
                    id: manifest.id,
                    reason: format!("row counts differ ({})", differing.join("; ")),
                });
            }
            Ok(())
        }
        .await;
        let dropped = self.stores.archive.drop_scratch(&name).await;
        outcome?;
        dropped?;
        Ok(())
    }

    /// The dump's plain bytes; the last chunk is held back until the whole
    /// object has been hashed, and replaced by an error when the checksum
    /// or the size disagrees with the manifest, so a restore never commits
    /// a damaged archive. The [`Integrity`] tells afterwards whether a
    /// failure of the stream was damage (checksum, decryption) rather than
    /// the store failing to read.
    async fn verified_body(
        &self,
        manifest: &BackupManifest,
        decryptor: Option<&dyn ArchiveDecryptor>,
    ) -> Result<(ByteStream, Integrity), BackupError> {
        if manifest.encryption.is_some() && decryptor.is_none() {
            return Err(BackupError::IdentityNeeded(manifest.id));
        }
        let read = self
            .stores
            .blobs
            .get(&key(&manifest.dump_key)?, None)
            .await?;
        let integrity = Integrity::default();
        let checked = checksummed(read.body, manifest.clone(), integrity.clone());
        let body = match (&manifest.encryption, decryptor) {
            (Some(_), Some(decryptor)) => integrity.watch_decryption(decryptor.decrypt(checked)),
            _ => checked,
        };
        Ok((body, integrity))
    }

    async fn select(&self, which: BackupSelector) -> Result<BackupManifest, BackupError> {
        match which {
            BackupSelector::Id(id) => self.manifest(id).await.map_err(|error| match error {
                BackupError::Unexpected(_) => BackupError::NotFound(id),
                other => other,
            }),
            BackupSelector::Latest => {
                let latest = self
                    .list_summaries()
                    .await?
                    .into_iter()
                    .filter(|(_, state)| *state == BackupState::Complete)
                    .map(|(id, _)| id)
                    .max()
                    .ok_or(BackupError::NoBackup)?;
                self.manifest(latest).await
            }
        }
    }

    async fn manifest(&self, id: BackupId) -> Result<BackupManifest, BackupError> {
        let bytes = self.read_bytes(&id.manifest_key()).await?;
        BackupManifest::from_json_bytes(&bytes).map_err(|error| BackupError::Damaged {
            id,
            reason: error.to_string(),
        })
    }

    async fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        raw_key: &str,
    ) -> Result<T, BackupError> {
        let bytes = self.read_bytes(raw_key).await?;
        Ok(serde_json::from_slice(&bytes).map_err(anyhow::Error::from)?)
    }

    async fn read_bytes(&self, raw_key: &str) -> Result<Vec<u8>, BackupError> {
        let mut read = self.stores.blobs.get(&key(raw_key)?, None).await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = read.body.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(bytes)
    }

    /// Dumps and manifests found, by id.
    async fn list_summaries(&self) -> Result<Vec<(BackupId, BackupState)>, BackupError> {
        Ok(self
            .scan()
            .await?
            .into_iter()
            .filter(|(_, found)| found.dump_size.is_some())
            .map(|(id, found)| {
                let state = if found.manifest {
                    BackupState::Complete
                } else {
                    BackupState::Incomplete
                };
                (id, state)
            })
            .collect())
    }

    /// One listing of the store: which objects each backup has.
    async fn scan(&self) -> Result<BTreeMap<BackupId, Found>, BackupError> {
        let prefix = ObjectPrefix::parse(BACKUP_PREFIX.trim_end_matches('/'))
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        let mut found: BTreeMap<BackupId, Found> = BTreeMap::new();
        let mut objects = self.stores.blobs.list(&prefix);
        while let Some(meta) = objects.next().await {
            let meta = meta?;
            let Some((id, kind)) = BackupId::from_key(meta.key.as_str()) else {
                continue;
            };
            let entry = found.entry(id).or_default();
            match kind {
                BackupObjectKind::Dump => entry.dump_size = Some(meta.size),
                BackupObjectKind::Manifest => entry.manifest = true,
                BackupObjectKind::Verification => entry.verification = true,
            }
        }
        Ok(found)
    }
}

/// The objects of one backup that a listing found.
#[derive(Debug, Default)]
struct Found {
    dump_size: Option<u64>,
    manifest: bool,
    verification: bool,
}

/// What went wrong with a dump's bytes on their way to a restore, when it
/// was the bytes themselves.
#[derive(Debug, Clone, Default)]
struct Integrity {
    state: Arc<std::sync::Mutex<IntegrityState>>,
}

#[derive(Debug, Default)]
struct IntegrityState {
    /// The store failed to read: not the backup's fault.
    store_failed: bool,
    /// Why the bytes are not the backup's.
    damage: Option<String>,
}

impl Integrity {
    fn update(&self, change: impl FnOnce(&mut IntegrityState)) {
        if let Ok(mut state) = self.state.lock() {
            change(&mut state);
        }
    }

    fn damage(&self) -> Option<String> {
        self.state
            .lock()
            .ok()
            .and_then(|state| state.damage.clone())
    }

    /// Records a decryption failure as damage, unless the store failed
    /// first (the decryptor then only passes that failure on).
    fn watch_decryption(&self, body: ByteStream) -> ByteStream {
        let integrity = self.clone();
        Box::pin(body.inspect(move |item| {
            if let Err(error) = item {
                integrity.update(|state| {
                    if !state.store_failed && state.damage.is_none() {
                        state.damage = Some(format!("cannot decrypt: {error}"));
                    }
                });
            }
        }))
    }
}

/// A restore that failed: damage of the backup when its bytes were found
/// wrong, otherwise what the database said or an unexpected failure.
fn restore_error(
    manifest: &BackupManifest,
    integrity: &Integrity,
    error: RestoreError,
) -> BackupError {
    if let Some(reason) = integrity.damage() {
        return BackupError::Damaged {
            id: manifest.id,
            reason,
        };
    }
    match error {
        RestoreError::Rejected(reason) => BackupError::Damaged {
            id: manifest.id,
            reason,
        },
        RestoreError::Unexpected(error) => BackupError::Unexpected(error),
    }
}

fn key(raw: &str) -> Result<ObjectKey, BackupError> {
    ObjectKey::parse(raw).map_err(|error| BackupError::Unexpected(anyhow::anyhow!("{error}")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `body`, with its last chunk held back until the SHA-256 and size of
/// everything match `manifest`; on a mismatch the stream ends with an error
/// instead.
fn checksummed(body: ByteStream, manifest: BackupManifest, integrity: Integrity) -> ByteStream {
    struct State {
        body: ByteStream,
        hasher: Sha256,
        size: u64,
        held: Option<Bytes>,
        done: bool,
        manifest: BackupManifest,
        integrity: Integrity,
    }
    let state = State {
        body,
        hasher: Sha256::new(),
        size: 0,
        held: None,
        done: false,
        manifest,
        integrity,
    };
    Box::pin(futures_util::stream::unfold(
        state,
        |mut state| async move {
            if state.done {
                return None;
            }
            loop {
                match state.body.next().await {
                    Some(Ok(chunk)) => {
                        state.hasher.update(&chunk);
                        state.size += chunk.len() as u64;
                        if let Some(previous) = state.held.replace(chunk) {
                            return Some((Ok(previous), state));
                        }
                    }
                    Some(Err(error)) => {
                        state.done = true;
                        state
                            .integrity
                            .update(|integrity| integrity.store_failed = true);
                        return Some((Err(error), state));
                    }
                    None => {
                        state.done = true;
                        let digest = hex(&state.hasher.clone().finalize());
                        let manifest = &state.manifest;
                        if state.size != manifest.size_bytes || digest != manifest.sha256 {
                            let reason = format!(
                                "checksum mismatch: the manifest says {} bytes with SHA-256 {}, the stored dump has {} bytes with SHA-256 {}",
                                manifest.size_bytes, manifest.sha256, state.size, digest
                            );
                            state
                                .integrity
                                .update(|integrity| integrity.damage = Some(reason.clone()));
                            let error = BlobError::Unexpected(anyhow::anyhow!(reason));
                            return Some((Err(error), state));
                        }
                        let last = state.held.take()?;
                        return Some((Ok(last), state));
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests;
