//! The connection pool, and the one way repositories talk to the database.

use std::{fmt, time::Duration};

use anyhow::{Context, anyhow};
use deadpool_diesel::{
    ManagerConfig, RecyclingMethod, Runtime,
    postgres::{Manager, Pool},
};
use diesel::{PgConnection, QueryResult, RunQueryDsl};

use crate::DatabaseSettings;
use crate::repositories::AlbumPageCache;

/// A pool of PostgreSQL connections. Cheap to clone; clones share the pool.
///
/// Connections are opened on first use, so building it does not need the
/// database to be up.
#[derive(Clone)]
pub struct PostgresDatabase {
    pool: Pool,
    album_pages: AlbumPageCache,
}

impl PostgresDatabase {
    /// Builds the pool. Fails only on invalid settings.
    pub fn connect(settings: &DatabaseSettings) -> anyhow::Result<Self> {
        anyhow::ensure!(
            settings.pool_size >= 1,
            "database.pool_size must be at least 1"
        );
        // Handing out a pooled connection costs no round trip. A `SELECT 1`
        // before every use would buy nothing: when the server goes away, the
        // failing query leaves diesel's transaction manager broken, and the
        // pool drops broken connections instead of recycling them.
        let config = ManagerConfig {
            recycling_method: RecyclingMethod::CustomFunction(Box::new(|_| Ok(()))),
        };
        let manager = Manager::from_config(settings.connection_url(), Runtime::Tokio1, config);
        let timeout = Some(Duration::from_secs(settings.connect_timeout_seconds.max(1)));
        let pool = Pool::builder(manager)
            .max_size(settings.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .context("could not build the database connection pool")?;
        Ok(Self {
            pool,
            album_pages: AlbumPageCache::new(settings.album_page_cache_photos),
        })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        self.run("pinging the database", |connection| {
            diesel::sql_query("SELECT 1").execute(connection).map(drop)
        })
        .await
    }

    /// The album pages this process keeps, shared by every repository built
    /// on this pool.
    pub(crate) fn album_pages(&self) -> &AlbumPageCache {
        &self.album_pages
    }

    /// The pool's figures (sizes and waiters), without touching the database.
    pub(crate) fn pool_status(&self) -> shoebox_ports::outbound::PoolStatus {
        let status = self.pool.status();
        let count = |value: usize| u64::try_from(value).unwrap_or(u64::MAX);
        shoebox_ports::outbound::PoolStatus {
            size: count(status.size),
            idle: count(status.available),
            max_size: count(status.max_size),
            waiting: count(status.waiting),
        }
    }

    /// Runs `work` on a pooled connection, on a blocking thread, and names
    /// the operation in any error (never the URL). Each call is a `db` span
    /// (named by `operation`), so traces show the database under the use case.
    pub(crate) async fn run<R, F>(&self, operation: &'static str, work: F) -> anyhow::Result<R>
    where
        F: FnOnce(&mut PgConnection) -> QueryResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let span = tracing::info_span!("db", db.system = "postgresql", db.operation = operation);
        tracing::Instrument::instrument(self.run_unobserved(operation, work), span).await
    }

    async fn run_unobserved<R, F>(&self, operation: &'static str, work: F) -> anyhow::Result<R>
    where
        F: FnOnce(&mut PgConnection) -> QueryResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let connection = self
            .pool
            .get()
            .await
            .map_err(anyhow::Error::new)
            .with_context(|| format!("{operation}: no database connection available"))?;
        connection
            .interact(work)
            .await
            .map_err(|error| anyhow!("{operation}: the database call did not complete ({error})"))?
            .with_context(|| format!("{operation} failed"))
    }
}

/// The pool's own `Debug` would print the database URL, password included.
impl fmt::Debug for PostgresDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PostgresDatabase")
            .field("max_size", &status.max_size)
            .field("size", &status.size)
            .field("available", &status.available)
            .finish()
    }
}
