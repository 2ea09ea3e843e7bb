//! Time and the database schema.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The current time. Injected so that expiry, throttling and scheduling can be
/// tested with a controllable clock.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How the database schema compares with what this binary needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaState {
    /// Migrations this binary embeds that the database has not applied.
    pub pending: Vec<String>,
    /// The newest migration applied to the database, if any.
    pub current_version: Option<String>,
}

impl SchemaState {
    /// A newer schema is fine (expand/contract); an older one is not.
    pub fn is_compatible(&self) -> bool {
        self.pending.is_empty()
    }
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait SchemaInspector: Send + Sync {
    /// Errors: only unexpected ones (database unreachable, ...).
    async fn schema_state(&self) -> anyhow::Result<SchemaState>;
}

/// The connection pool as it stands now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open, in use or idle.
    pub size: u64,
    /// Idle connections ready to hand out.
    pub idle: u64,
    /// The most connections the pool opens.
    pub max_size: u64,
    /// Callers waiting for a connection.
    pub waiting: u64,
}

/// Figures of the database for monitoring (`/metrics`).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait DatabaseMonitor: Send + Sync {
    /// The pool's state; never touches the database.
    fn pool_status(&self) -> PoolStatus;

    /// Bytes of photos (originals and variants) the store holds, as recorded.
    /// Errors: only unexpected ones (database unreachable, ...).
    async fn stored_bytes(&self) -> anyhow::Result<u64>;
}
