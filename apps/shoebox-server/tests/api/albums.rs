//! Albums and sharing end to end: order, cover, membership, visibility,
//! share links and the anonymous view, revocation and expiry.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;

use crate::helpers::{
    Client, TestApp, assert_location_free, builder, located_jpeg, problem, settled_photo, upload,
};

async fn photos(client: &Client, count: u64) -> Vec<String> {
    let files: Vec<(&str, Vec<u8>)> = (0..count)
        .map(|seed| ("p.jpg", located_jpeg(seed + 100)))
        .collect();
    let response = upload(client, files).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Vec<Value> = response.json().await.unwrap();
    body.iter()
        .map(|item| item["photo"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn json(response: reqwest::Response, expected: StatusCode) -> Value {
    assert_eq!(response.status(), expected);
    response.json().await.unwrap()
}

async fn album(client: &Client, title: &str, visibility: &str) -> String {
    let body = json!({"title": title, "visibility": visibility});
    let album = json(
        client.send_json(Method::POST, "/api/v1/albums", body).await,
        StatusCode::CREATED,
    )
    .await;
    album["id"].as_str().unwrap().to_owned()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn albums_keep_order_cover_and_photos_in_several_albums() {
    let app = builder().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let shot = photos(&ann, 3).await;
    let trip = album(&ann, "Trip", "private").await;
    let best = album(&ann, "Best of", "private").await;
    let path = format!("/api/v1/albums/{trip}/photos");
    let added = json(
        ann.send_json(
            Method::POST,
            &path,
            json!({"photo_ids": [shot[2], shot[0], shot[1]]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(added["photo_count"], 3);
    assert_eq!(
        added["cover_photo_id"],
        shot[2].as_str(),
        "the first photo is the default cover"
    );
    ann.send_json(
        Method::POST,
        &format!("/api/v1/albums/{best}/photos"),
        json!({"photo_ids": [shot[0]]}),
    )
    .await;

    let page = json(ann.get(&path).await, StatusCode::OK).await;
    assert_eq!(
        ids(&page),
        [shot[2].as_str(), shot[0].as_str(), shot[1].as_str()]
    );
    // Pages follow the album order.
    let first = json(ann.get(&format!("{path}?limit=2")).await, StatusCode::OK).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let rest = json(
        ann.get(&format!("{path}?limit=2&cursor={cursor}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&rest), [shot[1].as_str()]);

    let order = format!("/api/v1/albums/{trip}/order");
    ann.send_json(
        Method::PUT,
        &order,
        json!({"photo_ids": [shot[0], shot[1], shot[2]]}),
    )
    .await;
    assert_eq!(ids(&json(ann.get(&path).await, StatusCode::OK).await), shot);
    let (status, _) = problem(
        ann.send_json(Method::PUT, &order, json!({"photo_ids": [shot[0]]}))
            .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an order must name every photo"
    );

    let album_path = format!("/api/v1/albums/{trip}");
    let changed = json(
        ann.send_json(
            Method::PATCH,
            &album_path,
            json!({"title": "Alps 2024", "description": "Three days", "cover_photo_id": shot[1]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            changed["title"].as_str(),
            changed["cover_photo_id"].as_str()
        ),
        (Some("Alps 2024"), Some(shot[1].as_str()))
    );
    let (status, _) = problem(
        ann.send_json(
            Method::PATCH,
            &album_path,
            json!({"cover_photo_id": uuid::Uuid::now_v7()}),
        )
        .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the cover must be in the album"
    );

    // Removing the cover falls back to the first photo.
    let removed = json(
        ann.request(Method::DELETE, &path)
            .json(&json!({"photo_ids": [shot[1]]}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            removed["photo_count"].as_u64(),
            removed["cover_photo_id"].as_str()
        ),
        (Some(2), Some(shot[0].as_str()))
    );

    // Someone else's photo cannot be added.
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let bobs = photos(&bob, 1).await;
    let (status, body) = problem(
        ann.send_json(Method::POST, &path, json!({"photo_ids": bobs}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["detail"].as_str().unwrap().contains(&bobs[0]));

    // Deleting an album keeps its photos, which stay in the other album.
    assert_eq!(
        ann.delete(&album_path).await.status(),
        StatusCode::NO_CONTENT
    );
    let best_page = json(
        ann.get(&format!("/api/v1/albums/{best}/photos")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&best_page), [shot[0].as_str()]);
    assert_eq!(
        ann.get(&format!("/api/v1/photos/{}", shot[1]))
            .await
            .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn members_albums_are_seen_by_members_without_locations() {
    let app = builder().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let shot = photos(&ann, 1).await;
    let club = album(&ann, "Club", "members").await;
    let private = album(&ann, "Mine", "private").await;
    for id in [&club, &private] {
        ann.send_json(
            Method::POST,
            &format!("/api/v1/albums/{id}/photos"),
            json!({"photo_ids": shot}),
        )
        .await;
    }
    let listed = json(bob.get("/api/v1/albums").await, StatusCode::OK).await;
    assert_eq!(ids(&listed), [club.as_str()]);
    let owned = json(bob.get("/api/v1/albums?owned=true").await, StatusCode::OK).await;
    assert_eq!(ids(&owned), Vec::<String>::new());
    assert_eq!(
        bob.get(&format!("/api/v1/albums/{private}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let seen = json(
        bob.get(&format!("/api/v1/photos/{}", shot[0])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        seen["location"],
        Value::Null,
        "location is the owner's alone"
    );
    let page = json(
        bob.get(&format!("/api/v1/albums/{club}/photos")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"][0]["location"], Value::Null);
    // The original keeps its EXIF, location included: until the worker has
    // made a copy without it, only its owner gets it.
    let original = format!("/api/v1/photos/{}/original", shot[0]);
    let (status, body) = problem(bob.get(&original).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::FORBIDDEN, Some("/problems/original-withheld"))
    );
    assert_eq!(ann.get(&original).await.status(), StatusCode::OK);
    let mine = json(
        ann.get(&format!("/api/v1/photos/{}", shot[0])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["location"]["latitude"], 45.0);

    // Making the album private again hides the photo.
    ann.send_json(
        Method::PATCH,
        &format!("/api/v1/albums/{club}"),
        json!({"visibility": "private"}),
    )
    .await;
    assert_eq!(
        bob.get(&format!("/api/v1/photos/{}", shot[0]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn share(
    app: &TestApp,
    owner: &Client,
    album_id: &str,
    expires_at: Option<String>,
) -> (String, String) {
    let _ = app;
    let body = json(
        owner
            .send_json(
                Method::POST,
                &format!("/api/v1/albums/{album_id}/links"),
                json!({"expires_at": expires_at}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = body["token"].as_str().unwrap().to_owned();
    assert!(
        body["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/shared/{token}"))
    );
    (body["link"]["id"].as_str().unwrap().to_owned(), token)
}

#[actix_web::test]
async fn share_links_open_an_album_read_only_until_revoked() {
    let app = builder().with_worker().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let shot = photos(&ann, 2).await;
    for id in &shot {
        settled_photo(&ann, id).await;
    }
    let trip = album(&ann, "Trip", "link").await;
    ann.send_json(
        Method::POST,
        &format!("/api/v1/albums/{trip}/photos"),
        json!({"photo_ids": [shot[0]]}),
    )
    .await;
    let (link, token) = share(&app, &ann, &trip, None).await;

    let stranger = app.client();
    let shared = json(
        stranger.get(&format!("/api/v1/shared/{token}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shared["title"], "Trip");
    let page = json(
        stranger
            .get(&format!("/api/v1/shared/{token}/photos"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ids(&page), [shot[0].as_str()]);
    assert_eq!(page["items"][0]["location"], Value::Null);
    let thumbnail = stranger
        .get(&format!(
            "/api/v1/shared/{token}/photos/{}/thumbnail",
            shot[0]
        ))
        .await;
    assert_eq!(thumbnail.status(), StatusCode::OK);
    assert_eq!(thumbnail.headers()["cache-control"], "private, no-cache");
    let original = stranger
        .get(&format!(
            "/api/v1/shared/{token}/photos/{}/original",
            shot[0]
        ))
        .await;
    // The original holds a location: the link gets a copy without it.
    assert_eq!(original.status(), StatusCode::OK);
    let copy = original.bytes().await.unwrap();
    assert_location_free(&copy);
    // A photo outside the album stays out of reach.
    let outside = stranger
        .get(&format!(
            "/api/v1/shared/{token}/photos/{}/original",
            shot[1]
        ))
        .await;
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
    // The link does not open the member API.
    assert_eq!(
        stranger
            .get(&format!("/api/v1/photos/{}", shot[0]))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let links = json(
        ann.get(&format!("/api/v1/albums/{trip}/links")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(links[0]["id"], link.as_str());
    let revoked = ann
        .delete(&format!("/api/v1/albums/{trip}/links/{link}"))
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let (status, body) = problem(stranger.get(&format!("/api/v1/shared/{token}")).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::NOT_FOUND, Some("/problems/share-link-invalid"))
    );
    let file = stranger
        .get(&format!(
            "/api/v1/shared/{token}/photos/{}/thumbnail",
            shot[0]
        ))
        .await;
    assert_eq!(file.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn links_stop_with_their_expiry_or_the_albums_visibility() {
    let app = builder().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let trip = album(&ann, "Trip", "link").await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let (status, _) = problem(
        ann.send_json(
            Method::POST,
            &format!("/api/v1/albums/{trip}/links"),
            json!({"expires_at": past}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, token) = share(&app, &ann, &trip, None).await;
    let stranger = app.client();
    assert_eq!(
        stranger
            .get(&format!("/api/v1/shared/{token}"))
            .await
            .status(),
        StatusCode::OK
    );
    ann.send_json(
        Method::PATCH,
        &format!("/api/v1/albums/{trip}"),
        json!({"visibility": "private"}),
    )
    .await;
    assert_eq!(
        stranger
            .get(&format!("/api/v1/shared/{token}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get("/api/v1/shared/not-a-token!").await.status(),
        StatusCode::NOT_FOUND
    );

    // Only the owner may share.
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let response = bob
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{trip}/links"),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
