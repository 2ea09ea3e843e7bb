//! The schema check behind `/readyz` and the start-up check of `serve`, and
//! the figures of the database that `/metrics` shows.

use async_trait::async_trait;
use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use shoebox_ports::outbound::{DatabaseMonitor, PoolStatus, SchemaInspector, SchemaState};

use crate::{PostgresDatabase, migrations};

/// Compares the database's applied migrations with the ones this binary embeds,
/// through the pool (the synchronous [`migrations::state`] is for the CLI).
#[derive(Debug, Clone)]
pub struct PostgresSchemaInspector {
    database: PostgresDatabase,
}

impl PostgresSchemaInspector {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl SchemaInspector for PostgresSchemaInspector {
    async fn schema_state(&self) -> anyhow::Result<SchemaState> {
        self.database
            .run("reading the schema version", migrations::schema_state)
            .await
    }
}

#[derive(QueryableByName)]
struct StoredBytes {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// The pool's figures and the bytes of photos recorded in the database.
#[derive(Debug, Clone)]
pub struct PostgresDatabaseMonitor {
    database: PostgresDatabase,
}

impl PostgresDatabaseMonitor {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl DatabaseMonitor for PostgresDatabaseMonitor {
    fn pool_status(&self) -> PoolStatus {
        self.database.pool_status()
    }

    async fn stored_bytes(&self) -> anyhow::Result<u64> {
        self.database
            .run("summing the stored bytes", |connection| {
                diesel::sql_query(
                    "SELECT ((SELECT coalesce(sum(size_bytes), 0) FROM photos) \
                     + (SELECT coalesce(sum(size_bytes), 0) FROM photo_variants))::bigint AS bytes",
                )
                .get_result::<StoredBytes>(connection)
                .map(|row| row.bytes)
            })
            .await
            .map(|bytes| u64::try_from(bytes).unwrap_or(0))
    }
}
