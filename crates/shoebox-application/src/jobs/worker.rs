//! The worker: claims due jobs up to its concurrency, runs their handlers,
//! sleeps until work is announced or the poll interval passes, and on
//! shutdown stops claiming and lets running jobs finish within a grace.

use std::{future::Future, sync::Arc};

use shoebox_ports::outbound::{ClaimRequest, Clock, JobQueue};
use tokio::task::JoinSet;

use super::{JobHandlers, WorkerSettings, execute::Execution};

pub struct Worker {
    id: String,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    handlers: JobHandlers,
    settings: WorkerSettings,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.id)
            .field("handlers", &self.handlers)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// `id` names this worker in `locked_by` and the logs; make it unique per
    /// process (host, process id, a random part).
    pub fn new(
        id: impl Into<String>,
        queue: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
        handlers: JobHandlers,
        settings: WorkerSettings,
    ) -> Self {
        Self {
            id: id.into(),
            queue,
            clock,
            handlers,
            settings,
        }
    }

    /// Runs until `shutdown` completes, then waits up to the shutdown grace
    /// for running jobs and returns. Jobs still running then are abandoned;
    /// their leases expire and another worker runs them again.
    ///
    /// Dropping this future instead (a killed process) abandons running jobs
    /// the same way.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let kinds = self.handlers.kinds();
        let concurrency = self.settings.concurrency.max(1);
        let execution = Execution {
            queue: Arc::clone(&self.queue),
            clock: Arc::clone(&self.clock),
            lease: self.settings.lease(),
            heartbeat: self.settings.heartbeat(),
            retry: self.settings.retry_policy(),
        };
        tracing::info!(worker = %self.id, ?kinds, concurrency, "worker started");
        let mut running = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            let free = concurrency.saturating_sub(running.len());
            let mut claimed_any = false;
            if free > 0 && !kinds.is_empty() {
                let request = ClaimRequest {
                    worker: self.id.clone(),
                    kinds: kinds.clone(),
                    now: self.clock.now(),
                    lease: self.settings.lease(),
                    limit: u32::try_from(free).unwrap_or(u32::MAX),
                };
                match self.queue.claim(request).await {
                    Ok(claimed) => {
                        claimed_any = !claimed.is_empty();
                        for job in claimed {
                            match self.handlers.get(&job.job.kind) {
                                Some(handler) => {
                                    running.spawn(execution.clone().run(handler, job));
                                }
                                // Cannot happen: we claim only kinds we handle.
                                None => {
                                    tracing::error!(kind = %job.job.kind, "claimed a job without a handler")
                                }
                            }
                        }
                    }
                    Err(error) => {
                        tracing::error!(error = %format!("{error:#}"), "could not claim jobs; trying again after the poll interval");
                    }
                }
            }
            if claimed_any && running.len() < concurrency {
                // There may be more due jobs than the free slots asked for.
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                Some(_) = running.join_next(), if !running.is_empty() => {}
                _ = self.queue.wait_for_work(self.settings.poll_interval()), if running.len() < concurrency => {}
            }
        }
        self.drain(running).await;
    }

    async fn drain(&self, mut running: JoinSet<()>) {
        if running.is_empty() {
            tracing::info!(worker = %self.id, "worker stopped");
            return;
        }
        let grace = self.settings.shutdown_grace();
        tracing::info!(worker = %self.id, running = running.len(), grace_seconds = grace.as_secs(), "worker stopping; waiting for running jobs");
        let finished = tokio::time::timeout(grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            tracing::warn!(worker = %self.id, abandoned = running.len(), "shutdown grace over; abandoning running jobs to their leases");
            running.shutdown().await;
        }
        tracing::info!(worker = %self.id, "worker stopped");
    }
}
