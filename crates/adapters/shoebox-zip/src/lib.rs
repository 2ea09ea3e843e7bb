//! # shoebox-zip
//!
//! [`ZipPacker`] over `async_zip`: entries are streamed (data descriptors,
//! ZIP64 when an archive outgrows 4 GiB) through a small in-memory pipe into
//! a [`BlobWriter`], so an export of any size holds a bounded amount of
//! memory: [`PIPE_BYTES`] plus the store writer's own bound. Entries are
//! stored, not compressed: photos are compressed already, and stored
//! entries open everywhere.
//!
//! Architecture Invariant: knows `shoebox-ports` and `shoebox-domain` only.

use async_trait::async_trait;
use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder, tokio::write::ZipFileWriter};
use bytes::BytesMut;
use chrono::{DateTime, Datelike, Timelike, Utc};
use futures_util::{AsyncWriteExt as _, StreamExt};
use shoebox_domain::storage::ObjectMeta;
use shoebox_ports::outbound::{BlobWriter, ByteStream, ZipBuilder, ZipPacker};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt, DuplexStream},
    task::JoinHandle,
};

/// Bytes in flight between the ZIP writer and the store write.
pub const PIPE_BYTES: usize = 256 * 1024;
/// Size of the chunks handed to the store write.
const CHUNK_BYTES: usize = 1024 * 1024;

/// The packer. Stateless.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsyncZipPacker;

impl ZipPacker for AsyncZipPacker {
    fn start(&self, sink: Box<dyn BlobWriter>) -> Box<dyn ZipBuilder> {
        let (writer, reader) = tokio::io::duplex(PIPE_BYTES);
        let pump = tokio::spawn(pump(reader, sink));
        Box::new(Archive {
            zip: Some(ZipFileWriter::with_tokio(writer)),
            pump,
        })
    }
}

/// Moves what the ZIP writer produces into the store write, in chunks of
/// [`CHUNK_BYTES`]; hands the store write back at the end of the pipe, so
/// the archive decides whether to finish or abort it.
async fn pump(
    mut reader: DuplexStream,
    mut sink: Box<dyn BlobWriter>,
) -> (Box<dyn BlobWriter>, anyhow::Result<()>) {
    let mut buffer = BytesMut::with_capacity(CHUNK_BYTES);
    loop {
        match reader.read_buf(&mut buffer).await {
            Ok(0) => break,
            Ok(_) if buffer.len() < CHUNK_BYTES => continue,
            Ok(_) => {
                let chunk = buffer.split().freeze();
                if let Err(error) = sink.write(chunk).await {
                    return (sink, Err(error.into()));
                }
                buffer.reserve(CHUNK_BYTES);
            }
            Err(error) => return (sink, Err(error.into())),
        }
    }
    if !buffer.is_empty()
        && let Err(error) = sink.write(buffer.freeze()).await
    {
        return (sink, Err(error.into()));
    }
    (sink, Ok(()))
}

struct Archive {
    /// `None` once closed.
    zip: Option<ZipFileWriter<DuplexStream>>,
    pump: JoinHandle<(Box<dyn BlobWriter>, anyhow::Result<()>)>,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").finish_non_exhaustive()
    }
}

fn zip_time(at: DateTime<Utc>) -> async_zip::ZipDateTime {
    ZipDateTimeBuilder::new()
        .year(at.year())
        .month(at.month())
        .day(at.day())
        .hour(at.hour())
        .minute(at.minute())
        .second(at.second())
        .build()
}

impl Archive {
    /// Ends the pipe and takes the store write back, with the pump's error
    /// if it had one.
    async fn drain(self) -> anyhow::Result<(Box<dyn BlobWriter>, anyhow::Result<()>)> {
        drop(self.zip);
        Ok(self.pump.await?)
    }
}

#[async_trait]
impl ZipBuilder for Archive {
    async fn add(
        &mut self,
        name: &str,
        modified: DateTime<Utc>,
        mut body: ByteStream,
    ) -> anyhow::Result<u64> {
        let zip = self
            .zip
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("the archive is closed"))?;
        let entry = ZipEntryBuilder::new(name.to_owned().into(), Compression::Stored)
            .last_modification_date(zip_time(modified))
            .unix_permissions(0o644);
        let mut writer = zip.write_entry_stream(entry).await?;
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.close().await?;
        Ok(written)
    }

    async fn finish(mut self: Box<Self>) -> anyhow::Result<ObjectMeta> {
        let zip = self
            .zip
            .take()
            .ok_or_else(|| anyhow::anyhow!("the archive is closed"))?;
        let closed = async {
            let mut pipe = zip.close().await?.into_inner();
            pipe.shutdown().await?;
            anyhow::Ok(())
        }
        .await;
        let (sink, pumped) = self.drain().await?;
        match closed.and(pumped) {
            Ok(()) => Ok(sink.finish().await?),
            Err(error) => {
                sink.abort().await?;
                Err(error)
            }
        }
    }

    async fn abort(self: Box<Self>) -> anyhow::Result<()> {
        let (sink, _) = self.drain().await?;
        sink.abort().await?;
        Ok(())
    }
}
