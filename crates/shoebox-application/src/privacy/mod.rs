//! Privacy (SPEC §8): erasing a member, and the deletion ledger that keeps
//! them erased across restores.

use std::{fmt, sync::Arc};

mod deletion;
mod export;
mod settings;

pub use deletion::{DeletionService, ERASE_DUE_JOB, EraseDueJob};
pub use export::{
    BUILD_EXPORT_JOB, BuildExportJob, BuiltExport, ExportService, SWEEP_EXPORTS_JOB,
    SweepExportsJob, build_export_job,
};
pub use settings::PrivacySettings;

use bytes::Bytes;
use futures_util::StreamExt;
use shoebox_domain::{
    accounts::UserId,
    privacy::{DeletionRecord, objects_prefix_of},
};
use shoebox_ports::outbound::{BlobError, BlobStore, Clock, UserRepository};

/// What erasing needs: the members' database and the store of their objects
/// and of the ledger.
#[derive(Clone)]
pub struct ErasureService {
    users: Arc<dyn UserRepository>,
    blobs: Arc<dyn BlobStore>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ErasureService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErasureService").finish_non_exhaustive()
    }
}

/// What a replay of the ledger did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayReport {
    /// Records in the ledger.
    pub records: usize,
    /// Members the database held again (restored from a backup) and that
    /// were erased again.
    pub erased_again: Vec<UserId>,
}

impl ErasureService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        blobs: Arc<dyn BlobStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            blobs,
            clock,
        }
    }

    /// Erases a member for good: the ledger record first (so that a crash
    /// half-way is finished by the next replay), then the database, then
    /// every object under their prefix. Idempotent. `false` when the
    /// database held no such member (the ledger and the store are cleaned
    /// all the same).
    pub async fn erase(&self, user: UserId) -> anyhow::Result<bool> {
        self.record(user).await?;
        let existed = self.users.erase(user).await?;
        let objects = self.blobs.delete_prefix(&objects_prefix_of(user)).await?;
        tracing::info!(user_id = %user, existed, objects, "member erased");
        Ok(existed)
    }

    /// Erases again every member of the ledger that the database holds —
    /// after a restore of a backup older than their deletion.
    pub async fn replay(&self) -> anyhow::Result<ReplayReport> {
        let mut report = ReplayReport::default();
        let mut keys = Vec::new();
        let mut listing = self.blobs.list(&DeletionRecord::prefix());
        while let Some(meta) = listing.next().await {
            keys.push(meta?.key);
        }
        for key in keys {
            let Some(user) = DeletionRecord::user_of_key(&key) else {
                tracing::warn!(key = %key.as_str(), "not a deletion record; skipped");
                continue;
            };
            report.records += 1;
            let existed = self.users.erase(user).await?;
            self.blobs.delete_prefix(&objects_prefix_of(user)).await?;
            if existed {
                report.erased_again.push(user);
            }
        }
        tracing::info!(
            records = report.records,
            erased_again = report.erased_again.len(),
            "deletion ledger replayed"
        );
        Ok(report)
    }

    /// Writes the member's record unless one exists (the first deletion's
    /// time is the one kept: the ledger is append-only).
    async fn record(&self, user: UserId) -> anyhow::Result<()> {
        let key = DeletionRecord::key_of(user);
        match self.blobs.head(&key).await {
            Ok(_) => return Ok(()),
            Err(BlobError::NotFound) => {}
            Err(error) => return Err(error.into()),
        }
        let record = DeletionRecord::new(user, self.clock.now());
        self.blobs
            .put(&key, Bytes::from(record.to_json_bytes()))
            .await?;
        Ok(())
    }
}
