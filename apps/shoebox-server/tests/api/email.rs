//! Proving addresses by mail, end to end against a real SMTP server
//! (aiosmtpd on 127.0.0.1): verification after sign-up (banner mode and
//! required mode) and the change of address, following each mailed link
//! through the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;
use shoebox_test_support::SmtpServer;

use crate::{
    helpers::{Client, PASSWORD, TestApp, problem},
    mail::{WAIT, app_mailing_to, count, decoded, execute, mailing_to, token_in},
};

const NEW_MEMBER_PASSWORD: &str = "velvet-otter-marches-north";

fn problem_type(body: &Value) -> &str {
    body["type"]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

async fn confirm(app: &TestApp, token: &str) -> reqwest::Response {
    app.client()
        .send_json(
            Method::POST,
            "/api/v1/auth/email-verification/confirm",
            json!({ "token": token }),
        )
        .await
}

async fn sign_up(app: &TestApp, email: &str) -> (Client, reqwest::Response) {
    let mut browser = app.client();
    let response = browser
        .sign_up(json!({
            "email": email,
            "display_name": "Dora",
            "password": NEW_MEMBER_PASSWORD,
        }))
        .await;
    (browser, response)
}

async fn session_user(browser: &Client) -> Value {
    let response = browser.get("/api/v1/auth/session").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["user"].clone()
}

#[actix_web::test]
async fn sign_up_mails_a_link_that_verifies_the_address_once() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let (browser, response) = sign_up(&app, "dora@example.org").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // Signed in, but the web app shows the banner.
    assert_eq!(session_user(&browser).await["email_verified"], false);

    let message = &smtp.wait_for_messages(1, WAIT)[0];
    assert!(message.contains("To: dora@example.org"), "{message}");
    assert!(
        message.contains("Subject: Confirm your email address for Camera Club"),
        "{message}"
    );
    assert!(message.contains("text/plain") && message.contains("text/html"));
    let token = token_in(message, &app.address, "/verify-email");
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) FROM email_confirmations WHERE token_hash = sha256(convert_to('{token}', 'UTF8'))"
            )
        ),
        1,
        "only the SHA-256 is stored"
    );

    let response = confirm(&app, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap()["email"],
        "dora@example.org"
    );
    assert_eq!(session_user(&browser).await["email_verified"], true);

    let (status, body) = problem(confirm(&app, &token).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem_type(&body), "confirmation-link-invalid");
    // A malformed token is a validation error, not a lookup.
    let (status, _) = problem(confirm(&app, "not a token!").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn when_required_an_unverified_member_signs_in_only_after_following_the_newest_link() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to_requiring(&smtp).await;
    let (_, response) = sign_up(&app, "eve@example.org").await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.headers().get("set-cookie").is_none(), "no session");
    assert_eq!(
        response.json::<Value>().await.unwrap()["email"],
        "eve@example.org"
    );
    let first = token_in(
        &smtp.wait_for_messages(1, WAIT)[0],
        &app.address,
        "/verify-email",
    );

    let mut browser = app.client();
    let (status, body) =
        problem(browser.log_in("eve@example.org", NEW_MEMBER_PASSWORD).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem_type(&body), "email-unverified");
    // A wrong password still says only that the credentials are wrong.
    let (status, _) = problem(
        browser
            .log_in("eve@example.org", "wrong-password-here")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Asking again sends a new link and voids the first; unknown addresses
    // get the same answer and no mail.
    for email in ["eve@example.org", "nobody@example.org"] {
        let response = app
            .client()
            .send_json(
                Method::POST,
                "/api/v1/auth/email-verification",
                json!({ "email": email }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{email}");
    }
    let messages = smtp.wait_for_messages(2, WAIT);
    assert!(
        messages[1].contains("To: eve@example.org"),
        "{}",
        messages[1]
    );
    let second = token_in(&messages[1], &app.address, "/verify-email");
    assert_ne!(first, second);
    assert_eq!(
        confirm(&app, &first).await.status(),
        StatusCode::BAD_REQUEST
    );

    // An expired link is refused too.
    execute(
        &app,
        "UPDATE email_confirmations SET expires_at = now() - interval '1 second'",
    );
    assert_eq!(
        confirm(&app, &second).await.status(),
        StatusCode::BAD_REQUEST
    );
    execute(
        &app,
        "UPDATE email_confirmations SET expires_at = now() + interval '1 hour'",
    );
    assert_eq!(confirm(&app, &second).await.status(), StatusCode::OK);
    assert_eq!(
        browser
            .log_in("eve@example.org", NEW_MEMBER_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    // Nobody else got mail.
    assert_eq!(smtp.wait_for_messages(2, WAIT).len(), 2);
}

async fn app_mailing_to_requiring(smtp: &SmtpServer) -> TestApp {
    mailing_to(smtp)
        .settings(|settings| settings.auth.require_email_verification = true)
        .spawn()
        .await
}

async fn change_email(browser: &Client, email: &str, password: &str) -> reqwest::Response {
    browser
        .send_json(
            Method::POST,
            "/api/v1/me/email",
            json!({ "email": email, "password": password }),
        )
        .await
}

#[actix_web::test]
async fn a_new_address_takes_effect_when_confirmed_there_and_the_old_one_is_told() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let browser = app.signed_in("finn@example.org", Role::Member).await;
    app.create_user("taken@example.org", Role::Member).await;

    let (status, _) =
        problem(change_email(&browser, "finn@new.example", "wrong-password-here").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = problem(change_email(&browser, "Finn@Example.org", PASSWORD).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = problem(change_email(&browser, "no address", PASSWORD).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another account's address: the same answer, and nothing is recorded or sent.
    assert_eq!(
        change_email(&browser, "taken@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(count(&app, "SELECT count(*) FROM email_confirmations"), 0);

    assert_eq!(
        change_email(&browser, "finn@new.example", PASSWORD)
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let message = &smtp.wait_for_messages(1, WAIT)[0];
    assert!(message.contains("To: finn@new.example"), "{message}");
    assert!(
        message.contains("Subject: Confirm your new email address for Camera Club"),
        "{message}"
    );
    // Nothing changes until the link is followed.
    assert_eq!(session_user(&browser).await["email"], "finn@example.org");
    let token = token_in(message, &app.address, "/verify-email");
    let response = confirm(&app, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap()["email"],
        "finn@new.example"
    );
    let user = session_user(&browser).await;
    assert_eq!(user["email"], "finn@new.example");
    assert_eq!(user["email_verified"], true);

    let messages = smtp.wait_for_messages(2, WAIT);
    assert!(
        messages[1].contains("To: finn@example.org"),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].contains("Subject: Your Camera Club email address was changed"),
        "{}",
        messages[1]
    );
    assert!(decoded(&messages[1]).contains("finn@new.example"));

    let mut other = app.client();
    assert_eq!(
        other.log_in("finn@example.org", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other.log_in("finn@new.example", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn a_change_to_an_address_taken_meanwhile_is_refused_and_changes_nothing() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let browser = app.signed_in("gus@example.org", Role::Member).await;
    assert_eq!(
        change_email(&browser, "gus@new.example", PASSWORD)
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let token = token_in(
        &smtp.wait_for_messages(1, WAIT)[0],
        &app.address,
        "/verify-email",
    );
    app.create_user("gus@new.example", Role::Member).await;
    let (status, body) = problem(confirm(&app, &token).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem_type(&body), "email-taken");
    assert_eq!(session_user(&browser).await["email"], "gus@example.org");
}
