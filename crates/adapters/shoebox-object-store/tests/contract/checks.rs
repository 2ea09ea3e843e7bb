//! The contract of `BlobStore`, written once, run against every store.

use bytes::Bytes;
use shoebox_domain::storage::{ByteRange, ObjectPrefix};
use shoebox_ports::outbound::{BlobError, BlobStore};

use crate::support::*;

const MIB: usize = 1024 * 1024;

pub async fn put_get_head_round_trip(store: &dyn BlobStore) {
    let window = Window::open();
    let photo = key("originals/7/photo.jpg");
    let bytes = data(100_000, 1);
    let written = store.put(&photo, Bytes::from(bytes.clone())).await.unwrap();
    assert_eq!(written.key, photo);
    assert_eq!(written.size, 100_000);
    window.assert_contains(written.last_modified);

    let head = store.head(&photo).await.unwrap();
    assert_eq!(head.size, 100_000);
    assert_eq!(
        head.etag, written.etag,
        "put and head agree on the entity tag"
    );
    window.assert_contains(head.last_modified);

    let read = store.get(&photo, None).await.unwrap();
    assert_eq!(read.range, 0..100_000);
    assert_eq!(read.meta.size, 100_000);
    assert_eq!(read.meta.key, photo);
    assert_eq!(body_of(read).await, bytes);
}

