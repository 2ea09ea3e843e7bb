//! `cargo xtask dev`: the whole app on this machine in one command.
//!
//! Checks prerequisites, provisions PostgreSQL (a private cluster under
//! `target/shoebox-dev/pg` unless `DATABASE_URL` is set),
//! builds `shoebox`, migrates, seeds the
//! demo data, serves, and rebuilds and restarts on every change to the Rust
//! sources. The Vite dev server serves `web/` with hot module reload and
//! proxies the server's paths (`/api`, `/healthz`, ...) to it. A failed rebuild leaves the running server alone. Ctrl-C (or
//! SIGTERM/SIGHUP) stops the server, the watcher and PostgreSQL.

mod database;
mod session;
mod watch;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use session::Session;

use crate::server::port_is_free;
use crate::{prerequisites, project};

/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// How long a freshly started server has to answer `/healthz`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Flags of `cargo xtask dev`.
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// The HTTP port of the app (on 127.0.0.1).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The port of the Vite dev server (hot module reload), which proxies
    /// the API to the app's port.
    #[arg(long, default_value_t = 5173)]
    web_port: u16,
}

/// What the main loop reacts to.
#[derive(Debug)]
pub(crate) enum Event {
    /// A source file changed.
    Changed(PathBuf),
    /// Ctrl-C, SIGTERM or SIGHUP.
    Shutdown,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    let (sender, events) = mpsc::channel();
    let on_signal = sender.clone();
    ctrlc::set_handler(move || {
        let _ = on_signal.send(Event::Shutdown);
    })
    .context("could not install the Ctrl-C handler")?;

    prerequisites::cargo()?;
    let database_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    if database_url.is_none() {
        prerequisites::postgres()?;
    }
    crate::web::install()?;
    for port in [flags.port, flags.web_port] {
        if !port_is_free(port) {
            bail!(
                "port {port} is already in use on 127.0.0.1; stop whatever listens there or pass --port/--web-port"
            );
        }
    }
    if flags.port == flags.web_port {
        bail!("--port and --web-port must differ");
    }
    let root = project::root();
    let dev_dir = root.join("target").join("shoebox-dev");
    std::fs::create_dir_all(&dev_dir)
        .with_context(|| format!("could not create {}", dev_dir.display()))?;

    // From here on every exit path stops PostgreSQL (the cluster's watchdog
    // covers the paths that skip destructors).
    let database = database::provision(&dev_dir, database_url)?;
    let env = dev_env(flags.port, &database.url);
    let session = Session {
        root,
        port: flags.port,
        web_port: flags.web_port,
        env,
        database_url: database.url.clone(),
    };
    let result = session.run(sender, &events);
    let stopped = database.stop();
    result.and(stopped)
}

/// The environment of `shoebox migrate | seed | serve`. Settings the
/// developer already exported win, except the ones tied to `--port`.
fn dev_env(port: u16, database_url: &str) -> Vec<(String, String)> {
    let mut env = vec![
        ("DATABASE_URL".to_owned(), database_url.to_owned()),
        ("SHOEBOX_HTTP__BIND".to_owned(), format!("127.0.0.1:{port}")),
        (
            "SHOEBOX_HTTP__PUBLIC_URL".to_owned(),
            format!("http://localhost:{port}"),
        ),
    ];
    let objects = project::root().join("target/shoebox-dev/objects");
    let mail = mail_folder();
    let defaults = [
        ("SHOEBOX_AUTH__SIGNUP", "open".to_owned()),
        ("SHOEBOX_LOG__FORMAT", "pretty".to_owned()),
        // The local object store sits beside the dev database, under target/.
        (
            "SHOEBOX_STORAGE__URL",
            format!("file://{}", objects.display()),
        ),
        // The development mailer: each message an `.eml` file, never sent.
        ("SHOEBOX_MAIL__FOLDER", mail.display().to_string()),
    ];
    for (name, value) in defaults {
        if std::env::var_os(name).is_none() {
            env.push((name.to_owned(), value));
        }
    }
    env
}

/// Where `cargo xtask dev` keeps the messages the app sends.
pub(crate) fn mail_folder() -> PathBuf {
    project::root().join("target/shoebox-dev/mail")
}

/// Waits for the next change; `None` means shutdown was requested.
fn wait_for_change(events: &Receiver<Event>) -> Option<()> {
    match events.recv() {
        Ok(Event::Changed(_)) => debounce(events),
        Ok(Event::Shutdown) | Err(_) => None,
    }
}

/// Waits until no change has arrived for [`DEBOUNCE`], so that a burst of
/// saves (or a `git checkout`) triggers one rebuild; `None` means shutdown.
fn debounce(events: &Receiver<Event>) -> Option<()> {
    loop {
        match events.recv_timeout(DEBOUNCE) {
            Ok(Event::Changed(_)) => {}
            Ok(Event::Shutdown) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => return Some(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_follows_the_port() {
        let env = dev_env(9090, "postgres://x");
        let get = |name: &str| {
            env.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(get("DATABASE_URL"), Some("postgres://x"));
        if std::env::var_os("SHOEBOX_STORAGE__URL").is_none() {
            let storage = get("SHOEBOX_STORAGE__URL").unwrap();
            assert!(
                storage.starts_with("file:///") && storage.ends_with("target/shoebox-dev/objects")
            );
        }
        if std::env::var_os("SHOEBOX_MAIL__FOLDER").is_none()
            && std::env::var_os("SHOEBOX_MAIL__SMTP_URL").is_none()
        {
            let folder = get("SHOEBOX_MAIL__FOLDER").unwrap();
            assert!(folder.ends_with("target/shoebox-dev/mail"), "{folder}");
        }
        assert_eq!(get("SHOEBOX_HTTP__BIND"), Some("127.0.0.1:9090"));
        assert_eq!(
            get("SHOEBOX_HTTP__PUBLIC_URL"),
            Some("http://localhost:9090")
        );
    }

    #[test]
    fn a_burst_of_changes_is_one_rebuild_and_shutdown_wins() {
        let (sender, events) = mpsc::channel();
        for _ in 0..5 {
            sender.send(Event::Changed(PathBuf::from("a.rs"))).unwrap();
        }
        assert_eq!(debounce(&events), Some(()));
        assert!(events.try_recv().is_err(), "the burst was consumed");
        sender.send(Event::Changed(PathBuf::from("a.rs"))).unwrap();
        sender.send(Event::Shutdown).unwrap();
        assert_eq!(wait_for_change(&events), None);
    }
}
