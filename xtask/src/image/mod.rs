//! `cargo xtask image`: the OCI image, built without a container daemon
//! from this machine's build outputs into an OCI image layout archive in
//! `target/dist/` (load it with `skopeo copy oci-archive:…`, `podman load`
//! or `docker load`).
//!
//! Two layers on no base image: the system layer (PostgreSQL's client
//! programs with every shared library `ldd` names, the CA bundle,
//! `/etc/passwd`, a writable `/tmp` and working directory) and the
//! application layer (the release `shoebox`, web app embedded). The layout
//! is defined once in [`layout`]; `deploy/container/Containerfile` builds
//! the same for Docker and Podman (a test compares the two).

#[cfg(test)]
mod containerfile;
pub(crate) mod layout;
pub(crate) mod oci;
pub(crate) mod rootfs;
pub(crate) mod run_test;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use shoebox_localpg::PgBinaries;

use crate::project;
use crate::ui::Step;
use layout::Metadata;
use rootfs::RootFs;

/// The compressed size the image must stay under.
const SIZE_BUDGET_BYTES: u64 = 60 * 1000 * 1000;

/// Flags of `cargo xtask image`.
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// Package this `shoebox` binary instead of building the release one.
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Then unpack the image with umoci and run it under chroot against a
    /// throwaway PostgreSQL (`/readyz`, a backup and its verification).
    #[arg(long)]
    test: bool,
}

/// A built image archive.
#[derive(Debug, Clone)]
pub(crate) struct ImageArchive {
    /// The `.oci.tar` file.
    pub(crate) path: PathBuf,
    /// The reference name inside it (the version, `+` made `-`).
    pub(crate) tag: String,
    /// The manifest's digest (what a registry reports after a push).
    pub(crate) manifest_digest: String,
    /// Compressed size: layers, configuration and manifest.
    pub(crate) compressed_bytes: u64,
    /// What the image says about itself.
    pub(crate) metadata: Metadata,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    let binary = match &flags.binary {
        Some(binary) => binary.clone(),
        None => release_binary()?,
    };
    let image = build(&binary, &dist_dir())?;
    if flags.test {
        run_test::run(&image)?;
    }
    Ok(())
}

/// `target/dist` of the checkout (artefacts belong to the checkout, like
/// `target/tools`, whatever `CARGO_TARGET_DIR` says).
pub(crate) fn dist_dir() -> PathBuf {
    project::root().join("target/dist")
}

/// Builds the web app and the release `shoebox` that embeds it; returns
/// the binary (what the image and the release package).
pub(crate) fn release_binary() -> Result<PathBuf> {
    crate::web::build()?;
    project::build_shoebox("building shoebox (release)", "release")
}

/// Builds the image of `binary` into `out` and prints its size.
pub(crate) fn build(binary: &Path, out: &Path) -> Result<ImageArchive> {
    let metadata = metadata(binary)?;
    let binaries = PgBinaries::locate()?;
    let pg_major = binaries
        .version()
        .context("the PostgreSQL client programs do not run")?
        .major;
    let step = Step::start(format!("building the OCI image shoebox:{}", metadata.tag()));
    let result = assemble(binary, &binaries, pg_major, &metadata, out);
    match &result {
        Ok(image) => {
            step.done();
            crate::ui::note(&format!(
                "image: {} — compressed {:.1} MB of the {:.0} MB budget ({:.2}×)",
                image.path.display(),
                image.compressed_bytes as f64 / 1e6,
                SIZE_BUDGET_BYTES as f64 / 1e6,
                image.compressed_bytes as f64 / SIZE_BUDGET_BYTES as f64,
            ));
        }
        Err(_) => step.failed(),
    }
    let image = result?;
    if image.compressed_bytes > SIZE_BUDGET_BYTES {
        bail!(
            "the image is {:.1} MB compressed, over the {:.0} MB budget",
            image.compressed_bytes as f64 / 1e6,
            SIZE_BUDGET_BYTES as f64 / 1e6
        );
    }
    Ok(image)
}

