//! Wake-ups for waiting workers, from PostgreSQL's LISTEN/NOTIFY.
//!
//! diesel's connection cannot block until a notification arrives (it can
//! only drain the ones already received), so one `tokio-postgres` connection
//! per process listens on `shoebox_jobs` and wakes the waiters. When that
//! connection fails it is re-opened with a growing back-off; meanwhile
//! waiters simply time out, which makes the workers poll.

use std::{sync::Arc, time::Duration};

use futures_util::StreamExt;
use tokio::{
    sync::{Notify, mpsc, oneshot},
    task::JoinHandle,
};
use tokio_postgres::{AsyncMessage, NoTls};

/// The channel the `jobs_notify` trigger notifies.
const CHANNEL: &str = "shoebox_jobs";
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LONGEST_RETRY: Duration = Duration::from_secs(30);

/// The listening task of a process. Dropping the last handle stops it.
#[derive(Debug)]
pub(super) struct JobListener {
    wakeups: Arc<Notify>,
    task: JoinHandle<()>,
}

impl JobListener {
    /// Starts listening on `url`, waiting up to `ready_within` for the first
    /// LISTEN to be in place, so that a job enqueued right after this returns
    /// is announced. When it is not in place by then, the listener keeps
    /// trying in the background and waiters poll until it is.
    pub(super) async fn start(url: String, ready_within: Duration) -> Self {
        let wakeups = Arc::new(Notify::new());
        let (ready_sender, ready) = oneshot::channel();
        let task = tokio::spawn(listen_forever(url, Arc::clone(&wakeups), ready_sender));
        if !matches!(tokio::time::timeout(ready_within, ready).await, Ok(Ok(()))) {
            tracing::warn!(
                "could not LISTEN for new jobs yet; workers poll until the listener connects"
            );
        }
        Self { wakeups, task }
    }

    /// Waits for an announcement, at most `max_wait`; `true` when one came.
    pub(super) async fn wait(&self, max_wait: Duration) -> bool {
        tokio::time::timeout(max_wait, self.wakeups.notified())
            .await
            .is_ok()
    }
}

impl Drop for JobListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Wakes every current waiter and leaves a permit for the next one, so that
/// an announcement arriving while a worker is busy claiming is not lost (at
/// worst a worker looks once more than needed).
fn wake(wakeups: &Notify) {
    wakeups.notify_waiters();
    wakeups.notify_one();
}

async fn listen_forever(url: String, wakeups: Arc<Notify>, ready: oneshot::Sender<()>) {
    let mut ready = Some(ready);
    let mut retry_in = FIRST_RETRY;
    let mut listened_before = false;
    loop {
        let mut listening = false;
        let outcome =
            listen_once(&url, &wakeups, &mut listening, listened_before, &mut ready).await;
        if listening {
            listened_before = true;
            retry_in = FIRST_RETRY;
        }
        match outcome {
            Ok(()) => tracing::warn!("the job listener's connection closed; reconnecting"),
            // The error names the host, never the password.
            Err(error) => {
                tracing::warn!(error = %error, retry_in_seconds = retry_in.as_secs(), "the job listener could not listen; retrying")
            }
        }
        tokio::time::sleep(retry_in).await;
        retry_in = (retry_in * 2).min(LONGEST_RETRY);
    }
}

async fn listen_once(
    url: &str,
    wakeups: &Notify,
    listening: &mut bool,
    listened_before: bool,
    ready: &mut Option<oneshot::Sender<()>>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    let (sender, mut notifications) = mpsc::unbounded_channel::<()>();
    // The connection must be polled for the client to make progress; its
    // asynchronous messages are the notifications.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(_)) => {
                    if sender.send(()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    });
    let listened = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    if let Err(error) = listened {
        driver.abort();
        return Err(error);
    }
    *listening = true;
    if listened_before {
        // Jobs enqueued while we were not listening were announced to nobody.
        wake(wakeups);
    }
    if let Some(ready) = ready.take() {
        let _ = ready.send(());
    }
    tracing::debug!("listening for new jobs");
    while notifications.recv().await.is_some() {
        wake(wakeups);
    }
    drop(client);
    match driver.await {
        Ok(result) => result,
        Err(_) => Ok(()),
    }
}
