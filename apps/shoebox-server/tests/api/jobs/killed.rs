//! A `shoebox worker` process killed with SIGKILL in the middle of a real
//! variant job: the job stays leased to the dead worker until its lease
//! runs out, then the next worker process runs it again, and it completes
//! once.

use std::{os::unix::process::ExitStatusExt, path::Path, time::Duration};

use bytes::Bytes;
use chrono::Utc;
use image::{
    ExtendedColorType, ImageEncoder,
    codecs::png::{CompressionType, FilterType, PngEncoder},
};
use sha2::{Digest, Sha256};
use shoebox_application::{MAKE_VARIANTS_JOB, photo_of_variants_job};
use shoebox_crypto::PasswordHashingSettings;
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, Role},
    auth::{Actor, Credential},
    imaging::VariantKind,
    jobs::{JobId, JobState},
    page::PageRequest,
    photos::{Photo, PhotoFile, PhotoStatus, photo_object_key},
};
use shoebox_ports::{
    inbound::{EnsureUser, UploadedPhoto},
    outbound::JobQueue,
};
use shoebox_postgres::PostgresJobQueue;
use shoebox_server::{settings::Settings, wiring::Application};
use shoebox_test_support::TestDatabase;

use super::{eventually_within, job_where, process::Running};
use crate::helpers::files_under;

/// Short, so that the test waits seconds for the dead worker's lease, yet
/// longer than a worker process takes to start (see the check after the
/// second worker starts).
const LEASE_SECONDS: u64 = 6;

/// 24 megapixels. The variant job decodes a PNG at full size and resizes it:
/// seconds of work even in an optimised build, against the milliseconds
/// between seeing the job claimed and killing its worker.
const WIDTH: u32 = 6000;
const HEIGHT: u32 = 4000;

/// A bound only, for a whole variant job on two busy cores in a debug build.
const JOB_BOUND: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_process_killed_mid_job_keeps_it_leased_then_the_next_worker_completes_it_once() {
    let database = tokio::task::spawn_blocking(TestDatabase::migrated)
        .await
        .unwrap();
    let objects = tempfile::tempdir().unwrap();
    let storage = format!("file://{}", objects.path().display());
    let application = application(&database, &storage);
    let photo = upload(&application, large_png(WIDTH, HEIGHT)).await;
    let queue = PostgresJobQueue::new(&database.database());
    let id = variants_job_of(&queue, &photo).await;
    let key = |file| photo_object_key(photo.owner_id, photo.id, file).to_string();
    let original = vec![key(PhotoFile::Original)];
    assert_eq!(files_under(objects.path()), original);

    let lease = LEASE_SECONDS.to_string();
    let vars = [
        ("SHOEBOX_STORAGE__URL", storage.as_str()),
        ("SHOEBOX_WORKER__LEASE_SECONDS", lease.as_str()),
        ("SHOEBOX_WORKER__HEARTBEAT_SECONDS", "1"),
        ("SHOEBOX_WORKER__POLL_INTERVAL_MILLIS", "50"),
        ("SHOEBOX_WORKER__SCHEDULER", "false"),
    ];

    // Worker #1 claims the job, and is killed while it renders the variants.
    let mut first = Running::start_with(&database, &["worker"], &vars);
    let first_pid = format!(":{}:", first.child.id());
    let claimed = job_where(&queue, id, "worker #1 to claim the job", |job| {
        job.state != JobState::Queued
    })
    .await;
    assert_eq!(claimed.state, JobState::Running, "{claimed:?}");
    let first_id = claimed.locked_by.clone().unwrap();
    assert!(first_id.contains(&first_pid), "{first_id} is not worker #1");
    first.child.kill().unwrap();
    let killed = first.child.wait().unwrap();
    assert_eq!(killed.signal(), Some(9), "{killed:?}");

    // Not finished, not released: the dead worker's lease still holds it. If
    // the job had finished before the kill landed, the test would prove
    // nothing; it fails here instead (make the photo bigger then).
    let abandoned = queue.find(id).await.unwrap().unwrap();
    assert_eq!(abandoned.state, JobState::Running, "{abandoned:?}");
    assert_eq!(abandoned.locked_by.as_deref(), Some(first_id.as_str()));
    assert_eq!(abandoned.attempts, 1);
    let lease_ends = abandoned.locked_until.unwrap();
    // The variants are written only once both are rendered, seconds into
    // the job: the killed attempt left nothing in the store (had it died
    // during a write, its staging file would be left for the sweeper's
    // `remove_abandoned_writes`, and the next attempt would overwrite the
    // variant's key, not add a second object).
    assert_eq!(files_under(objects.path()), original);
    let processing = application.photo_stores.photos.find(photo.id).await;
    assert_eq!(processing.unwrap().unwrap().status, PhotoStatus::Processing);

    // Worker #2 starts, and leaves the job alone while the lease holds.
    let mut second = Running::start_with(&database, &["worker"], &vars);
    let second_pid = format!(":{}:", second.child.id());
    tokio::task::block_in_place(|| second.wait_for_log("worker started"));
    let held = queue.find(id).await.unwrap().unwrap();
    let read_by = Utc::now();
    assert!(
        read_by < lease_ends,
        "worker #2 took longer than the {LEASE_SECONDS} s lease to start; raise LEASE_SECONDS"
    );
    assert_eq!(held.state, JobState::Running, "{held:?}");
    assert_eq!(held.locked_by.as_deref(), Some(first_id.as_str()));

    let done = eventually_within(JOB_BOUND, "worker #2 to finish the job", || async {
        let job = queue.find(id).await.unwrap()?;
        matches!(job.state, JobState::Succeeded | JobState::Dead).then_some(job)
    })
    .await;
    assert_eq!(done.state, JobState::Succeeded, "{done:?}");
    assert_eq!(
        done.attempts, 2,
        "the killed attempt and the one that completed"
    );
    let second_id = done.locked_by.clone().unwrap();
    assert!(
        second_id.contains(&second_pid),
        "{second_id} is not worker #2"
    );
    // Reaping an expired lease makes the job due at that instant, so its
    // `run_at` says when worker #2 took it over: not before the lease ended.
    assert!(
        done.run_at >= lease_ends,
        "{done:?} taken before {lease_ends}"
    );
    let reaped = done.last_error.as_deref().unwrap_or_default();
    assert!(
        reaped.contains(&first_id) && reaped.contains("expired"),
        "{reaped}"
    );

    assert_ready_with_its_variants_stored_once(&application, &photo, objects.path()).await;

    let (status, logs) = tokio::task::spawn_blocking(move || {
        let status = second.terminate();
        (status, second.seen.clone())
    })
    .await
    .unwrap();
    assert_eq!(status.code(), Some(0), "{}", logs.join("\n"));
    assert!(logs.iter().any(|line| line.contains("worker stopped")));
}

