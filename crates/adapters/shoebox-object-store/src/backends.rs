//! Building a store from [`StorageSettings`].

use std::path::Path;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use secrecy::ExposeSecret;

use crate::settings::{Backend, StorageConfigError, StorageSettings, absolute_directory};
use crate::store::ObjectStoreBlobStore;
use crate::writer::PartPolicy;

impl ObjectStoreBlobStore {
    /// The store the settings describe. A local directory is created when
    /// missing (relative ones against the working directory); an S3 store is
    /// not contacted until first used.
    ///
    /// Errors: [`StorageConfigError`], naming the offending key.
    pub fn from_settings(settings: &StorageSettings) -> Result<Self, StorageConfigError> {
        match settings.backend()? {
            Backend::Local { directory, fsync } => local(&directory, fsync),
            Backend::Memory => Ok(Self::in_memory()),
            Backend::S3 {
                bucket,
                endpoint,
                region,
            } => s3(settings, &bucket, endpoint.as_deref(), &region),
        }
    }
}

/// With `fsync`, objects are on disk (file and directory) before a write
/// returns: the database row that points at an object commits durably right
/// after, and a power cut must not leave a row whose original is an empty
/// file.
fn local(directory: &Path, fsync: bool) -> Result<ObjectStoreBlobStore, StorageConfigError> {
    let cannot = |source| StorageConfigError::Directory {
        path: directory.to_owned(),
        source,
    };
    let absolute = absolute_directory(directory)?;
    std::fs::create_dir_all(&absolute).map_err(cannot)?;
    // Resolved once, so that the logs name the real place.
    let root = absolute.canonicalize().map_err(cannot)?;
    let store = LocalFileSystem::new_with_prefix(&root)
        .map_err(|error| StorageConfigError::Store(error.to_string()))?
        // Deleting the last object of a directory removes the directory, so
        // that per-photo and per-user directories do not pile up.
        .with_automatic_cleanup(true)
        .with_fsync(fsync);
    Ok(ObjectStoreBlobStore::new(
        Arc::new(store),
        None,
        format!("local directory {}", root.display()),
        PartPolicy::LOCAL,
    )
    .with_local_root(root))
}

fn s3(
    settings: &StorageSettings,
    bucket: &str,
    endpoint: Option<&str>,
    region: &str,
) -> Result<ObjectStoreBlobStore, StorageConfigError> {
    let builder = match (&settings.access_key_id, &settings.secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => AmazonS3Builder::new()
            .with_access_key_id(access_key_id.expose_secret())
            .with_secret_access_key(secret_access_key.expose_secret()),
        // Credentials from the platform: AWS_* variables, a web identity
        // token (Kubernetes service accounts), or instance metadata. The
        // settings below override whatever else the environment says.
        _ => AmazonS3Builder::from_env(),
    };
    let mut builder = builder
        .with_bucket_name(bucket)
        .with_region(region)
        .with_virtual_hosted_style_request(!settings.path_style);
    if let Some(endpoint) = endpoint {
        let endpoint = endpoint.trim_end_matches('/');
        builder = builder
            .with_allow_http(endpoint.starts_with("http://"))
            .with_endpoint(if settings.path_style {
                endpoint.to_owned()
            } else {
                virtual_hosted_endpoint(endpoint, bucket)
            });
    }
    let s3 = Arc::new(
        builder
            .build()
            .map_err(|error| StorageConfigError::Store(error.to_string()))?,
    );
    let description = match endpoint {
        Some(endpoint) => format!("s3 bucket {bucket} at {endpoint}"),
        None => format!("s3 bucket {bucket} in {region}"),
    };
    Ok(ObjectStoreBlobStore::new(
        Arc::clone(&s3) as _,
        Some(s3 as _),
        description,
        PartPolicy::S3,
    ))
}

/// `object_store` takes a virtual-hosted-style endpoint with the bucket
/// already in the host name: `https://s3.example.org` becomes
/// `https://bucket.s3.example.org`.
fn virtual_hosted_endpoint(endpoint: &str, bucket: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{bucket}.{rest}"),
        None => endpoint.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_hosted_endpoints_carry_the_bucket() {
        assert_eq!(
            virtual_hosted_endpoint("https://s3.example.org", "photos"),
            "https://photos.s3.example.org"
        );
        assert_eq!(
            virtual_hosted_endpoint("http://minio.local:9000/base", "b01"),
            "http://b01.minio.local:9000/base"
        );
    }
}
