//! The packer into a recording sink, read back with an independent ZIP
//! reader (the `zip` crate). (Adapters may not depend on each other, even
//! in tests: the real store's writer is exercised by the server's export
//! tests.)

use std::{
    io::{Cursor, Read},
    sync::{Arc, Mutex},
};

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{TimeZone, Utc};
use futures_util::stream;
use shoebox_domain::storage::{ObjectKey, ObjectMeta};
use shoebox_ports::outbound::{BlobError, BlobWriter, ByteStream, ZipPacker};
use shoebox_zip::AsyncZipPacker;

/// What the sink saw: the chunks, and how the write ended.
#[derive(Debug, Default)]
struct Recorded {
    chunks: Vec<Bytes>,
    finished: bool,
    aborted: bool,
}

#[derive(Debug, Clone, Default)]
struct Sink(Arc<Mutex<Recorded>>);

#[async_trait]
impl BlobWriter for Sink {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        self.0.lock().unwrap().chunks.push(chunk);
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<ObjectMeta, BlobError> {
        let mut recorded = self.0.lock().unwrap();
        recorded.finished = true;
        Ok(ObjectMeta {
            key: ObjectKey::parse("users/u/exports/e.zip").unwrap(),
            size: recorded.chunks.iter().map(|chunk| chunk.len() as u64).sum(),
            last_modified: Utc::now(),
            etag: None,
        })
    }

    async fn abort(self: Box<Self>) -> Result<(), BlobError> {
        self.0.lock().unwrap().aborted = true;
        Ok(())
    }
}

fn chunks(data: &[u8], size: usize) -> ByteStream {
    let parts: Vec<_> = data
        .chunks(size)
        .map(|part| Ok(Bytes::copy_from_slice(part)))
        .collect();
    Box::pin(stream::iter(parts))
}

#[tokio::test]
async fn entries_stream_into_the_store_and_read_back_byte_for_byte() {
    let sink = Sink::default();
    // Larger than the pipe and the chunk size, and not a multiple of either.
    let photo: Vec<u8> = (0..3_500_001u32).map(|i| (i * 7 % 251) as u8).collect();
    let json = br#"{"display_name":"Zed"}"#.to_vec();
    let at = Utc.with_ymd_and_hms(2026, 12, 4, 9, 30, 12).unwrap();

    let mut zip = AsyncZipPacker.start(Box::new(sink.clone()));
    assert_eq!(
        zip.add("profile.json", at, chunks(&json, 5)).await.unwrap(),
        json.len() as u64
    );
    assert_eq!(
        zip.add("photos/a.jpg", at, chunks(&photo, 64 * 1024))
            .await
            .unwrap(),
        photo.len() as u64
    );
    zip.add("empty.txt", at, chunks(&[], 1)).await.unwrap();
    let meta = zip.finish().await.unwrap();

    let recorded = sink.0.lock().unwrap();
    assert!(recorded.finished && !recorded.aborted);
    assert!(
        recorded
            .chunks
            .iter()
            .all(|chunk| chunk.len() <= 1024 * 1024),
        "bounded chunks"
    );
    let bytes: Vec<u8> = recorded.chunks.concat();
    assert_eq!(meta.size, bytes.len() as u64);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<_> = archive.file_names().map(str::to_owned).collect();
    assert_eq!(names, ["profile.json", "photos/a.jpg", "empty.txt"]);
    let mut read = |name: &str| {
        let mut file = archive.by_name(name).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        (content, file.last_modified())
    };
    let (content, modified) = read("photos/a.jpg");
    assert!(content == photo, "the photo comes back byte for byte");
    let modified = modified.unwrap();
    assert_eq!(
        (
            modified.year(),
            modified.month(),
            modified.day(),
            modified.hour(),
            modified.minute()
        ),
        (2026, 12, 4, 9, 30)
    );
    assert_eq!(read("profile.json").0, json);
    assert!(read("empty.txt").0.is_empty());
}

#[tokio::test]
async fn an_aborted_archive_leaves_nothing_and_a_failing_entry_says_why() {
    let sink = Sink::default();
    let mut zip = AsyncZipPacker.start(Box::new(sink.clone()));
    zip.add("a.txt", Utc::now(), chunks(b"hello", 2))
        .await
        .unwrap();
    let failing: ByteStream = Box::pin(stream::iter(vec![
        Ok(Bytes::from_static(b"part")),
        Err(BlobError::Unexpected(anyhow::anyhow!("the source broke"))),
    ]));
    let error = zip.add("b.txt", Utc::now(), failing).await.unwrap_err();
    assert!(
        format!("{error:#}").contains("the source broke"),
        "{error:#}"
    );
    zip.abort().await.unwrap();
    let recorded = sink.0.lock().unwrap();
    assert!(recorded.aborted && !recorded.finished, "{recorded:?}");
}
