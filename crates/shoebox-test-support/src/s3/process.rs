//! One `moto_server` process: started on a free port, waited for, killed on
//! drop.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer after it was started (a loaded
/// machine imports moto slowly).
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);
/// Ports tried when another process takes the one picked before moto binds it.
const PORT_ATTEMPTS: u32 = 3;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub(super) struct MotoProcess {
    child: Child,
    endpoint: String,
    port: u16,
}

impl MotoProcess {
    pub(super) fn start(program: &Path) -> Result<Self, String> {
        let mut last_error = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port()?;
            let child = Command::new(program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                // moto logs every request; nobody reads it, and an unread
                // pipe would eventually block the server.
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|error| format!("could not run it: {error}"))?;
            let mut process = Self {
                child,
                endpoint: format!("http://127.0.0.1:{port}"),
                port,
            };
            match process.wait_until_ready() {
                Ok(()) => return Ok(process),
                Err(error) => last_error = error,
            }
        }
        Err(last_error)
    }

    pub(super) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Polls until the server answers HTTP, it exits, or the deadline passes.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_DEADLINE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("moto_server exited during start-up ({status})"));
            }
            if self.request("GET", "/").is_ok_and(|status| status == 200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "moto_server did not answer on port {} within {}s",
                    self.port,
                    STARTUP_DEADLINE.as_secs()
                ));
            }
            // A polling interval, not synchronisation: readiness is the
            // answer to the request above.
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `PUT /bucket` (path-style). moto does not check signatures, so the
    /// test-support crate needs no S3 client of its own.
    pub(super) fn create_bucket(&self, bucket: &str) -> Result<(), String> {
        match self.request("PUT", &format!("/{bucket}"))? {
            200 => Ok(()),
            status => Err(format!("the server answered HTTP {status}")),
        }
    }

    /// One HTTP/1.1 request without a body; returns the status code.
    fn request(&self, method: &str, path: &str) -> Result<u16, String> {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))
            .map_err(|error| error.to_string())?;
        stream
            .set_read_timeout(Some(IO_TIMEOUT))
            .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
            .map_err(|error| error.to_string())?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .map_err(|error| error.to_string())?;
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .map_err(|error| error.to_string())?;
        let response = String::from_utf8_lossy(&response);
        response
            .split(' ')
            .nth(1)
            .and_then(|status| status.parse().ok())
            .ok_or_else(|| format!("not an HTTP response: {:?}", response.lines().next()))
    }
}

impl Drop for MotoProcess {
    fn drop(&mut self) {
        // Already gone is fine; anything else would only leave a stray
        // process on a test machine, not worth a panic in drop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|error| format!("could not find a free port: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| format!("could not find a free port: {error}"))
}
