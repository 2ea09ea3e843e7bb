//! Album pages answered from memory and tagged with ETags: a copy is current
//! exactly as long as nothing the page shows has changed, whoever changed
//! it; owners and members never get each other's copy.

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use shoebox_domain::accounts::Role;

use crate::helpers::{Client, builder, located_jpeg, members_album_of, settled_photo};

/// The page's status, ETag and body (`Null` for a 304).
async fn page(
    client: &Client,
    path: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, String, Value) {
    let mut request = client.request(Method::GET, path);
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let etag = response
        .headers()
        .get(header::ETAG)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = if status == StatusCode::OK {
        response.json().await.unwrap()
    } else {
        Value::Null
    };
    (status, etag, body)
}

fn field(page: &Value, name: &str) -> Vec<Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|photo| photo[name].clone())
        .collect()
}

#[actix_web::test]
async fn album_pages_are_current_until_anything_they_show_changes() {
    let app = builder().with_worker().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let files = (0..2)
        .map(|seed| ("p.jpg", located_jpeg(seed + 7)))
        .collect();
    let (shot, album) = members_album_of(&ann, files).await;
    let path = format!("/api/v1/albums/{album}/photos");

    // The owner's copy (with locations) is made first; the member's is another.
    let (status, owners_tag, owners) = page(&ann, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(field(&owners, "location")[0]["latitude"], 45.0);
    let (_, tag, seen) = page(&bob, &path, None).await;
    assert_eq!(field(&seen, "location"), [Value::Null, Value::Null]);
    assert_ne!(tag, owners_tag);
    assert!(tag.starts_with('"'), "a strong ETag: {tag}");
    let (status, again, body) = page(&bob, &path, Some(&tag)).await;
    assert_eq!(
        (status, &again, body),
        (StatusCode::NOT_MODIFIED, &tag, Value::Null)
    );
    // The owner's tag is not the member's copy.
    assert_eq!(page(&bob, &path, Some(&owners_tag)).await.0, StatusCode::OK);

    // Variants made by the worker show at once.
    for id in &shot {
        settled_photo(&ann, id).await;
    }
    let (status, ready_tag, ready) = page(&bob, &path, Some(&tag)).await;
    assert_eq!(status, StatusCode::OK, "the worker's changes are news");
    assert_eq!(field(&ready, "status"), [json!("ready"), json!("ready")]);
    assert_eq!(ready["items"][0]["variants"].as_array().unwrap().len(), 2);
    assert_eq!(
        page(&bob, &path, Some(&ready_tag)).await.0,
        StatusCode::NOT_MODIFIED
    );

    // A caption, a new order, a removal, a deletion: each is news at once.
    ann.send_json(
        Method::PATCH,
        &format!("/api/v1/photos/{}", shot[0]),
        json!({"caption": "Summit"}),
    )
    .await;
    let (status, tag, body) = page(&bob, &path, Some(&ready_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(field(&body, "caption"), [json!("Summit"), Value::Null]);

    ann.send_json(
        Method::PUT,
        &format!("/api/v1/albums/{album}/order"),
        json!({"photo_ids": [shot[1], shot[0]]}),
    )
    .await;
    let (_, tag, body) = page(&bob, &path, Some(&tag)).await;
    assert_eq!(field(&body, "id"), [json!(shot[1]), json!(shot[0])]);

    ann.request(Method::DELETE, &path)
        .json(&json!({"photo_ids": [shot[1]]}))
        .send()
        .await
        .unwrap();
    let (_, tag, body) = page(&bob, &path, Some(&tag)).await;
    assert_eq!(field(&body, "id"), [json!(shot[0])]);

    ann.request(Method::DELETE, &format!("/api/v1/photos/{}", shot[0]))
        .send()
        .await
        .unwrap();
    let (_, tag, body) = page(&bob, &path, Some(&tag)).await;
    assert_eq!(field(&body, "id"), Vec::<Value>::new());

    // Access is decided before any copy is used.
    ann.send_json(
        Method::PATCH,
        &format!("/api/v1/albums/{album}"),
        json!({"visibility": "private"}),
    )
    .await;
    assert_eq!(page(&bob, &path, Some(&tag)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&bob, &path, None).await.0, StatusCode::NOT_FOUND);
}
