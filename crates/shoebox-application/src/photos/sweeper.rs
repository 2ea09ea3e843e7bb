//! The orphan sweeper: removes photo objects that no photo row claims.
//!
//! They come from uploads cut short by a crash (the object was written, the
//! row never), and from deletions whose object removal failed. A grace period
//! protects uploads still in flight: an object is only an orphan once it is
//! older than any upload could take.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::StreamExt;
use shoebox_domain::{
    photos::{PhotoId, photo_of_key},
    storage::{ObjectKey, ObjectPrefix},
};

use super::PhotoStores;

/// Photo ids looked up per database query.
const BATCH: usize = 500;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Photo objects looked at.
    pub examined: u64,
    /// Objects removed because no photo row claims them.
    pub removed: u64,
    /// Leftovers of writes cut short by a crash (local staging files).
    pub abandoned_writes: u64,
}

#[derive(Debug, Clone)]
pub struct OrphanSweep {
    stores: PhotoStores,
    grace: TimeDelta,
}

impl OrphanSweep {
    pub fn new(stores: PhotoStores, grace: TimeDelta) -> Self {
        Self { stores, grace }
    }

    /// Sweeps every member's photo objects older than the grace period.
    pub async fn sweep(&self) -> anyhow::Result<SweepReport> {
        let now = self.stores.clock.now();
        let prefix = ObjectPrefix::parse("users")?;
        let mut report = SweepReport::default();
        let mut pending: HashMap<PhotoId, Vec<ObjectKey>> = HashMap::new();
        let mut objects = self.stores.blobs.list(&prefix);
        while let Some(meta) = objects.next().await {
            let meta = meta?;
            let Some((_, photo)) = photo_of_key(&meta.key) else {
                continue;
            };
            report.examined += 1;
            if !self.is_old(meta.last_modified, now) {
                continue;
            }
            pending.entry(photo).or_default().push(meta.key);
            if pending.len() >= BATCH {
                report.removed += self.remove_unclaimed(std::mem::take(&mut pending)).await?;
            }
        }
        drop(objects);
        report.removed += self.remove_unclaimed(pending).await?;
        report.abandoned_writes = self
            .stores
            .blobs
            .remove_abandoned_writes(now - self.grace)
            .await?;
        tracing::info!(
            examined = report.examined,
            removed = report.removed,
            abandoned_writes = report.abandoned_writes,
            "orphan sweep done"
        );
        Ok(report)
    }

    fn is_old(&self, last_modified: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - last_modified > self.grace
    }

    async fn remove_unclaimed(
        &self,
        candidates: HashMap<PhotoId, Vec<ObjectKey>>,
    ) -> anyhow::Result<u64> {
        if candidates.is_empty() {
            return Ok(0);
        }
        let ids = candidates.keys().copied().collect();
        let existing: HashSet<PhotoId> = self
            .stores
            .photos
            .existing(ids)
            .await?
            .into_iter()
            .collect();
        let mut removed = 0;
        for (photo, keys) in candidates {
            if existing.contains(&photo) {
                continue;
            }
            for key in keys {
                self.stores.blobs.delete(&key).await?;
                tracing::info!(%key, "removed an orphaned object");
                removed += 1;
            }
        }
        Ok(removed)
    }
}
