//! Checking (and where it can, installing) what a task needs, with a message
//! that says exactly what to do when something is missing.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};
use shoebox_localpg::PgBinaries;

use crate::process::run_step;
use crate::project;

/// The PostgreSQL server binaries, or an error naming the package to install.
pub(crate) fn postgres() -> Result<PgBinaries> {
    let binaries = PgBinaries::locate()?;
    let version = binaries
        .version()
        .context("the PostgreSQL server binaries are there but do not run")?;
    crate::ui::note(&format!(
        "PostgreSQL: {version} in {}",
        binaries.dir().display()
    ));
    Ok(binaries)
}

/// Cargo, which must run (it runs this xtask, but maybe not from `PATH`).
pub(crate) fn cargo() -> Result<()> {
    let program = project::cargo_program();
    let status = Command::new(&program).arg("--version").output();
    match status {
        Ok(output) if output.status.success() => Ok(()),
        _ => bail!(
            "`{} --version` does not run; install Rust with rustup (https://rustup.rs), \
             which reads rust-toolchain.toml",
            program.display()
        ),
    }
}

/// Whether this process runs as root.
pub(crate) fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// `program` found on `PATH`.
pub(crate) fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// `program` from `PATH`, installing the Debian `package` that provides it
/// when it is missing and this process is root; otherwise an error with the
/// exact command to run.
pub(crate) fn debian_program(program: &str, package: &str) -> Result<PathBuf> {
    if let Some(found) = find_program(program) {
        return Ok(found);
    }
    if !is_root() {
        bail!("`{program}` is not installed; install it with: sudo apt-get install -y {package}");
    }
    let install = || {
        let mut command = Command::new("apt-get");
        command
            .args(["install", "-y", "--no-install-recommends", package])
            .env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    if run_step(&format!("installing {package} (apt-get)"), &mut install()).is_err() {
        // The package lists may be missing or stale on a fresh machine.
        run_step(
            "updating the package lists (apt-get update)",
            Command::new("apt-get").arg("update"),
        )?;
        run_step(&format!("installing {package} (apt-get)"), &mut install())?;
    }
    find_program(program)
        .with_context(|| format!("`{program}` is still missing after installing {package}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_programs_on_the_path() {
        assert!(find_program("sh").is_some());
        assert!(find_program("surely-no-such-program-here").is_none());
    }
}
