//! `cargo xtask release [patch|minor|major|X.Y.Z] [--dry-run] [--publish]`.
//!
//! 1. Refuses a tree with uncommitted or untracked files.
//! 2. Runs `cargo xtask ci` (lint and every test) unless `--no-verify`.
//! 3. With a level or version: bumps the version in Cargo (and the lock
//!    file), the web app (`npm version`) and the Helm chart, writes the
//!    CHANGELOG section from the commits since the last tag, commits
//!    "Release X.Y.Z" and tags `vX.Y.Z`. Without one, HEAD must already be
//!    tagged `v<current version>` (the release workflow, run on that tag).
//! 4. Fills `target/dist/` (see [`artefacts`]).
//! 5. With `--publish`: pushes the image and the chart to `$SHOEBOX_REGISTRY`
//!    and checks the registry's digest (see [`publish`]).
//!
//! Pushing the commit and the tag is left to the release engineer (the tag
//! starts the release workflow). `--dry-run` checks and prints what it would
//! do, and changes nothing.

pub(crate) mod artefacts;
pub(crate) mod publish;
pub(crate) mod rehearsal;
pub(crate) mod version;

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::project;
use crate::ui;
use version::{Bump, Version};

/// Flags of `cargo xtask release`.
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// patch, minor, major or an exact version such as 1.4.0; without it,
    /// HEAD must already carry the tag of the current version.
    bump: Option<String>,
    /// Check and print what would happen; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Push the image and the chart to $SHOEBOX_REGISTRY (e.g. ghcr.io/shoebox-photos).
    #[arg(long)]
    publish: bool,
    /// Skip `cargo xtask ci` (the release test, which runs inside it, uses this).
    #[arg(long)]
    no_verify: bool,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    let root = project::root();
    ensure_clean(&root)?;
    let manifest = read(&root.join("Cargo.toml"))?;
    let current = version::workspace_version(&manifest)?;
    let registry = if flags.publish {
        Some(publish::registry_from_env()?)
    } else {
        None
    };
    let target = match &flags.bump {
        Some(bump) => {
            let next = bump.parse::<Bump>()?.apply(current)?;
            let tag = format!("v{next}");
            if git_ok(
                &root,
                &["rev-parse", "-q", "--verify", &format!("refs/tags/{tag}")],
            ) {
                bail!("the tag {tag} exists already");
            }
            Plan::Bump { current, next }
        }
        None => {
            let tag = format!("v{current}");
            let at_head = git(&root, &["tag", "--points-at", "HEAD"])?;
            if !at_head.lines().any(|line| line == tag) {
                bail!(
                    "HEAD is not tagged {tag}: name a level (patch, minor, major) or a version \
                     to release, or run this on the release tag"
                );
            }
            Plan::Tagged { version: current }
        }
    };
    let version = target.version();
    ui::note(&format!("releasing {version} ({})", target.describe()));
    if flags.dry_run {
        return dry_run(&root, &target, flags, registry.as_deref());
    }
    if flags.no_verify {
        ui::note("skipping `cargo xtask ci` (--no-verify)");
    } else {
        crate::ci::run(&crate::test::Flags::default())?;
    }
    if let Plan::Bump { next, .. } = target {
        bump_and_tag(&root, next)?;
    }
    let dist = artefacts::build(&root, version)?;
    if let Some(registry) = registry {
        publish::push(&registry, &dist)?;
    }
    ui::note(&format!(
        "released {version}: artefacts in {}{}",
        dist.dir.display(),
        if matches!(target, Plan::Bump { .. }) {
            format!("; publish the tag with: git push origin HEAD v{version}")
        } else {
            String::new()
        }
    ));
    Ok(())
}

/// What this run releases.
#[derive(Debug, Clone, Copy)]
enum Plan {
    /// Bump from `current` to `next`, commit and tag.
    Bump { current: Version, next: Version },
    /// HEAD is the tagged release of `version`.
    Tagged { version: Version },
}

impl Plan {
    fn version(self) -> Version {
        match self {
            Self::Bump { next, .. } => next,
            Self::Tagged { version } => version,
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Bump { current, .. } => format!("from {current}"),
            Self::Tagged { version } => format!("HEAD is tagged v{version}"),
        }
    }
}

