//! Background jobs end to end: the application's worker and scheduler on the
//! real PostgreSQL queue, the admin routes, and the `shoebox worker` process.

mod killed;
mod process;
mod routes;
mod runtime;
mod scheduler;

use std::{future::Future, time::Duration};

use shoebox_domain::jobs::{Job, JobId};
use shoebox_ports::outbound::JobQueue;

/// How long a condition may take before the test fails. Only a bound: the
/// tests poll for their conditions and go on as soon as they hold.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Polls `check` until it returns `Some`, failing after [`DEADLINE`].
pub async fn eventually<T, F, Fut>(what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    eventually_within(DEADLINE, what, check).await
}

/// As [`eventually`], failing after `bound` instead.
pub async fn eventually_within<T, F, Fut>(bound: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + bound;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the job satisfies `condition`, and returns it.
pub async fn job_where(
    queue: &dyn JobQueue,
    id: JobId,
    what: &str,
    condition: impl Fn(&Job) -> bool,
) -> Job {
    eventually(what, || async {
        queue.find(id).await.unwrap().filter(|job| condition(job))
    })
    .await
}
