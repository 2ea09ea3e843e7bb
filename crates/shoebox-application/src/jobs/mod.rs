//! Background jobs: the handlers' contract, the worker that runs them, the
//! scheduler that enqueues cron-like tasks, the admin use case, and the
//! maintenance handler.
//!
//! The runtime is generic: a job is a kind and a JSON payload, and a handler
//! is registered per kind. Delivery is at least once, so every handler must
//! be idempotent: running it twice for the same job must do no harm.

mod admin;
mod execute;
mod purge;
mod scheduler;
mod settings;
mod worker;

use std::{collections::BTreeMap, fmt, sync::Arc};

use async_trait::async_trait;
use shoebox_domain::jobs::{ClaimedJob, JobKind};

pub use admin::JobAdministrationService;
pub use purge::PurgeExpiredHandler;
pub use scheduler::{ScheduledTask, Scheduler};
pub use settings::WorkerSettings;
pub use worker::Worker;

/// Why a handler did not finish its job.
#[derive(Debug)]
pub enum JobFailure {
    /// Something that may pass (a network error, a busy database): the job
    /// is tried again after a backoff, until its attempts run out.
    Retry(anyhow::Error),
    /// Something that will not pass (a payload that names a deleted photo, a
    /// corrupt file): the job becomes dead at once, with this reason.
    Permanent(String),
}

impl fmt::Display for JobFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retry(error) => write!(f, "{error:#}"),
            Self::Permanent(reason) => f.write_str(reason),
        }
    }
}

/// `?` on an `anyhow::Result` inside a handler means "retry later".
impl From<anyhow::Error> for JobFailure {
    fn from(error: anyhow::Error) -> Self {
        Self::Retry(error)
    }
}

/// Does the work of one kind of job.
///
/// The trait lives here, not in `shoebox-ports`: only this crate's worker
/// calls handlers, and handlers are use cases (they orchestrate outbound
/// ports), so no adapter implements or calls it.
#[async_trait]
pub trait JobHandler: Send + Sync {
    /// The kind of job this handler does.
    fn kind(&self) -> JobKind;

    /// Does the job. Must be idempotent; may run concurrently with other jobs
    /// of the same kind. A panic counts as a retryable failure.
    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobFailure>;
}

/// A second handler for a kind that already has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateHandler(pub JobKind);

impl fmt::Display for DuplicateHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a handler for job kind {} is already registered", self.0)
    }
}

impl std::error::Error for DuplicateHandler {}

/// The handlers a worker runs, one per kind.
#[derive(Clone, Default)]
pub struct JobHandlers {
    by_kind: BTreeMap<JobKind, Arc<dyn JobHandler>>,
}

impl JobHandlers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a handler; refuses a second handler for the same kind.
    pub fn register(&mut self, handler: Arc<dyn JobHandler>) -> Result<(), DuplicateHandler> {
        let kind = handler.kind();
        if self.by_kind.contains_key(&kind) {
            return Err(DuplicateHandler(kind));
        }
        self.by_kind.insert(kind, handler);
        Ok(())
    }

    pub fn get(&self, kind: &JobKind) -> Option<Arc<dyn JobHandler>> {
        self.by_kind.get(kind).cloned()
    }

    /// The kinds a worker with these handlers claims.
    pub fn kinds(&self) -> Vec<JobKind> {
        self.by_kind.keys().cloned().collect()
    }
}

impl fmt::Debug for JobHandlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.by_kind.keys()).finish()
    }
}