/// The photo is ready with exactly its two variants, the store holds each
/// file of the photo once and nothing else, and the stored variant bytes are
/// the ones the database describes.
async fn assert_ready_with_its_variants_stored_once(
    application: &Application,
    photo: &Photo,
    objects: &Path,
) {
    let key = |file| photo_object_key(photo.owner_id, photo.id, file).to_string();
    let ready = application
        .photo_stores
        .photos
        .find(photo.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ready.status, PhotoStatus::Ready);
    let mut kinds: Vec<_> = ready.variants.iter().map(|v| v.kind).collect();
    kinds.sort_by_key(|kind| kind.as_str());
    assert_eq!(kinds, [VariantKind::Preview, VariantKind::Thumbnail]);
    // No location in the PNG: no location-free copy beside the original.
    let mut expected: Vec<_> = [
        PhotoFile::Original,
        PhotoFile::Variant(VariantKind::Thumbnail),
        PhotoFile::Variant(VariantKind::Preview),
    ]
    .into_iter()
    .map(key)
    .collect();
    expected.sort();
    assert_eq!(files_under(objects), expected);
    for variant in &ready.variants {
        let stored = std::fs::read(objects.join(key(PhotoFile::Variant(variant.kind)))).unwrap();
        assert_eq!(stored.len() as u64, variant.size_bytes);
        assert_eq!(
            hex(&Sha256::digest(&stored)),
            variant.sha256.to_hex(),
            "{:?}",
            variant.kind
        );
    }
}

/// The in-process object graph, to upload as the HTTP handler would.
fn application(database: &TestDatabase, storage: &str) -> Application {
    let mut settings = Settings::default();
    settings.database = Some(database.settings());
    settings.storage.url = storage.to_owned();
    settings.password_hashing = PasswordHashingSettings {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
        max_concurrent: 1,
    };
    Application::build(&settings).unwrap()
}

/// A large PNG made in well under a second even in a debug build: one row of
/// varied pixels, repeated (the Up filter and deflate shrink it to a few
/// hundred kilobytes). Decoding and resizing it costs what its pixel count
/// says, whatever its content.
fn large_png(width: u32, height: u32) -> Vec<u8> {
    let row: Vec<u8> = (0..width * 3)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let pixels = row.repeat(height as usize);
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Up)
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .unwrap();
    png
}

/// Uploads `bytes` through the photo use cases: the photo row and its
/// variant job are inserted together, as for a browser upload.
async fn upload(application: &Application, bytes: Vec<u8>) -> Photo {
    let (user, _) = application
        .provisioning
        .ensure_user(EnsureUser {
            email: EmailAddress::parse("ann@example.org").unwrap(),
            display_name: DisplayName::parse("Ann").unwrap(),
            password: crate::helpers::PASSWORD.to_owned(),
            role: Role::Member,
            overwrite: false,
        })
        .await
        .unwrap();
    let actor = Actor {
        user,
        credential: Credential::Operator,
    };
    let photos = &application.use_cases.photos;
    let mut upload = photos
        .begin_upload(actor.clone(), Some("large.png".to_owned()))
        .await
        .unwrap();
    for chunk in bytes.chunks(64 * 1024) {
        upload.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    let staged = upload.finish().await.unwrap();
    match photos.complete_upload(actor, vec![staged]).await.unwrap()[..] {
        [UploadedPhoto::Created(ref photo)] => photo.clone(),
        ref other => panic!("{other:?}"),
    }
}

/// The queued variant job of `photo`.
async fn variants_job_of(queue: &PostgresJobQueue, photo: &Photo) -> JobId {
    let queued = queue
        .list(JobState::Queued, PageRequest::new(Some(10), None))
        .await
        .unwrap();
    let jobs: Vec<_> = queued
        .items
        .iter()
        .filter(|job| job.kind.as_str() == MAKE_VARIANTS_JOB)
        .filter(|job| photo_of_variants_job(&job.payload) == Some(photo.id))
        .collect();
    assert_eq!(jobs.len(), 1, "{queued:?}");
    jobs[0].id
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