fn assemble(
    binary: &Path,
    binaries: &PgBinaries,
    pg_major: u32,
    metadata: &Metadata,
    out: &Path,
) -> Result<ImageArchive> {
    let system = system_rootfs(binary, binaries, pg_major)?;
    let mut application = RootFs::default();
    application.copy(binary, layout::BINARY)?;

    std::fs::create_dir_all(out).with_context(|| format!("could not create {}", out.display()))?;
    let work = out.join(format!(".image-{}", metadata.tag()));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let epoch = metadata.created_epoch;
    let layers = vec![
        oci::write_layer(
            &system,
            epoch,
            &work,
            "cargo xtask image: PostgreSQL client programs, shared libraries, CA bundle, user",
        )?,
        oci::write_layer(&application, epoch, &work, "cargo xtask image: shoebox")?,
    ];
    let labels: serde_json::Map<String, Value> = metadata
        .labels()
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect();
    let config = oci::config(&metadata.created(), &runtime(pg_major, &labels), &layers);
    let config = oci::write_blob(&work, &serde_json::to_vec(&config)?)?;
    let manifest = oci::manifest(&config, &layers, &Value::Object(labels));
    let manifest = oci::write_blob(&work, &serde_json::to_vec(&manifest)?)?;
    let tag = metadata.tag();
    let index = oci::index(&manifest, oci::MANIFEST_TYPE, &tag);
    let path = out.join(format!("shoebox-{tag}.oci.tar"));
    let mut blobs = vec![&config, &manifest];
    blobs.extend(layers.iter().map(|layer| &layer.blob));
    oci::write_archive(&path, &index, &blobs, epoch)?;
    let compressed_bytes = blobs.iter().map(|blob| blob.size).sum();
    std::fs::remove_dir_all(&work)?;
    Ok(ImageArchive {
        path,
        tag,
        manifest_digest: manifest.digest,
        compressed_bytes,
        metadata: metadata.clone(),
    })
}

/// The image configuration's `config` part: how the image runs.
pub(crate) fn runtime(pg_major: u32, labels: &serde_json::Map<String, Value>) -> Value {
    let env: Vec<String> = layout::env(pg_major)
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    json!({
        "User": format!("{}:{}", layout::USER_ID, layout::USER_ID),
        "Env": env,
        "Entrypoint": [layout::BINARY],
        "Cmd": layout::CMD,
        "WorkingDir": layout::WORKDIR,
        "ExposedPorts": { format!("{}/tcp", layout::PORT): {} },
        "StopSignal": "SIGTERM",
        "Labels": labels,
    })
}

/// Everything but the application binary.
fn system_rootfs(binary: &Path, binaries: &PgBinaries, pg_major: u32) -> Result<RootFs> {
    let mut rootfs = RootFs::default();
    let pg_dir = layout::pg_bin_dir(pg_major);
    let mut programs = vec![binary.to_path_buf()];
    for program in layout::PG_PROGRAMS {
        let source = binaries.bin(program);
        rootfs.copy(&source, &format!("{pg_dir}/{program}"))?;
        programs.push(source);
    }
    for program in &programs {
        for library in rootfs::shared_libraries(program)? {
            rootfs.host_path(&library)?;
        }
    }
    if !Path::new(layout::CA_BUNDLE).is_file() {
        bail!(
            "{} is missing; install it with: apt-get install -y ca-certificates",
            layout::CA_BUNDLE
        );
    }
    rootfs.host_path(Path::new(layout::CA_BUNDLE))?;
    for name in layout::ETC_FILES {
        let content = std::fs::read(layout::etc_dir().join(name))
            .with_context(|| format!("deploy/container/etc/{name} is missing"))?;
        rootfs.bytes(&format!("/etc/{name}"), content, 0o644);
    }
    rootfs.dir("/tmp", 0o1777, 0);
    rootfs.dir(layout::WORKDIR, 0o750, layout::USER_ID);
    Ok(rootfs)
}

