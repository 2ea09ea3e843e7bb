//! The admin job routes against a mocked use case: what a client sees.

use std::{sync::Arc, time::Duration};

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{StatusCode, header},
    test,
};
use chrono::{TimeDelta, Utc};
use serde_json::Value;
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, Role, User, UserId},
    auth::{Actor, ApiTokenId, Credential},
    jobs::{
        CancelJobError, Job, JobAdminError, JobCounts, JobId, JobKind, JobOverview, JobState,
        RetryJobError,
    },
    page::Page,
};
use shoebox_http::{BuildInfo, HttpState, UseCases, app};
use shoebox_ports::inbound::{
    MockAccounts, MockAdministration, MockAuthentication, MockJobAdministration, MockOperations,
};

fn actor(role: Role) -> Actor {
    Actor {
        user: User {
            id: UserId::new(),
            email: EmailAddress::parse("ops@example.org").unwrap(),
            display_name: DisplayName::parse("Ops").unwrap(),
            full_name: None,
            bio: None,
            role,
            disabled_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            deletion_due_at: None,
            email_verified_at: None,
        },
        credential: Credential::ApiToken {
            id: ApiTokenId::new(),
        },
    }
}

fn job(state: JobState) -> Job {
    let now = Utc::now();
    Job {
        id: JobId::new(),
        kind: JobKind::parse("photos.variants").unwrap(),
        payload: serde_json::json!({"photo_id": "secret-ish"}),
        state,
        attempts: 5,
        max_attempts: 5,
        run_at: now,
        dedup_key: Some("photo-1".into()),
        last_error: Some("decoder exploded".into()),
        created_at: now,
        updated_at: now,
        finished_at: Some(now),
        locked_by: Some("host:1:abc".into()),
        locked_until: None,
    }
}

/// The app with `jobs` as the job use case, every request signed in by
/// Bearer token as a member with `role`.
async fn service(
    role: Role,
    jobs: MockJobAdministration,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let mut authentication = MockAuthentication::new();
    authentication
        .expect_authenticate_api_token()
        .returning(move |_| Ok(actor(role)));
    let state = HttpState {
        use_cases: UseCases {
            authentication: Arc::new(authentication),
            accounts: Arc::new(MockAccounts::new()),
            administration: Arc::new(MockAdministration::new()),
            operations: Arc::new(MockOperations::new()),
            jobs: Arc::new(jobs),
            photos: Arc::new(shoebox_ports::inbound::MockPhotos::new()),
            albums: Arc::new(shoebox_ports::inbound::MockAlbums::new()),
            sharing: Arc::new(shoebox_ports::inbound::MockSharing::new()),
            deletion: Arc::new(shoebox_ports::inbound::MockAccountDeletion::new()),
            exports: Arc::new(shoebox_ports::inbound::MockDataExports::new()),
            audit: Arc::new(shoebox_ports::inbound::MockAuditTrail::new()),
            backups: Arc::new(shoebox_ports::inbound::MockBackupAdministration::new()),
            recovery: Arc::new(shoebox_ports::inbound::MockPasswordRecovery::new()),
            confirmation: Arc::new(shoebox_ports::inbound::MockEmailConfirmation::new()),
            invitations: Arc::new(shoebox_ports::inbound::MockInvitations::new()),
        },
        settings: Default::default(),
        build: BuildInfo {
            version: "0.0.0+abc1234".into(),
            git_sha: "abc1234".into(),
            build_date: "2026-11-23".into(),
            schema_version: "20261123000002".into(),
        },
        session_cookie_max_age: Duration::from_secs(3600),
        listings: shoebox_http::ListingCache::new(0),
        metrics: shoebox_http::HttpMetrics::default(),
    };
    test::init_service(app(state)).await
}

fn get(uri: &str) -> actix_http::Request {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("Authorization", "Bearer sbx_token"))
        .to_request()
}

fn post(uri: &str) -> actix_http::Request {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("Authorization", "Bearer sbx_token"))
        .to_request()
}

async fn problem(response: ServiceResponse<impl MessageBody>) -> (StatusCode, Value) {
    let status = response.status();
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    (status, test::read_body_json(response).await)
}

fn overview() -> JobOverview {
    let counts = JobCounts {
        queued: 3,
        failed: 1,
        dead: 2,
        oldest_due_at: Some(Utc::now() - TimeDelta::seconds(90)),
        ..JobCounts::default()
    };
    JobOverview {
        counts,
        oldest_due_age: Some(Duration::from_secs(90)),
    }
}

#[actix_rt::test]
async fn the_overview_has_counts_and_the_oldest_age_without_a_listing() {
    let mut jobs = MockJobAdministration::new();
    jobs.expect_overview().returning(|_| Ok(overview()));
    jobs.expect_list().never();
    let app = service(Role::Admin, jobs).await;
    let body: Value = test::call_and_read_body_json(&app, get("/api/v1/admin/jobs")).await;
    assert_eq!(body["counts"]["queued"], 3);
    assert_eq!(body["counts"]["dead"], 2);
    assert_eq!(body["counts"]["running"], 0);
    assert_eq!(body["oldest_queued_age_seconds"], 90);
    assert_eq!(body["items"], Value::Array(Vec::new()));
}

