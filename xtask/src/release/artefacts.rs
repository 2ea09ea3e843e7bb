//! The release artefacts in `target/dist/`: the `shoebox` binary, the OCI
//! image archive, the Helm chart package, the OpenAPI document, a CycloneDX
//! SBOM of the binary's crates, and `SHA256SUMS` over all of them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::version::Version;
use crate::image::{self, ImageArchive};
use crate::process::run_step;
use crate::project;
use crate::ui::Step;

/// cargo-cyclonedx, the CycloneDX project's SBOM generator for cargo.
const CYCLONEDX: (&str, &str) = ("cargo-cyclonedx", "0.5.9");

/// What a release put into `target/dist/`.
#[derive(Debug, Clone)]
pub(crate) struct Dist {
    pub(crate) dir: PathBuf,
    pub(crate) image: ImageArchive,
    pub(crate) chart: PathBuf,
}

/// The file names of a release's artefacts.
pub(crate) fn names(version: Version) -> Vec<String> {
    vec![
        binary_name(version),
        format!("shoebox-{version}.oci.tar"),
        format!("shoebox-{version}.tgz"),
        format!("shoebox-{version}-openapi.json"),
        format!("shoebox-{version}.cdx.json"),
        "SHA256SUMS".to_owned(),
    ]
}

fn binary_name(version: Version) -> String {
    format!("shoebox-{version}-x86_64-linux-gnu")
}

/// Builds every artefact of `version` into a fresh `target/dist/`.
pub(crate) fn build(root: &Path, version: Version) -> Result<Dist> {
    let dir = image::dist_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("could not empty {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;

    let built = image::release_binary()?;
    let printed = Command::new(&built)
        .arg("--version")
        .output()
        .context("could not run the release binary")?;
    let printed = String::from_utf8_lossy(&printed.stdout).trim().to_owned();
    ensure!(
        printed == format!("shoebox {version}"),
        "the release binary says {printed:?}, not shoebox {version} (is HEAD tagged v{version}?)"
    );
    let binary = dir.join(binary_name(version));
    std::fs::copy(&built, &binary).context("could not copy the binary")?;

    let image = image::build(&binary, &dir)?;
    ensure!(
        image.path.file_name() == Some(std::ffi::OsStr::new(&format!("shoebox-{version}.oci.tar"))),
        "the image archive is named {}",
        image.path.display()
    );
    let chart = package_chart(root, version, &dir)?;
    openapi(
        &binary,
        &dir.join(format!("shoebox-{version}-openapi.json")),
    )?;
    sbom(root, &dir.join(format!("shoebox-{version}.cdx.json")))?;
    checksums(&dir)?;
    Ok(Dist { dir, image, chart })
}

/// `helm package`: the chart directory as `shoebox/…` in a gzip tarball
/// named `shoebox-<version>.tgz`, without what `.helmignore` lists (plain
/// names and `*.ext` patterns) and with the commit's time on every file.
fn package_chart(root: &Path, version: Version, dir: &Path) -> Result<PathBuf> {
    let chart_dir = root.join("deploy/helm/shoebox");
    let chart_yaml = std::fs::read_to_string(chart_dir.join("Chart.yaml"))
        .context("deploy/helm/shoebox/Chart.yaml is missing")?;
    ensure!(
        chart_yaml
            .lines()
            .any(|line| line == format!("version: {version}")),
        "Chart.yaml's version is not {version}"
    );
    let ignored = std::fs::read_to_string(chart_dir.join(".helmignore")).unwrap_or_default();
    let ignored: Vec<&str> = ignored
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let mtime: u64 = image::git(&["log", "-1", "--format=%ct"])?
        .parse()
        .unwrap_or(0);
    let path = dir.join(format!("shoebox-{version}.tgz"));
    let file = std::fs::File::create(&path)?;
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::best()));
    let mut files = Vec::new();
    collect(&chart_dir, &chart_dir, &ignored, &mut files)?;
    files.sort();
    for relative in files {
        let source = chart_dir.join(&relative);
        let mut header = tar::Header::new_gnu();
        let content = std::fs::read(&source)?;
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(mtime);
        tar.append_data(
            &mut header,
            Path::new("shoebox").join(&relative),
            content.as_slice(),
        )?;
    }
    tar.into_inner()?.finish()?.flush()?;
    Ok(path)
}

