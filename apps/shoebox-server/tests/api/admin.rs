//! Admins managing members.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;

use crate::helpers::{PASSWORD, problem, spawn_app};

#[actix_web::test]
async fn only_admins_list_members_and_pages_follow_cursors() {
    let app = spawn_app().await;
    let member = app.signed_in("member@example.org", Role::Member).await;
    let (status, _) = problem(member.get("/api/v1/admin/users").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    app.create_user("third@example.org", Role::Member).await;
    let first: Value = admin
        .get("/api/v1/admin/users?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = admin
        .get(&format!("/api/v1/admin/users?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["third@example.org"]);
    assert_eq!(second["next_cursor"], Value::Null);
}

async fn member_id(admin: &crate::helpers::Client, email: &str) -> String {
    let page: Value = admin.get("/api/v1/admin/users").await.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn disabling_a_member_ends_their_sessions_and_blocks_login_until_enabled() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let member = app.signed_in("member@example.org", Role::Member).await;
    let id = member_id(&admin, "member@example.org").await;

    let user: Value = admin
        .send_json(
            Method::PATCH,
            &format!("/api/v1/admin/users/{id}"),
            json!({"disabled": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(user["disabled"], true);
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = problem(app.client().log_in("member@example.org", PASSWORD).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::FORBIDDEN, Some("/problems/account-disabled"))
    );

    admin
        .send_json(
            Method::PATCH,
            &format!("/api/v1/admin/users/{id}"),
            json!({"disabled": false}),
        )
        .await;
    assert_eq!(
        app.client()
            .log_in("member@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn admins_promote_others_but_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let member = app.signed_in("member@example.org", Role::Member).await;
    let member_id = member_id(&admin, "member@example.org").await;
    let own_id = member_id_of_self(&admin).await;

    for body in [json!({"role": "member"}), json!({"disabled": true})] {
        let (status, problem_body) = problem(
            admin
                .send_json(
                    Method::PATCH,
                    &format!("/api/v1/admin/users/{own_id}"),
                    body,
                )
                .await,
        )
        .await;
        assert_eq!(
            (status, problem_body["type"].as_str()),
            (StatusCode::CONFLICT, Some("/problems/admin-rule"))
        );
    }
    let promoted: Value = admin
        .send_json(
            Method::PATCH,
            &format!("/api/v1/admin/users/{member_id}"),
            json!({"role": "admin"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(promoted["role"], "admin");
    assert_eq!(
        member.get("/api/v1/admin/users").await.status(),
        StatusCode::OK
    );
    let (status, _) = problem(
        admin
            .get(&format!("/api/v1/admin/users/{}", uuid_like()))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn member_id_of_self(client: &crate::helpers::Client) -> String {
    let me: Value = client.get("/api/v1/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

fn uuid_like() -> &'static str {
    "01234567-89ab-7def-8123-456789abcdef"
}
