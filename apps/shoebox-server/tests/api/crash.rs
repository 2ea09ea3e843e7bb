//! A server killed with SIGKILL in the middle of an upload: no photo becomes
//! visible, and the orphan sweeper removes the partial bytes it left.

use std::{
    io::Write,
    net::{TcpListener, TcpStream},
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{TimeDelta, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types::BigInt};
use shoebox_application::OrphanSweep;
use shoebox_imaging::samples::{self, SampleExif};
use shoebox_server::{settings::Settings, wiring::Application};
use shoebox_test_support::{FakeClock, TestDatabase};

use crate::helpers::files_under;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[actix_web::test]
async fn a_server_killed_mid_upload_leaves_no_photo_and_the_sweeper_cleans_up() {
    let database = TestDatabase::migrated();
    let objects = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let storage = format!("file://{}", objects.path().display());
    let mut server = Command::new(env!("CARGO_BIN_EXE_shoebox"))
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", database.url())
        .env("SHOEBOX_HTTP__BIND", format!("127.0.0.1:{port}"))
        .env("SHOEBOX_HTTP__PUBLIC_URL", &base)
        .env("SHOEBOX_AUTH__SIGNUP", "open")
        .env("SHOEBOX_STORAGE__URL", &storage)
        .env("SHOEBOX_LOG__LEVEL", "warn")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let signed_up = http
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&serde_json::json!({
            "email": "ann@example.org",
            "password": "velvet-otter-marches-north",
            "display_name": "Ann"
        }))
        .send()
        .await
        .unwrap();
    let cookie = signed_up.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let body: serde_json::Value = signed_up.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();

    // Most of a large photo, then silence: the server is mid-upload.
    let jpeg = samples::jpeg_seeded(4000, 3000, 11, &SampleExif::default());
    let sent = &jpeg[..jpeg.len() - 1000];
    let boundary = "shoebox-crash-test";
    let preamble = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /api/v1/photos HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{preamble}",
        preamble.len() + jpeg.len() + boundary.len() + 8
    )
    .unwrap();
    stream.write_all(sent).unwrap();
    stream.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !files_under(objects.path()).iter().any(|f| f.contains('#')) {
        assert!(Instant::now() < deadline, "no partial object was written");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    drop(stream);

    let mut connection = PgConnection::establish(database.url()).unwrap();
    let photos: Count = diesel::sql_query("SELECT count(*) AS count FROM photos")
        .get_result(&mut connection)
        .unwrap();
    assert_eq!(photos.count, 0, "no photo row for a cut-short upload");
    // No photo work was queued (sign-up queued its verification mail).
    let jobs: Count =
        diesel::sql_query("SELECT count(*) AS count FROM jobs WHERE kind <> 'mail.send'")
            .get_result(&mut connection)
            .unwrap();
    assert_eq!(jobs.count, 0);
    let leftovers = files_under(objects.path());
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");

    // Within the grace period the partial bytes stay (an upload may still
    // be running elsewhere); after it, the sweep removes them.
    let mut settings = Settings::default();
    settings.database = Some(database.settings());
    settings.storage.url = storage;
    let clock = Arc::new(FakeClock::at(Utc::now()));
    let application = Application::build_with_clock(&settings, clock.clone()).unwrap();
    let sweep = OrphanSweep::new(application.photo_stores.clone(), TimeDelta::hours(24));
    assert_eq!(sweep.sweep().await.unwrap().abandoned_writes, 0);
    clock.advance(Duration::from_secs(25 * 3600));
    assert_eq!(sweep.sweep().await.unwrap().abandoned_writes, 1);
    assert_eq!(files_under(objects.path()), Vec::<String>::new());
}

#[actix_web::test]
async fn the_sweeper_removes_objects_no_photo_claims_once_old_enough() {
    let app = crate::helpers::builder().spawn().await;
    let owner = app
        .signed_in("ann@example.org", shoebox_domain::accounts::Role::Member)
        .await;
    let kept = samples::jpeg_seeded(200, 100, 1, &SampleExif::default());
    let response = crate::helpers::upload(&owner, vec![("kept.jpg", kept)]).await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let stray = shoebox_domain::storage::ObjectKey::parse(&format!(
        "users/{}/photos/{}/original",
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    let stores = app.application.photo_stores.clone();
    stores
        .blobs
        .put(&stray, bytes::Bytes::from_static(b"orphan"))
        .await
        .unwrap();
    assert_eq!(app.object_keys().len(), 2);

    let clock = Arc::new(FakeClock::at(Utc::now()));
    let mut later = stores.clone();
    later.clock = clock.clone();
    let sweep = OrphanSweep::new(later, TimeDelta::hours(24));
    assert_eq!(
        sweep.sweep().await.unwrap().removed,
        0,
        "within the grace period"
    );
    clock.advance(Duration::from_secs(25 * 3600));
    let report = sweep.sweep().await.unwrap();
    assert_eq!((report.examined, report.removed), (2, 1));
    let left = app.object_keys();
    assert_eq!(left.len(), 1);
    assert!(
        !left[0].contains(&stray.as_str()[6..20]),
        "the photo's original stays"
    );
}
