//! A real S3-compatible server for tests: moto's `moto_server` on 127.0.0.1,
//! and a fresh bucket per test.
//!
//! One server process is shared by the tests of a process that overlap in
//! time (it takes a second to start); it is killed when the last
//! [`S3Server`] using it is dropped.

pub(crate) mod install;
mod process;

use std::sync::{Arc, Mutex, Weak};

use secrecy::SecretString;
use shoebox_object_store::StorageSettings;

use process::MotoProcess;

/// moto accepts any credentials; these make requests look like real ones.
const ACCESS_KEY_ID: &str = "shoebox-test-access-key";
const SECRET_ACCESS_KEY: &str = "shoebox-test-secret-key";
const REGION: &str = "us-east-1";

/// A bucket of its own for one test on a running S3-compatible server.
#[derive(Debug)]
pub struct S3Server {
    process: Arc<MotoProcess>,
    bucket: String,
}

impl S3Server {
    /// Starts (or joins) the server and creates an empty bucket.
    ///
    /// Panics, with the reason, when no server can be had: no S3 test can
    /// run then.
    pub fn start() -> Self {
        let process = shared_process();
        let bucket = format!("shoebox-test-{}", uuid::Uuid::new_v4().simple());
        process
            .create_bucket(&bucket)
            .unwrap_or_else(|error| panic!("could not create test bucket {bucket}: {error}"));
        Self { process, bucket }
    }

    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> &str {
        self.process.endpoint()
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// Settings that reach this bucket (path-style, test credentials).
    pub fn settings(&self) -> StorageSettings {
        StorageSettings {
            endpoint: Some(self.endpoint().to_owned()),
            region: Some(REGION.to_owned()),
            access_key_id: Some(SecretString::from(ACCESS_KEY_ID)),
            secret_access_key: Some(SecretString::from(SECRET_ACCESS_KEY)),
            path_style: true,
            ..StorageSettings::new(format!("s3://{}", self.bucket))
        }
    }

    /// The same settings as `SHOEBOX_STORAGE__*` variables, for a `shoebox`
    /// process under test.
    pub fn environment(&self) -> Vec<(String, String)> {
        [
            ("URL", format!("s3://{}", self.bucket)),
            ("ENDPOINT", self.endpoint().to_owned()),
            ("REGION", REGION.to_owned()),
            ("ACCESS_KEY_ID", ACCESS_KEY_ID.to_owned()),
            ("SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_owned()),
            ("PATH_STYLE", "true".to_owned()),
        ]
        .into_iter()
        .map(|(key, value)| (format!("SHOEBOX_STORAGE__{key}"), value))
        .collect()
    }
}

/// The running server, or a new one when none is in use.
fn shared_process() -> Arc<MotoProcess> {
    static SHARED: Mutex<Weak<MotoProcess>> = Mutex::new(Weak::new());
    // A test that panicked while holding the lock left nothing half-done.
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(process) = shared.upgrade() {
        return process;
    }
    let program = install::moto_server();
    let process = Arc::new(
        MotoProcess::start(&program)
            .unwrap_or_else(|error| panic!("could not start {}: {error}", program.display())),
    );
    *shared = Arc::downgrade(&process);
    process
}
