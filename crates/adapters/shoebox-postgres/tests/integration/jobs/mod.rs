//! The job queue, the scheduler's ledger and the purge, on a real server.

mod admin;
mod claims;
mod ledger;
mod listen;
mod purge;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use shoebox_domain::jobs::{ClaimedJob, JobId, JobKind, NewJob};
use shoebox_ports::outbound::{ClaimRequest, JobQueue};
use shoebox_postgres::{DatabaseSettings, PostgresDatabase, PostgresJobQueue};
use shoebox_test_support::TestDatabase;

pub use shoebox_test_support::fixtures::at;

pub const KIND: &str = "test.echo";

pub fn kind() -> JobKind {
    JobKind::parse(KIND).unwrap()
}

/// A job of [`KIND`] due at `run_at`.
pub fn new_job(run_at: DateTime<Utc>) -> NewJob {
    NewJob::new(kind(), json!({"n": 1}), run_at)
}

pub fn request(worker: &str, now: DateTime<Utc>, lease_seconds: u64, limit: u32) -> ClaimRequest {
    ClaimRequest {
        worker: worker.to_owned(),
        kinds: vec![kind()],
        now,
        lease: Duration::from_secs(lease_seconds),
        limit,
    }
}

pub struct Queue {
    pub queue: PostgresJobQueue,
    pub pool: PostgresDatabase,
    // Declared last so that it is dropped last, after every pool handle.
    pub database: TestDatabase,
}

impl Queue {
    pub fn new() -> Self {
        Self::with_pool_size(4)
    }

    pub fn with_pool_size(pool_size: usize) -> Self {
        let database = TestDatabase::migrated();
        let pool = PostgresDatabase::connect(&DatabaseSettings {
            pool_size,
            ..database.settings()
        })
        .unwrap();
        Self {
            queue: PostgresJobQueue::new(&pool),
            pool,
            database,
        }
    }

    pub async fn enqueue(&self, job: NewJob) -> JobId {
        self.queue.enqueue(job).await.unwrap().id()
    }

    /// Claims at most one job as `worker`.
    pub async fn claim_one(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_seconds: u64,
    ) -> Option<ClaimedJob> {
        let mut claimed = self
            .queue
            .claim(request(worker, now, lease_seconds, 1))
            .await
            .unwrap();
        assert!(claimed.len() <= 1);
        claimed.pop()
    }
}