/// The version (from the binary itself), commit, time, source and licence.
fn metadata(binary: &Path) -> Result<Metadata> {
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .with_context(|| format!("could not run `{} --version`", binary.display()))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    let version = printed
        .split_whitespace()
        .nth(1)
        .with_context(|| format!("`{} --version` printed {printed:?}", binary.display()))?
        .to_owned();
    let revision = git(&["rev-parse", "HEAD"])?;
    let created_epoch = git(&["log", "-1", "--format=%ct"])?
        .parse()
        .context("`git log` printed no commit time")?;
    let package = server_package()?;
    Ok(Metadata {
        version,
        revision,
        source: package["repository"]
            .as_str()
            .context("shoebox-server names no repository")?
            .to_owned(),
        licenses: package["license"]
            .as_str()
            .context("shoebox-server names no licence")?
            .to_owned(),
        created_epoch,
    })
}

/// What an image archive built by [`build`] holds: its tag, manifest
/// digest, size and metadata, read back from the archive itself.
pub(crate) fn open(path: &Path) -> Result<ImageArchive> {
    let mut files = std::collections::BTreeMap::new();
    let file =
        std::fs::File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    let mut archive = tar::Archive::new(file);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.display().to_string();
        if name == "index.json" || (name.starts_with("blobs/sha256/") && entry.size() < 1 << 20) {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes)?;
            files.insert(name, bytes);
        }
    }
    let json = |name: &str| -> Result<Value> {
        let bytes = files
            .get(name)
            .with_context(|| format!("{} holds no {name}", path.display()))?;
        Ok(serde_json::from_slice(bytes)?)
    };
    let blob = |digest: &Value| {
        format!(
            "blobs/sha256/{}",
            digest
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("sha256:")
        )
    };
    let index = json("index.json")?;
    let descriptor = &index["manifests"][0];
    let manifest_digest = descriptor["digest"]
        .as_str()
        .context("index.json names no manifest")?
        .to_owned();
    let tag = descriptor["annotations"]["org.opencontainers.image.ref.name"]
        .as_str()
        .context("index.json names no tag")?
        .to_owned();
    let manifest = json(&blob(&descriptor["digest"]))?;
    let config = json(&blob(&manifest["config"]["digest"]))?;
    let labels = &config["config"]["Labels"];
    let label = |key: &str| labels[key].as_str().unwrap_or_default().to_owned();
    let created_epoch =
        chrono::DateTime::parse_from_rfc3339(&label("org.opencontainers.image.created"))
            .map(|created| created.timestamp())
            .context("the image has no valid created label")?;
    let sizes = |value: &Value| value["size"].as_u64().unwrap_or(0);
    let compressed_bytes = descriptor["size"].as_u64().unwrap_or(0)
        + sizes(&manifest["config"])
        + manifest["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(sizes)
            .sum::<u64>();
    Ok(ImageArchive {
        path: path.to_path_buf(),
        tag,
        manifest_digest,
        compressed_bytes,
        metadata: Metadata {
            version: label("org.opencontainers.image.version"),
            revision: label("org.opencontainers.image.revision"),
            source: label("org.opencontainers.image.source"),
            licenses: label("org.opencontainers.image.licenses"),
            created_epoch,
        },
    })
}

/// `git args…` in the checkout, its output trimmed.
pub(crate) fn git(args: &[&str]) -> Result<String> {
    project::git(&project::root(), args)
}

/// `shoebox-server`'s package entry in `cargo metadata`.
fn server_package() -> Result<Value> {
    project::metadata()?["packages"]
        .as_array()
        .and_then(|packages| {
            packages
                .iter()
                .find(|package| package["name"] == "shoebox-server")
        })
        .cloned()
        .context("`cargo metadata` lists no shoebox-server")
}