pub async fn streamed_write_of_12_mib_in_64_kib_chunks(store: &dyn BlobStore) {
    let original = key("originals/8/big.png");
    let bytes = data(12 * MIB, 2);
    let mut writer = store.create(&original).await.unwrap();
    for chunk in bytes.chunks(64 * 1024) {
        writer.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    let written = writer.finish().await.unwrap();
    assert_eq!(written.size, 12 * MIB as u64);
    assert_eq!(written.key, original);
    assert_eq!(store.head(&original).await.unwrap().size, 12 * MIB as u64);
    assert!(read_all(store, &original).await == bytes, "bytes differ");
}

pub async fn nothing_is_visible_before_finish(store: &dyn BlobStore) {
    let upload = key("uploads/9/pending.jpg");
    let mut writer = store.create(&upload).await.unwrap();
    // More than one S3 part, so that parts have been stored.
    for seed in 0..12 {
        writer.write(Bytes::from(data(MIB, seed))).await.unwrap();
    }
    assert_not_found(store.head(&upload).await, "head before finish");
    assert_not_found(store.get(&upload, None).await, "get before finish");
    assert!(listed(store, &ObjectPrefix::everything()).await.is_empty());
    assert!(listed(store, &prefix("uploads/9")).await.is_empty());

    writer.finish().await.unwrap();
    assert_eq!(store.head(&upload).await.unwrap().size, 12 * MIB as u64);
    assert_eq!(listed(store, &prefix("uploads")).await.len(), 1);
}

pub async fn an_overwrite_shows_the_old_object_until_finish(store: &dyn BlobStore) {
    let manifest = key("backups/manifest.json");
    store
        .put(&manifest, Bytes::from_static(b"old"))
        .await
        .unwrap();
    let mut writer = store.create(&manifest).await.unwrap();
    writer.write(Bytes::from(data(6 * MIB, 3))).await.unwrap();
    assert_eq!(read_all(store, &manifest).await, b"old");
    writer.finish().await.unwrap();
    assert!(read_all(store, &manifest).await == data(6 * MIB, 3));
}

pub async fn abort_leaves_nothing(store: &dyn BlobStore) {
    let upload = key("uploads/10/cancelled.jpg");
    let mut writer = store.create(&upload).await.unwrap();
    writer.write(Bytes::from(data(6 * MIB, 4))).await.unwrap();
    writer.write(Bytes::from(data(100, 5))).await.unwrap();
    writer.abort().await.unwrap();
    assert_not_found(store.head(&upload).await, "head after abort");
    assert!(listed(store, &ObjectPrefix::everything()).await.is_empty());

    // Aborting a write that never wrote anything is fine too.
    let empty = store.create(&upload).await.unwrap();
    empty.abort().await.unwrap();
    assert_not_found(store.head(&upload).await, "head after an empty abort");
}

pub async fn an_aborted_overwrite_keeps_the_old_object(store: &dyn BlobStore) {
    let avatar = key("users/3/avatar");
    store
        .put(&avatar, Bytes::from_static(b"kept"))
        .await
        .unwrap();
    let mut writer = store.create(&avatar).await.unwrap();
    writer.write(Bytes::from(data(MIB, 6))).await.unwrap();
    writer.abort().await.unwrap();
    assert_eq!(read_all(store, &avatar).await, b"kept");
}

pub async fn put_overwrites(store: &dyn BlobStore) {
    let variant = key("variants/1/thumbnail.webp");
    let first = store
        .put(&variant, Bytes::from(data(300, 7)))
        .await
        .unwrap();
    let second = store
        .put(&variant, Bytes::from(data(200, 8)))
        .await
        .unwrap();
    assert_eq!(second.size, 200);
    assert_eq!(read_all(store, &variant).await, data(200, 8));
    assert_eq!(store.head(&variant).await.unwrap().size, 200);
    if let (Some(first), Some(second)) = (first.etag, second.etag) {
        assert_ne!(first, second, "a new content gets a new entity tag");
    }
    assert_eq!(listed(store, &prefix("variants")).await.len(), 1);
}

pub async fn ranges_read_exactly_the_requested_bytes(store: &dyn BlobStore) {
    let photo = key("originals/11/photo.jpg");
    let bytes = data(1000, 9);
    store.put(&photo, Bytes::from(bytes.clone())).await.unwrap();
    for range in [0..10, 500..600, 990..1000, 0..1000, 999..1000] {
        let read = store.get(&photo, Some(range.clone())).await.unwrap();
        assert_eq!(read.range, range);
        assert_eq!(read.meta.size, 1000, "the size is the whole object's");
        assert_eq!(
            body_of(read).await,
            &bytes[range.start as usize..range.end as usize]
        );
    }
    // As the HTTP layer does it: resolve the header against the size first.
    // An end past the object is clamped, as HTTP clamps it.
    let read = store.get(&photo, Some(900..2000)).await.unwrap();
    assert_eq!(read.range, 900..1000);
    assert_eq!(body_of(read).await, &bytes[900..]);
    let size = store.head(&photo).await.unwrap().size;
    let last_100 = ByteRange::Suffix { length: 100 }.resolve(size).unwrap();
    let read = store.get(&photo, Some(last_100)).await.unwrap();
    assert_eq!(body_of(read).await, &bytes[900..]);
}

pub async fn ranges_that_do_not_fit_are_errors_not_panics(store: &dyn BlobStore) {
    let photo = key("originals/12/photo.jpg");
    store
        .put(&photo, Bytes::from(data(1000, 10)))
        .await
        .unwrap();
    for range in [1000..1001, 2000..3000, 1001..1001] {
        let outcome = store.get(&photo, Some(range.clone())).await;
        assert!(
            matches!(outcome, Err(BlobError::Unexpected(_))),
            "{range:?}: {outcome:?}"
        );
    }
    #[expect(clippy::reversed_empty_ranges, reason = "the case under test")]
    let backwards = 10..5;
    let outcome = store.get(&photo, Some(backwards)).await;
    assert!(
        matches!(outcome, Err(BlobError::Unexpected(_))),
        "{outcome:?}"
    );
    // An empty range inside the object is a valid, empty read.
    let read = store.get(&photo, Some(1000..1000)).await.unwrap();
    assert_eq!(read.range, 1000..1000);
    assert!(body_of(read).await.is_empty());
}

pub async fn missing_objects_are_not_found(store: &dyn BlobStore) {
    let missing = key("originals/13/missing.jpg");
    assert_not_found(store.head(&missing).await, "head");
    assert_not_found(store.get(&missing, None).await, "get");
    assert_not_found(store.get(&missing, Some(0..10)).await, "ranged get");
    assert_not_found(store.get(&missing, Some(0..0)).await, "empty ranged get");
}

pub async fn delete_is_idempotent(store: &dyn BlobStore) {
    let photo = key("originals/14/photo.jpg");
    store.delete(&photo).await.unwrap();
    store.put(&photo, Bytes::from_static(b"x")).await.unwrap();
    store.delete(&photo).await.unwrap();
    assert_not_found(store.head(&photo).await, "head after delete");
    store.delete(&photo).await.unwrap();
}

async fn put_tree(store: &dyn BlobStore) {
    for (raw, length) in [
        ("users/1/avatar", 10),
        ("users/1/photos/a/original.jpg", 20),
        ("users/1/photos/b/preview.webp", 30),
        ("users/12/avatar", 40),
        ("backups/2026/01/02/x.dump", 50),
    ] {
        store
            .put(&key(raw), Bytes::from(data(length, 11)))
            .await
            .unwrap();
    }
}

pub async fn list_is_recursive_by_whole_segments(store: &dyn BlobStore) {
    let window = Window::open();
    put_tree(store).await;
    let user_1 = listed(store, &prefix("users/1")).await;
    let sizes: Vec<(&str, u64)> = user_1.iter().map(|(k, m)| (k.as_str(), m.size)).collect();
    assert_eq!(
        sizes,
        [
            ("users/1/avatar", 10),
            ("users/1/photos/a/original.jpg", 20),
            ("users/1/photos/b/preview.webp", 30),
        ]
    );
    for meta in user_1.values() {
        window.assert_contains(meta.last_modified);
    }
    assert_eq!(listed(store, &prefix("users")).await.len(), 4);
    assert_eq!(listed(store, &prefix("users/1/photos")).await.len(), 2);
    assert_eq!(listed(store, &ObjectPrefix::everything()).await.len(), 5);
    assert!(listed(store, &prefix("users/2")).await.is_empty());
    assert!(listed(store, &prefix("nothing/here")).await.is_empty());
    // A key is not a prefix of itself.
    assert!(listed(store, &prefix("users/1/avatar")).await.is_empty());
}

pub async fn delete_prefix_removes_everything_under_it(store: &dyn BlobStore) {
    put_tree(store).await;
    assert_eq!(store.delete_prefix(&prefix("users/1")).await.unwrap(), 3);
    let left: Vec<String> = listed(store, &ObjectPrefix::everything())
        .await
        .into_keys()
        .collect();
    assert_eq!(left, ["backups/2026/01/02/x.dump", "users/12/avatar"]);
    assert_eq!(store.delete_prefix(&prefix("users/1")).await.unwrap(), 0);
    assert_eq!(store.delete_prefix(&prefix("nothing")).await.unwrap(), 0);
    assert_eq!(
        store
            .delete_prefix(&ObjectPrefix::everything())
            .await
            .unwrap(),
        2
    );
    assert!(listed(store, &ObjectPrefix::everything()).await.is_empty());
}

pub async fn deeply_nested_keys_work(store: &dyn BlobStore) {
    let deep = key("a/b/c/d/e/f/g/h/.dotted-name_v1.2.tar");
    store.put(&deep, Bytes::from_static(b"deep")).await.unwrap();
    assert_eq!(read_all(store, &deep).await, b"deep");
    let found = listed(store, &prefix("a/b/c")).await;
    assert_eq!(found.keys().collect::<Vec<_>>(), [deep.as_str()]);
    store.delete(&deep).await.unwrap();
    assert!(listed(store, &prefix("a")).await.is_empty());
}

pub async fn empty_objects_round_trip(store: &dyn BlobStore) {
    let empty = key("exports/empty.zip");
    assert_eq!(store.put(&empty, Bytes::new()).await.unwrap().size, 0);
    let read = store.get(&empty, None).await.unwrap();
    assert_eq!(read.range, 0..0);
    assert!(body_of(read).await.is_empty());

    let streamed = key("exports/streamed-empty.zip");
    let writer = store.create(&streamed).await.unwrap();
    assert_eq!(writer.finish().await.unwrap().size, 0);
    assert_eq!(store.head(&streamed).await.unwrap().size, 0);
    // The one satisfiable range of an empty object (RFC 9110).
    let suffix = ByteRange::Suffix { length: 10 }.resolve(0).unwrap();
    let read = store.get(&streamed, Some(suffix)).await.unwrap();
    assert!(body_of(read).await.is_empty());
}

pub async fn large_chunks_and_tiny_chunks_mix(store: &dyn BlobStore) {
    let mixed = key("originals/15/mixed.gif");
    let bytes = data(7 * MIB + 3, 12);
    let mut writer = store.create(&mixed).await.unwrap();
    // One write larger than a part, then one-byte writes, then the rest.
    let (big, rest) = bytes.split_at(6 * MIB);
    writer.write(Bytes::copy_from_slice(big)).await.unwrap();
    for byte in &rest[..10] {
        writer
            .write(Bytes::copy_from_slice(&[*byte]))
            .await
            .unwrap();
    }
    writer.write(Bytes::new()).await.unwrap();
    writer
        .write(Bytes::copy_from_slice(&rest[10..]))
        .await
        .unwrap();
    assert_eq!(writer.finish().await.unwrap().size, bytes.len() as u64);
    assert!(read_all(store, &mixed).await == bytes, "bytes differ");
}
