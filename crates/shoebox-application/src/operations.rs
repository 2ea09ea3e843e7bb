//! Readiness (can this process serve traffic?) and the figures monitoring reads.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use shoebox_domain::jobs::JobOverview;
use shoebox_ports::{
    inbound::{NotReady, OperationalFigures, Operations},
    outbound::{Clock, DatabaseMonitor, JobQueue, SchemaInspector},
};

pub struct OperationsService {
    schema: Arc<dyn SchemaInspector>,
    monitor: Arc<dyn DatabaseMonitor>,
    jobs: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for OperationsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationsService").finish_non_exhaustive()
    }
}

impl OperationsService {
    pub fn new(
        schema: Arc<dyn SchemaInspector>,
        monitor: Arc<dyn DatabaseMonitor>,
        jobs: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            schema,
            monitor,
            jobs,
            clock,
        }
    }
}

#[async_trait]
impl Operations for OperationsService {
    #[tracing::instrument(name = "use_case.readiness", skip_all)]
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

    #[tracing::instrument(name = "use_case.operational_figures", skip_all)]
    async fn figures(&self) -> OperationalFigures {
        let now = self.clock.now();
        let jobs = match self.jobs.counts(now).await {
            Ok(counts) => Some(JobOverview::new(counts, now)),
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "job counts unavailable for monitoring");
                None
            }
        };
        let stored_bytes = match self.monitor.stored_bytes().await {
            Ok(bytes) => Some(bytes),
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "stored bytes unavailable for monitoring");
                None
            }
        };
        OperationalFigures {
            pool: self.monitor.pool_status(),
            jobs,
            stored_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use shoebox_domain::jobs::JobCounts;
    use shoebox_ports::outbound::{
        MockClock, MockDatabaseMonitor, MockJobQueue, MockSchemaInspector, PoolStatus,
    };

    use super::*;

    #[tokio::test]
    async fn figures_leave_out_what_cannot_be_read() {
        let mut monitor = MockDatabaseMonitor::new();
        monitor.expect_pool_status().return_const(PoolStatus {
            size: 3,
            idle: 1,
            max_size: 10,
            waiting: 0,
        });
        monitor
            .expect_stored_bytes()
            .returning(|| Err(anyhow::anyhow!("connection refused")));
        let mut jobs = MockJobQueue::new();
        jobs.expect_counts().returning(|_| {
            Ok(JobCounts {
                queued: 4,
                dead: 1,
                ..JobCounts::default()
            })
        });
        let mut clock = MockClock::new();
        clock.expect_now().returning(chrono::Utc::now);
        let service = OperationsService::new(
            Arc::new(MockSchemaInspector::new()),
            Arc::new(monitor),
            Arc::new(jobs),
            Arc::new(clock),
        );
        let figures = service.figures().await;
        assert_eq!(figures.pool.size, 3);
        assert_eq!(figures.stored_bytes, None);
        let overview = figures.jobs.expect("job counts were readable");
        assert_eq!((overview.counts.queued, overview.counts.dead), (4, 1));
    }
}
