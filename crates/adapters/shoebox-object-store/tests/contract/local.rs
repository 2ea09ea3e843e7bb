//! What only a local directory does: files on disk, the directory itself.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use shoebox_domain::storage::ObjectPrefix;
use shoebox_object_store::{ObjectStoreBlobStore, StorageSettings};
use shoebox_ports::outbound::BlobStore;

use crate::support::{data, key, listed};

fn store_in(directory: &Path) -> ObjectStoreBlobStore {
    let url = format!("file://{}", directory.display());
    ObjectStoreBlobStore::from_settings(&StorageSettings::new(url)).unwrap()
}

/// Every regular file under `root`.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test]
async fn objects_are_plain_files_at_their_key() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    store
        .put(&key("originals/1/photo.jpg"), Bytes::from_static(b"jpeg"))
        .await
        .unwrap();
    let file = directory.path().join("originals/1/photo.jpg");
    assert_eq!(std::fs::read(file).unwrap(), b"jpeg");
    assert_eq!(
        store.describe(),
        format!(
            "local directory {}",
            directory.path().canonicalize().unwrap().display()
        )
    );
}

#[tokio::test]
async fn deleting_the_last_object_removes_its_directories() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    let photo = key("originals/2/variants/thumb.webp");
    store.put(&photo, Bytes::from_static(b"x")).await.unwrap();
    store.delete(&photo).await.unwrap();
    assert!(!directory.path().join("originals").exists());
    assert!(directory.path().exists(), "the root itself stays");
}

#[tokio::test]
async fn an_aborted_write_leaves_no_file() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    let mut writer = store.create(&key("uploads/1/photo.jpg")).await.unwrap();
    writer
        .write(Bytes::from(data(3 * 1024 * 1024, 1)))
        .await
        .unwrap();
    assert_eq!(files_under(directory.path()).len(), 1, "a staging file");
    writer.abort().await.unwrap();
    assert_eq!(files_under(directory.path()), Vec::<PathBuf>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_write_leaves_no_file() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    let mut writer = store.create(&key("uploads/2/photo.jpg")).await.unwrap();
    writer
        .write(Bytes::from(data(3 * 1024 * 1024, 2)))
        .await
        .unwrap();
    drop(writer);
    // The clean-up runs in the background: poll for it, with a deadline.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !files_under(directory.path()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            files_under(directory.path())
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(listed(&store, &ObjectPrefix::everything()).await.is_empty());
}

#[tokio::test]
async fn foreign_files_are_reported_and_the_listing_goes_on() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    store
        .put(&key("ok/one"), Bytes::from_static(b"1"))
        .await
        .unwrap();
    std::fs::write(directory.path().join("ok/not a key"), b"2").unwrap();
    let items: Vec<_> = store.list(&ObjectPrefix::everything()).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let errors: Vec<String> = items
        .iter()
        .filter_map(|item| item.as_ref().err())
        .map(|error| error.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{items:?}");
    assert!(
        errors[0].contains("not a valid object key"),
        "{}",
        errors[0]
    );
}

#[tokio::test]
async fn presigned_urls_are_not_offered() {
    let directory = tempfile::tempdir().unwrap();
    let store = store_in(directory.path());
    let photo = key("a/b");
    store.put(&photo, Bytes::from_static(b"x")).await.unwrap();
    let url = store.presigned_get(&photo, Duration::from_secs(60)).await;
    assert_eq!(url.unwrap(), None);
    let memory = ObjectStoreBlobStore::in_memory();
    let url = memory.presigned_get(&photo, Duration::from_secs(60)).await;
    assert_eq!(url.unwrap(), None);
    assert_eq!(memory.describe(), "memory");
}

/// Removes a directory made relative to the working directory.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn a_relative_directory_is_created_under_the_working_directory() {
    let name = format!(".shoebox-test-objects-{}", std::process::id());
    let expected = std::env::current_dir().unwrap().join(&name).join("nested");
    let _cleanup = RemoveOnDrop(std::env::current_dir().unwrap().join(&name));
    let url = format!("file://./{name}/nested");
    let store = ObjectStoreBlobStore::from_settings(&StorageSettings::new(url)).unwrap();
    assert!(expected.is_dir());
    store
        .put(&key("x/y"), Bytes::from_static(b"z"))
        .await
        .unwrap();
    assert_eq!(std::fs::read(expected.join("x/y")).unwrap(), b"z");
    assert_eq!(
        store.describe(),
        format!(
            "local directory {}",
            expected.canonicalize().unwrap().display()
        )
    );
}

#[test]
fn a_directory_that_cannot_be_made_is_refused_naming_the_key() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let url = format!("file://{}/objects", file.path().display());
    let error = ObjectStoreBlobStore::from_settings(&StorageSettings::new(url))
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("storage.url"), "{error}");
    assert!(error.contains("cannot use directory"), "{error}");
}

#[test]
fn the_memory_url_makes_an_empty_memory_store() {
    let store = ObjectStoreBlobStore::from_settings(&StorageSettings::new("memory://")).unwrap();
    assert_eq!(store.describe(), "memory");
    assert_eq!(store.writer_memory_bound(), 3 * 1024 * 1024);
}
