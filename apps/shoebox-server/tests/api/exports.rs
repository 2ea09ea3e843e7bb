//! Data exports and the audit log (SPEC §8), over HTTP against the real
//! database and store; the ZIP is read back with an independent reader.

use std::io::{Cursor, Read};

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::{accounts::Role, privacy::ExportId};

use crate::helpers::{Client, builder, located_jpeg, problem, upload};

/// Requests an export and waits (up to 60 s) for the worker to build it;
/// its id.
pub async fn ready_export(member: &Client) -> String {
    let requested = member
        .send_json(Method::POST, "/api/v1/me/exports", json!({}))
        .await;
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let export: Value = requested.json().await.unwrap();
    let id = export["id"].as_str().unwrap().to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let export: Value = member
            .get(&format!("/api/v1/me/exports/{id}"))
            .await
            .json()
            .await
            .unwrap();
        match export["status"].as_str().unwrap() {
            "ready" => return id,
            "pending" => {}
            other => panic!("export {id} is {other}"),
        }
        assert!(
            std::time::Instant::now() < deadline,
            "export {id} still pending after 60 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn entry(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).unwrap();
    bytes
}

fn json_entry(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Value {
    serde_json::from_slice(&entry(archive, name)).unwrap()
}

#[actix_web::test]
async fn a_member_exports_profile_albums_and_originals_and_only_they_can_download_it() {
    let app = builder().spawn().await;
    let member = app.signed_in("exporter@example.org", Role::Member).await;
    let other = app.signed_in("nosy@example.org", Role::Member).await;
    let admin = app.signed_in("chief@example.org", Role::Admin).await;
    let me: Value = member.get("/api/v1/me").await.json().await.unwrap();
    let member_id = me["id"].as_str().unwrap().to_owned();
    let renamed = member
        .send_json(
            Method::PATCH,
            "/api/v1/me",
            json!({"display_name": "Exa Porter", "bio": "Collects sunsets."}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let originals = [located_jpeg(51), located_jpeg(52)];
    let uploaded: Vec<Value> = upload(
        &member,
        vec![
            ("sunset.jpg", originals[0].clone()),
            ("dawn.jpg", originals[1].clone()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    let photo_ids: Vec<String> = uploaded
        .iter()
        .map(|item| item["photo"]["id"].as_str().unwrap().to_owned())
        .collect();
    let captioned = member
        .send_json(
            Method::PATCH,
            &format!("/api/v1/photos/{}", photo_ids[1]),
            json!({"caption": "First light"}),
        )
        .await;
    assert_eq!(captioned.status(), StatusCode::OK);
    let album: Value = member
        .send_json(
            Method::POST,
            "/api/v1/albums",
            json!({"title": "Skies", "description": "Up there", "visibility": "private"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let album_id = album["id"].as_str().unwrap().to_owned();
    let added = member
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{album_id}/photos"),
            json!({"photo_ids": [photo_ids[1], photo_ids[0]]}),
        )
        .await;
    assert!(added.status().is_success());

    // Asked for: pending, one at a time, not downloadable yet.
    let requested = member
        .send_json(Method::POST, "/api/v1/me/exports", json!({}))
        .await;
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let export: Value = requested.json().await.unwrap();
    assert_eq!(export["status"], "pending");
    assert_eq!(export["download_url"], Value::Null);
    let id = export["id"].as_str().unwrap().to_owned();
    let (status, body) = problem(
        member
            .send_json(Method::POST, "/api/v1/me/exports", json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = problem(
        member
            .get(&format!("/api/v1/me/exports/{id}/archive"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The job builds it.
    let built = app
        .application
        .exports
        .build(ExportId::from_uuid(uuid::Uuid::parse_str(&id).unwrap()))
        .await
        .unwrap()
        .expect("built");
    assert_eq!(built.photo_count, 2);
    let export: Value = member
        .get(&format!("/api/v1/me/exports/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["status"], "ready");
    assert_eq!(export["size_bytes"], built.size_bytes);
    assert_eq!(export["photo_count"], 2);
    let finished =
        chrono::DateTime::parse_from_rfc3339(export["finished_at"].as_str().unwrap()).unwrap();
    let expires =
        chrono::DateTime::parse_from_rfc3339(export["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires - finished, chrono::TimeDelta::days(7));
    let url = export["download_url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/api/v1/me/exports/{id}/archive"));
    let listed: Value = member.get("/api/v1/me/exports").await.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], id.as_str());

    // Nobody else sees or downloads it, admins included.
    for stranger in [&other, &admin] {
        let (status, _) = problem(stranger.get(&format!("/api/v1/me/exports/{id}")).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = problem(stranger.get(&url).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let theirs: Value = stranger
            .get("/api/v1/me/exports")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(theirs["items"], json!([]));
    }

    let download = member.get(&url).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/zip");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"shoebox-export-"),
        "{disposition}"
    );
    let bytes = download.bytes().await.unwrap().to_vec();
    assert_eq!(bytes.len() as u64, built.size_bytes);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    let mut expected = vec![
        "README.txt".to_owned(),
        "albums.json".to_owned(),
        "photos.json".to_owned(),
        "profile.json".to_owned(),
    ];
    expected.extend(photo_ids.iter().map(|id| format!("photos/{id}.jpg")));
    expected.sort();
    assert_eq!(names, expected);

    let profile = json_entry(&mut archive, "profile.json");
    assert_eq!(profile["id"], member_id.as_str());
    assert_eq!(profile["email"], "exporter@example.org");
    assert_eq!(profile["display_name"], "Exa Porter");
    assert_eq!(profile["bio"], "Collects sunsets.");
    assert_eq!(profile["sessions"].as_array().unwrap().len(), 1);
    let photos = json_entry(&mut archive, "photos.json");
    let photos = photos.as_array().unwrap();
    assert_eq!(photos.len(), 2);
    for (index, id) in photo_ids.iter().enumerate() {
        let photo = photos.iter().find(|p| p["id"] == id.as_str()).unwrap();
        let file = photo["file"].as_str().unwrap().to_owned();
        assert!(
            entry(&mut archive, &file) == originals[index],
            "the original of {id} comes back byte for byte"
        );
        assert_eq!(photo["original_name"], ["sunset.jpg", "dawn.jpg"][index]);
    }
    let dawn = photos
        .iter()
        .find(|p| p["id"] == photo_ids[1].as_str())
        .unwrap();
    assert_eq!(dawn["caption"], "First light");
    assert!(
        dawn["location"]["latitude"].is_number(),
        "the place is the member's data: {dawn}"
    );
    let albums = json_entry(&mut archive, "albums.json");
    assert_eq!(albums.as_array().unwrap().len(), 1);
    assert_eq!(albums[0]["title"], "Skies");
    assert_eq!(albums[0]["description"], "Up there");
    assert_eq!(
        albums[0]["photo_ids"],
        json!([photo_ids[1], photo_ids[0]]),
        "in the album's order"
    );
    let readme = String::from_utf8(entry(&mut archive, "README.txt")).unwrap();
    assert!(readme.contains("7 days"), "{readme}");

    // The ZIP lives under the member's own prefix (erasure takes it).
    let key = format!("users/{member_id}/exports/{id}.zip");
    assert!(app.object_keys().contains(&key), "{:?}", app.object_keys());

    // Both the request and the download are audited, without personal data.
    let (status, _) = problem(member.get("/api/v1/admin/audit").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let audit: Value = admin.get("/api/v1/admin/audit").await.json().await.unwrap();
    let actions: Vec<(&str, &str, &str)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["action"].as_str().unwrap(),
                entry["actor_id"].as_str().unwrap_or(""),
                entry["target_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("export.downloaded", member_id.as_str(), id.as_str()),
            ("export.requested", member_id.as_str(), id.as_str()),
        ],
        "newest first"
    );
    let text = audit.to_string();
    for personal in ["exporter@example.org", "Exa Porter", "sunset", "Skies"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}

#[actix_web::test]
async fn an_export_expires_after_seven_days_and_the_sweeper_removes_it() {
    let app = builder().spawn().await;
    let member = app.signed_in("brief@example.org", Role::Member).await;
    let me: Value = member.get("/api/v1/me").await.json().await.unwrap();
    let member_id = me["id"].as_str().unwrap().to_owned();
    let export: Value = member
        .send_json(Method::POST, "/api/v1/me/exports", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let id = export["id"].as_str().unwrap().to_owned();
    let export_id = ExportId::from_uuid(uuid::Uuid::parse_str(&id).unwrap());
    let built = app
        .application
        .exports
        .build(export_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        built.photo_count, 0,
        "an export of nothing is still an export"
    );
    // A second build of a ready export does nothing.
    assert_eq!(
        app.application.exports.build(export_id).await.unwrap(),
        None
    );
    assert_eq!(
        app.application.exports.sweep().await.unwrap(),
        0,
        "not expired yet"
    );
    let key = format!("users/{member_id}/exports/{id}.zip");
    assert!(app.object_keys().contains(&key));

    // Seven days later.
    let mut connection = PgConnection::establish(app.database_url()).unwrap();
    diesel::sql_query(format!(
        "UPDATE data_exports SET expires_at = now() - interval '1 second' WHERE id = '{id}'"
    ))
    .execute(&mut connection)
    .unwrap();
    let (status, body) = problem(
        member
            .get(&format!("/api/v1/me/exports/{id}/archive"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert!(body["type"].as_str().unwrap().ends_with("export-expired"));

    assert_eq!(app.application.exports.sweep().await.unwrap(), 1);
    assert!(!app.object_keys().contains(&key), "the ZIP is gone");
    let (status, _) = problem(member.get(&format!("/api/v1/me/exports/{id}")).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A new one may be asked for.
    let again = member
        .send_json(Method::POST, "/api/v1/me/exports", json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    let tasks: Vec<String> = app
        .application
        .scheduled_tasks()
        .unwrap()
        .into_iter()
        .map(|task| task.name)
        .collect();
    assert!(
        tasks.contains(&"privacy.sweep_exports".to_owned()),
        "{tasks:?}"
    );
}

#[actix_web::test]
async fn admin_and_privacy_actions_are_audited_with_identifiers_only() {
    let app = builder()
        .settings(|settings| settings.privacy.deletion_grace_days = 3)
        .spawn()
        .await;
    let admin = app.signed_in("warden@example.org", Role::Admin).await;
    let admin_id: Value = admin.get("/api/v1/me").await.json().await.unwrap();
    let admin_id = admin_id["id"].as_str().unwrap().to_owned();
    let mut member = app.signed_in("audited@example.org", Role::Member).await;
    let member_id: Value = member.get("/api/v1/me").await.json().await.unwrap();
    let member_id = member_id["id"].as_str().unwrap().to_owned();
    let doomed = app.signed_in("doomed@example.org", Role::Member).await;
    let doomed_id: Value = doomed.get("/api/v1/me").await.json().await.unwrap();
    let doomed_id = doomed_id["id"].as_str().unwrap().to_owned();

    let promoted = admin
        .send_json(
            Method::PATCH,
            &format!("/api/v1/admin/users/{member_id}"),
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let invitation: Value = admin
        .send_json(
            Method::POST,
            "/api/v1/admin/invitations",
            json!({"email": "newcomer@example.org", "role": "member"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let invitation_id = invitation["invitation"]["id"].as_str().unwrap().to_owned();
    let revoked = admin
        .delete(&format!("/api/v1/admin/invitations/{invitation_id}"))
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let requested = member
        .request(Method::DELETE, "/api/v1/me")
        .json(&json!({"password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let again = member
        .log_in("audited@example.org", crate::helpers::PASSWORD)
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        member.delete("/api/v1/me/deletion").await.status(),
        StatusCode::OK
    );
    let erased = admin
        .delete(&format!("/api/v1/admin/users/{doomed_id}?now=true"))
        .await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    // The operator, on the command line.
    let outcome = app
        .application
        .deletion
        .delete_by_email(
            &shoebox_domain::accounts::EmailAddress::parse("warden@example.org").unwrap(),
            false,
        )
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        shoebox_domain::privacy::DeletionOutcome::Scheduled { .. }
    ));

    // Read by another admin (the first one's sessions just ended).
    let reader = app.signed_in("reader@example.org", Role::Admin).await;
    let first: Value = reader
        .get("/api/v1/admin/audit?limit=4")
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("a second page: {first}"))
        .to_owned();
    let rest: Value = reader
        .get(&format!("/api/v1/admin/audit?limit=50&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["next_cursor"], Value::Null);
    let entries: Vec<Value> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["items"].as_array().unwrap())
        .cloned()
        .collect();
    let seen: Vec<(String, String, String, String)> = entries
        .iter()
        .rev()
        .map(|entry| {
            (
                entry["action"].as_str().unwrap().to_owned(),
                entry["actor_kind"].as_str().unwrap().to_owned(),
                entry["actor_id"].as_str().unwrap_or("-").to_owned(),
                entry["target_id"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let row = |action: &str, kind: &str, actor: &str, target: &str| {
        (
            action.to_owned(),
            kind.to_owned(),
            actor.to_owned(),
            target.to_owned(),
        )
    };
    assert_eq!(
        seen,
        vec![
            row("admin.member_updated", "member", &admin_id, &member_id),
            row(
                "admin.invitation_created",
                "member",
                &admin_id,
                &invitation_id
            ),
            row(
                "admin.invitation_revoked",
                "member",
                &admin_id,
                &invitation_id
            ),
            row(
                "account.deletion_requested",
                "member",
                &member_id,
                &member_id
            ),
            row(
                "account.deletion_cancelled",
                "member",
                &member_id,
                &member_id
            ),
            row("account.erased", "member", &admin_id, &doomed_id),
            row("account.deletion_requested", "operator", "-", &admin_id),
        ],
        "oldest first here"
    );
    let text = serde_json::to_string(&entries).unwrap();
    for personal in ["@example.org", "warden", "audited", "doomed", "newcomer"] {
        assert!(!text.contains(personal), "{personal} in the audit log");
    }
}
