//! A member managing their own profile, password, sessions and tokens.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;

use crate::helpers::{PASSWORD, problem, spawn_app};

#[actix_web::test]
async fn profile_fields_update_partially_and_clear_with_null() {
    let app = spawn_app().await;
    let browser = app.signed_in("ada@example.org", Role::Member).await;
    let body =
        json!({"display_name": "Ada", "full_name": "Ada Lovelace", "bio": "Analytical engines"});
    let me: Value = browser
        .send_json(Method::PATCH, "/api/v1/me", body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            me["display_name"].as_str(),
            me["full_name"].as_str(),
            me["bio"].as_str()
        ),
        (
            Some("Ada"),
            Some("Ada Lovelace"),
            Some("Analytical engines")
        )
    );

    let me: Value = browser
        .send_json(Method::PATCH, "/api/v1/me", json!({"full_name": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["full_name"], Value::Null);
    assert_eq!(
        me["bio"], "Analytical engines",
        "omitted fields stay as they were"
    );

    let (status, body) = problem(
        browser
            .send_json(Method::PATCH, "/api/v1/me", json!({"display_name": "  "}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "display_name");
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(
        me["display_name"], "Ada",
        "a rejected update changes nothing"
    );
}

#[actix_web::test]
async fn sessions_are_listed_and_revoked_one_by_one_or_everywhere() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.org", Role::Member).await;
    let mut phone = app.client();
    phone.log_in("ada@example.org", PASSWORD).await;
    let mut tablet = app.client();
    tablet.log_in("ada@example.org", PASSWORD).await;

    let sessions: Value = laptop
        .get("/api/v1/me/sessions")
        .await
        .json()
        .await
        .unwrap();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

    let phone_sessions: Value = phone.get("/api/v1/me/sessions").await.json().await.unwrap();
    let phone_id = phone_sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        laptop
            .delete(&format!("/api/v1/me/sessions/{phone_id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        phone.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        laptop
            .delete(&format!("/api/v1/me/sessions/{phone_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        laptop.delete("/api/v1/me/sessions").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        laptop.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        tablet.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn other_members_sessions_cannot_be_revoked() {
    let app = spawn_app().await;
    let ada = app.signed_in("ada@example.org", Role::Member).await;
    let grace = app.signed_in("grace@example.org", Role::Member).await;
    let sessions: Value = grace.get("/api/v1/me/sessions").await.json().await.unwrap();
    let grace_session = sessions[0]["id"].as_str().unwrap();
    assert_eq!(
        ada.delete(&format!("/api/v1/me/sessions/{grace_session}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(grace.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn api_tokens_are_shown_once_listed_by_hint_and_revocable() {
    let app = spawn_app().await;
    let browser = app.signed_in("ada@example.org", Role::Member).await;
    let response = browser
        .send_json(
            Method::POST,
            "/api/v1/me/tokens",
            json!({"name": "backup script", "expires_in_days": 30}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("sbx_"));
    assert!(created["token"]["expires_at"].is_string());

    let listed: Value = browser.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(listed[0]["name"], "backup script");
    assert!(secret.starts_with(listed[0]["hint"].as_str().unwrap()));
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never listed"
    );

    let script = reqwest::Client::new();
    let me = script
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    let id = created["token"]["id"].as_str().unwrap();
    assert_eq!(
        browser
            .delete(&format!("/api/v1/me/tokens/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let me = script
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);

    let (status, _) = problem(
        browser
            .send_json(Method::POST, "/api/v1/me/tokens", json!({"name": ""}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn changing_the_password_ends_other_sessions_and_tokens() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.org", Role::Member).await;
    let mut phone = app.client();
    phone.log_in("ada@example.org", PASSWORD).await;
    let created: Value = laptop
        .send_json(Method::POST, "/api/v1/me/tokens", json!({"name": "t"}))
        .await
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();

    let wrong =
        json!({"current_password": "not-my-password", "new_password": "granite-heron-drifts-east"});
    let (status, _) = problem(
        laptop
            .send_json(Method::PUT, "/api/v1/me/password", wrong)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let weak = json!({"current_password": PASSWORD, "new_password": "password123"});
    let (status, body) = problem(
        laptop
            .send_json(Method::PUT, "/api/v1/me/password", weak)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password"))
    );

    let good = json!({"current_password": PASSWORD, "new_password": "granite-heron-drifts-east"});
    assert_eq!(
        laptop
            .send_json(Method::PUT, "/api/v1/me/password", good)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        laptop.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "the session that changed it stays"
    );
    assert_eq!(
        phone.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let by_token = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.client()
            .log_in("ada@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client()
            .log_in("ada@example.org", "granite-heron-drifts-east")
            .await
            .status(),
        StatusCode::OK
    );
}
