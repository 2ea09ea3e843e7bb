//! Whether this process can serve traffic.

use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    #[error("the database is unreachable")]
    DatabaseUnreachable(#[source] anyhow::Error),
    #[error("the database schema is older than this binary needs ({pending} migration(s) pending)")]
    SchemaBehind { pending: usize },
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Operations: Send + Sync {
    /// `Ok` when the database answers and its schema is compatible.
    async fn readiness(&self) -> Result<(), NotReady>;
}
