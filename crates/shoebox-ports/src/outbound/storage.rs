//! STUB (replaced by the object-store branch at merge).
use std::{ops::Range, pin::Pin, time::Duration};

use async_trait::async_trait;
use bytes::Bytes;
use futures_core::Stream;
use shoebox_domain::storage::{ObjectKey, ObjectMeta, ObjectPrefix};

pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BlobError>> + Send>>;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("object not found")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub struct BlobRead {
    pub meta: ObjectMeta,
    pub range: Range<u64>,
    pub body: ByteStream,
}

impl std::fmt::Debug for BlobRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobRead").field("meta", &self.meta).finish()
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn create(&self, key: &ObjectKey) -> Result<Box<dyn BlobWriter>, BlobError>;
    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<ObjectMeta, BlobError>;
    async fn get(&self, key: &ObjectKey, range: Option<Range<u64>>) -> Result<BlobRead, BlobError>;
    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, BlobError>;
    async fn delete(&self, key: &ObjectKey) -> Result<(), BlobError>;
    async fn delete_prefix(&self, prefix: &ObjectPrefix) -> Result<u64, BlobError>;
    fn list(
        &self,
        prefix: &ObjectPrefix,
    ) -> Pin<Box<dyn Stream<Item = Result<ObjectMeta, BlobError>> + Send + '_>>;
    async fn presigned_get(
        &self,
        key: &ObjectKey,
        expires_in: Duration,
    ) -> Result<Option<String>, BlobError>;
}

#[async_trait]
pub trait BlobWriter: Send {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError>;
    async fn finish(self: Box<Self>) -> Result<ObjectMeta, BlobError>;
    async fn abort(self: Box<Self>) -> Result<(), BlobError>;
}
