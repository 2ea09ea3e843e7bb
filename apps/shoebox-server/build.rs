//! Stamps the binary with its version, commit and build date.
//!
//! The version comes from `git describe --tags`: `v1.4.0` → `1.4.0`, three
//! commits later → `1.4.0+3.g1a2b3c4`, and `0.0.0+<sha>` when no tag exists.
//! The build date is the commit date, so that the same commit always builds
//! the same stamp (reproducible artefacts). `SHOEBOX_VERSION` overrides the
//! version (release tooling), `SOURCE_DATE_EPOCH` the date.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn version(sha: &str) -> String {
    if let Ok(version) = std::env::var("SHOEBOX_VERSION")
        && !version.is_empty()
    {
        return version;
    }
    match git(&["describe", "--tags", "--match", "v[0-9]*"]) {
        Some(described) => {
            let described = described.trim_start_matches('v');
            // `1.4.0-3-g1a2b3c4`: a tag, commits since, and the commit.
            let parts: Vec<&str> = described.rsplitn(3, '-').collect();
            match parts.as_slice() {
                [commit, count, tag]
                    if commit.starts_with('g') && count.chars().all(|c| c.is_ascii_digit()) =>
                {
                    format!("{tag}+{count}.{commit}")
                }
                _ => described.to_owned(),
            }
        }
        None => format!("0.0.0+{sha}"),
    }
}

fn build_date() -> String {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        && let Some(date) = git(&["log", "-1", "--format=%cs", &format!("--before=@{epoch}")])
    {
        return date;
    }
    git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    println!("cargo:rerun-if-env-changed=SHOEBOX_VERSION");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
        println!("cargo:rerun-if-changed={git_dir}/packed-refs");
        println!("cargo:rerun-if-changed={git_dir}/refs/tags");
        if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={git_dir}/{reference}");
        }
    }
    let sha = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SHOEBOX_BUILD_VERSION={}", version(&sha));
    println!("cargo:rustc-env=SHOEBOX_BUILD_GIT_SHA={sha}");
    println!("cargo:rustc-env=SHOEBOX_BUILD_DATE={}", build_date());
}
