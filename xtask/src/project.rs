//! Where things are: the workspace root, cargo, and the target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of this crate's directory).
pub(crate) fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The cargo that runs this xtask (`$CARGO`), else `cargo` from `PATH`.
pub(crate) fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// A cargo command run from the workspace root.
pub(crate) fn cargo() -> Command {
    let mut command = Command::new(cargo_program());
    command.current_dir(root());
    command
}

/// `cargo metadata --no-deps` of the workspace (offline: it needs no
/// registry), as JSON.
pub(crate) fn metadata() -> Result<serde_json::Value> {
    let output = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .context("could not run `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no JSON")
}

/// Cargo's target directory as cargo itself reports it (so that
/// `CARGO_TARGET_DIR` and `build.target-dir` are honoured).
pub(crate) fn target_dir() -> Result<PathBuf> {
    metadata()?["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("`cargo metadata` names no target_directory")
}

/// `git args…` run in `dir`, its output trimmed; a failure names the command.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .context("could not run git")?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The `shoebox` binary of a profile (`debug` or `release`) in `target_dir`.
pub(crate) fn shoebox_binary(target_dir: &Path, profile: &str) -> PathBuf {
    target_dir.join(profile).join("shoebox")
}

/// Builds the `shoebox` binary (debug profile) and returns its path;
/// `title` names the step.
pub(crate) fn build_debug_shoebox(title: &str) -> Result<PathBuf> {
    build_shoebox(title, "debug")
}

/// Builds the `shoebox` binary of `profile` (`debug` or `release`) and
/// returns its path; `title` names the step.
pub(crate) fn build_shoebox(title: &str, profile: &str) -> Result<PathBuf> {
    let mut command = cargo();
    command.args([
        "build",
        "--locked",
        "-p",
        "shoebox-server",
        "--bin",
        "shoebox",
    ]);
    if profile == "release" {
        command.arg("--release");
    }
    crate::process::run_step(title, &mut command)?;
    Ok(shoebox_binary(&target_dir()?, profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_workspace() {
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }

    #[test]
    fn cargo_reports_an_absolute_target_directory() {
        let target = target_dir().unwrap();
        assert!(target.is_absolute(), "{}", target.display());
    }
}
