//! The admin job routes on the whole application.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::{
    accounts::Role,
    jobs::{FailureOutcome, JobKind, NewJob},
};
use shoebox_ports::outbound::ClaimRequest;
use shoebox_test_support::fixtures::instant;

use crate::helpers::{problem, spawn_app};

#[actix_web::test]
async fn admins_see_failures_with_their_errors_and_can_retry_and_cancel() {
    let app = spawn_app().await;
    let queue = &app.application.job_queue;
    let kind = JobKind::parse("test.admin").unwrap();
    let job = |key: &str| {
        NewJob::new(kind.clone(), json!({}), instant())
            .with_dedup_key(key)
            .with_max_attempts(1)
    };
    let dead = queue.enqueue(job("dies")).await.unwrap().id();
    let waiting = queue.enqueue(job("waits")).await.unwrap().id();
    let claimed = queue
        .claim(ClaimRequest {
            worker: "test-worker".into(),
            kinds: vec![kind.clone()],
            now: instant(),
            lease: std::time::Duration::from_secs(60),
            limit: 1,
        })
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(claimed.job.id, dead);
    queue
        .fail(
            dead,
            claimed.lease,
            "disk full".into(),
            FailureOutcome::Dead,
            instant(),
        )
        .await
        .unwrap();

    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let body: Value = admin
        .get("/api/v1/admin/jobs?state=dead")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["counts"]["dead"], 1);
    assert_eq!(body["counts"]["queued"], 1);
    assert_eq!(body["items"][0]["id"], dead.to_string());
    assert_eq!(body["items"][0]["last_error"], "disk full");
    assert!(body["oldest_queued_age_seconds"].is_u64());

    let response = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/admin/jobs/{dead}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let retried: Value = response.json().await.unwrap();
    assert_eq!(
        (retried["state"].as_str(), retried["attempts"].as_u64()),
        (Some("queued"), Some(0))
    );

    let response = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/admin/jobs/{waiting}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/admin/jobs/{waiting}/cancel"),
            json!({}),
        )
        .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["type"], "/problems/job-not-cancellable");

    let member = app.signed_in("ada@example.org", Role::Member).await;
    let (status, _) = problem(member.get("/api/v1/admin/jobs").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
