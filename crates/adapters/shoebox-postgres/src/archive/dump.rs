//! A dump of the whole database in one snapshot: a connection exports the
//! snapshot and holds it open while `pg_dump --snapshot` streams it, and
//! counts the rows of every table in that same snapshot meanwhile.

use anyhow::{Context, anyhow};
use bytes::{Bytes, BytesMut};
use shoebox_ports::outbound::{BlobError, ByteStream, DatabaseDump, DatabaseFacts};
use tokio::{
    io::AsyncReadExt,
    process::{Child, ChildStdout},
    sync::oneshot,
    task::JoinHandle,
};

use super::{catalog, tools::PgTools};

/// Bytes read from pg_dump at a time; with the store's own bound, what a
/// backup holds in memory.
const CHUNK_BYTES: usize = 256 * 1024;

pub(super) async fn start(url: String, tools: &PgTools) -> anyhow::Result<DatabaseDump> {
    let (snapshot_sender, snapshot) = oneshot::channel::<anyhow::Result<String>>();
    let (facts_sender, facts) = oneshot::channel::<anyhow::Result<DatabaseFacts>>();
    let (release, released) = oneshot::channel::<()>();
    tokio::task::spawn_blocking(move || {
        let mut connection = match catalog::establish(&url) {
            Ok(connection) => connection,
            Err(error) => {
                let _ = snapshot_sender.send(Err(error));
                return;
            }
        };
        match catalog::begin_exported_snapshot(&mut connection) {
            Ok(snapshot) => {
                if snapshot_sender.send(Ok(snapshot)).is_err() {
                    return;
                }
            }
            Err(error) => {
                let _ = snapshot_sender.send(Err(error));
                return;
            }
        }
        let _ = facts_sender.send(catalog::facts(&mut connection));
        // The snapshot must outlive pg_dump's import of it: hold it until
        // the dump is over (or abandoned).
        let _ = released.blocking_recv();
        catalog::end_snapshot(&mut connection);
    });
    let snapshot = snapshot
        .await
        .map_err(|_| anyhow!("the snapshot connection stopped"))??;
    let mut child = tools
        .command("pg_dump")
        .arg(tools.dbname_arg())
        .args(["--format=custom", "--snapshot", &snapshot])
        .spawn()
        .map_err(|error| super::tools::spawn_error("pg_dump", error))?;
    let stdout = child
        .stdout
        .take()
        .context("pg_dump has no standard output")?;
    let stderr = tokio::spawn(super::tools::read_stderr(child.stderr.take()));
    let facts = Box::pin(async move {
        facts
            .await
            .map_err(|_| anyhow!("the snapshot connection stopped"))?
    });
    let running = Running {
        stdout,
        child,
        stderr,
        release,
    };
    let body: ByteStream = Box::pin(futures_util::stream::unfold(Some(running), next_chunk));
    Ok(DatabaseDump { facts, body })
}

/// pg_dump at work, and what must live as long as it does.
struct Running {
    stdout: ChildStdout,
    child: Child,
    stderr: JoinHandle<String>,
    /// Dropped when the dump ends: the snapshot is then let go.
    release: oneshot::Sender<()>,
}

type Item = Result<Bytes, BlobError>;

async fn next_chunk(state: Option<Running>) -> Option<(Item, Option<Running>)> {
    let mut running = state?;
    let mut buffer = BytesMut::with_capacity(CHUNK_BYTES);
    while buffer.len() < CHUNK_BYTES {
        match running.stdout.read_buf(&mut buffer).await {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => {
                let error = anyhow::Error::new(error).context("could not read pg_dump's output");
                return Some((Err(BlobError::Unexpected(error)), None));
            }
        }
    }
    if !buffer.is_empty() {
        return Some((Ok(buffer.freeze()), Some(running)));
    }
    // The end of the output: pg_dump's exit status says whether it is whole.
    let status = running.child.wait().await;
    let message = running.stderr.await.unwrap_or_default();
    drop(running.release);
    match status {
        Ok(status) if status.success() => None,
        Ok(status) => Some((
            Err(BlobError::Unexpected(anyhow!(
                "pg_dump failed ({status}): {message}"
            ))),
            None,
        )),
        Err(error) => Some((
            Err(BlobError::Unexpected(
                anyhow::Error::new(error).context("could not wait for pg_dump"),
            )),
            None,
        )),
    }
}
