//! The notices a member gets by mail, end to end against a real SMTP server
//! (aiosmtpd on 127.0.0.1): account deletion scheduled and completed, and a
//! data export ready to download.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;
use shoebox_test_support::SmtpServer;

use crate::{
    exports::ready_export,
    helpers::PASSWORD,
    mail::{WAIT, app_mailing_to, count, decoded, execute},
};

#[actix_web::test]
async fn a_scheduled_deletion_is_announced_with_its_date_and_the_erasure_confirmed() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let member = app.signed_in("leaving@example.org", Role::Member).await;
    let requested = member
        .request(Method::DELETE, "/api/v1/me")
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let scheduled: Value = requested.json().await.unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(scheduled["deletion_due_at"].as_str().unwrap())
        .unwrap()
        .to_utc();

    let message = decoded(&smtp.wait_for_messages(1, WAIT)[0]);
    assert!(message.contains("To: leaving@example.org"), "{message}");
    let date = due.format("%-d %B %Y").to_string();
    assert!(
        message.contains(&format!(
            "Subject: Your Camera Club account will be deleted on {date}"
        )),
        "{message}"
    );
    assert!(message.contains("You scheduled the deletion"), "{message}");
    assert!(message.contains(&format!("{}/settings", app.address)));

    // The grace period ends; the hourly job erases the member and tells them.
    execute(
        &app,
        "UPDATE users SET deletion_due_at = now() - interval '1 minute'",
    );
    assert_eq!(app.application.deletion.erase_due().await.unwrap(), 1);
    let messages = smtp.wait_for_messages(2, WAIT);
    assert!(
        messages[1].contains("To: leaving@example.org"),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].contains("Subject: Your Camera Club account was deleted"),
        "{}",
        messages[1]
    );
    assert_eq!(count(&app, "SELECT count(*) FROM users"), 0);
}

#[actix_web::test]
async fn an_admins_immediate_deletion_is_confirmed_to_the_member() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let member = app.signed_in("gone@example.org", Role::Member).await;
    let me: Value = member.get("/api/v1/me").await.json().await.unwrap();
    let id = me["id"].as_str().unwrap();
    let response = admin
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/users/{id}?now=true"),
        )
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let messages = smtp.wait_for_messages(1, WAIT);
    assert!(
        messages[0].contains("To: gone@example.org"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("Subject: Your Camera Club account was deleted"),
        "{}",
        messages[0]
    );
}

#[actix_web::test]
async fn a_built_export_is_announced_with_its_size_and_where_to_download_it() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    let member = app.signed_in("keeper@example.org", Role::Member).await;
    let id = ready_export(&member).await;
    let export: Value = member
        .get(&format!("/api/v1/me/exports/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let message = decoded(&smtp.wait_for_messages(1, WAIT)[0]);
    assert!(message.contains("To: keeper@example.org"), "{message}");
    assert!(
        message.contains("Subject: Your Camera Club data export is ready"),
        "{message}"
    );
    let size = export["size_bytes"].as_u64().unwrap();
    assert!(size > 0);
    // The size as the web app shows it (under 1 MB for an empty account).
    assert!(
        message.contains(&format!("a ZIP of {}", expected_size(size))),
        "{size}: {message}"
    );
    assert!(message.contains(&format!("{}/settings", app.address)));
}

fn expected_size(bytes: u64) -> String {
    if bytes < 1000 {
        format!("{bytes} bytes")
    } else {
        let kb = bytes as f64 / 1000.0;
        let number = if kb < 10.0 {
            format!("{kb:.1}")
        } else {
            format!("{kb:.0}")
        };
        format!("{} KB", number.trim_end_matches(".0"))
    }
}

#[actix_web::test]
async fn a_sign_in_from_a_browser_never_used_before_is_announced() {
    let smtp = SmtpServer::start();
    let app = app_mailing_to(&smtp).await;
    app.create_user("ines@example.org", Role::Member).await;
    let log_in = |browser: &crate::helpers::Client| {
        browser
            .request(Method::POST, "/api/v1/auth/login")
            .header("User-Agent", "Firefox/140.0 (e2e laptop)")
            .json(&json!({ "email": "ines@example.org", "password": PASSWORD }))
            .send()
    };
    // Her first browser: nothing to announce, and it keeps its device cookie.
    let laptop = app.client();
    let first = log_in(&laptop).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let cookie = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("shoebox_device="))
        .expect("a device cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    assert_eq!(log_in(&laptop).await.unwrap().status(), StatusCode::OK);

    // Another browser: announced, with what it said it was.
    let phone = app.client();
    assert_eq!(log_in(&phone).await.unwrap().status(), StatusCode::OK);
    let message = decoded(&smtp.wait_for_messages(1, WAIT)[0]);
    assert!(message.contains("To: ines@example.org"), "{message}");
    assert!(
        message.contains("Subject: New sign-in to your Camera Club account"),
        "{message}"
    );
    assert!(message.contains("Firefox/140.0 (e2e laptop)"), "{message}");
    assert!(message.contains("127.0.0.1"), "{message}");
    assert!(message.contains(&format!("{}/forgot-password", app.address)));

    // Both browsers are known now: the next message is the reset asked
    // for below, not another announcement.
    assert_eq!(log_in(&laptop).await.unwrap().status(), StatusCode::OK);
    assert_eq!(log_in(&phone).await.unwrap().status(), StatusCode::OK);
    let reset = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/auth/password-reset",
            json!({ "email": "ines@example.org" }),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::ACCEPTED);
    let messages = smtp.wait_for_messages(2, WAIT);
    assert!(
        messages[1].contains("Subject: Reset your Camera Club password"),
        "{}",
        messages[1]
    );
}
