//! `cargo xtask compat`: the previous release still works against the
//! schema this checkout migrates to (SPEC §12, docs/migrations.md).
//!
//! It finds the newest `vX.Y.Z` tag in HEAD's history that does not point at
//! HEAD, builds that tag's `shoebox` (its sources exported with `git archive`
//! into `<target>/compat/<tag>/`, built into a target directory of its own:
//! sharing this checkout's would clobber its binaries, since cargo names a
//! workspace crate's build by its path in the workspace), migrates a
//! throwaway database with *this* checkout's binary, then serves it with the
//! old binary and runs the API smoke test against it. Both builds stay
//! cached, so a second run takes seconds.
//!
//! No previous tag: it says so and passes. A shallow clone has no tags to
//! look at, so it refuses rather than pass by accident.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::process::run_step;
use crate::project;

pub(crate) fn run() -> Result<()> {
    let root = project::root();
    if project::git(&root, &["rev-parse", "--is-shallow-repository"])? == "true" {
        bail!(
            "this is a shallow clone, so the previous release's tag may be missing: \
             fetch the history first (`git fetch --unshallow --tags`)"
        );
    }
    let Some(tag) = previous_tag(&root)? else {
        crate::ui::note(
            "compat: no previous release tag (vX.Y.Z) in this history, so there is no \
             earlier release to stay compatible with; passing",
        );
        return Ok(());
    };
    crate::ui::note(&format!(
        "compat: checking {tag} against this checkout's schema"
    ));
    crate::prerequisites::postgres()?;
    let current = project::build_debug_shoebox("building this checkout's shoebox")?;
    let previous = build_tag(&root, &tag)?;
    let cluster = crate::test::throwaway_cluster("starting a throwaway PostgreSQL")?;
    let result = (|| -> Result<()> {
        let database = cluster.admin_url("postgres");
        crate::smoke::migrate(&current, &database)?;
        let steps = crate::smoke::against_server(&previous, &database)
            .with_context(|| format!("{tag} fails against the schema of this checkout"))?;
        crate::ui::note(&format!(
            "compat: {tag} passed the smoke test against this checkout's schema ({})",
            steps.join(", ")
        ));
        Ok(())
    })();
    let stopped = cluster.stop();
    result?;
    stopped.map_err(Into::into)
}

/// The newest `vX.Y.Z` tag merged into HEAD that does not point at HEAD
/// (a tagged HEAD is the release being made; its predecessor is the one to
/// stay compatible with).
pub(crate) fn previous_tag(repository: &Path) -> Result<Option<String>> {
    let head = project::git(repository, &["rev-parse", "HEAD"])?;
    let tags = project::git(
        repository,
        &[
            "tag",
            "--list",
            "v*",
            "--merged",
            "HEAD",
            "--sort=-v:refname",
        ],
    )?;
    for tag in tags.lines().map(str::trim).filter(|tag| is_release(tag)) {
        let commit = project::git(repository, &["rev-list", "-n", "1", tag])?;
        if commit != head {
            return Ok(Some(tag.to_owned()));
        }
    }
    Ok(None)
}

/// `vMAJOR.MINOR.PATCH`, nothing else (no pre-releases, no other `v…` tags).
fn is_release(tag: &str) -> bool {
    let Some(version) = tag.strip_prefix('v') else {
        return false;
    };
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()))
}

/// Builds `tag`'s `shoebox` (debug) and returns its path.
fn build_tag(root: &Path, tag: &str) -> Result<PathBuf> {
    let base = project::target_dir()?.join("compat");
    let sources = base.join(tag).join("src");
    let commit = project::git(root, &["rev-list", "-n", "1", tag])?;
    let stamp = base.join(tag).join("commit");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(commit.as_str()) {
        export(root, tag, &sources)?;
        std::fs::write(&stamp, &commit)?;
    }
    let target = base.join("target");
    run_step(
        &format!("building {tag}'s shoebox"),
        Command::new(project::cargo_program())
            .args([
                "build",
                "--locked",
                "-p",
                "shoebox-server",
                "--bin",
                "shoebox",
            ])
            .current_dir(&sources)
            .env("CARGO_TARGET_DIR", &target)
            // The tag's own toolchain file decides, not this process's.
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO"),
    )?;
    Ok(project::shoebox_binary(&target, "debug"))
}

