//! Writing an OCI image layout archive (image-spec v1.1): gzip-compressed
//! layer tarballs, the image configuration, the manifest, `index.json` and
//! `oci-layout`, all in one uncompressed tar — what `skopeo copy
//! oci-archive:…`, `podman load` and `docker load` (24+) read.
//!
//! Every byte follows from the inputs: files carry the commit's time, owners
//! are numeric, entries are sorted, so one commit builds one digest.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::rootfs::{Entry, RootFs};

pub(crate) const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub(crate) const INDEX_TYPE: &str = "application/vnd.oci.image.index.v1+json";
pub(crate) const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";
pub(crate) const LAYER_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// A blob written to disk, with its digest (`sha256:…`) and size.
#[derive(Debug, Clone)]
pub(crate) struct Blob {
    pub(crate) path: PathBuf,
    pub(crate) digest: String,
    pub(crate) size: u64,
}

impl Blob {
    /// A descriptor of this blob.
    pub(crate) fn descriptor(&self, media_type: &str) -> Value {
        json!({ "mediaType": media_type, "digest": self.digest, "size": self.size })
    }

    /// The hex part of the digest.
    pub(crate) fn hex(&self) -> &str {
        self.digest.trim_start_matches("sha256:")
    }
}

/// A layer: the compressed blob and the digest of its uncompressed tar.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) blob: Blob,
    pub(crate) diff_id: String,
    /// What the layer holds, for the image history.
    pub(crate) created_by: String,
}

/// A writer that hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    fn finish(self) -> (W, String, u64) {
        let digest = format!("sha256:{}", hex(&self.hasher.finalize()));
        (self.inner, digest, self.size)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The sha256 digest of `bytes` as `sha256:…`.
pub(crate) fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// Writes `rootfs` as a gzip-compressed layer into `dir` (named by digest).
pub(crate) fn write_layer(
    rootfs: &RootFs,
    mtime: i64,
    dir: &Path,
    created_by: &str,
) -> Result<Layer> {
    let staging = dir.join("layer.tmp");
    let file = File::create(&staging)
        .with_context(|| format!("could not create {}", staging.display()))?;
    let compressed = Hashing::new(BufWriter::new(file));
    let gzip = GzEncoder::new(compressed, Compression::best());
    let uncompressed = Hashing::new(gzip);
    let mut tar = tar::Builder::new(uncompressed);
    tar.follow_symlinks(false);
    let mtime = u64::try_from(mtime).unwrap_or(0);
    for (path, entry) in rootfs.entries() {
        append(&mut tar, path, entry, mtime)
            .with_context(|| format!("could not add {} to the layer", path.display()))?;
    }
    let uncompressed = tar
        .into_inner()
        .context("could not finish the layer's tar")?;
    let (gzip, diff_id, _) = uncompressed.finish();
    let compressed = gzip.finish().context("could not finish the layer's gzip")?;
    let (mut writer, digest, size) = compressed.finish();
    writer.flush().context("could not write the layer")?;
    drop(writer);
    let path = dir.join(digest.trim_start_matches("sha256:"));
    std::fs::rename(&staging, &path).context("could not name the layer by its digest")?;
    Ok(Layer {
        blob: Blob { path, digest, size },
        diff_id,
        created_by: created_by.to_owned(),
    })
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &Path,
    entry: &Entry,
    mtime: u64,
) -> Result<()> {
    // Paths in layers are relative to the root, without a leading slash.
    let name = path.strip_prefix("/").unwrap_or(path);
    let mut header = tar::Header::new_gnu();
    header.set_mtime(mtime);
    header.set_uid(0);
    header.set_gid(0);
    match entry {
        Entry::Dir { mode, owner } => {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(*mode);
            header.set_uid(u64::from(*owner));
            header.set_gid(u64::from(*owner));
            header.set_size(0);
            tar.append_data(&mut header, name, io::empty())?;
        }
        Entry::HostFile { source, mode } => {
            let file = File::open(source)
                .with_context(|| format!("could not read {}", source.display()))?;
            let length = file.metadata()?.len();
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(*mode);
            header.set_size(length);
            tar.append_data(&mut header, name, file)?;
        }
        Entry::Bytes { content, mode } => {
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(*mode);
            header.set_size(content.len() as u64);
            tar.append_data(&mut header, name, content.as_slice())?;
        }
        Entry::Symlink { target } => {
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_mode(0o777);
            header.set_size(0);
            tar.append_link(&mut header, name, target)?;
        }
    }
    Ok(())
}

/// Writes `bytes` as a blob into `dir`.
pub(crate) fn write_blob(dir: &Path, bytes: &[u8]) -> Result<Blob> {
    let digest = digest_of(bytes);
    let path = dir.join(digest.trim_start_matches("sha256:"));
    std::fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))?;
    Ok(Blob {
        path,
        digest,
        size: bytes.len() as u64,
    })
}

