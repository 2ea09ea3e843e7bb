//! Erasure (SPEC §8): after a member is erased, nothing in the database or
//! the store names them — checked by scanning every column and every object,
//! not by listing the places we remember.

use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, sql_types::Text};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::{Role, UserId};

use crate::helpers::{Client, TestApp, builder, files_under, located_jpeg, upload};

/// In every personal value of the member erased, and nowhere else.
const MARK: &str = "zqxmark";

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    value: String,
}

fn rows(connection: &mut PgConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<Row>(connection)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .into_iter()
        .map(|row| row.value)
        .collect()
}

/// Every `table.column` whose value, as text, contains `needle`.
fn columns_holding(url: &str, needle: &str) -> Vec<String> {
    let mut connection = PgConnection::establish(url).unwrap();
    let columns = rows(
        &mut connection,
        "SELECT table_name || '.' || column_name AS value FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY 1",
    );
    assert!(columns.len() > 40, "every column is scanned: {columns:?}");
    let pattern = format!("%{}%", needle.to_lowercase());
    columns
        .into_iter()
        .filter(|qualified| {
            let (table, column) = qualified.split_once('.').unwrap();
            let sql = format!(
                "SELECT count(*)::text AS value FROM public.\"{table}\" \
                 WHERE lower(\"{column}\"::text) LIKE '{pattern}'"
            );
            rows(&mut connection, &sql)[0] != "0"
        })
        .collect()
}

/// Every object whose key or bytes contain `needle`.
fn objects_holding(app: &TestApp, needle: &str) -> Vec<String> {
    files_under(app.objects.path())
        .into_iter()
        .filter(|key| {
            // A file gone since the listing (a staging file renamed) holds nothing.
            let bytes = std::fs::read(app.objects.path().join(key)).unwrap_or_default();
            key.contains(needle)
                || bytes
                    .windows(needle.len())
                    .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
        })
        .collect()
}