/// `git archive tag` unpacked into a fresh `into`.
fn export(root: &Path, tag: &str, into: &Path) -> Result<()> {
    if into.exists() {
        std::fs::remove_dir_all(into)
            .with_context(|| format!("could not clear {}", into.display()))?;
    }
    std::fs::create_dir_all(into)?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", tag])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .context("could not run git archive")?;
    let stdout = archive.stdout.take().context("git archive has no output")?;
    tar::Archive::new(stdout)
        .unpack(into)
        .with_context(|| format!("could not unpack {tag} into {}", into.display()))?;
    if !archive.wait()?.success() {
        bail!("`git archive {tag}` failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        project::git(dir, args).unwrap();
    }

    fn commit(dir: &Path, message: &str) {
        git(dir, &["commit", "--allow-empty", "--quiet", "-m", message]);
    }

    fn repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "--quiet", "--initial-branch", "main"]);
        git(dir.path(), &["config", "user.email", "test@example.com"]);
        git(dir.path(), &["config", "user.name", "Test"]);
        git(dir.path(), &["config", "tag.gpgSign", "false"]);
        git(dir.path(), &["config", "commit.gpgSign", "false"]);
        commit(dir.path(), "first");
        dir
    }

    #[test]
    fn no_release_tag_means_nothing_to_check() {
        let repo = repository();
        assert_eq!(previous_tag(repo.path()).unwrap(), None);
        git(repo.path(), &["tag", "nightly"]);
        git(repo.path(), &["tag", "v1.0.0-rc.1"]);
        commit(repo.path(), "second");
        assert_eq!(previous_tag(repo.path()).unwrap(), None);
    }

    #[test]
    fn picks_the_newest_release_before_head_by_version_order() {
        let repo = repository();
        git(repo.path(), &["tag", "v0.9.0"]);
        commit(repo.path(), "second");
        git(repo.path(), &["tag", "v0.10.0"]);
        commit(repo.path(), "third");
        assert_eq!(
            previous_tag(repo.path()).unwrap().as_deref(),
            Some("v0.10.0")
        );
        // A tagged HEAD is the release being made: its predecessor counts.
        git(repo.path(), &["tag", "v0.11.0"]);
        assert_eq!(
            previous_tag(repo.path()).unwrap().as_deref(),
            Some("v0.10.0")
        );
    }

    #[test]
    fn a_tag_on_another_branch_is_not_a_predecessor() {
        let repo = repository();
        git(repo.path(), &["tag", "v1.0.0"]);
        git(repo.path(), &["checkout", "--quiet", "-b", "other"]);
        commit(repo.path(), "elsewhere");
        git(repo.path(), &["tag", "v2.0.0"]);
        git(repo.path(), &["checkout", "--quiet", "main"]);
        commit(repo.path(), "here");
        assert_eq!(
            previous_tag(repo.path()).unwrap().as_deref(),
            Some("v1.0.0")
        );
    }

    #[test]
    fn only_plain_versions_are_releases() {
        assert!(is_release("v1.2.3"));
        assert!(is_release("v0.10.0"));
        for tag in [
            "1.2.3",
            "v1.2",
            "v1.2.3-rc.1",
            "v1.2.x",
            "v",
            "vv1.2.3",
            "v1..3",
        ] {
            assert!(!is_release(tag), "{tag}");
        }
    }

    #[test]
    fn export_unpacks_the_tagged_tree_not_the_working_one() {
        let repo = repository();
        std::fs::write(repo.path().join("file.txt"), "tagged").unwrap();
        git(repo.path(), &["add", "file.txt"]);
        commit(repo.path(), "add a file");
        git(repo.path(), &["tag", "v1.0.0"]);
        std::fs::write(repo.path().join("file.txt"), "changed since").unwrap();
        let out = tempfile::tempdir().unwrap();
        let into = out.path().join("src");
        export(repo.path(), "v1.0.0", &into).unwrap();
        assert_eq!(
            std::fs::read_to_string(into.join("file.txt")).unwrap(),
            "tagged"
        );
        assert!(export(repo.path(), "v9.9.9", &into).is_err());
    }
}
