//! Invitations by mail end to end: the server, its worker and a real SMTP
//! server (aiosmtpd); the tests read the messages it received and follow
//! their links through the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::{accounts::Role, auth::SignupMode};
use shoebox_test_support::SmtpServer;

use crate::{
    helpers::{Client, PASSWORD, TestApp, builder, problem},
    mail::{WAIT, count, decoded, execute, mailing_to, token_in},
};

async fn invite_mode_app(smtp: &SmtpServer) -> TestApp {
    mailing_to(smtp).signup(SignupMode::Invite).spawn().await
}

/// The admin's invitation list.
async fn listed(admin: &Client) -> Value {
    admin
        .get("/api/v1/admin/invitations")
        .await
        .json()
        .await
        .unwrap()
}

async fn invite(admin: &Client, email: &str) -> reqwest::Response {
    admin
        .send_json(
            Method::POST,
            "/api/v1/admin/invitations",
            json!({ "email": email }),
        )
        .await
}

async fn preview(app: &TestApp, token: &str) -> reqwest::Response {
    app.client()
        .send_json(
            Method::POST,
            "/api/v1/auth/invitation",
            json!({ "token": token }),
        )
        .await
}

async fn sign_up(browser: &mut Client, email: &str, token: &str) -> reqwest::Response {
    browser
        .sign_up(json!({
            "email": email,
            "password": PASSWORD,
            "display_name": "Newcomer",
            "invitation": token,
        }))
        .await
}

/// The answer every unusable link gets.
async fn assert_refused(app: &TestApp, token: &str, email: &str) {
    let (status, body) = problem(preview(app, token).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["type"], "/problems/invitation-invalid");
    let (status, _) = problem(sign_up(&mut app.client(), email, token).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn an_invitation_arrives_by_smtp_and_its_link_signs_the_newcomer_up_once() {
    let smtp = SmtpServer::start();
    let app = invite_mode_app(&smtp).await;
    let admin = app.signed_in("grace@example.org", Role::Admin).await;

    let response = invite(&admin, "new@example.org").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();

    let messages = smtp.wait_for_messages(1, WAIT);
    let message = &messages[0];
    assert!(message.contains("To: new@example.org"), "{message}");
    // The inviter's display name, the instance, the role and the expiry.
    assert!(
        message.contains("Subject: Someone invited you to Camera Club"),
        "{message}"
    );
    let text = decoded(message);
    assert!(text.contains("as a member"), "{text}");
    assert!(text.contains(" UTC"), "{text}");
    let token = token_in(message, &app.address, "/invitation");
    // The admin's copy of the link is the mailed one; the job queue holds no secret.
    assert_eq!(created["token"], token.as_str());
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM jobs WHERE payload::text LIKE '%{token}%'")
        ),
        0
    );

    let before: Value = listed(&admin).await;
    let response = preview(&app, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown: Value = response.json().await.unwrap();
    assert_eq!(shown["email"], "new@example.org");
    assert_eq!(shown["role"], "member");
    assert_eq!(shown["invited_by"], "Someone");
    assert_eq!(shown["expires_at"], before[0]["expires_at"]);

    let mut browser = app.client();
    let response = sign_up(&mut browser, "new@example.org", &token).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let session: Value = browser
        .get("/api/v1/auth/session")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["user"]["email"], "new@example.org");

    // Used: the link is refused from now on, and the list says so.
    assert_refused(&app, &token, "other@example.org").await;
    let after = listed(&admin).await;
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["status"], "accepted");
    assert!(after[0]["ended_at"].is_string());
    app.stop().await;
}

#[actix_web::test]
async fn two_sign_ups_racing_for_one_open_link_admit_one() {
    let smtp = SmtpServer::start();
    let app = invite_mode_app(&smtp).await;
    let admin = app.signed_in("grace@example.org", Role::Admin).await;
    let created: Value = admin
        .send_json(Method::POST, "/api/v1/admin/invitations", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap();
    let (mut first, mut second) = (app.client(), app.client());
    let (a, b) = tokio::join!(
        sign_up(&mut first, "one@example.org", token),
        sign_up(&mut second, "two@example.org", token),
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::FORBIDDEN]);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users WHERE email IN ('one@example.org', 'two@example.org')"
        ),
        1
    );
    app.stop().await;
}

