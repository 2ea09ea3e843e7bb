//! The schema check behind `/readyz` and the start-up check of `serve`.

use async_trait::async_trait;
use shoebox_ports::outbound::{SchemaInspector, SchemaState};

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
