//! One dev session: the first build, migration and seed, then serving and
//! rebuilding on changes until shutdown is requested.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result};

use super::{Event, STARTUP_TIMEOUT, debounce, wait_for_change, watch};
use crate::process::{CommandFailed, run_step};
use crate::project;
use crate::server::{Server, port_is_free, terminate_child};
use crate::ui;

/// Everything that runs between provisioning the database and Ctrl-C.
#[derive(Debug)]
pub(super) struct Session {
    pub(super) root: PathBuf,
    pub(super) port: u16,
    pub(super) web_port: u16,
    pub(super) env: Vec<(String, String)>,
    pub(super) database_url: String,
}

impl Session {
    pub(super) fn run(&self, sender: mpsc::Sender<Event>, events: &Receiver<Event>) -> Result<()> {
        let binary = project::shoebox_binary(&project::target_dir()?, "debug");
        let watcher = watch::watch(&self.root, sender)?;

        // Until the first build, migration and seed succeed there is nothing
        // to serve: report the failure and try again after the next change.
        while let Err(error) = self.prepare(&binary, true) {
            if !interrupted(&error) {
                eprintln!("error: {error:#}");
                ui::note("fix the problem and save; waiting for changes (Ctrl-C stops)");
            }
            if wait_for_change(events).is_none() {
                return Ok(());
            }
        }
        let mut web = WebDevServer(start_web_dev_server(self.port, self.web_port)?);
        let mut server = self.launch(&binary);

        loop {
            match events.recv_timeout(Duration::from_secs(1)) {
                Ok(Event::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(running) = &mut server
                        && let Some(status) = running.exited()?
                    {
                        eprintln!(
                            "the server exited ({status}); it restarts after the next change"
                        );
                        server = None;
                    }
                }
                Ok(Event::Changed(path)) => {
                    let shown = path
                        .strip_prefix(&self.root)
                        .unwrap_or(&path)
                        .display()
                        .to_string();
                    ui::note(&format!("changed: {shown}"));
                    if debounce(events).is_none() {
                        break;
                    }
                    match self.prepare(&binary, false) {
                        Ok(()) => {
                            if let Some(old) = server.take() {
                                old.terminate()?;
                            }
                            server = self.launch(&binary);
                        }
                        // A build cut short by Ctrl-C: the shutdown event follows.
                        Err(error) if interrupted(&error) => {}
                        Err(error) => {
                            eprintln!("error: {error:#}");
                            ui::note(
                                "the previous server (if any) keeps running; waiting for changes",
                            );
                        }
                    }
                }
            }
        }

        ui::note("stopping");
        drop(watcher);
        if let Some(server) = server {
            server.terminate()?;
        }
        web.stop()?;
        Ok(())
    }

    /// Builds the server and migrates the database (and seeds it the first time).
    fn prepare(&self, binary: &Path, seed: bool) -> Result<()> {
        run_step(
            "building shoebox-server",
            project::cargo().args(["build", "-p", "shoebox-server"]),
        )?;
        run_step(
            "migrating the database",
            &mut self.shoebox(binary, "migrate"),
        )?;
        if seed {
            // Seeding prints how to sign in: show it even when it was captured.
            let printed = run_step("seeding demo data", &mut self.shoebox(binary, "seed"))?;
            if !printed.trim().is_empty() {
                eprintln!("{}", printed.trim_end());
            }
        }
        Ok(())
    }

    fn shoebox(&self, binary: &Path, subcommand: &str) -> Command {
        let mut command = Command::new(binary);
        command
            .arg(subcommand)
            .current_dir(&self.root)
            .envs(self.env.iter().map(|(name, value)| (name, value)));
        command
    }

    /// Starts `shoebox serve`; prints the URLs once it is healthy. A server
    /// that fails to come up is reported and left for the next change.
    fn launch(&self, binary: &Path) -> Option<Server> {
        if !port_is_free(self.port) {
            eprintln!(
                "error: port {} is in use by something else; cannot start the server",
                self.port
            );
            return None;
        }
        // No spinner here: the server's own log lines would break through it.
        ui::note("starting the server");
        let mut server = match Server::spawn(binary, self.port, &self.env) {
            Ok(server) => server,
            Err(error) => {
                eprintln!("error: {error:#}");
                return None;
            }
        };
        match server.wait_healthy(STARTUP_TIMEOUT) {
            Ok(()) => {
                self.print_urls();
                Some(server)
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                server.exited().ok().flatten().is_none().then_some(server)
            }
        }
    }

    /// Where the app's messages go: the development mailer's folder unless
    /// the developer configured an SMTP server.
    fn mail_destination(&self) -> String {
        let get = |name: &str| {
            self.env
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .or_else(|| std::env::var(name).ok())
        };
        if get("SHOEBOX_MAIL__SMTP_URL").is_some() {
            return "the SMTP server of SHOEBOX_MAIL__SMTP_URL".to_owned();
        }
        match get("SHOEBOX_MAIL__FOLDER") {
            Some(folder) => format!("{folder}/*.eml   (development mailer; nothing is sent)"),
            None => "nowhere (mail disabled)".to_owned(),
        }
    }

    fn print_urls(&self) {
        let base = format!("http://localhost:{}", self.port);
        eprintln!();
        eprintln!("  Shoebox is running");
        eprintln!(
            "    app        http://localhost:{}/   (Vite, hot reload)",
            self.web_port
        );
        eprintln!("    built app  {base}/   (as embedded in the binary)");
        eprintln!("    API docs   {base}/docs   (Swagger UI)");
        eprintln!("               {base}/redoc");
        eprintln!("    OpenAPI    {base}/api/openapi.json");
        eprintln!("    database   {}", self.database_url);
        eprintln!("    mail       {}", self.mail_destination());
        eprintln!(
            "  Rebuilds on changes to crates/, apps/, Cargo.toml; web/ reloads live; Ctrl-C stops everything."
        );
        eprintln!();
    }
}

/// Starts Vite on 127.0.0.1:`web_port` with hot module reload, proxying the
/// server's own paths to 127.0.0.1:`api_port` (see `web/vite.config.ts`).
/// The child is stopped with the rest on Ctrl-C.
fn start_web_dev_server(api_port: u16, web_port: u16) -> Result<Option<Child>> {
    let port = web_port.to_string();
    let child = crate::web::npm()?
        .args(["exec", "--", "vite", "--port", &port, "--strictPort"])
        .env("SHOEBOX_API_URL", format!("http://127.0.0.1:{api_port}"))
        .env(
            "SHOEBOX_PUBLIC_ORIGIN",
            format!("http://localhost:{api_port}"),
        )
        .stdin(std::process::Stdio::null())
        .spawn()
        .context("could not start the Vite dev server")?;
    Ok(Some(child))
}

/// Whether `error` is a command killed by Ctrl-C (SIGINT reaches the whole
/// foreground process group, so cargo dies of it along with us).
fn interrupted(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<CommandFailed>()
        .is_some_and(CommandFailed::interrupted)
}

/// The Vite dev server's process, stopped on every way out of the session.
#[derive(Debug)]
struct WebDevServer(Option<Child>);

impl WebDevServer {
    fn stop(&mut self) -> Result<()> {
        match self.0.take() {
            Some(mut child) => terminate_child(&mut child),
            None => Ok(()),
        }
    }
}

impl Drop for WebDevServer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
