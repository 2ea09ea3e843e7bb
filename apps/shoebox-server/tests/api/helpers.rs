//! `spawn_app()`: the whole application on port 0, with typed helpers.

use std::{net::TcpListener, sync::Arc};

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use shoebox_application::jobs::{Worker, WorkerSettings};
use shoebox_crypto::PasswordHashingSettings;
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, Role},
    auth::SignupMode,
};
use shoebox_ports::{inbound::EnsureUser, outbound::SystemClock};
use shoebox_postgres::PostgresJobQueue;
use shoebox_server::{settings::Settings, wiring::Application};
use shoebox_test_support::TestDatabase;

pub const PASSWORD: &str = "velvet-otter-marches-north";

pub struct TestApp {
    pub address: String,
    /// The local object store's directory, removed with the app.
    pub objects: tempfile::TempDir,
    /// Held so the database lives as long as the app; dropped with it.
    _database: TestDatabase,
    pub application: Application,
    server: actix_web::dev::ServerHandle,
    worker: Option<WorkerThread>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stops accepting at once; the test's runtime ending finishes the job.
        drop(self.server.stop(false));
        if let Some(worker) = self.worker.take() {
            worker.stop();
        }
    }
}

/// A job worker on a thread and runtime of its own, so that it can be
/// stopped and joined while the test's runtime still runs.
struct WorkerThread {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl WorkerThread {
    fn stop(self) {
        let _ = self.stop.send(());
        self.thread.join().expect("the worker thread panicked");
    }
}

pub struct TestAppBuilder {
    settings: Settings,
    worker: bool,
    /// Another store than a fresh local directory (e.g. S3).
    storage: Option<shoebox_object_store::StorageSettings>,
}

pub fn builder() -> TestAppBuilder {
    let mut settings = Settings::default();
    settings.auth.signup = SignupMode::Open;
    settings.http.workers = 1;
    // Cheap hashes keep the suite fast; the production parameters are tested in shoebox-crypto.
    settings.password_hashing = PasswordHashingSettings {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
        max_concurrent: 4,
    };
    TestAppBuilder {
        settings,
        worker: false,
        storage: None,
    }
}

pub async fn spawn_app() -> TestApp {
    builder().spawn().await
}

impl TestAppBuilder {
    pub fn signup(mut self, mode: SignupMode) -> Self {
        self.settings.auth.signup = mode;
        self
    }

    /// Runs a job worker (the photo handlers) beside the server, as
    /// `serve --with-worker` does.
    pub fn with_worker(mut self) -> Self {
        self.worker = true;
        self
    }

    /// Uses this object store instead of a fresh local directory
    /// (`TestApp::object_keys` then sees nothing).
    pub fn with_storage(mut self, storage: shoebox_object_store::StorageSettings) -> Self {
        self.storage = Some(storage);
        self
    }

    pub fn settings(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        change(&mut self.settings);
        self
    }

    pub async fn spawn(mut self) -> TestApp {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = shoebox_telemetry::init(&self.settings.log);
        }
        let db = tokio::task::spawn_blocking(TestDatabase::migrated)
            .await
            .unwrap();
        self.settings.database = Some(db.settings());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        self.settings.http.public_url = address.clone();
        let objects = tempfile::tempdir().unwrap();
        self.settings.storage =
            self.storage
                .take()
                .unwrap_or_else(|| shoebox_object_store::StorageSettings {
                    url: format!("file://{}", objects.path().display()),
                    ..Default::default()
                });
        let application = Application::build(&self.settings).unwrap();
        let worker = self
            .worker
            .then(|| spawn_worker(&self.settings, db.settings()));
        let server = shoebox_http::serve(listener, application.http_state(&self.settings)).unwrap();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp {
            address,
            objects,
            _database: db,
            application,
            server: handle,
            worker,
        }
    }
}

/// A worker with the photo handlers, woken by LISTEN/NOTIFY.
fn spawn_worker(settings: &Settings, database: shoebox_postgres::DatabaseSettings) -> WorkerThread {
    let settings = settings.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            // The worker's own object graph and pool, as in a worker process:
            // everything it holds lives and ends inside this runtime.
            let application = Application::build(&settings).unwrap();
            let handlers = application.job_handlers().unwrap();
            let queue = PostgresJobQueue::listening(&application.database, &database).await;
            let worker_settings = WorkerSettings {
                shutdown_grace_seconds: 5,
                ..WorkerSettings::default()
            };
            let worker = Worker::new(
                "test-worker",
                Arc::new(queue),
                Arc::new(SystemClock),
                handlers,
                worker_settings,
            );
            worker
                .run(async {
                    let _ = stopped.await;
                })
                .await;
        });
    });
    WorkerThread { stop, thread }
}

impl TestApp {
    /// Stops the server and waits for it, so that its workers drop what they
    /// hold (pooled connections among them) inside their own runtimes rather
    /// than while their threads are torn down after the test.
    pub async fn stop(self) {
        self.server.stop(false).await;
    }

    /// The URL of this app's database.
    pub fn database_url(&self) -> &str {
        self._database.url()
    }

