//! Originals for everyone but their owner: the file as uploaded when it
//! holds no location, otherwise a copy without it (EXIF GPS, XMP), made by
//! the worker, counted in the owner's storage and deleted with the photo.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use shoebox_domain::accounts::Role;
use shoebox_imaging::samples::{self, SampleExif, SampleGps};

use crate::helpers::{
    Client, assert_location_free, builder, located_jpeg, members_album_of, problem, settled_photo,
};

async fn original(client: &Client, path: &str) -> Vec<u8> {
    let response = client.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap().to_vec()
}

#[actix_web::test]
async fn others_get_originals_without_their_location_and_owners_get_them_as_uploaded() {
    let app = builder().with_worker().spawn().await;
    let ann = app.signed_in("ann@example.org", Role::Member).await;
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let plain = samples::jpeg_seeded(320, 240, 1, &SampleExif::default());
    let xmp = samples::located_xmp(&SampleGps {
        latitude: -33.857,
        longitude: 151.215,
        altitude_m: None,
    });
    let files = vec![
        ("exif.jpg", located_jpeg(2)),
        (
            "xmp.jpg",
            samples::jpeg_with_xmp(
                &samples::jpeg_seeded(320, 240, 3, &SampleExif::default()),
                &xmp,
                None,
            ),
        ),
        ("plain.jpg", plain),
    ];
    let (ids, _album) = members_album_of(&ann, files.clone()).await;

    // Until the worker has looked at the metadata, others get nothing.
    let first = format!("/api/v1/photos/{}/original", ids[0]);
    let early = bob.get(&first).await;
    if early.status() == StatusCode::OK {
        assert_location_free(&early.bytes().await.unwrap());
    } else {
        let (status, body) = problem(early).await;
        assert_eq!(
            (status, body["type"].as_str()),
            (StatusCode::FORBIDDEN, Some("/problems/original-withheld"))
        );
    }
    let mut stored: u64 = 0;
    for id in &ids {
        let photo = settled_photo(&ann, id).await;
        assert_eq!(photo["status"], "ready");
        stored += photo["size_bytes"].as_u64().unwrap();
        for variant in photo["variants"].as_array().unwrap() {
            stored += variant["size_bytes"].as_u64().unwrap();
        }
    }

    for ((name, bytes), id) in files.iter().zip(&ids) {
        let path = format!("/api/v1/photos/{id}/original");
        assert_eq!(
            &original(&ann, &path).await,
            bytes,
            "{name}: the owner's is as uploaded"
        );
        let theirs = original(&bob, &path).await;
        assert_location_free(&theirs);
        if *name == "plain.jpg" {
            assert_eq!(&theirs, bytes, "nothing to remove: the original itself");
        } else {
            assert_ne!(&theirs, bytes, "{name}");
            assert_eq!(theirs.len(), bytes.len(), "{name}: edited in place");
            stored += theirs.len() as u64;
        }
    }

    // The copies are the owner's storage, and leave with their photo.
    let usage: Value = ann.get("/api/v1/me/storage").await.json().await.unwrap();
    assert_eq!(usage["used_bytes"].as_u64(), Some(stored));
    for id in &ids[..2] {
        let response = ann
            .request(Method::DELETE, &format!("/api/v1/photos/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert!(
            app.object_keys()
                .iter()
                .all(|key| !key.contains(id.as_str())),
            "{:?}",
            app.object_keys()
        );
    }
}
