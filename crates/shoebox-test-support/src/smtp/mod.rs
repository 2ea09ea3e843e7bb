//! A real SMTP server for tests: aiosmtpd on a free 127.0.0.1 port, one
//! process per [`SmtpServer`], stopped when it is dropped. Every message it
//! accepts becomes a file `NNNNNN.eml` (the bytes it received) in a folder of
//! its own, which [`SmtpServer::wait_for_messages`] reads.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::s3::install;

/// What pip installs (`xtask/src/test.rs` installs the same).
pub const AIOSMTPD_REQUIREMENT: &str = "aiosmtpd==1.4.6";
/// Set by `cargo xtask test` to the venv's `python` that has aiosmtpd.
pub const SMTP_PYTHON_VARIABLE: &str = "SHOEBOX_TEST_SMTP_PYTHON";

const SERVER_SCRIPT: &str = include_str!("server.py");
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);

/// How the server talks.
#[derive(Debug, Clone, Default)]
pub struct SmtpServerOptions {
    /// `Some((user, password))`: AUTH is required.
    pub credentials: Option<(String, String)>,
    /// `Some((certificate PEM, key PEM))` with `implicit_tls` false:
    /// STARTTLS is required; with `implicit_tls`: TLS from the first byte.
    pub tls: Option<(String, String)>,
    pub implicit_tls: bool,
}

#[derive(Debug)]
pub struct SmtpServer {
    child: Child,
    /// Closing it tells the server to stop.
    stdin: Option<ChildStdin>,
    port: u16,
    folder: tempfile_dir::Folder,
}

impl SmtpServer {
    /// A plain server without AUTH.
    pub fn start() -> Self {
        Self::start_with(SmtpServerOptions::default())
    }

    /// Panics with the reason when no server can be had.
    pub fn start_with(options: SmtpServerOptions) -> Self {
        let python = python();
        let folder = tempfile_dir::Folder::new();
        let port = free_port();
        let mode = match (&options.tls, options.implicit_tls) {
            (None, _) => "plain",
            (Some(_), false) => "starttls",
            (Some(_), true) => "tls",
        };
        let mut command = Command::new(&python);
        command
            .arg("-c")
            .arg(SERVER_SCRIPT)
            .arg(port.to_string())
            .arg(folder.path())
            .arg(mode);
        let (user, password) = options.credentials.clone().unwrap_or_default();
        command.arg(user).arg(password);
        if let Some((certificate, key)) = &options.tls {
            let certificate_path = folder.path().join("server.crt");
            let key_path = folder.path().join("server.key");
            std::fs::write(&certificate_path, certificate).expect("writing the test certificate");
            std::fs::write(&key_path, key).expect("writing the test key");
            command.arg(certificate_path).arg(key_path);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("could not run {}: {error}", python.display()));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        // The script prints "ready" once aiosmtpd answers its own probe.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        match receiver.recv_timeout(STARTUP_DEADLINE) {
            Ok(line) if line.trim() == "ready" => {}
            other => {
                let _ = child.kill();
                panic!("the test SMTP server did not start on port {port}: {other:?}");
            }
        }
        Self {
            child,
            stdin,
            port,
            folder,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed,
    /// which panics) and returns them all, oldest first, as text.
    pub fn wait_for_messages(&self, count: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} message(s) within {timeout:?}, got {}",
                messages.len()
            );
            // A polling interval, not synchronisation: the condition is the
            // files above.
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        paths
            .iter()
            .map(|path| std::fs::read_to_string(path).expect("reading a received message"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The venv's python with aiosmtpd, installed on first use.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os(SMTP_PYTHON_VARIABLE).filter(|p| !p.is_empty()) {
        return PathBuf::from(python);
    }
    let venv = install::tools_dir().join("venv");
    install::install(&venv, AIOSMTPD_REQUIREMENT, "aiosmtpd").unwrap_or_else(|error| {
        panic!(
            "aiosmtpd (the SMTP test server) is missing and could not be installed: {error}; \
             run `cargo xtask test`, or set {SMTP_PYTHON_VARIABLE}"
        )
    });
    venv.join("bin/python")
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// A temporary folder removed on drop (without a dependency on `tempfile`
/// in this crate's normal dependencies).
mod tempfile_dir {
    use super::*;

    #[derive(Debug)]
    pub(super) struct Folder(PathBuf);

    impl Folder {
        pub(super) fn new() -> Self {
            let path = std::env::temp_dir()
                .join(format!("shoebox-smtp-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&path).expect("creating the mail folder");
            Self(path)
        }

        pub(super) fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
