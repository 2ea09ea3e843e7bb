//! Sign-up modes, login, logout, throttling and CSRF through the real stack.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::{accounts::Role, auth::SignupMode};

use crate::helpers::{PASSWORD, builder, problem, spawn_app};

fn sign_up_body(email: &str) -> Value {
    json!({"email": email, "password": PASSWORD, "display_name": "New Member"})
}

#[actix_web::test]
async fn sign_up_log_out_and_log_in_again() {
    let app = spawn_app().await;
    let mut browser = app.client();
    let response = browser.sign_up(sign_up_body("New@Example.org")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "new@example.org");
    assert_eq!(body["user"]["role"], "member");

    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["display_name"], "New Member");

    assert_eq!(
        browser
            .request(Method::POST, "/api/v1/auth/logout")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(
        browser.log_in("new@example.org", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::OK);
    let session: Value = browser
        .get("/api/v1/auth/session")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["csrf_token"].as_str(), browser.csrf.as_deref());
}

#[actix_web::test]
async fn the_same_email_cannot_sign_up_twice() {
    let app = spawn_app().await;
    assert_eq!(
        app.client()
            .sign_up(sign_up_body("twice@example.org"))
            .await
            .status(),
        StatusCode::CREATED
    );
    let (status, body) = problem(
        app.client()
            .sign_up(sign_up_body("TWICE@example.org"))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::CONFLICT, Some("/problems/email-taken"))
    );
}

#[actix_web::test]
async fn invite_mode_admits_only_holders_of_a_valid_invitation() {
    let app = builder().signup(SignupMode::Invite).spawn().await;
    let (status, body) = problem(
        app.client()
            .sign_up(sign_up_body("guest@example.org"))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::FORBIDDEN, Some("/problems/invitation-required"))
    );

    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let response = admin
        .send_json(
            Method::POST,
            "/api/v1/admin/invitations",
            json!({"email": "guest@example.org"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert_eq!(
        created["link"],
        format!("{}/invitation?token={token}", app.address)
    );
    let pending: Value = admin
        .get("/api/v1/admin/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 1);

    let mut body = sign_up_body("someone.else@example.org");
    body["invitation"] = json!(token);
    let (status, problem_body) = problem(app.client().sign_up(body).await).await;
    assert_eq!(
        (status, problem_body["type"].as_str()),
        (StatusCode::FORBIDDEN, Some("/problems/invitation-invalid"))
    );

    let mut body = sign_up_body("guest@example.org");
    body["invitation"] = json!(token);
    assert_eq!(
        app.client().sign_up(body.clone()).await.status(),
        StatusCode::CREATED
    );

    body["email"] = json!("guest2@example.org");
    let (status, _) = problem(app.client().sign_up(body).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an invitation is single-use");
    let listed: Value = admin
        .get("/api/v1/admin/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["status"], "accepted");
    app.stop().await;
}

#[actix_web::test]
async fn revoked_invitations_no_longer_work() {
    let app = builder().signup(SignupMode::Invite).spawn().await;
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let created: Value = admin
        .send_json(Method::POST, "/api/v1/admin/invitations", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["invitation"]["id"].as_str().unwrap();
    assert_eq!(
        admin
            .delete(&format!("/api/v1/admin/invitations/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let mut body = sign_up_body("late@example.org");
    body["invitation"] = created["token"].clone();
    let (status, _) = problem(app.client().sign_up(body).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

#[actix_web::test]
async fn closed_mode_refuses_every_sign_up() {
    let app = builder().signup(SignupMode::Closed).spawn().await;
    let (status, body) = problem(app.client().sign_up(sign_up_body("x@example.org")).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::FORBIDDEN, Some("/problems/signup-closed"))
    );
}

#[actix_web::test]
async fn unknown_email_and_wrong_password_look_the_same() {
    let app = spawn_app().await;
    app.create_user("known@example.org", Role::Member).await;
    let (unknown_status, unknown) =
        problem(app.client().log_in("nobody@example.org", PASSWORD).await).await;
    let (wrong_status, wrong) = problem(
        app.client()
            .log_in("known@example.org", "not-the-password")
            .await,
    )
    .await;
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, wrong_status);
    assert_eq!(unknown["type"], wrong["type"]);
    assert_eq!(unknown["detail"], wrong["detail"]);
}

#[actix_web::test]
async fn repeated_failures_throttle_the_account_but_not_others() {
    let app = builder()
        .settings(|s| s.auth.login_max_failures_per_account = 3)
        .spawn()
        .await;
    app.create_user("target@example.org", Role::Member).await;
    app.create_user("bystander@example.org", Role::Member).await;
    for _ in 0..3 {
        assert_eq!(
            app.client()
                .log_in("target@example.org", "wrong-password")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app.client().log_in("target@example.org", PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some("/problems/too-many-attempts")
        )
    );
    assert_eq!(
        app.client()
            .log_in("bystander@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn cookie_requests_need_the_csrf_token_and_bearer_requests_do_not() {
    let app = spawn_app().await;
    let mut browser = app.signed_in("ada@example.org", Role::Member).await;
    let csrf = browser.csrf.take();
    let (status, _) = problem(
        browser
            .send_json(Method::PATCH, "/api/v1/me", json!({"bio": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    browser.csrf = csrf;
    assert_eq!(
        browser
            .send_json(Method::PATCH, "/api/v1/me", json!({"bio": "x"}))
            .await
            .status(),
        StatusCode::OK
    );

    let created: Value = browser
        .send_json(Method::POST, "/api/v1/me/tokens", json!({"name": "script"}))
        .await
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap();
    let script = reqwest::Client::new();
    let response = script
        .patch(format!("{}/api/v1/me", app.address))
        .bearer_auth(secret)
        .json(&json!({"bio": "from a script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["bio"], "from a script");
}