    /// Every object key in the store, sorted.
    pub fn object_keys(&self) -> Vec<String> {
        files_under(self.objects.path())
    }

    /// A new browser: its own cookie jar, no CSRF token yet.
    pub fn client(&self) -> Client {
        Client {
            base: self.address.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                // Below the server's 5 s keep-alive: never reuse a connection
                // the server may be closing at that very moment.
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .unwrap(),
            csrf: None,
        }
    }

    /// Creates an account directly (as `shoebox users create-admin` does).
    pub async fn create_user(&self, email: &str, role: Role) {
        let request = EnsureUser {
            email: EmailAddress::parse(email).unwrap(),
            display_name: DisplayName::parse("Someone").unwrap(),
            password: PASSWORD.to_owned(),
            role,
            overwrite: true,
        };
        self.application
            .provisioning
            .ensure_user(request)
            .await
            .unwrap();
    }

    /// A browser signed in as a new account with this role.
    pub async fn signed_in(&self, email: &str, role: Role) -> Client {
        self.create_user(email, role).await;
        let mut client = self.client();
        let response = client.log_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        client
    }
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub csrf: Option<String>,
}

impl Client {
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = &self.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    pub async fn send_json(&self, method: Method, path: &str, body: Value) -> Response {
        self.request(method, path).json(&body).send().await.unwrap()
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path).send().await.unwrap()
    }

    /// Signs in and remembers the CSRF token, as the web app does.
    async fn remember(&mut self, response: Response) -> Response {
        if !response.status().is_success() {
            return response;
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap();
        self.csrf = body["csrf_token"].as_str().map(str::to_owned);
        rebuild(status, &headers, body)
    }

    pub async fn sign_up(&mut self, body: Value) -> Response {
        let response = self
            .send_json(Method::POST, "/api/v1/auth/signup", body)
            .await;
        self.remember(response).await
    }

    pub async fn log_in(&mut self, email: &str, password: &str) -> Response {
        let response = self
            .send_json(
                Method::POST,
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        self.remember(response).await
    }
}

/// A response whose body was already read, rebuilt so tests can read it again.
fn rebuild(status: StatusCode, headers: &reqwest::header::HeaderMap, body: Value) -> Response {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    Response::from(builder.body(body.to_string()).unwrap())
}

/// Reads a problem+json body, checking its content type.
pub async fn problem(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "status {status}"
    );
    (status, response.json().await.unwrap())
}

/// Uploads `files` (name, bytes) in one multipart request.
pub async fn upload(client: &Client, files: Vec<(&str, Vec<u8>)>) -> Response {
    let names: Vec<String> = files.iter().map(|(name, _)| (*name).to_owned()).collect();
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        form = form.part("file", part);
    }
    client
        .request(Method::POST, "/api/v1/photos")
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|error| panic!("uploading {names:?}: {error}"))
}

/// The photo once the worker is done with it (ready or failed), polling its
/// status with a deadline.
pub async fn settled_photo(client: &Client, id: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let photo: Value = client
            .get(&format!("/api/v1/photos/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if photo["status"] != "processing" {
            return photo;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "photo {id} still processing after 60 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Every file under `root` (recursively), relative to it, sorted; a missing
/// directory has none.
pub fn files_under(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// A 320×240 JPEG (distinct per `seed`) whose EXIF puts it at 45° N, 6° E.
pub fn located_jpeg(seed: u64) -> Vec<u8> {
    let exif = shoebox_imaging::samples::SampleExif {
        gps: Some(shoebox_imaging::samples::SampleGps {
            latitude: 45.0,
            longitude: 6.0,
            altitude_m: None,
        }),
        ..shoebox_imaging::samples::SampleExif::default()
    };
    shoebox_imaging::samples::jpeg_seeded(320, 240, seed, &exif)
}

/// Fails unless `jpeg` holds no location anywhere (EXIF, XMP, IPTC): the
/// scrubber finds nothing to remove.
pub fn assert_location_free(jpeg: &[u8]) {
    let found = shoebox_imaging::scrub_location(jpeg, shoebox_domain::imaging::ImageFormat::Jpeg);
    assert_eq!(
        found.map(|copy| copy.is_some()),
        Ok(false),
        "a location is left"
    );
}

/// Uploads `files` as `owner` and puts them, in order, in a new `members`
/// album; returns the photo ids and the album's id.
pub async fn members_album_of(
    owner: &Client,
    files: Vec<(&str, Vec<u8>)>,
) -> (Vec<String>, String) {
    let uploaded: Vec<Value> = upload(owner, files).await.json().await.unwrap();
    let ids: Vec<String> = uploaded
        .iter()
        .map(|item| item["photo"]["id"].as_str().unwrap().to_owned())
        .collect();
    let created: Value = owner
        .send_json(
            Method::POST,
            "/api/v1/albums",
            serde_json::json!({"title": "Club", "visibility": "members"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let album = created["id"].as_str().unwrap().to_owned();
    let added = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{album}/photos"),
            serde_json::json!({"photo_ids": ids}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    (ids, album)
}
