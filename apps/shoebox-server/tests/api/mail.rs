//! Mail end to end: the server, its worker and a real SMTP server
//! (aiosmtpd on 127.0.0.1); the test reads each message the SMTP server
//! received and follows its link through the API.

use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shoebox_domain::accounts::Role;
use shoebox_test_support::SmtpServer;

use crate::helpers::{PASSWORD, TestApp, TestAppBuilder, builder, problem};

const NEW_PASSWORD: &str = "amber-heron-crosses-lake";
pub(crate) const WAIT: Duration = Duration::from_secs(30);

pub(crate) async fn app_mailing_to(smtp: &SmtpServer) -> TestApp {
    mailing_to(smtp).spawn().await
}

/// An app with a worker, mailing through `smtp` as "Camera Club".
pub(crate) fn mailing_to(smtp: &SmtpServer) -> TestAppBuilder {
    let url = format!("smtp://127.0.0.1:{}", smtp.port());
    builder().with_worker().settings(|settings| {
        settings.mail.smtp_url = Some(url.into());
        settings.mail.from = "Camera Club <photos@club.example>".into();
        settings.instance.name = "Camera Club".into();
    })
}

/// The message's text with quoted-printable soft line breaks and `=3D` undone.
pub(crate) fn decoded(message: &str) -> String {
    message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The token of the first `{public_url}{path}?token=` link in the message.
pub(crate) fn token_in(message: &str, public_url: &str, path: &str) -> String {
    let text = decoded(message);
    let prefix = format!("{public_url}{path}?token=");
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{text}"))
        + prefix.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.client()
        .send_json(
            Method::POST,
            "/api/v1/auth/password-reset",
            json!({ "email": email }),
        )
        .await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.client()
        .send_json(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            json!({ "token": token, "password": password }),
        )
        .await
}

#[actix_web::test]
async fn a_reset_link_arrives_by_smtp_and_sets_a_new_password_once() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let signed_in = app.signed_in("ada@example.org", Role::Member).await;

    let response = request_reset(&app, "Ada@Example.org").await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);

    let messages = smtp.wait_for_messages(1, WAIT);
    let message = &messages[0];
    assert!(message.contains("To: ada@example.org"), "{message}");
    assert!(
        message.contains("Camera Club") && message.contains("<photos@club.example>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: Reset your Camera Club password"),
        "{message}"
    );
    assert!(message.contains("text/plain") && message.contains("text/html"));
    let token = token_in(message, &app.address, "/reset-password");
    assert!(token.len() >= 40, "{token}");
    // Only the SHA-256 is stored, the job names the message alone, and the
    // sent message is gone from the outbox.
    let stored = format!(
        "SELECT count(*) FROM password_resets WHERE token_hash = sha256(convert_to('{token}', 'UTF8'))"
    );
    assert_eq!(count(&app, &stored), 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM jobs WHERE payload::text LIKE '%{token}%'")
        ),
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM jobs WHERE kind = 'mail.send'"),
        1
    );
    // The server has the message before the worker hears its reply.
    wait_until(|| count(&app, "SELECT count(*) FROM mail_outbox") == 0);

    assert_eq!(
        confirm(&app, &token, NEW_PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    // Every session ended.
    assert_eq!(
        signed_in.get("/api/v1/auth/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let mut browser = app.client();
    assert_eq!(
        browser.log_in("ada@example.org", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser
            .log_in("ada@example.org", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );

    // Single use.
    let (status, body) = problem(confirm(&app, &token, "another-fine-passphrase").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["type"].as_str().unwrap_or_default().rsplit('/').next(),
        Some("reset-link-invalid")
    );

    // The member hears that the password changed.
    let messages = smtp.wait_for_messages(2, WAIT);
    assert!(
        messages[1].contains("Subject: Your Camera Club password was changed"),
        "{}",
        messages[1]
    );
    assert!(decoded(&messages[1]).contains(&format!("{}/forgot-password", app.address)));
}

#[actix_web::test]
async fn an_expired_link_is_refused() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    app.create_user("bob@example.org", Role::Member).await;
    assert_eq!(
        request_reset(&app, "bob@example.org").await.status(),
        StatusCode::ACCEPTED
    );
    let token = token_in(
        &smtp.wait_for_messages(1, WAIT)[0],
        &app.address,
        "/reset-password",
    );
    execute(
        &app,
        "UPDATE password_resets SET expires_at = now() - interval '1 second'",
    );
    let (status, _) = problem(confirm(&app, &token, NEW_PASSWORD).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut browser = app.client();
    assert_eq!(
        browser.log_in("bob@example.org", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail_and_requests_are_limited() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    app.create_user("cleo@example.org", Role::Member).await;

    for email in ["cleo@example.org", "nobody@example.org", "not an address"] {
        let response = request_reset(&app, email).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{email}");
        assert_eq!(response.text().await.unwrap(), "", "{email}");
    }
    // Three per address per window (the default), known or not.
    for email in ["cleo@example.org", "nobody@example.org"] {
        for _ in 0..2 {
            assert_eq!(
                request_reset(&app, email).await.status(),
                StatusCode::ACCEPTED
            );
        }
        let response = request_reset(&app, email).await;
        assert!(response.headers().contains_key("retry-after"));
        let (status, _) = problem(response).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{email}");
    }
    // Only the known address got mail: three messages, all to Cleo.
    let messages = smtp.wait_for_messages(3, WAIT);
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| m.contains("To: cleo@example.org")));
    // Logins are counted apart: Cleo can still sign in.
    let mut browser = app.client();
    assert_eq!(
        browser.log_in("cleo@example.org", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn a_weak_or_malformed_reset_is_refused_before_any_token_is_spent() {
    let app = builder().spawn().await;
    let (status, body) = problem(confirm(&app, "not a token!", "short").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = body.to_string();
    assert!(
        text.contains("token") && text.contains("password"),
        "{text}"
    );
}

pub(crate) fn wait_until(condition: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while !condition() {
        assert!(
            std::time::Instant::now() < deadline,
            "the condition never held"
        );
        // A polling interval, not synchronisation: the condition decides.
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn execute(app: &TestApp, sql: &str) {
    let mut connection = PgConnection::establish(app.database_url()).unwrap();
    diesel::sql_query(sql).execute(&mut connection).unwrap();
}

pub(crate) fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let mut connection = PgConnection::establish(app.database_url()).unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut connection)
        .unwrap()
        .count
}