/// The image configuration: how to run the image, and its layers' diff ids.
pub(crate) fn config(created: &str, runtime: &Value, layers: &[Layer]) -> Value {
    json!({
        "created": created,
        "architecture": "amd64",
        "os": "linux",
        "config": runtime,
        "rootfs": {
            "type": "layers",
            "diff_ids": layers.iter().map(|layer| layer.diff_id.clone()).collect::<Vec<_>>(),
        },
        "history": layers.iter().map(|layer| json!({
            "created": created,
            "created_by": layer.created_by,
        })).collect::<Vec<_>>(),
    })
}

/// The manifest for `config` and `layers`, annotated like the labels.
pub(crate) fn manifest(config: &Blob, layers: &[Layer], annotations: &Value) -> Value {
    json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": config.descriptor(CONFIG_TYPE),
        "layers": layers.iter().map(|layer| layer.blob.descriptor(LAYER_TYPE)).collect::<Vec<_>>(),
        "annotations": annotations,
    })
}

/// `index.json` pointing at one manifest under the reference `tag`.
pub(crate) fn index(manifest: &Blob, manifest_type: &str, tag: &str) -> Value {
    let mut descriptor = manifest.descriptor(manifest_type);
    descriptor["annotations"] = json!({ "org.opencontainers.image.ref.name": tag });
    json!({
        "schemaVersion": 2,
        "mediaType": INDEX_TYPE,
        "manifests": [descriptor],
    })
}

/// Writes the layout archive: `oci-layout`, `index.json`, then the blobs.
pub(crate) fn write_archive(path: &Path, index: &Value, blobs: &[&Blob], mtime: i64) -> Result<()> {
    let file =
        File::create(path).with_context(|| format!("could not create {}", path.display()))?;
    let mut tar = tar::Builder::new(BufWriter::new(file));
    let mtime = u64::try_from(mtime).unwrap_or(0);
    let mut add =
        |name: &str, data: &mut dyn io::Read, size: u64, kind: tar::EntryType, mode: u32| {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_mode(mode);
            header.set_size(size);
            header.set_mtime(mtime);
            tar.append_data(&mut header, name, data)
                .with_context(|| format!("could not add {name} to {}", path.display()))
        };
    let layout = br#"{"imageLayoutVersion":"1.0.0"}"#;
    add(
        "oci-layout",
        &mut layout.as_slice(),
        layout.len() as u64,
        tar::EntryType::Regular,
        0o644,
    )?;
    let index = serde_json::to_vec(index)?;
    add(
        "index.json",
        &mut index.as_slice(),
        index.len() as u64,
        tar::EntryType::Regular,
        0o644,
    )?;
    for dir in ["blobs", "blobs/sha256"] {
        add(dir, &mut io::empty(), 0, tar::EntryType::Directory, 0o755)?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for blob in blobs {
        if !seen.insert(blob.digest.clone()) {
            continue;
        }
        let mut file = File::open(&blob.path)
            .with_context(|| format!("could not read {}", blob.path.display()))?;
        add(
            &format!("blobs/sha256/{}", blob.hex()),
            &mut file,
            blob.size,
            tar::EntryType::Regular,
            0o644,
        )?;
    }
    let mut writer = tar.into_inner().context("could not finish the archive")?;
    writer.flush().context("could not write the archive")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: &Path) -> Layer {
        let mut rootfs = RootFs::default();
        rootfs.bytes("/etc/hello", "hello", 0o644);
        rootfs.dir("/var/lib/app", 0o750, 10001);
        write_layer(&rootfs, 1_700_000_000, dir, "test").unwrap()
    }

    #[test]
    fn one_input_builds_one_digest() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let a = sample(first.path());
        let b = sample(second.path());
        assert_eq!(a.blob.digest, b.blob.digest);
        assert_eq!(a.diff_id, b.diff_id);
        assert_ne!(
            a.blob.digest, a.diff_id,
            "the digest is of the compressed bytes"
        );
        let bytes = std::fs::read(&a.blob.path).unwrap();
        assert_eq!(digest_of(&bytes), a.blob.digest);
        assert_eq!(bytes.len() as u64, a.blob.size);
    }

    #[test]
    fn layers_hold_owners_modes_and_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let layer = sample(dir.path());
        let file = File::open(&layer.blob.path).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let header = entry.header();
            seen.push((
                entry.path().unwrap().display().to_string(),
                header.mode().unwrap(),
                header.uid().unwrap(),
                header.mtime().unwrap(),
            ));
        }
        assert!(seen.contains(&("etc/hello".to_owned(), 0o644, 0, 1_700_000_000)));
        assert!(seen.contains(&("var/lib/app".to_owned(), 0o750, 10001, 1_700_000_000)));
    }
}
