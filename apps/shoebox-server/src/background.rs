//! The background side of a process: the job worker and the scheduler,
//! stopped together on SIGTERM/SIGINT.

use std::sync::Arc;

use shoebox_application::jobs::{Scheduler, Worker};
use shoebox_domain::jobs::JobId;
use shoebox_postgres::PostgresJobQueue;
use tokio::sync::watch;

use crate::{settings::Settings, wiring::Application};

/// A worker, and the scheduler unless `worker.scheduler` is off.
#[derive(Debug)]
pub struct Background {
    worker: Worker,
    scheduler: Option<Scheduler>,
}

impl Background {
    /// Builds them on `application`, with a queue that LISTENs for new jobs.
    pub async fn build(application: &Application, settings: &Settings) -> anyhow::Result<Self> {
        let queue = PostgresJobQueue::listening(&application.database, settings.database()?).await;
        let worker = Worker::new(
            worker_id(),
            Arc::new(queue.clone()),
            Arc::clone(&application.clock),
            application.job_handlers()?,
            settings.worker.clone(),
        );
        let scheduler = if settings.worker.scheduler {
            Some(Scheduler::new(
                Arc::clone(&application.clock),
                Arc::new(shoebox_postgres::PostgresScheduleLedger::new(
                    &application.database,
                )),
                application.scheduled_tasks()?,
            ))
        } else {
            None
        };
        Ok(Self { worker, scheduler })
    }

    /// Runs both until `stop` turns true (or its sender is dropped), then
    /// returns once both have stopped (running jobs get the shutdown grace).
    pub async fn run(self, stop: watch::Receiver<bool>) {
        let stopped = |mut stop: watch::Receiver<bool>| async move {
            // An error means the sender is gone: stop as well.
            let _ = stop.wait_for(|stop| *stop).await;
        };
        let scheduler = self.scheduler.map(|scheduler| {
            let stop = stop.clone();
            tokio::spawn(async move { scheduler.run(stopped(stop)).await })
        });
        self.worker.run(stopped(stop)).await;
        if let Some(scheduler) = scheduler
            && let Err(error) = scheduler.await
        {
            tracing::error!(error = %error, "the scheduler task failed");
        }
    }
}

/// Unique per process, readable in `locked_by`: host, process id, and a
/// random part (process ids repeat across containers).
fn worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "shoebox".to_owned());
    let random = JobId::new().as_uuid().simple().to_string();
    format!(
        "{host}:{}:{}",
        std::process::id(),
        &random[random.len() - 8..]
    )
}

/// Resolves on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM; only SIGINT stops the process");
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// A stop switch that a task flips on the first SIGTERM/SIGINT; the caller
/// may flip it too (`send(true)`), and hands `subscribe()` to [`Background::run`].
pub fn stop_on_signal() -> Arc<watch::Sender<bool>> {
    let stop = Arc::new(watch::Sender::new(false));
    let switch = Arc::clone(&stop);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutdown requested");
        switch.send_replace(true);
    });
    stop
}