#[actix_web::test]
async fn resending_replaces_the_link_and_revoked_or_expired_links_are_refused() {
    let smtp = SmtpServer::start();
    let app = invite_mode_app(&smtp).await;
    let admin = app.signed_in("grace@example.org", Role::Admin).await;

    let created: Value = invite(&admin, "new@example.org")
        .await
        .json()
        .await
        .unwrap();
    let id = created["invitation"]["id"].as_str().unwrap().to_owned();
    let first = token_in(
        &smtp.wait_for_messages(1, WAIT)[0],
        &app.address,
        "/invitation",
    );
    // Let the stored expiry be close, to see the resend extend it.
    execute(
        &app,
        "UPDATE invitations SET expires_at = now() + interval '1 hour'",
    );

    let response = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/admin/invitations/{id}/resend"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let resent: Value = response.json().await.unwrap();
    let second = token_in(
        &smtp.wait_for_messages(2, WAIT)[1],
        &app.address,
        "/invitation",
    );
    assert_ne!(first, second);
    assert_eq!(resent["token"], second.as_str());
    assert_eq!(resent["invitation"]["id"], id.as_str());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM invitations WHERE expires_at > now() + interval '6 days'"
        ),
        1
    );
    assert_refused(&app, &first, "new@example.org").await;
    assert_eq!(preview(&app, &second).await.status(), StatusCode::OK);

    // Revoked: refused, and it can no longer be resent.
    assert_eq!(
        admin
            .delete(&format!("/api/v1/admin/invitations/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_refused(&app, &second, "new@example.org").await;
    assert_eq!(listed(&admin).await[0]["status"], "revoked");
    let (status, _) = problem(
        admin
            .send_json(
                Method::POST,
                &format!("/api/v1/admin/invitations/{id}/resend"),
                json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Expired: refused.
    let created: Value = invite(&admin, "late@example.org")
        .await
        .json()
        .await
        .unwrap();
    let late = created["token"].as_str().unwrap();
    execute(
        &app,
        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = 'late@example.org'",
    );
    assert_refused(&app, late, "late@example.org").await;
    let now_listed = listed(&admin).await;
    let statuses: Vec<&str> = now_listed
        .as_array()
        .unwrap()
        .iter()
        .map(|invitation| invitation["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["expired", "revoked"], "newest first");
    // An open invitation cannot be resent (there is no one to mail).
    let open: Value = admin
        .send_json(Method::POST, "/api/v1/admin/invitations", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = problem(
        admin
            .send_json(
                Method::POST,
                &format!(
                    "/api/v1/admin/invitations/{}/resend",
                    open["invitation"]["id"].as_str().unwrap()
                ),
                json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A member can do none of it.
    let member = app.signed_in("bob@example.org", Role::Member).await;
    let (status, _) = problem(invite(&member, "x@example.org").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

/// The response without what differs between any two invitations.
fn shape(mut created: Value) -> Value {
    for field in ["token", "link"] {
        created[field] = json!("…");
    }
    for field in ["id", "created_at", "expires_at", "email"] {
        created["invitation"][field] = json!("…");
    }
    created
}

#[actix_web::test]
async fn inviting_a_member_answers_the_same_and_mails_them_a_note_and_requests_are_limited() {
    let smtp = SmtpServer::start();
    let app = invite_mode_app(&smtp).await;
    let admin = app.signed_in("grace@example.org", Role::Admin).await;
    app.create_user("ada@example.org", Role::Member).await;

    let known = invite(&admin, "Ada@Example.org").await;
    let unknown = invite(&admin, "new@example.org").await;
    assert_eq!(known.status(), StatusCode::CREATED);
    assert_eq!(unknown.status(), StatusCode::CREATED);
    let known: Value = known.json().await.unwrap();
    let unknown: Value = unknown.json().await.unwrap();
    assert_eq!(shape(known), shape(unknown));

    let messages = smtp.wait_for_messages(2, WAIT);
    let to_ada = messages
        .iter()
        .find(|m| m.contains("To: ada@example.org"))
        .expect("Ada got a message");
    assert!(
        to_ada.contains("Subject: You already have a Camera Club account"),
        "{to_ada}"
    );
    let text = decoded(to_ada);
    assert!(text.contains(&format!("{}/sign-in", app.address)), "{text}");
    assert!(text.contains(&format!("{}/forgot-password", app.address)));
    assert!(!text.contains("/invitation?token="));

    // Three mailed invitations per address per window (the default),
    // counted alike for members and strangers.
    for email in ["ada@example.org", "new@example.org"] {
        for _ in 0..2 {
            assert_eq!(invite(&admin, email).await.status(), StatusCode::CREATED);
        }
        let response = invite(&admin, email).await;
        assert!(response.headers().contains_key("retry-after"));
        let (status, body) = problem(response).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{email}");
        assert_eq!(body["type"], "/problems/too-many-requests");
    }
    // Open links send no mail and are not limited.
    let open = admin
        .send_json(Method::POST, "/api/v1/admin/invitations", json!({}))
        .await;
    assert_eq!(open.status(), StatusCode::CREATED);
    assert_eq!(smtp.wait_for_messages(6, WAIT).len(), 6);
    app.stop().await;
}

#[actix_web::test]
async fn guessing_links_is_limited_per_client_and_malformed_tokens_look_unknown() {
    let app = builder()
        .signup(SignupMode::Invite)
        .settings(|settings| settings.auth.login_max_failures_per_ip = 3)
        .spawn()
        .await;
    // Malformed tokens are refused before any lookup, with the same answer.
    for token in ["not a token!", ""] {
        let (status, body) = problem(preview(&app, token).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{token:?}");
        assert_eq!(body["type"], "/problems/invitation-invalid");
    }
    for guess in ["guess-1", "guess-2", "guess-3"] {
        let (status, _) = problem(preview(&app, guess).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{guess}");
    }
    let response = preview(&app, "guess-4").await;
    assert!(response.headers().contains_key("retry-after"));
    let (status, _) = problem(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}
