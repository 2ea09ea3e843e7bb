//! Data exports against mocks: the paths the server tests cannot provoke
//! (a store that fails on every attempt), and who may see an export.

mod common;

use std::sync::{Arc, Mutex};

use chrono::TimeDelta;
use shoebox_application::{
    Auditor, PhotoStores,
    jobs::{JobFailure, JobHandler},
    privacy::{BuildExportJob, ExportService, build_export_job},
};
use shoebox_domain::{
    accounts::Role,
    jobs::{ClaimedJob, Job, JobId, JobState, LeaseToken},
    privacy::{DataExport, EXPORT_LIFETIME, ExportError, ExportId, ExportStatus},
};
use shoebox_ports::{
    inbound::DataExports,
    outbound::{
        BlobError, InsertExportError, MockAlbumRepository, MockAuditRepository, MockBlobStore,
        MockClock, MockExportRepository, MockImageInspector, MockImageProcessor,
        MockLocationScrubber, MockPhotoRepository, MockShareLinkRepository, MockZipPacker,
    },
};

use common::{Mocks, now, session_actor, user};
use shoebox_ports::outbound::MockMailOutbox;

fn clock() -> Arc<MockClock> {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now());
    Arc::new(clock)
}

fn service(exports: MockExportRepository, blobs: MockBlobStore) -> ExportService {
    let photos = PhotoStores {
        photos: Arc::new(MockPhotoRepository::new()),
        albums: Arc::new(MockAlbumRepository::new()),
        links: Arc::new(MockShareLinkRepository::new()),
        blobs: Arc::new(blobs),
        inspector: Arc::new(MockImageInspector::new()),
        processor: Arc::new(MockImageProcessor::new()),
        scrubber: Arc::new(MockLocationScrubber::new()),
        clock: clock(),
    };
    // Nothing here is an action to audit: a mock without expectations
    // fails the test if anything is written.
    let audit = Auditor::new(Arc::new(MockAuditRepository::new()), clock());
    ExportService::new(
        Arc::new(exports),
        Mocks::default().into_stores(),
        photos,
        Arc::new(MockZipPacker::new()),
        audit,
        // Nothing here gets to ready: a message would fail the test.
        common::postman(MockMailOutbox::new()),
    )
}

fn claimed(export: ExportId, attempts: u32, max_attempts: u32) -> ClaimedJob {
    let new = build_export_job(export, now());
    ClaimedJob {
        job: Job {
            id: JobId::new(),
            kind: new.kind,
            payload: new.payload,
            state: JobState::Running,
            attempts,
            max_attempts,
            run_at: now(),
            dedup_key: None,
            last_error: None,
            created_at: now(),
            updated_at: now(),
            finished_at: None,
            locked_by: Some("w".into()),
            locked_until: Some(now() + TimeDelta::minutes(5)),
        },
        lease: LeaseToken::from_uuid(JobId::new().as_uuid()),
    }
}

/// What `mark_failed` was told: the export, and how long it stays listed.
type FailedCalls = Arc<Mutex<Vec<(ExportId, TimeDelta)>>>;

/// A pending export whose every build fails because the store refuses the
/// write; what `mark_failed` was told.
fn failing_store(pending: DataExport) -> (ExportService, FailedCalls) {
    let failed = Arc::new(Mutex::new(Vec::new()));
    let mut exports = MockExportRepository::new();
    exports
        .expect_find()
        .returning(move |_| Ok(Some(pending.clone())));
    let record = Arc::clone(&failed);
    exports
        .expect_mark_failed()
        .returning(move |id, finished_at, expires_at| {
            record.lock().unwrap().push((id, expires_at - finished_at));
            Ok(())
        });
    let mut blobs = MockBlobStore::new();
    blobs
        .expect_create()
        .returning(|_| Err(BlobError::Unexpected(anyhow::anyhow!("the store is down"))));
    (service(exports, blobs), failed)
}

#[tokio::test]
async fn a_build_that_keeps_failing_is_retried_then_marked_failed_for_the_member_to_see() {
    let pending = DataExport::requested(user("a@example.org", Role::Member).id, now());
    let id = pending.id;
    let (exports, failed) = failing_store(pending);
    let job = BuildExportJob::new(exports);

    let first = job.handle(&claimed(id, 1, 3)).await;
    assert!(matches!(first, Err(JobFailure::Retry(_))), "{first:?}");
    assert!(failed.lock().unwrap().is_empty(), "not given up yet");

    let last = job.handle(&claimed(id, 3, 3)).await;
    let Err(JobFailure::Permanent(reason)) = last else {
        panic!("{last:?}");
    };
    assert!(reason.contains("the store is down"), "{reason}");
    assert_eq!(*failed.lock().unwrap(), vec![(id, EXPORT_LIFETIME)]);
}

#[tokio::test]
async fn a_job_without_an_export_id_is_dead_at_once() {
    let (exports, _) = failing_store(DataExport::requested(
        user("b@example.org", Role::Member).id,
        now(),
    ));
    let mut job = claimed(ExportId::new(), 1, 3);
    job.job.payload = serde_json::json!({"export_id": "not a uuid"});
    assert!(matches!(
        BuildExportJob::new(exports).handle(&job).await,
        Err(JobFailure::Permanent(_))
    ));
}

#[tokio::test]
async fn another_members_export_does_not_exist_for_you_and_a_second_request_waits() {
    let owner = user("owner@example.org", Role::Member);
    let export = DataExport {
        status: ExportStatus::Ready,
        finished_at: Some(now()),
        expires_at: Some(now() + EXPORT_LIFETIME),
        ..DataExport::requested(owner.id, now())
    };
    let id = export.id;
    let mut exports = MockExportRepository::new();
    exports
        .expect_find()
        .returning(move |_| Ok(Some(export.clone())));
    exports
        .expect_insert()
        .returning(|_, _| Err(InsertExportError::AlreadyPending));
    // The store is never read for a refused download.
    let service = service(exports, MockBlobStore::new());
    let admin = session_actor(user("admin@example.org", Role::Admin));
    assert!(matches!(
        service.get(admin.clone(), id).await,
        Err(ExportError::NotFound)
    ));
    assert!(matches!(
        service.download(admin, id).await,
        Err(ExportError::NotFound)
    ));
    assert!(matches!(
        service.request(session_actor(owner)).await,
        Err(ExportError::AlreadyPending)
    ));
}
