//! Streamed writes hold bounded memory: eight concurrent 20 MB uploads into
//! a local directory grow the process by less than 64 MiB in all.
//!
//! A test binary of its own, with one test, so that nothing else allocates
//! while the peak resident set is measured. Not a timing test: it measures
//! bytes, which do not depend on how loaded the machine is.

use bytes::Bytes;
use shoebox_domain::storage::ObjectKey;
use shoebox_object_store::{ObjectStoreBlobStore, StorageSettings};
use shoebox_ports::outbound::BlobStore;

const MIB: usize = 1024 * 1024;
const UPLOADS: usize = 8;
const UPLOAD_SIZE: usize = 20 * MIB;
const CHUNK_SIZE: usize = 64 * 1024;

/// A field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|value| value.parse().ok())
        .unwrap();
    kib * 1024
}

/// Resets the peak resident set size (`VmHWM`) to the current one.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

/// Sends `UPLOAD_SIZE` bytes the way an HTTP body arrives: in fresh 64 KiB
/// buffers, each allocated as it is received.
async fn upload(store: &dyn BlobStore, index: usize) -> u64 {
    let key = ObjectKey::parse(&format!("originals/{index}/photo.jpg")).unwrap();
    let mut writer = store.create(&key).await.unwrap();
    for chunk in 0..UPLOAD_SIZE / CHUNK_SIZE {
        let fill = u8::try_from((chunk + index) % 251).unwrap();
        writer
            .write(Bytes::from(vec![fill; CHUNK_SIZE]))
            .await
            .unwrap();
    }
    writer.finish().await.unwrap().size
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_concurrent_20_mb_uploads_grow_memory_by_less_than_64_mib() {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("file://{}", directory.path().display());
    let store = ObjectStoreBlobStore::from_settings(&StorageSettings::new(url)).unwrap();
    assert!(store.writer_memory_bound() * UPLOADS < 64 * MIB);
    // Warm up: runtime threads, the blocking pool, allocator arenas.
    upload(&store, 100).await;

    reset_peak();
    let baseline = status_bytes("VmRSS:");
    let uploads = (0..UPLOADS).map(|index| {
        let store = store.clone();
        tokio::spawn(async move { upload(&store, index).await })
    });
    for handle in uploads.collect::<Vec<_>>() {
        assert_eq!(handle.await.unwrap(), UPLOAD_SIZE as u64);
    }
    let growth = status_bytes("VmHWM:").saturating_sub(baseline);

    assert!(
        growth < 64 * MIB,
        "the peak resident set grew by {} MiB",
        growth / MIB
    );
    eprintln!("peak growth: {:.1} MiB", growth as f64 / MIB as f64);
}
