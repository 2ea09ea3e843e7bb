//! What only S3 does: presigned URLs, multipart uploads on the server.

use std::time::{Duration, Instant};

use bytes::Bytes;
use secrecy::ExposeSecret;
use shoebox_object_store::{ObjectStoreBlobStore, StorageSettings};
use shoebox_ports::outbound::{BlobError, BlobStore};
use shoebox_test_support::S3Server;

use crate::support::{data, key};

fn store_on(server: &S3Server) -> ObjectStoreBlobStore {
    ObjectStoreBlobStore::from_settings(&server.settings()).unwrap()
}

/// The multipart uploads the server holds for the bucket (moto does not
/// check signatures, so a plain GET lists them).
async fn pending_uploads(server: &S3Server) -> usize {
    let url = format!("{}/{}?uploads", server.endpoint(), server.bucket());
    let body = reqwest::get(url).await.unwrap().text().await.unwrap();
    body.matches("<Upload>").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presigned_url_fetches_the_object_without_credentials() {
    let server = S3Server::start();
    let store = store_on(&server);
    let photo = key("originals/1/photo.jpg");
    let bytes = data(70_000, 1);
    store.put(&photo, Bytes::from(bytes.clone())).await.unwrap();

    let url = store
        .presigned_get(&photo, Duration::from_secs(300))
        .await
        .unwrap()
        .expect("S3 signs URLs");
    let secret = server.settings().secret_access_key.unwrap();
    assert!(!url.contains(secret.expose_secret()), "{url}");
    assert!(url.contains("X-Amz-Signature="), "{url}");

    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aborted_write_leaves_no_multipart_upload() {
    let server = S3Server::start();
    let store = store_on(&server);
    let mut writer = store.create(&key("uploads/1/photo.jpg")).await.unwrap();
    writer
        .write(Bytes::from(data(6 * 1024 * 1024, 2)))
        .await
        .unwrap();
    assert_eq!(pending_uploads(&server).await, 1);
    writer.abort().await.unwrap();
    assert_eq!(pending_uploads(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_write_aborts_its_multipart_upload() {
    let server = S3Server::start();
    let store = store_on(&server);
    let mut writer = store.create(&key("uploads/2/photo.jpg")).await.unwrap();
    writer
        .write(Bytes::from(data(6 * 1024 * 1024, 3)))
        .await
        .unwrap();
    assert_eq!(pending_uploads(&server).await, 1);
    drop(writer);
    // The abort runs in the background: poll for it, with a deadline.
    let deadline = Instant::now() + Duration::from_secs(20);
    while pending_uploads(&server).await != 0 {
        assert!(Instant::now() < deadline, "the upload is still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_bucket_is_an_unexpected_error_not_a_missing_object() {
    let server = S3Server::start();
    let settings = StorageSettings {
        url: "s3://no-such-bucket-here".into(),
        ..server.settings()
    };
    let store = ObjectStoreBlobStore::from_settings(&settings).unwrap();
    let outcome = store.put(&key("a/b"), Bytes::from_static(b"x")).await;
    let Err(BlobError::Unexpected(error)) = outcome else {
        panic!("expected an unexpected error, got {outcome:?}");
    };
    let message = format!("{error:#}");
    assert!(message.contains("does the bucket exist?"), "{message}");
    let secret = server.settings().secret_access_key.unwrap();
    assert!(!message.contains(secret.expose_secret()), "{message}");
    let outcome = store.create(&key("a/b")).await.map(|_| ());
    assert!(
        matches!(outcome, Err(BlobError::Unexpected(_))),
        "{outcome:?}"
    );
}

#[test]
fn the_description_names_bucket_and_endpoint_only() {
    let server = S3Server::start();
    let store = store_on(&server);
    assert_eq!(
        store.describe(),
        format!("s3 bucket {} at {}", server.bucket(), server.endpoint())
    );
    let debug = format!("{store:?}");
    let secret = server.settings().secret_access_key.unwrap();
    assert!(!debug.contains(secret.expose_secret()), "{debug}");
    assert_eq!(store.writer_memory_bound(), 15 * 1024 * 1024);
}