fn dry_run(root: &Path, plan: &Plan, flags: &Flags, registry: Option<&str>) -> Result<()> {
    let version = plan.version();
    let mut steps = Vec::new();
    if !flags.no_verify {
        steps.push("run `cargo xtask ci`".to_owned());
    }
    if let Plan::Bump { .. } = plan {
        steps.push(format!(
            "set version {version} in Cargo.toml, Cargo.lock, web/package.json, \
             web/package-lock.json and {CHART_YAML}"
        ));
        steps.push(format!("add the {version} section to CHANGELOG.md (below)"));
        steps.push(format!("commit \"Release {version}\" and tag v{version}"));
    }
    steps.push(format!(
        "build target/dist/: {}",
        artefacts::names(version).join(", ")
    ));
    if let Some(registry) = registry {
        steps.push(format!(
            "push {registry}/shoebox:{version} and {registry}/charts/shoebox:{version}"
        ));
    }
    let mut report = String::from("dry run — would:\n");
    for (number, step) in steps.iter().enumerate() {
        report.push_str(&format!("  {}. {step}\n", number + 1));
    }
    if let Plan::Bump { .. } = plan {
        report.push_str(&format!("\n{}", changelog_section(root, version)?));
    }
    print_out(&report);
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the plan is what a dry run prints")]
fn print_out(text: &str) {
    print!("{text}");
}

/// The chart's manifest, relative to the root.
pub(crate) const CHART_YAML: &str = "deploy/helm/shoebox/Chart.yaml";

fn bump_and_tag(root: &Path, next: Version) -> Result<()> {
    let step = ui::Step::start(format!("setting version {next} and tagging v{next}"));
    let result = (|| -> Result<()> {
        let manifest_path = root.join("Cargo.toml");
        let manifest = read(&manifest_path)?;
        write(
            &manifest_path,
            &version::set_workspace_version(&manifest, next)?,
        )?;
        // The workspace members' entries in the lock file; nothing else moves.
        run_quietly(project::cargo().args(["update", "--workspace", "--offline"]))?;
        let npm_version = next.to_string();
        run_quietly(crate::web::npm()?.current_dir(crate::web::dir()).args([
            "version",
            &npm_version,
            "--no-git-tag-version",
            "--allow-same-version",
        ]))?;
        let chart_path = root.join(CHART_YAML);
        let chart = read(&chart_path)?;
        write(&chart_path, &version::set_chart_version(&chart, next)?)?;
        let section = changelog_section(root, next)?;
        let changelog_path = root.join("CHANGELOG.md");
        let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_default();
        write(&changelog_path, &with_section(&changelog, &section))?;
        git(root, &["add", "--all"])?;
        git(
            root,
            &["commit", "--quiet", "-m", &format!("Release {next}")],
        )?;
        git(
            root,
            &[
                "tag",
                "-a",
                &format!("v{next}"),
                "-m",
                &format!("Shoebox {next}"),
            ],
        )?;
        Ok(())
    })();
    match &result {
        Ok(()) => step.done(),
        Err(_) => step.failed(),
    }
    result
}

/// The CHANGELOG section for `version`: the subjects of the commits since
/// the last release tag (all commits before the first release).
fn changelog_section(root: &Path, version: Version) -> Result<String> {
    let previous = git(
        root,
        &["describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"],
    )
    .ok();
    let range = previous
        .as_deref()
        .map_or_else(|| "HEAD".to_owned(), |tag| format!("{tag}..HEAD"));
    let log = git(root, &["log", "--no-merges", "--format=%h%x09%s", &range])?;
    let date = chrono::Utc::now().format("%Y-%m-%d");
    let mut section = format!("## {version} — {date}\n\n");
    match &previous {
        Some(tag) => section.push_str(&format!("Changes since {tag}:\n\n")),
        None => section.push_str("The first release.\n\n"),
    }
    for line in log.lines() {
        let Some((hash, subject)) = line.split_once('\t') else {
            continue;
        };
        if is_release_commit(subject) {
            continue;
        }
        section.push_str(&format!("- {subject} ({hash})\n"));
    }
    Ok(section)
}

/// Whether `subject` is a release commit's ("Release 1.4.0"), which the
/// changelog leaves out; "Release test: …" is an ordinary change.
fn is_release_commit(subject: &str) -> bool {
    subject
        .strip_prefix("Release ")
        .is_some_and(|rest| rest.parse::<Version>().is_ok())
}

const CHANGELOG_HEADER: &str = "# Changelog\n\nEvery release of Shoebox, newest first \
    (written by `cargo xtask release` from the commits since the previous tag).\n";

/// `changelog` with `section` first below the header.
fn with_section(changelog: &str, section: &str) -> String {
    let body = changelog
        .strip_prefix(CHANGELOG_HEADER)
        .unwrap_or(changelog)
        .trim_start_matches('\n');
    let mut text = format!("{CHANGELOG_HEADER}\n{section}");
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body);
    }
    text
}

fn ensure_clean(root: &Path) -> Result<()> {
    let status = git(root, &["status", "--porcelain", "--untracked-files=all"])?;
    if !status.is_empty() {
        bail!(
            "the working tree has uncommitted changes; commit or stash them before a release:\n{status}"
        );
    }
    Ok(())
}

pub(crate) fn git(root: &Path, args: &[&str]) -> Result<String> {
    project::git(root, args)
}

fn git_ok(root: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .is_ok_and(|output| output.status.success())
}

fn run_quietly(command: &mut Command) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", crate::process::describe(command)))?;
    if !output.status.success() {
        bail!(
            "`{}` failed: {}",
            crate::process::describe(command),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_release_commits_are_left_out_of_the_changelog() {
        assert!(is_release_commit("Release 1.4.0"));
        assert!(!is_release_commit(
            "Release test: the clone builds elsewhere"
        ));
        assert!(!is_release_commit("Fix the release"));
    }

    #[test]
    fn new_sections_go_first_below_the_header() {
        let first = with_section("", "## 0.2.0 — 2026-12-04\n\n- a (1)\n");
        assert!(first.starts_with(CHANGELOG_HEADER));
        let second = with_section(&first, "## 0.3.0 — 2026-12-05\n\n- b (2)\n");
        let new = second.find("## 0.3.0").unwrap();
        let old = second.find("## 0.2.0").unwrap();
        assert!(new < old, "{second}");
        assert_eq!(second.matches("# Changelog").count(), 1);
    }
}
