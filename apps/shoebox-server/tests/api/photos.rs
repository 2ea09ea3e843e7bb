//! Photos end to end: upload, variants by the worker, serving with ETag and
//! Range, de-duplication, location privacy, deletion, bad input, quota.

use chrono::NaiveDate;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;
use shoebox_imaging::samples::{self, SampleExif, SampleGps};

use crate::helpers::{builder, problem, settled_photo, spawn_app, upload};

fn camera_jpeg(seed: u64) -> Vec<u8> {
    let exif = SampleExif {
        orientation: None,
        taken_at: NaiveDate::from_ymd_opt(2024, 7, 14).and_then(|d| d.and_hms_opt(10, 30, 0)),
        make: Some("Fujifilm".to_owned()),
        model: Some("X-T4".to_owned()),
        gps: Some(SampleGps {
            latitude: 48.8584,
            longitude: 2.2945,
            altitude_m: Some(35.0),
        }),
    };
    samples::jpeg_seeded(1200, 800, seed, &exif)
}

async fn created(response: reqwest::Response) -> Vec<Value> {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

#[actix_web::test]
async fn uploads_become_ready_with_oriented_variants_and_metadata() {
    let app = builder().with_worker().spawn().await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let body = created(
        upload(
            &owner,
            vec![
                ("beach.jpg", camera_jpeg(1)),
                ("logo.png", samples::png(640, 480, true)),
                ("anim.gif", samples::gif(300, 200)),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(body.len(), 3);
    assert!(body.iter().all(|item| item["outcome"] == "created"));
    let jpeg = &body[0]["photo"];
    assert_eq!(jpeg["status"], "processing");
    assert_eq!(
        (jpeg["width"].as_u64(), jpeg["height"].as_u64()),
        (Some(1200), Some(800))
    );
    assert_eq!(jpeg["camera"], "Fujifilm X-T4");
    assert_eq!(jpeg["taken_at"], "2024-07-14T10:30:00");
    assert_eq!(jpeg["original_name"], "beach.jpg");

    for item in &body {
        let id = item["photo"]["id"].as_str().unwrap();
        let photo = settled_photo(&owner, id).await;
        assert_eq!(photo["status"], "ready", "{photo}");
        let kinds: Vec<&str> = photo["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.len(), 2, "{photo}");
        let thumbnail = owner.get(&format!("/api/v1/photos/{id}/thumbnail")).await;
        assert_eq!(thumbnail.status(), StatusCode::OK);
        let bytes = thumbnail.bytes().await.unwrap();
        let facts = shoebox_imaging::inspect(&bytes, Default::default()).unwrap();
        assert!(facts.width.max(facts.height) <= 400);
        assert!(
            facts.location.is_none() && facts.camera.is_none(),
            "variants carry no metadata"
        );
    }
    // The owner, and only the owner, sees where the photo was taken.
    let id = jpeg["id"].as_str().unwrap();
    let mine = settled_photo(&owner, id).await;
    assert_eq!(mine["location"]["latitude"], 48.8584);
}

#[actix_web::test]
async fn files_are_served_with_etags_ranges_and_cache_headers() {
    let app = spawn_app().await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let original = camera_jpeg(2);
    let body = created(upload(&owner, vec![("a.jpg", original.clone())]).await).await;
    let id = body[0]["photo"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/photos/{id}/original");

    let whole = owner.get(&path).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let etag = whole.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(whole.headers()["content-type"], "image/jpeg");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert!(
        whole.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    assert_eq!(whole.bytes().await.unwrap(), original);

    let cached = owner
        .request(Method::GET, &path)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);

    let part = owner
        .request(Method::GET, &path)
        .header("Range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    let size = original.len();
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 10-19/{size}").as_str()
    );
    assert_eq!(part.bytes().await.unwrap(), original[10..20]);

    let tail = owner
        .request(Method::GET, &path)
        .header("Range", "bytes=-5")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.bytes().await.unwrap(), original[size - 5..]);

    let beyond = owner
        .request(Method::GET, &path)
        .header("Range", format!("bytes={size}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        beyond.headers()["content-range"],
        format!("bytes */{size}").as_str()
    );
    let (status, _) = problem(beyond).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);

    // No variant exists before the worker made it.
    let thumbnail = owner.get(&format!("/api/v1/photos/{id}/thumbnail")).await;
    assert_eq!(thumbnail.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn the_same_file_twice_is_one_photo() {
    let app = spawn_app().await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let bytes = camera_jpeg(3);
    let first = created(upload(&owner, vec![("a.jpg", bytes.clone())]).await).await;
    let objects = app.object_keys();
    let again = created(
        upload(
            &owner,
            vec![("copy.jpg", bytes.clone()), ("copy2.jpg", bytes.clone())],
        )
        .await,
    )
    .await;
    assert_eq!(again[0]["outcome"], "duplicate");
    assert_eq!(again[1]["outcome"], "duplicate");
    assert_eq!(again[0]["photo"]["id"], first[0]["photo"]["id"]);
    assert_eq!(
        app.object_keys(),
        objects,
        "the duplicates' bytes were removed"
    );

    // Another member's identical file is their own photo.
    let other = app.signed_in("bob@example.org", Role::Member).await;
    let theirs = created(upload(&other, vec![("a.jpg", bytes)]).await).await;
    assert_eq!(theirs[0]["outcome"], "created");
}

#[actix_web::test]
async fn bad_files_are_refused_and_leave_nothing_behind() {
    let app = builder()
        .settings(|settings| settings.photos.max_upload_bytes = 200_000)
        .spawn()
        .await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let good = camera_jpeg(4);
    let mut corpus: Vec<(String, Vec<u8>)> = samples::bad_inputs()
        .into_iter()
        .map(|bad| (format!("{}.jpg", bad.name), bad.bytes))
        .collect();
    corpus.push(("empty.jpg".to_owned(), Vec::new()));
    let mut over = samples::jpeg_seeded(2000, 2000, 9, &SampleExif::default());
    over.resize(200_001, 0);
    corpus.push(("one-byte-over.jpg".to_owned(), over));
    for (name, bytes) in corpus {
        // The bad file comes second: the good one before it must go too.
        let response = upload(&owner, vec![("good.jpg", good.clone()), (&name, bytes)]).await;
        let (status, body) = problem(response).await;
        assert!(status.is_client_error(), "{name}: {status}");
        assert!(
            body["detail"].as_str().unwrap().contains(&name),
            "{name}: {body}"
        );
        assert!(
            app.object_keys().is_empty(),
            "{name} left {:?}",
            app.object_keys()
        );
        let listed: Value = owner.get("/api/v1/photos").await.json().await.unwrap();
        assert_eq!(listed["items"], json!([]), "{name}");
    }
    let form = reqwest::multipart::Form::new().text("note", "no file here");
    let response = owner
        .request(Method::POST, "/api/v1/photos")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("/problems/no-file"))
    );
}

#[actix_web::test]
async fn a_quota_is_enforced_with_a_clear_error() {
    let first = camera_jpeg(5);
    let quota = first.len() as u64 + 100;
    let app = builder()
        .settings(move |settings| settings.photos.quota_bytes = Some(quota))
        .spawn()
        .await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    created(upload(&owner, vec![("a.jpg", first)]).await).await;
    let usage: Value = owner.get("/api/v1/me/storage").await.json().await.unwrap();
    assert_eq!(usage["quota_bytes"], quota);
    let (status, body) = problem(upload(&owner, vec![("b.jpg", camera_jpeg(6))]).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["type"], "/problems/quota-exceeded");
    assert_eq!(
        app.object_keys().len(),
        1,
        "only the first original remains"
    );
}

#[actix_web::test]
async fn deleting_a_photo_removes_its_files_and_only_the_owner_may() {
    let app = builder().with_worker().spawn().await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let body = created(upload(&owner, vec![("a.jpg", camera_jpeg(7))]).await).await;
    let id = body[0]["photo"]["id"].as_str().unwrap().to_owned();
    settled_photo(&owner, &id).await;
    assert_eq!(
        app.object_keys().len(),
        4,
        "original, its copy without the location, thumbnail, preview"
    );

    let other = app.signed_in("bob@example.org", Role::Member).await;
    let response = other.delete(&format!("/api/v1/photos/{id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let response = owner.delete(&format!("/api/v1/photos/{id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(app.object_keys().is_empty());
    let response = owner.get(&format!("/api/v1/photos/{id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn captions_are_edited_by_the_owner() {
    let app = spawn_app().await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let body = created(upload(&owner, vec![("a.jpg", camera_jpeg(8))]).await).await;
    let id = body[0]["photo"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/photos/{id}");
    let response = owner
        .send_json(Method::PATCH, &path, json!({"caption": "  Sunset  "}))
        .await;
    let photo: Value = response.json().await.unwrap();
    assert_eq!(photo["caption"], "Sunset");
    let response = owner
        .send_json(Method::PATCH, &path, json!({"caption": null}))
        .await;
    let photo: Value = response.json().await.unwrap();
    assert_eq!(photo["caption"], Value::Null);
    let (status, _) = problem(
        owner
            .send_json(Method::PATCH, &path, json!({"caption": "x".repeat(2001)}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn on_s3_uploads_reach_the_bucket_and_files_redirect_to_it() {
    let s3 = tokio::task::spawn_blocking(shoebox_test_support::S3Server::start)
        .await
        .unwrap();
    let app = builder()
        .with_storage(s3.settings())
        .settings(|settings| settings.photos.redirect_to_store = true)
        .with_worker()
        .spawn()
        .await;
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    let original = camera_jpeg(12);
    let body = created(upload(&owner, vec![("s3.jpg", original.clone())]).await).await;
    let id = body[0]["photo"]["id"].as_str().unwrap().to_owned();
    assert_eq!(settled_photo(&owner, &id).await["status"], "ready");

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token_body = owner
        .send_json(
            Method::POST,
            "/api/v1/me/tokens",
            json!({"name": "s3 test"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let token = token_body["secret"].as_str().unwrap();
    let response = no_redirects
        .get(format!("{}/api/v1/photos/{id}/original", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(s3.endpoint()), "{location}");
    let fetched = reqwest::get(&location).await.unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.unwrap(), original);
}
