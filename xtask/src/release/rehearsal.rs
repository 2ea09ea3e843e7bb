//! The release test (part of `cargo xtask test`): a real `cargo xtask
//! release minor --publish` in a temporary clone of this repository,
//! publishing to a registry started on 127.0.0.1 (Debian's docker-registry),
//! then checks of everything it promised — and the image test on the
//! released image. The release's own `cargo xtask ci` is skipped with
//! `--no-verify`: this test runs inside `cargo xtask ci` already.
//!
//! The clone builds into `release-rehearsal-target/` beside this checkout's
//! builds, kept between runs; its release build is the run's one release
//! build of the workspace.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use shoebox_localpg::free_port;

use super::publish;
use super::version::{Bump, Version, workspace_version};
use crate::image;
use crate::prerequisites;
use crate::process::run_streamed;
use crate::project;
use crate::server::terminate_child;
use crate::ui::{Step, note};

pub(crate) fn run() -> Result<()> {
    let skopeo = prerequisites::debian_program("skopeo", "skopeo")?;
    let registry_program = prerequisites::debian_program("docker-registry", "docker-registry")?;
    let target = project::target_dir()?;
    let work = target.join("release-rehearsal");
    let clone_target = target.join("release-rehearsal-target");
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("could not remove {}", work.display()))?;
    }
    std::fs::create_dir_all(&work)?;
    let mut registry = Registry::start(&registry_program, &work)?;
    let result = rehearse(&work, &clone_target, &skopeo, registry.port);
    let stopped = registry.stop();
    // Removed whatever happened: the output above says what went wrong.
    let removed = std::fs::remove_dir_all(&work)
        .with_context(|| format!("could not remove {}", work.display()));
    result?;
    stopped?;
    removed
}

