//! A restore in one transaction: `pg_restore` turns the archive into SQL,
//! which `psql --single-transaction` applies after emptying the schema. psql
//! is only let reach the end of its input (and so commit) once the archive
//! has arrived whole and pg_restore has succeeded; otherwise it is killed
//! mid-transaction and the database is left as it was.

use std::process::Stdio;

use anyhow::Context;
use futures_util::StreamExt;
use shoebox_ports::outbound::{ByteStream, RestoreError};
use tokio::io::AsyncWriteExt;

use super::tools::{PgTools, read_stderr, spawn_error};

/// What psql runs before the archive's SQL, in the same transaction.
const EMPTY_SCHEMA: &str = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;";

pub(super) async fn restore(tools: &PgTools, mut body: ByteStream) -> Result<(), RestoreError> {
    // Without --dbname, pg_restore writes the SQL to standard output and
    // connects nowhere.
    let mut pg_restore = tools
        .command("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--file=-",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|error| spawn_error("pg_restore", error))?;
    let mut psql = tools
        .command("psql")
        .arg(tools.dbname_arg())
        .args([
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            &format!("--command={EMPTY_SCHEMA}"),
            "--file=-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|error| spawn_error("psql", error))?;
    let restore_errors = tokio::spawn(read_stderr(pg_restore.stderr.take()));
    let psql_errors = tokio::spawn(read_stderr(psql.stderr.take()));
    let mut archive_in = pg_restore
        .stdin
        .take()
        .context("pg_restore has no standard input")?;
    let mut sql_out = pg_restore
        .stdout
        .take()
        .context("pg_restore has no standard output")?;
    let mut sql_in = psql.stdin.take().context("psql has no standard input")?;

    let feed = async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|error| Failure::Input(anyhow::Error::new(error)))?;
            archive_in
                .write_all(&chunk)
                .await
                .map_err(|_| Failure::Restore)?;
        }
        archive_in.shutdown().await.map_err(|_| Failure::Restore)?;
        drop(archive_in);
        Ok::<(), Failure>(())
    };
    let pump = async {
        tokio::io::copy(&mut sql_out, &mut sql_in)
            .await
            .map_err(|_| Failure::Psql)
    };
    let streamed = tokio::try_join!(feed, pump);
    let restored = match streamed {
        Ok(_) => match pg_restore.wait().await {
            Ok(status) if status.success() => Ok(()),
            _ => Err(Failure::Restore),
        },
        Err(failure) => Err(failure),
    };
    if let Err(failure) = restored {
        // psql has not seen the end of its input: killing it rolls back.
        let _ = psql.kill().await;
        let _ = pg_restore.kill().await;
        return Err(match failure {
            Failure::Input(error) => RestoreError::Unexpected(error),
            Failure::Restore => RestoreError::Rejected(format!(
                "pg_restore: {}",
                restore_errors.await.unwrap_or_default()
            )),
            Failure::Psql => {
                RestoreError::Rejected(format!("psql: {}", psql_errors.await.unwrap_or_default()))
            }
        });
    }
    // The whole archive is in: let psql commit.
    drop(sql_in);
    let status = psql.wait().await.context("could not wait for psql")?;
    if status.success() {
        Ok(())
    } else {
        Err(RestoreError::Rejected(format!(
            "psql: {}",
            psql_errors.await.unwrap_or_default()
        )))
    }
}

/// Why the pipeline stopped early.
enum Failure {
    /// The archive's own stream failed (unreadable, or its checksum wrong).
    Input(anyhow::Error),
    Restore,
    Psql,
}