/// A member whose every personal field holds [`MARK`]: profile, sessions
/// (user agent), a token, photos (captions, file names), an album and its
/// share link, an invitation to their address.
async fn marked_member(app: &TestApp) -> (Client, UserId) {
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let invited = admin
        .send_json(
            Method::POST,
            "/api/v1/admin/invitations",
            json!({"email": format!("{MARK}@example.org"), "role": "member"}),
        )
        .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    app.create_user(&format!("{MARK}@example.org"), Role::Member)
        .await;
    let mut member = app.client();
    member.http = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent(format!("{MARK}-browser/1.0"))
        .build()
        .unwrap();
    let logged_in = member
        .log_in(&format!("{MARK}@example.org"), crate::helpers::PASSWORD)
        .await;
    assert_eq!(logged_in.status(), StatusCode::OK);
    let profile = member
        .send_json(
            Method::PATCH,
            "/api/v1/me",
            json!({"display_name": format!("{MARK} Display"), "full_name": format!("{MARK} Fullname"), "bio": format!("{MARK} biography")}),
        )
        .await;
    assert_eq!(profile.status(), StatusCode::OK);
    let token = member
        .send_json(
            Method::POST,
            "/api/v1/me/tokens",
            json!({"name": format!("{MARK} token")}),
        )
        .await;
    assert_eq!(token.status(), StatusCode::CREATED);
    let uploaded: Vec<Value> = upload(
        &member,
        vec![(&format!("{MARK}-holiday.jpg"), located_jpeg(31))],
    )
    .await
    .json()
    .await
    .unwrap();
    let photo = uploaded[0]["photo"]["id"].as_str().unwrap().to_owned();
    let captioned = member
        .send_json(
            Method::PATCH,
            &format!("/api/v1/photos/{photo}"),
            json!({"caption": format!("{MARK} caption")}),
        )
        .await;
    assert_eq!(captioned.status(), StatusCode::OK);
    let album: Value = member
        .send_json(
            Method::POST,
            "/api/v1/albums",
            json!({"title": format!("{MARK} album"), "description": format!("{MARK} description"), "visibility": "link"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let album = album["id"].as_str().unwrap().to_owned();
    let added = member
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{album}/photos"),
            json!({"photo_ids": [photo]}),
        )
        .await;
    assert!(added.status().is_success());
    let link = member
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{album}/links"),
            json!({}),
        )
        .await;
    assert_eq!(link.status(), StatusCode::CREATED);
    let me: Value = member.get("/api/v1/me").await.json().await.unwrap();
    let id = uuid::Uuid::parse_str(me["id"].as_str().unwrap()).unwrap();
    (member, UserId::from_uuid(id))
}

#[actix_web::test]
async fn after_an_erasure_no_column_and_no_object_names_the_member() {
    let app = builder().with_worker().spawn().await;
    // Someone else, whose data must all stay.
    let other = app.signed_in("keeper@example.org", Role::Member).await;
    let kept: Vec<Value> = upload(&other, vec![("kept.jpg", located_jpeg(32))])
        .await
        .json()
        .await
        .unwrap();
    let kept = kept[0]["photo"]["id"].as_str().unwrap().to_owned();

    let (member, id) = marked_member(&app).await;
    let uuid = id.as_uuid().to_string();
    // Let the worker make the variants, so that they are erased too.
    let photos: Value = member.get("/api/v1/photos").await.json().await.unwrap();
    let photo = photos["items"][0]["id"].as_str().unwrap().to_owned();
    crate::helpers::settled_photo(&member, &photo).await;
    // And the other member's, so that no file is being written while we scan.
    crate::helpers::settled_photo(&other, &kept).await;
    // An export of theirs, built by the worker: it holds their values too.
    let export = crate::exports::ready_export(&member).await;
    // A message not delivered yet (as typed, in capitals), and the counter
    // of mail requests for their address.
    crate::mail::execute(
        &app,
        &format!(
            "INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body) \
             VALUES (gen_random_uuid(), '{}@EXAMPLE.ORG', 's', 't', 'h')",
            MARK.to_uppercase()
        ),
    );
    let reset = app
        .client()
        .send_json(
            Method::POST,
            "/api/v1/auth/password-reset",
            json!({ "email": format!("{MARK}@example.org") }),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::ACCEPTED);

    // The scan sees the marks before: it would see them after.
    let before = columns_holding(app.database_url(), MARK);
    for expected in [
        "users.email",
        "users.display_name",
        "users.full_name",
        "users.bio",
        "sessions.user_agent",
        "api_tokens.name",
        "photos.caption",
        "photos.original_name",
        "albums.title",
        "albums.description",
        "invitations.email",
        "mail_outbox.recipient",
        "login_throttle.key",
    ] {
        assert!(
            before.iter().any(|c| c == expected),
            "{expected} not seen: {before:?}"
        );
    }
    assert!(!columns_holding(app.database_url(), &uuid).is_empty());
    let owned = objects_holding(&app, &uuid);
    assert!(owned.len() >= 4, "original, variants, export: {owned:?}");
    let export_key = format!("users/{uuid}/exports/{export}.zip");
    assert!(
        objects_holding(&app, MARK).contains(&export_key),
        "the export holds their values"
    );

    assert!(app.application.erasure.erase(id).await.unwrap());

    assert_eq!(
        columns_holding(app.database_url(), MARK),
        Vec::<String>::new(),
        "personal values left"
    );
    // Only the audit log keeps their id (who did what, when: identifiers
    // only, and an id that now names no one) — like the ledger.
    let ids_left = columns_holding(app.database_url(), &uuid);
    assert!(
        ids_left
            .iter()
            .all(|column| column.starts_with("audit_log.")),
        "the member's id left: {ids_left:?}"
    );
    assert!(
        ids_left.contains(&"audit_log.actor_id".to_owned()),
        "their export request is audited: {ids_left:?}"
    );
    assert_eq!(
        objects_holding(&app, MARK),
        Vec::<String>::new(),
        "objects holding a personal value"
    );
    let ledger = format!("ledger/deletions/{uuid}.json");
    assert_eq!(
        objects_holding(&app, &uuid),
        vec![ledger],
        "only the ledger record names the member"
    );
    // Their session and token no longer open anything.
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The other member lost nothing.
    let theirs: Value = other.get("/api/v1/photos").await.json().await.unwrap();
    assert_eq!(theirs["items"].as_array().unwrap().len(), 1);
}

async fn member_id(client: &Client) -> String {
    let me: Value = client.get("/api/v1/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_member_deletes_their_account_with_their_password_and_may_cancel_within_the_grace_period()
{
    let app = builder().spawn().await;
    let mut member = app.signed_in("leaving@example.org", Role::Member).await;
    let policy: Value = member
        .get("/api/v1/me/deletion")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(policy["grace_days"], 7, "the page can say when");

    let wrong = member
        .request(Method::DELETE, "/api/v1/me")
        .json(&json!({"password": "not the password"}))
        .send()
        .await
        .unwrap();
    let (status, body) = crate::helpers::problem(wrong).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["type"].as_str().unwrap().ends_with("wrong-password"),
        "{body}"
    );
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "nothing changed"
    );

    let requested = member
        .request(Method::DELETE, "/api/v1/me")
        .json(&json!({"password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let scheduled: Value = requested.json().await.unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(scheduled["deletion_due_at"].as_str().unwrap())
        .unwrap()
        .to_utc();
    let in_a_week = chrono::Utc::now() + chrono::TimeDelta::days(7);
    assert!((in_a_week - due).num_seconds().abs() < 60, "{due}");
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "every session ends at once"
    );

    // Signing in again shows the pending deletion, and cancels it.
    let signed_in = member
        .log_in("leaving@example.org", crate::helpers::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let me: Value = member.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["deletion_due_at"], scheduled["deletion_due_at"]);
    let cancelled = member.delete("/api/v1/me/deletion").await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let me: Value = cancelled.json().await.unwrap();
    assert_eq!(me["deletion_due_at"], Value::Null);
    let (status, _) = crate::helpers::problem(member.delete("/api/v1/me/deletion").await).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[actix_web::test]
async fn without_a_grace_period_the_account_is_erased_at_once() {
    let app = builder()
        .settings(|settings| settings.privacy.deletion_grace_days = 0)
        .spawn()
        .await;
    let mut member = app.signed_in("now@example.org", Role::Member).await;
    let policy: Value = member
        .get("/api/v1/me/deletion")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(policy["grace_days"], 0);
    let uploaded = upload(&member, vec![("n.jpg", located_jpeg(40))]).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let id = member_id(&member).await;
    let erased = member
        .request(Method::DELETE, "/api/v1/me")
        .json(&json!({"password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    assert!(objects_holding(&app, &id) == vec![format!("ledger/deletions/{id}.json")]);
    let again = member
        .log_in("now@example.org", crate::helpers::PASSWORD)
        .await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn admins_delete_members_later_or_now_but_not_themselves_and_due_deletions_are_erased() {
    let app = builder().spawn().await;
    let admin = app.signed_in("boss@example.org", Role::Admin).await;
    let member = app.signed_in("later@example.org", Role::Member).await;
    let gone = app.signed_in("gone@example.org", Role::Member).await;
    let later = member_id(&member).await;
    let gone_id = member_id(&gone).await;
    let admin_id = member_id(&admin).await;

    let (status, _) = crate::helpers::problem(
        member
            .delete(&format!("/api/v1/admin/users/{gone_id}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = crate::helpers::problem(
        admin
            .delete(&format!("/api/v1/admin/users/{admin_id}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = crate::helpers::problem(
        admin
            .delete(&format!("/api/v1/admin/users/{}", uuid::Uuid::nil()))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let scheduled = admin.delete(&format!("/api/v1/admin/users/{later}")).await;
    assert_eq!(scheduled.status(), StatusCode::ACCEPTED);
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let now = admin
        .delete(&format!("/api/v1/admin/users/{gone_id}?now=true"))
        .await;
    assert_eq!(now.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        admin
            .get(&format!("/api/v1/admin/users/{gone_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Nothing is due yet; once the grace period is over, the job erases.
    assert_eq!(app.application.deletion.erase_due().await.unwrap(), 0);
    {
        let mut connection = PgConnection::establish(app.database_url()).unwrap();
        diesel::sql_query(format!(
            "UPDATE users SET deletion_due_at = now() - interval '1 minute' WHERE id = '{later}'"
        ))
        .execute(&mut connection)
        .unwrap();
    }
    assert_eq!(app.application.deletion.erase_due().await.unwrap(), 1);
    assert_eq!(
        admin
            .get(&format!("/api/v1/admin/users/{later}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        app.application
            .scheduled_tasks()
            .unwrap()
            .iter()
            .any(|task| task.name == shoebox_application::privacy::ERASE_DUE_JOB)
    );
}

#[actix_web::test]
async fn the_operator_deletes_a_member_from_the_command_line() {
    let app = builder().spawn().await;
    app.create_user("cli@example.org", Role::Member).await;
    app.create_user("cli-now@example.org", Role::Member).await;
    let run = |args: &[&str]| {
        let mut command = crate::cli::shoebox(Some(app.database_url()), args);
        command.env(
            "SHOEBOX_STORAGE__URL",
            format!("file://{}", app.objects.path().display()),
        );
        crate::cli::run(&mut command)
    };
    let scheduled = run(&["users", "delete", "cli@example.org"]);
    assert!(
        scheduled.status.success(),
        "{}",
        crate::cli::stderr(&scheduled)
    );
    assert!(crate::cli::stdout(&scheduled).contains("unless cancelled"));
    let erased = run(&["users", "delete", "cli-now@example.org", "--now"]);
    assert!(erased.status.success(), "{}", crate::cli::stderr(&erased));
    assert!(crate::cli::stdout(&erased).contains("erased"));
    let unknown = run(&["users", "delete", "nobody@example.org"]);
    assert!(!unknown.status.success());
    assert!(
        crate::cli::stderr(&unknown).contains("no such member"),
        "{}",
        crate::cli::stderr(&unknown)
    );
    let mut connection = PgConnection::establish(app.database_url()).unwrap();
    let left = rows(
        &mut connection,
        "SELECT email || ':' || (deletion_due_at IS NOT NULL)::text AS value FROM users ORDER BY email",
    );
    assert_eq!(left, ["cli@example.org:true"]);
}
