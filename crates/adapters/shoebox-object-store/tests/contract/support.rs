//! Helpers shared by the checks: data, reading whole bodies, time windows.

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures_util::{StreamExt, TryStreamExt};
use shoebox_domain::storage::{ObjectKey, ObjectMeta, ObjectPrefix};
use shoebox_ports::outbound::{BlobError, BlobRead, BlobStore};

pub fn key(raw: &str) -> ObjectKey {
    ObjectKey::parse(raw).unwrap()
}

pub fn prefix(raw: &str) -> ObjectPrefix {
    ObjectPrefix::parse(raw).unwrap()
}

/// `length` bytes that differ from one `seed` to the next and have no short
/// period, so that a misplaced chunk cannot go unnoticed.
pub fn data(length: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

pub async fn body_of(read: BlobRead) -> Vec<u8> {
    let chunks: Vec<Bytes> = read.body.try_collect().await.unwrap();
    chunks.concat()
}

pub async fn read_all(store: &dyn BlobStore, key: &ObjectKey) -> Vec<u8> {
    body_of(store.get(key, None).await.unwrap()).await
}

pub async fn listed(store: &dyn BlobStore, under: &ObjectPrefix) -> BTreeMap<String, ObjectMeta> {
    store
        .list(under)
        .map(|item| item.unwrap())
        .map(|meta| (meta.key.to_string(), meta))
        .collect()
        .await
}

pub fn assert_not_found<T: std::fmt::Debug>(outcome: Result<T, BlobError>, what: &str) {
    match outcome {
        Err(BlobError::NotFound) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// A window around "now" for `last_modified`: S3 keeps whole seconds, and
/// the server's clock is this machine's.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    from: DateTime<Utc>,
}

impl Window {
    pub fn open() -> Self {
        Self {
            from: Utc::now() - Duration::seconds(2),
        }
    }

    pub fn assert_contains(&self, instant: DateTime<Utc>) {
        let until = Utc::now() + Duration::seconds(2);
        assert!(
            self.from <= instant && instant <= until,
            "{instant} is not between {} and {until}",
            self.from
        );
    }
}
