//! Readiness: can this process serve traffic?

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use shoebox_ports::{
    inbound::{NotReady, Operations},
    outbound::SchemaInspector,
};

pub struct OperationsService {
    schema: Arc<dyn SchemaInspector>,
}

impl fmt::Debug for OperationsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationsService").finish_non_exhaustive()
    }
}

impl OperationsService {
    pub fn new(schema: Arc<dyn SchemaInspector>) -> Self {
        Self { schema }
    }
}

#[async_trait]
impl Operations for OperationsService {
    async fn readiness(&self) -> Result<(), NotReady> {
        let state = self
            .schema
            .schema_state()
            .await
            .map_err(NotReady::DatabaseUnreachable)?;
        if state.is_compatible() {
            Ok(())
        } else {
            Err(NotReady::SchemaBehind {
                pending: state.pending.len(),
            })
        }
    }
}
