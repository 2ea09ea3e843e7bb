//! `--publish`: the image to `$SHOEBOX_REGISTRY/shoebox:<version>` and the
//! chart, as Helm's OCI artifact, to `$SHOEBOX_REGISTRY/charts/shoebox:<version>`
//! (`helm install oci://…/charts/shoebox --version <version>`), both with
//! skopeo. Credentials come from skopeo's usual places (`skopeo login`,
//! `REGISTRY_AUTH_FILE`). A registry on a loopback address is spoken to
//! over plain HTTP. After each push the registry's manifest digest must be
//! the one built here.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;

use super::artefacts::Dist;
use crate::image::oci;
use crate::prerequisites;
use crate::process::run_step;

/// The variable naming the registry and namespace, e.g. `ghcr.io/shoebox-photos`.
pub(crate) const REGISTRY_VARIABLE: &str = "SHOEBOX_REGISTRY";

const HELM_CONFIG_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
const HELM_CHART_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

/// `$SHOEBOX_REGISTRY`, without a scheme or trailing slash.
pub(crate) fn registry_from_env() -> Result<String> {
    let value = std::env::var(REGISTRY_VARIABLE).unwrap_or_default();
    let value = value.trim().trim_end_matches('/');
    if value.is_empty() || value.contains("://") {
        bail!(
            "--publish needs {REGISTRY_VARIABLE} set to a registry and namespace such as \
             ghcr.io/shoebox-photos (no scheme)"
        );
    }
    Ok(value.to_owned())
}

/// Pushes the image and the chart of `dist`; returns their references.
pub(crate) fn push(registry: &str, dist: &Dist) -> Result<Vec<String>> {
    let skopeo = prerequisites::debian_program("skopeo", "skopeo")?;
    let tag = &dist.image.tag;
    let image = format!("{registry}/shoebox:{tag}");
    copy(
        &skopeo,
        &format!("oci-archive:{}:{tag}", dist.image.path.display()),
        &image,
        &dist.image.manifest_digest,
    )?;

    let (layout, digest) = chart_layout(dist)?;
    let chart = format!("{registry}/charts/shoebox:{tag}");
    let pushed = copy(
        &skopeo,
        &format!("oci:{}:{tag}", layout.display()),
        &chart,
        &digest,
    );
    let _ = std::fs::remove_dir_all(&layout);
    pushed?;
    Ok(vec![image, chart])
}

/// `skopeo copy` to `reference`, then `skopeo inspect --raw` to check the
/// registry holds the manifest with `digest`.
fn copy(skopeo: &Path, source: &str, reference: &str, digest: &str) -> Result<()> {
    let insecure = is_loopback(reference);
    let mut command = Command::new(skopeo);
    command.args(["copy", "--quiet", "--preserve-digests"]);
    if insecure {
        command.arg("--dest-tls-verify=false");
    }
    command.arg(source).arg(format!("docker://{reference}"));
    run_step(&format!("pushing {reference} (skopeo)"), &mut command)?;
    let pulled = manifest_digest(skopeo, reference)?;
    ensure!(
        pulled == digest,
        "the registry holds {reference} as {pulled}, not the {digest} built here"
    );
    crate::ui::note(&format!("{reference}@{digest}"));
    Ok(())
}

/// The digest of the manifest the registry serves for `reference`.
pub(crate) fn manifest_digest(skopeo: &Path, reference: &str) -> Result<String> {
    Ok(oci::digest_of(&manifest(skopeo, reference)?))
}

/// The manifest the registry serves for `reference`, byte for byte.
pub(crate) fn manifest(skopeo: &Path, reference: &str) -> Result<Vec<u8>> {
    let mut command = Command::new(skopeo);
    command.args(["inspect", "--raw"]);
    if is_loopback(reference) {
        command.arg("--tls-verify=false");
    }
    let output = command
        .arg(format!("docker://{reference}"))
        .output()
        .context("could not run skopeo inspect")?;
    ensure!(
        output.status.success(),
        "`skopeo inspect --raw docker://{reference}` failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(output.stdout)
}

/// Whether the registry of `reference` is on this machine.
pub(crate) fn is_loopback(reference: &str) -> bool {
    let host = reference.split('/').next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(host, _)| host);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The chart package as Helm's OCI artifact, in an OCI layout directory
/// beside the artefacts; returns it and the manifest's digest.
fn chart_layout(dist: &Dist) -> Result<(PathBuf, String)> {
    let layout = dist.dir.join(".chart-oci");
    if layout.exists() {
        std::fs::remove_dir_all(&layout)?;
    }
    let blobs = layout.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)?;
    let metadata = &dist.image.metadata;
    let version = metadata.tag();
    let config = json!({
        "apiVersion": "v2",
        "name": "shoebox",
        "version": version,
        "appVersion": version,
        "type": "application",
    });
    let config = oci::write_blob(&blobs, &serde_json::to_vec(&config)?)?;
    let chart = oci::write_blob(
        &blobs,
        &std::fs::read(&dist.chart).context("the chart package is missing")?,
    )?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": oci::MANIFEST_TYPE,
        "config": config.descriptor(HELM_CONFIG_TYPE),
        "layers": [chart.descriptor(HELM_CHART_TYPE)],
        "annotations": {
            "org.opencontainers.image.title": "shoebox",
            "org.opencontainers.image.version": version,
            "org.opencontainers.image.source": metadata.source,
        },
    });
    let manifest = oci::write_blob(&blobs, &serde_json::to_vec(&manifest)?)?;
    let index = oci::index(&manifest, oci::MANIFEST_TYPE, &version);
    std::fs::write(layout.join("index.json"), serde_json::to_vec(&index)?)?;
    std::fs::write(
        layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )?;
    Ok((layout, manifest.digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_registries_go_without_tls() {
        assert!(is_loopback("127.0.0.1:5000/shoebox/shoebox:1.0.0"));
        assert!(is_loopback("localhost:5000/x:1"));
        assert!(!is_loopback("ghcr.io/shoebox-photos/shoebox:1.0.0"));
        assert!(!is_loopback("127.0.0.1.example.org/x:1"));
    }
}