fn collect(base: &Path, dir: &Path, ignored: &[&str], files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let skip = ignored.iter().any(|pattern| {
            let pattern = pattern.trim_end_matches('/');
            pattern == name
                || pattern
                    .strip_prefix('*')
                    .is_some_and(|suffix| name.ends_with(suffix))
        });
        if skip {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, ignored, files)?;
        } else {
            files.push(path.strip_prefix(base)?.to_path_buf());
        }
    }
    Ok(())
}

fn openapi(binary: &Path, out: &Path) -> Result<()> {
    let output = Command::new(binary)
        .arg("openapi")
        .output()
        .context("could not run `shoebox openapi`")?;
    ensure!(output.status.success(), "`shoebox openapi` failed");
    serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .context("`shoebox openapi` printed no JSON")?;
    std::fs::write(out, &output.stdout)?;
    Ok(())
}

/// A CycloneDX 1.5 JSON SBOM of `shoebox-server` and every crate it links
/// (build-only dependencies left out), by cargo-cyclonedx.
fn sbom(root: &Path, out: &Path) -> Result<()> {
    let program = cyclonedx()?;
    let name = "shoebox-release-sbom";
    let mut command = Command::new(&program);
    command.current_dir(root).args([
        "cyclonedx",
        "--manifest-path",
        "apps/shoebox-server/Cargo.toml",
        "--format",
        "json",
        "--spec-version",
        "1.5",
        "--no-build-deps",
        "--target",
        "x86_64-unknown-linux-gnu",
        "--override-filename",
        name,
        "--quiet",
    ]);
    let step = Step::start("writing the SBOM (cargo-cyclonedx)");
    let status = command.status();
    // It writes one file beside every workspace member's Cargo.toml.
    let written = |dir: &Path| dir.join(format!("{name}.json"));
    let ours = written(&root.join("apps/shoebox-server"));
    let kept = std::fs::rename(&ours, out);
    for member in workspace_member_dirs()? {
        let _ = std::fs::remove_file(written(&member));
    }
    match status {
        Ok(status) if status.success() && kept.is_ok() => step.done(),
        _ => {
            step.failed();
            bail!("cargo-cyclonedx wrote no SBOM for shoebox-server");
        }
    }
    let sbom: serde_json::Value = serde_json::from_slice(&std::fs::read(out)?)?;
    ensure!(
        sbom["bomFormat"] == "CycloneDX"
            && sbom["metadata"]["component"]["name"] == "shoebox-server"
            && sbom["components"]
                .as_array()
                .is_some_and(|list| !list.is_empty()),
        "the SBOM does not describe shoebox-server's components"
    );
    Ok(())
}

fn workspace_member_dirs() -> Result<Vec<PathBuf>> {
    Ok(project::metadata()?["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| package["manifest_path"].as_str())
        .filter_map(|manifest| Path::new(manifest).parent().map(Path::to_path_buf))
        .collect())
}

/// cargo-cyclonedx from `target/tools/cargo`, installed with `cargo install
/// --locked` when missing (compiled once; `CARGO_TARGET_DIR` caches it).
fn cyclonedx() -> Result<PathBuf> {
    let (package, version) = CYCLONEDX;
    let root = crate::prerequisites::tools_dir().join("cargo");
    let program = root.join("bin").join(package);
    let stamp = root.join(format!("{package}.version"));
    if program.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|v| v == version) {
        return Ok(program);
    }
    let mut install = project::cargo();
    install
        .args(["install", "--locked", "--quiet", "--root"])
        .arg(&root)
        .arg(format!("{package}@{version}"));
    run_step(
        &format!("installing {package} {version} (cargo install)"),
        &mut install,
    )?;
    std::fs::write(&stamp, version)?;
    Ok(program)
}

/// `SHA256SUMS` in the format `sha256sum -c` reads, over every other file.
fn checksums(dir: &Path) -> Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "SHA256SUMS" && !name.starts_with('.'))
        .collect();
    names.sort();
    let mut sums = String::new();
    for name in names {
        sums.push_str(&format!("{}  {name}\n", sha256_file(&dir.join(&name))?));
    }
    std::fs::write(dir.join("SHA256SUMS"), sums)?;
    Ok(())
}

/// The hex sha256 of a file.
pub(crate) fn sha256_file(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}