#[actix_rt::test]
async fn listing_a_state_shows_last_errors_but_never_payloads() {
    let listed = job(JobState::Dead);
    let (id, cursor) = (listed.id.as_uuid(), JobId::new().as_uuid());
    let mut jobs = MockJobAdministration::new();
    jobs.expect_overview().returning(|_| Ok(overview()));
    jobs.expect_list()
        .times(1)
        .returning(move |_, state, page| {
            assert_eq!(state, JobState::Dead);
            assert_eq!((page.limit(), page.after()), (10, Some(cursor)));
            Ok(Page {
                items: vec![listed.clone()],
                next_cursor: Some(id),
            })
        });
    let app = service(Role::Admin, jobs).await;
    let uri = format!("/api/v1/admin/jobs?state=dead&limit=10&cursor={cursor}");
    let body: Value = test::call_and_read_body_json(&app, get(&uri)).await;
    let item = &body["items"][0];
    assert_eq!(item["id"], id.to_string());
    assert_eq!(item["state"], "dead");
    assert_eq!(item["kind"], "photos.variants");
    assert_eq!(item["last_error"], "decoder exploded");
    assert!(item.get("payload").is_none());
    assert!(!body.to_string().contains("secret-ish"));
    assert_eq!(body["next_cursor"], id.to_string());
}

#[actix_rt::test]
async fn an_unknown_state_is_a_400_problem() {
    let mut jobs = MockJobAdministration::new();
    jobs.expect_overview().never();
    let app = service(Role::Admin, jobs).await;
    let response = test::call_service(&app, get("/api/v1/admin/jobs?state=paused")).await;
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["type"], "/problems/malformed-query");
}

#[actix_rt::test]
async fn members_get_403_on_every_job_route() {
    let mut jobs = MockJobAdministration::new();
    jobs.expect_overview()
        .returning(|_| Err(JobAdminError::Forbidden));
    jobs.expect_retry()
        .returning(|_, _| Err(RetryJobError::Forbidden));
    jobs.expect_cancel()
        .returning(|_, _| Err(CancelJobError::Forbidden));
    let app = service(Role::Member, jobs).await;
    let id = JobId::new();
    for request in [
        get("/api/v1/admin/jobs"),
        post(&format!("/api/v1/admin/jobs/{id}/retry")),
        post(&format!("/api/v1/admin/jobs/{id}/cancel")),
    ] {
        let (status, body) = problem(test::call_service(&app, request).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["type"], "/problems/forbidden");
    }
}

#[actix_rt::test]
async fn retry_returns_the_queued_job_or_a_clear_problem() {
    let retried = job(JobState::Queued);
    let retried_id = retried.id;
    let (missing, running, duplicate) = (JobId::new(), JobId::new(), JobId::new());
    let mut jobs = MockJobAdministration::new();
    jobs.expect_retry().returning(move |_, id| match id {
        id if id == retried_id => Ok(retried.clone()),
        id if id == missing => Err(RetryJobError::NotFound),
        id if id == running => Err(RetryJobError::NotRetryable {
            state: JobState::Running,
        }),
        id if id == duplicate => Err(RetryJobError::DuplicateLive),
        _ => Err(RetryJobError::Unexpected(anyhow::anyhow!(
            "connection reset"
        ))),
    });
    let app = service(Role::Admin, jobs).await;
    let retry = |id: JobId| post(&format!("/api/v1/admin/jobs/{id}/retry"));

    let body: Value = test::call_and_read_body_json(&app, retry(retried_id)).await;
    assert_eq!(body["state"], "queued");

    for (id, status, slug) in [
        (missing, StatusCode::NOT_FOUND, "not-found"),
        (running, StatusCode::CONFLICT, "job-not-retryable"),
        (duplicate, StatusCode::CONFLICT, "job-duplicate"),
        (JobId::new(), StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    ] {
        let (actual, body) = problem(test::call_service(&app, retry(id)).await).await;
        assert_eq!(actual, status, "{body}");
        assert_eq!(body["type"], format!("/problems/{slug}"));
        assert!(!body.to_string().contains("connection reset"));
    }
}

#[actix_rt::test]
async fn a_running_job_cannot_be_cancelled() {
    let cancelled = job(JobState::Cancelled);
    let cancelled_id = cancelled.id;
    let mut jobs = MockJobAdministration::new();
    jobs.expect_cancel().returning(move |_, id| {
        if id == cancelled_id {
            Ok(cancelled.clone())
        } else {
            Err(CancelJobError::NotCancellable {
                state: JobState::Running,
            })
        }
    });
    let app = service(Role::Admin, jobs).await;
    let body: Value = test::call_and_read_body_json(
        &app,
        post(&format!("/api/v1/admin/jobs/{cancelled_id}/cancel")),
    )
    .await;
    assert_eq!(body["state"], "cancelled");
    let response = test::call_service(
        &app,
        post(&format!("/api/v1/admin/jobs/{}/cancel", JobId::new())),
    )
    .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["type"], "/problems/job-not-cancellable");
    assert!(body["detail"].as_str().unwrap().contains("running"));
}

#[actix_rt::test]
async fn the_routes_are_in_the_openapi_document() {
    let document = shoebox_http::openapi_document("test");
    let json = serde_json::to_value(&document).unwrap();
    assert!(json["paths"]["/api/v1/admin/jobs"]["get"].is_object());
    assert!(json["paths"]["/api/v1/admin/jobs/{id}/retry"]["post"].is_object());
    assert!(json["paths"]["/api/v1/admin/jobs/{id}/cancel"]["post"].is_object());
    assert!(json["components"]["schemas"]["JobsResponse"].is_object());
}
