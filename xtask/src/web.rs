//! The web app in `web/`: its npm packages, linter, tests and build, and the
//! API types generated from the OpenAPI document (`cargo xtask codegen`).
//!
//! npm runs from `web/` with the exact versions of `package-lock.json`
//! (`npm ci`); tools such as `openapi-typescript` run from
//! `web/node_modules/.bin`, never from a global install or `npx` download.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::prerequisites::find_program;
use crate::process::run_step;
use crate::project;

/// The generated API types, relative to the workspace root (committed).
pub(crate) const SCHEMA: &str = "web/src/api/schema.ts";

/// A copy of the lock file `npm ci` last installed, so that an unchanged
/// lock file skips the install.
const INSTALLED_LOCK: &str = "node_modules/.shoebox-installed-lock.json";

pub(crate) fn dir() -> PathBuf {
    project::root().join("web")
}

/// An `npm` command run in `web/`.
pub(crate) fn npm() -> Result<Command> {
    let npm = find_program("npm").context(
        "`npm` is not installed; install Node.js 20.19 or newer (e.g. `apt-get install -y nodejs npm` \
         or from nodejs.org)",
    )?;
    let mut command = Command::new(npm);
    command.current_dir(dir()).env("NO_UPDATE_NOTIFIER", "1");
    Ok(command)
}

/// `npm ci` unless `node_modules` already holds this lock file's packages.
pub(crate) fn install() -> Result<()> {
    let web = dir();
    let lock =
        std::fs::read(web.join("package-lock.json")).context("web/package-lock.json is missing")?;
    if lock_is_installed(&web, &lock) {
        return Ok(());
    }
    run_step(
        "installing the web app's npm packages (npm ci)",
        npm()?.args(["ci", "--no-audit", "--no-fund"]),
    )?;
    std::fs::write(web.join(INSTALLED_LOCK), &lock).context("could not record the npm install")?;
    Ok(())
}

fn lock_is_installed(web: &Path, lock: &[u8]) -> bool {
    std::fs::read(web.join(INSTALLED_LOCK)).is_ok_and(|installed| installed == lock)
}

/// ESLint and the TypeScript compiler's checks.
pub(crate) fn lint() -> Result<()> {
    install()?;
    run_step(
        "linting the web app (npm run lint)",
        npm()?.args(["run", "lint"]),
    )?;
    Ok(())
}

/// The Vitest component tests.
pub(crate) fn test() -> Result<()> {
    install()?;
    run_step("testing the web app (npm test)", npm()?.args(["test"]))?;
    Ok(())
}

/// `web/dist`, which the server embeds when it is next built.
pub(crate) fn build() -> Result<()> {
    install()?;
    run_step(
        "building the web app (npm run build)",
        npm()?.args(["run", "build"]),
    )?;
    Ok(())
}

/// `cargo xtask codegen`: regenerates [`SCHEMA`] from a fresh `shoebox openapi`.
pub(crate) fn codegen() -> Result<()> {
    let generated = generate_schema()?;
    std::fs::write(project::root().join(SCHEMA), generated)
        .with_context(|| format!("could not write {SCHEMA}"))?;
    crate::ui::note(&format!("wrote {SCHEMA}"));
    Ok(())
}

/// Fails when the committed [`SCHEMA`] differs from what codegen makes now.
pub(crate) fn check_codegen() -> Result<()> {
    let generated = generate_schema()?;
    let committed = std::fs::read_to_string(project::root().join(SCHEMA)).unwrap_or_default();
    if committed != generated {
        bail!(
            "{SCHEMA} is stale: the API changed; run `cargo xtask codegen` and commit the result"
        );
    }
    Ok(())
}

/// Builds `shoebox`, prints its OpenAPI document and turns it into
/// TypeScript types, all inside a temporary directory.
fn generate_schema() -> Result<String> {
    install()?;
    let binary = project::build_debug_shoebox("building shoebox (for its OpenAPI document)")?;
    let output = Command::new(&binary)
        .arg("openapi")
        .output()
        .with_context(|| format!("could not run {}", binary.display()))?;
    if !output.status.success() {
        bail!(
            "`shoebox openapi` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let openapi: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("`shoebox openapi` printed no JSON")?;
    let scratch = scratch_dir()?;
    let document = scratch.join("openapi.json");
    let schema = scratch.join("schema.ts");
    std::fs::write(&document, openapi.to_string())
        .context("could not write the OpenAPI document")?;
    let result = run_step(
        "generating the API types (openapi-typescript)",
        Command::new(dir().join("node_modules/.bin/openapi-typescript"))
            .current_dir(dir())
            .arg(&document)
            .arg("--output")
            .arg(&schema),
    )
    .and_then(|_| std::fs::read_to_string(&schema).context("openapi-typescript wrote no schema"));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// A fresh directory under the target directory for one codegen run.
fn scratch_dir() -> Result<PathBuf> {
    let dir = project::target_dir()?
        .join("xtask-codegen")
        .join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_schema_is_committed_and_marked_generated() {
        let schema = std::fs::read_to_string(project::root().join(SCHEMA)).unwrap();
        assert!(
            schema.contains("auto-generated by openapi-typescript"),
            "{SCHEMA}"
        );
        assert!(
            schema.contains("\"/api/v1/photos\""),
            "{SCHEMA} describes the photos API"
        );
    }

    #[test]
    fn an_unchanged_lock_file_skips_the_install() {
        let web = std::env::temp_dir().join(format!("xtask-web-{}", std::process::id()));
        std::fs::create_dir_all(web.join("node_modules")).unwrap();
        assert!(!lock_is_installed(&web, b"{}"));
        std::fs::write(web.join(INSTALLED_LOCK), b"{}").unwrap();
        assert!(lock_is_installed(&web, b"{}"));
        assert!(!lock_is_installed(&web, b"{\"changed\":1}"));
        std::fs::remove_dir_all(&web).unwrap();
    }
}