fn rehearse(work: &Path, clone_target: &Path, skopeo: &Path, registry_port: u16) -> Result<()> {
    let clone = work.join("clone");
    let step = Step::start("cloning the repository for a release");
    let cloned = (|| -> Result<()> {
        let root = project::root();
        git(
            work,
            &["clone", "--quiet", &root.display().to_string(), "clone"],
        )?;
        git(&clone, &["config", "user.name", "Shoebox release test"])?;
        git(
            &clone,
            &["config", "user.email", "release-test@shoebox.invalid"],
        )?;
        carry_working_tree(&root, &clone)
    })();
    match &cloned {
        Ok(()) => step.done(),
        Err(_) => step.failed(),
    }
    cloned?;
    let head_before = git(&clone, &["rev-parse", "HEAD"])?;
    // The changelog leaves merge commits out (`--no-merges`): the newest
    // commit it must list is the newest non-merge one.
    let subject_before = git(&clone, &["log", "-1", "--no-merges", "--format=%s"])?;
    let current = workspace_version(&read(&clone.join("Cargo.toml"))?)?;
    let expected = Bump::Minor.apply(current)?;
    let registry = format!("127.0.0.1:{registry_port}/shoebox-photos");
    let release = |args: &[&str]| {
        let mut command = Command::new(project::cargo_program());
        command
            .current_dir(&clone)
            .args(["xtask", "release"])
            .args(args)
            // A target directory of the clone's own, kept between runs (so
            // it stays warm): cargo names a workspace crate's build by its
            // path inside the workspace, so a clone building into this
            // checkout's directory would replace this checkout's binaries.
            .env("CARGO_TARGET_DIR", clone_target)
            .env(publish::REGISTRY_VARIABLE, &registry)
            .stdin(Stdio::null());
        command
    };

    // A dirty tree is refused, and nothing happens.
    std::fs::write(clone.join("stray.txt"), "not committed")?;
    let refused = release(&["patch", "--no-verify"])
        .output()
        .context("could not run cargo xtask release")?;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    ensure!(
        !refused.status.success() && stderr.contains("uncommitted changes"),
        "a release from a dirty tree was not refused: {stderr}"
    );
    std::fs::remove_file(clone.join("stray.txt"))?;
    ensure!(
        git(&clone, &["rev-parse", "HEAD"])? == head_before,
        "the refused release committed"
    );
    note("a dirty tree is refused");

    // A dry run prints the plan and changes nothing.
    let dry = release(&["minor", "--dry-run", "--no-verify", "--publish"])
        .output()
        .context("could not run cargo xtask release --dry-run")?;
    let stdout = String::from_utf8_lossy(&dry.stdout);
    ensure!(
        dry.status.success()
            && stdout.contains(&format!("commit \"Release {expected}\""))
            && stdout.contains(&format!("## {expected}")),
        "the dry run did not print the plan: {stdout}{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    ensure!(
        git(&clone, &["status", "--porcelain"])?.is_empty()
            && git(&clone, &["rev-parse", "HEAD"])? == head_before
            && git(&clone, &["tag", "--list", "v*"])?.is_empty(),
        "the dry run changed the clone"
    );
    note("a dry run changes nothing");

    // The release itself.
    run_streamed(&mut release(&["minor", "--publish", "--no-verify"]))?;

    let tag = format!("v{expected}");
    ensure!(
        git(&clone, &["log", "-1", "--format=%s"])? == format!("Release {expected}"),
        "HEAD is not the release commit"
    );
    ensure!(
        git(&clone, &["tag", "--points-at", "HEAD"])?
            .lines()
            .any(|line| line == tag),
        "HEAD is not tagged {tag}"
    );
    ensure!(
        git(&clone, &["rev-parse", "HEAD~1"])? == head_before,
        "the release commit does not follow the released commit"
    );
    ensure!(
        git(&clone, &["status", "--porcelain"])?.is_empty(),
        "the release left the tree dirty"
    );
    check_versions(&clone, expected)?;
    let changelog = read(&clone.join("CHANGELOG.md"))?;
    ensure!(
        changelog.contains(&format!("## {expected} — ")) && changelog.contains(&subject_before),
        "CHANGELOG.md has no {expected} section listing the commits"
    );
    note(&format!(
        "version {expected} committed, tagged and in the changelog"
    ));

    let dist = clone.join("target/dist");
    check_dist(&dist, expected)?;
    note("target/dist holds every artefact and SHA256SUMS matches");

    let archive = dist.join(format!("shoebox-{expected}.oci.tar"));
    let image = image::open(&archive)?;
    ensure!(
        image.metadata.version == expected.to_string(),
        "the image says version {}",
        image.metadata.version
    );
    let reference = format!("{registry}/shoebox:{expected}");
    let pulled = publish::manifest_digest(skopeo, &reference)?;
    ensure!(
        pulled == image.manifest_digest,
        "the registry serves {reference} as {pulled}, the archive holds {}",
        image.manifest_digest
    );
    note(&format!("pulled back {reference}@{pulled}"));
    let reference = format!("{registry}/charts/shoebox:{expected}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&publish::manifest(skopeo, &reference)?)?;
    let chart_digest = format!(
        "sha256:{}",
        super::artefacts::sha256_file(&dist.join(format!("shoebox-{expected}.tgz")))?
    );
    ensure!(
        manifest["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json"
            && manifest["layers"][0]["digest"] == chart_digest.as_str(),
        "the registry's chart {reference} is not the packaged chart: {manifest}"
    );
    note(&format!("pulled back {reference} (layer {chart_digest})"));
    // The released image runs: /readyz, /version says the new version, a
    // backup and its verification (see `image::run_test`).
    image::run_test::run(&image)
}

/// Commits the checkout's uncommitted changes (tracked and untracked, not
/// ignored) in the clone, so that the test releases what is on disk; a clean
/// checkout (CI) adds nothing.
fn carry_working_tree(root: &Path, clone: &Path) -> Result<()> {
    let diff = Command::new("git")
        .args(["diff", "HEAD", "--binary"])
        .current_dir(root)
        .output()
        .context("could not run git diff")?;
    ensure!(diff.status.success(), "`git diff HEAD` failed");
    if !diff.stdout.is_empty() {
        let mut apply = Command::new("git")
            .args(["apply", "--index", "-"])
            .current_dir(clone)
            .stdin(Stdio::piped())
            .spawn()
            .context("could not run git apply")?;
        if let Some(mut stdin) = apply.stdin.take() {
            std::io::Write::write_all(&mut stdin, &diff.stdout)?;
        }
        ensure!(
            apply.wait()?.success(),
            "the working tree's changes do not apply to the clone"
        );
    }
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for path in untracked.split('\0').filter(|path| !path.is_empty()) {
        let target = clone.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(root.join(path), &target)
            .with_context(|| format!("could not copy {path} into the clone"))?;
    }
    if !git(clone, &["status", "--porcelain"])?.is_empty() {
        git(clone, &["add", "--all"])?;
        git(
            clone,
            &[
                "commit",
                "--quiet",
                "-m",
                "Uncommitted changes of the tested checkout",
            ],
        )?;
    }
    Ok(())
}

fn check_versions(clone: &Path, expected: Version) -> Result<()> {
    let manifest = read(&clone.join("Cargo.toml"))?;
    ensure!(
        workspace_version(&manifest)? == expected,
        "Cargo.toml was not bumped"
    );
    let lock = read(&clone.join("Cargo.lock"))?;
    ensure!(
        lock.contains(&format!(
            "name = \"shoebox-server\"\nversion = \"{expected}\""
        )),
        "Cargo.lock was not bumped"
    );
    for file in ["web/package.json", "web/package-lock.json"] {
        let json: serde_json::Value = serde_json::from_str(&read(&clone.join(file))?)?;
        ensure!(
            json["version"] == expected.to_string(),
            "{file} says version {}",
            json["version"]
        );
    }
    let chart = read(&clone.join(super::CHART_YAML))?;
    ensure!(
        chart.contains(&format!("\nversion: {expected}\n"))
            && chart.contains(&format!("\nappVersion: \"{expected}\"\n")),
        "Chart.yaml was not bumped"
    );
    Ok(())
}

fn check_dist(dist: &Path, expected: Version) -> Result<()> {
    let found: BTreeSet<String> = std::fs::read_dir(dist)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    let wanted: BTreeSet<String> = super::artefacts::names(expected).into_iter().collect();
    ensure!(
        found == wanted,
        "target/dist holds {found:?}, expected {wanted:?}"
    );
    let sums = read(&dist.join("SHA256SUMS"))?;
    let mut listed = BTreeSet::new();
    for line in sums.lines() {
        let (sum, name) = line
            .split_once("  ")
            .with_context(|| format!("SHA256SUMS line {line:?}"))?;
        ensure!(
            super::artefacts::sha256_file(&dist.join(name))? == sum,
            "{name} does not match SHA256SUMS"
        );
        listed.insert(name.to_owned());
    }
    let mut others = wanted;
    others.remove("SHA256SUMS");
    ensure!(listed == others, "SHA256SUMS lists {listed:?}");

    let binary = dist.join(format!("shoebox-{expected}-x86_64-linux-gnu"));
    let printed = Command::new(&binary).arg("--version").output()?;
    ensure!(
        String::from_utf8_lossy(&printed.stdout).trim() == format!("shoebox {expected}"),
        "the released binary says {:?}",
        String::from_utf8_lossy(&printed.stdout)
    );
    let openapi: serde_json::Value = serde_json::from_str(&read(
        &dist.join(format!("shoebox-{expected}-openapi.json")),
    )?)?;
    ensure!(
        openapi["info"]["version"].is_string() && openapi["paths"]["/api/v1/albums"].is_object(),
        "the OpenAPI document lacks the API"
    );
    let sbom: serde_json::Value =
        serde_json::from_str(&read(&dist.join(format!("shoebox-{expected}.cdx.json")))?)?;
    ensure!(
        sbom["bomFormat"] == "CycloneDX"
            && sbom["metadata"]["component"]["version"] == expected.to_string(),
        "the SBOM does not describe shoebox-server {expected}"
    );
    let chart = std::fs::File::open(dist.join(format!("shoebox-{expected}.tgz")))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(chart));
    let mut chart_yaml = String::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if entry.path()? == Path::new("shoebox/Chart.yaml") {
            std::io::Read::read_to_string(&mut entry, &mut chart_yaml)?;
        }
    }
    ensure!(
        chart_yaml.contains(&format!("\nversion: {expected}\n")),
        "the chart package's Chart.yaml is not at {expected}"
    );
    Ok(())
}

