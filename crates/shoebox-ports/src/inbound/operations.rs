//! Whether this process can serve traffic, and the figures it reports.

use async_trait::async_trait;
use shoebox_domain::jobs::JobOverview;

use crate::outbound::PoolStatus;

#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    #[error("the database is unreachable")]
    DatabaseUnreachable(#[source] anyhow::Error),
    #[error("the database schema is older than this binary needs ({pending} migration(s) pending)")]
    SchemaBehind { pending: usize },
}

/// What `/metrics` shows of the system beyond HTTP: each figure the store
/// could not give is `None` (the scrape says so and invents nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationalFigures {
    pub pool: PoolStatus,
    pub jobs: Option<JobOverview>,
    pub stored_bytes: Option<u64>,
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Operations: Send + Sync {
    /// `Ok` when the database answers and its schema is compatible.
    async fn readiness(&self) -> Result<(), NotReady>;

    /// The pool, the job queue and the stored bytes, for monitoring. Never
    /// fails: a figure that cannot be read is left out (and logged).
    async fn figures(&self) -> OperationalFigures;
}
