//! Keys and metadata between the domain and `object_store`.

use chrono::Utc;
use object_store::{ObjectStore, ObjectStoreExt, path::Path};
use shoebox_domain::storage::{ObjectKey, ObjectMeta, ObjectPrefix};
use shoebox_ports::outbound::BlobError;

use crate::errors::unexpected;

/// The `object_store` path of a key. Cannot fail for a valid key (its
/// alphabet is a subset of what a path segment allows); the error is there
/// rather than a panic should the two ever disagree.
pub(crate) fn path_of(key: &ObjectKey) -> Result<Path, BlobError> {
    Path::parse(key.as_str())
        .map_err(|error| unexpected(format!("object key {key} is not a store path: {error}")))
}

/// The path to list under; `None` lists everything.
pub(crate) fn prefix_path(prefix: &ObjectPrefix) -> Result<Option<Path>, BlobError> {
    if prefix.is_everything() {
        return Ok(None);
    }
    Path::parse(prefix.as_str())
        .map(Some)
        .map_err(|error| unexpected(format!("prefix {prefix} is not a store path: {error}")))
}

/// Our view of what the store reports. A stored name that is not a valid key
/// was not put there by Shoebox; it is an error for the caller to see, never
/// a panic.
pub(crate) fn from_store(meta: object_store::ObjectMeta) -> Result<ObjectMeta, BlobError> {
    let key = ObjectKey::parse(meta.location.as_ref()).map_err(|error| {
        unexpected(format!(
            "the store holds {:?}, which is not a valid object key: {error}",
            meta.location.as_ref()
        ))
    })?;
    Ok(ObjectMeta {
        key,
        size: meta.size,
        last_modified: meta.last_modified,
        etag: meta.e_tag,
    })
}

/// The metadata of an object just written: the store's own (so that it is
/// exactly what `head` and `list` report later) when it still describes our
/// write, else what we know of it. The write has succeeded either way, so a
/// failing look-up must not turn it into an error.
pub(crate) async fn after_write(
    store: &dyn ObjectStore,
    path: &Path,
    key: &ObjectKey,
    size: u64,
    etag: Option<String>,
) -> ObjectMeta {
    if let Ok(stored) = store.head(path).await {
        let same_write = stored.size == size && (etag.is_none() || stored.e_tag == etag);
        if same_write {
            return ObjectMeta {
                key: key.clone(),
                size,
                last_modified: stored.last_modified,
                etag: stored.e_tag,
            };
        }
    }
    ObjectMeta {
        key: key.clone(),
        size,
        last_modified: Utc::now(),
        etag,
    }
}