/// Debian's docker-registry on 127.0.0.1, storing under the work directory.
struct Registry {
    child: Option<Child>,
    port: u16,
}

impl Registry {
    fn start(program: &Path, work: &Path) -> Result<Self> {
        let port = free_port()?;
        let storage = work.join("registry");
        std::fs::create_dir_all(&storage)?;
        let config = work.join("registry.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
                 http:\n  addr: 127.0.0.1:{port}\n",
                storage.display()
            ),
        )?;
        let log = std::fs::File::create(work.join("registry.log"))?;
        let step = Step::start(format!(
            "starting a registry on 127.0.0.1:{port} (docker-registry)"
        ));
        let child = Command::new(program)
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("could not start docker-registry")?;
        let mut registry = Self {
            child: Some(child),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if crate::http::get(port, "/v2/").is_ok_and(|response| response.status == 200) {
                step.done();
                return Ok(registry);
            }
            let exited = registry
                .child
                .as_mut()
                .map(|child| child.try_wait())
                .transpose()?
                .flatten();
            if exited.is_some() || Instant::now() >= deadline {
                step.failed();
                let log = std::fs::read_to_string(work.join("registry.log")).unwrap_or_default();
                bail!("the registry did not start:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) -> Result<()> {
        match self.child.take() {
            Some(mut child) => terminate_child(&mut child),
            None => Ok(()),
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    super::git(dir, args)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}
