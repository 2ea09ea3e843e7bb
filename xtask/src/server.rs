//! A `shoebox serve` child process: started with its environment, waited on
//! until `/healthz` answers, and stopped with SIGTERM (then SIGKILL).

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::http;

/// How long a server gets to finish in-flight requests after SIGTERM.
const GRACE: Duration = Duration::from_secs(10);

/// A running `shoebox serve`.
#[derive(Debug)]
pub(crate) struct Server {
    child: Option<Child>,
    port: u16,
}

impl Server {
    /// Starts `binary serve --with-worker` (one machine: jobs run in the same
    /// process) listening on 127.0.0.1:`port`, with `env` added to this
    /// process's environment. Its output goes to the terminal.
    pub(crate) fn spawn(binary: &Path, port: u16, env: &[(String, String)]) -> Result<Self> {
        Self::spawn_with_output(binary, port, env, None)
    }

    /// [`Server::spawn`], its standard output and error going to `log`
    /// (the log lines) when given.
    pub(crate) fn spawn_with_output(
        binary: &Path,
        port: u16,
        env: &[(String, String)],
        log: Option<std::fs::File>,
    ) -> Result<Self> {
        let mut command = Command::new(binary);
        command
            .args(["serve", "--with-worker"])
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null());
        if let Some(log) = log {
            command
                .stdout(log.try_clone().context("could not share the log file")?)
                .stderr(log);
        }
        let child = command
            .spawn()
            .with_context(|| format!("could not start `{} serve`", binary.display()))?;
        Ok(Self {
            child: Some(child),
            port,
        })
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Waits until `GET /healthz` answers 200, failing if the server exits
    /// first or does not answer within `timeout`.
    pub(crate) fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exited()? {
                bail!("the server exited before it answered /healthz ({status})");
            }
            if http::get(self.port, "/healthz").is_ok_and(|response| response.status == 200) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "the server did not answer /healthz on port {} within {}s",
                    self.port,
                    timeout.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The exit status, if the server has exited.
    pub(crate) fn exited(&mut self) -> Result<Option<ExitStatus>> {
        match &mut self.child {
            Some(child) => child.try_wait().context("could not check on the server"),
            None => Ok(None),
        }
    }

    /// Stops the server: SIGTERM, up to ten seconds to finish, then SIGKILL.
    pub(crate) fn terminate(mut self) -> Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> Result<()> {
        match self.child.take() {
            Some(mut child) => terminate_child(&mut child),
            None => Ok(()),
        }
    }
}

/// Stops `child`: SIGTERM, up to ten seconds to finish, then SIGKILL.
pub(crate) fn terminate_child(child: &mut Child) -> Result<()> {
    if child.try_wait()?.is_some() {
        return Ok(());
    }
    let pid = Pid::from_raw(i32::try_from(child.id()).context("process id out of range")?);
    // It may have exited since the check; then there is nothing to signal.
    let _ = kill(pid, Signal::SIGTERM);
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().context("could not kill the process")?;
    child.wait().context("could not wait for the process")?;
    Ok(())
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Whether 127.0.0.1:`port` can be bound right now.
pub(crate) fn port_is_free(port: u16) -> bool {
    std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// The environment of a throwaway local server: defaults, but for where it
/// listens, open sign-up, JSON logs at `warn`, and the object store's
/// directory (`fsync` stays on). The bench and the end-to-end tests share it.
pub(crate) fn local_env(database_url: &str, port: u16, objects: &Path) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", database_url.to_owned()),
        ("SHOEBOX_HTTP__BIND", format!("127.0.0.1:{port}")),
        (
            "SHOEBOX_HTTP__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        ),
        ("SHOEBOX_AUTH__SIGNUP", "open".to_owned()),
        ("SHOEBOX_LOG__FORMAT", "json".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
        (
            "SHOEBOX_STORAGE__URL",
            format!("file://{}", objects.display()),
        ),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}
