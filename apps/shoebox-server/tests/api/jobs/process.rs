//! The `shoebox` executable running background jobs, stopped as
//! Kubernetes stops a pod: SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, ExitStatus, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use serde_json::json;
use shoebox_domain::jobs::{JobKind, JobState, NewJob};
use shoebox_ports::outbound::JobQueue;
use shoebox_postgres::PostgresJobQueue;
use shoebox_test_support::TestDatabase;

use super::{DEADLINE, job_where};

/// A running `shoebox` and its log lines as they come.
pub(super) struct Running {
    pub(super) child: Child,
    lines: mpsc::Receiver<String>,
    pub(super) seen: Vec<String>,
}

impl Running {
    fn start(database: &TestDatabase, args: &[&str]) -> Self {
        Self::start_with(database, args, &[])
    }

    /// As [`Running::start`], with more environment variables (settings).
    pub(super) fn start_with(
        database: &TestDatabase,
        args: &[&str],
        vars: &[(&str, &str)],
    ) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shoebox"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", database.url())
            .env("SHOEBOX_LOG__LEVEL", "info")
            .env("SHOEBOX_HTTP__BIND", "127.0.0.1:0")
            // Never the default `./data/objects` inside the source tree: the
            // scheduler's first backup would be written there.
            .env("SHOEBOX_STORAGE__URL", "memory://")
            .envs(vars.iter().copied())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a log line containing `text`.
    pub(super) fn wait_for_log(&mut self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        while !self.seen.iter().any(|line| line.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no log line with {text:?}; got:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Sends SIGTERM and waits for the exit.
    pub(super) fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.seen.extend(self.lines.try_iter());
                return status;
            }
            assert!(Instant::now() < deadline, "still running after SIGTERM");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_process_runs_jobs_and_stops_cleanly_on_sigterm() {
    let database = tokio::task::spawn_blocking(TestDatabase::migrated)
        .await
        .unwrap();
    let mut worker = Running::start(&database, &["worker"]);
    worker.wait_for_log("worker started");
    worker.wait_for_log("scheduler started");

    let queue = PostgresJobQueue::new(&database.database());
    let purge = NewJob::new(
        JobKind::parse("maintenance.purge").unwrap(),
        json!({}),
        chrono::Utc::now(),
    );
    let id = queue.enqueue(purge).await.unwrap().id();
    let done = job_where(&queue, id, "the worker process to run the job", |job| {
        job.state == JobState::Succeeded
    })
    .await;
    assert!(
        done.locked_by
            .unwrap()
            .contains(&worker.child.id().to_string())
    );

    let status = tokio::task::spawn_blocking(move || {
        let status = worker.terminate();
        (status, worker.seen.clone())
    })
    .await
    .unwrap();
    let (status, logs) = status;
    assert_eq!(status.code(), Some(0), "{}", logs.join("\n"));
    assert!(logs.iter().any(|line| line.contains("worker stopped")));
    assert!(logs.iter().any(|line| line.contains("scheduler stopped")));
}

#[test]
fn serve_with_worker_stops_both_on_sigterm() {
    let database = TestDatabase::migrated();
    let mut server = Running::start(&database, &["serve", "--with-worker"]);
    server.wait_for_log("worker started");
    server.wait_for_log("serving");
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{}", server.seen.join("\n"));
    assert!(
        server
            .seen
            .iter()
            .any(|line| line.contains("worker stopped"))
    );
}
