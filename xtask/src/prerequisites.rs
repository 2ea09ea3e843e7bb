//! Checking (and where it can, installing) what a task needs, with a message
//! that says exactly what to do when something is missing.

use std::fs::File;
use std::path::{Path, PathBuf};
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
    apt_install(package, &format!("`{program}` is not installed"))?;
    find_program(program)
        .with_context(|| format!("`{program}` is still missing after installing {package}"))
}

/// Installs the Debian `package` when this process is root; otherwise an
/// error starting with `why` and giving the exact command to run.
fn apt_install(package: &str, why: &str) -> Result<()> {
    if !is_root() {
        bail!("{why}; install it with: sudo apt-get install -y {package}");
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
    Ok(())
}

/// The project's Python tool environment, independent of `CARGO_TARGET_DIR`
/// (tools belong to the checkout, not to a build). `shoebox-test-support`
/// uses the same directory and lock file.
pub(crate) fn tools_dir() -> PathBuf {
    project::root().join("target/tools")
}

/// `program` from the project's venv (`target/tools/venv`), installing
/// `requirement` (a pip requirement such as `moto[server]==5.2.5`) when the
/// program is missing or was installed from another requirement. Makes sure
/// `python3` and its venv module are there first (apt as root, else the
/// command to run).
pub(crate) fn python_tool(requirement: &str, program: &str) -> Result<PathBuf> {
    let installed = tools_dir().join("venv/bin").join(program);
    venv_install(requirement, program, &installed, None)?;
    Ok(installed)
}

/// The venv's `python`, with the library `requirement` (a pip requirement
/// such as `PyYAML==6.0.3`) installed for `import import_name`: installed
/// when missing or installed from another requirement, like
/// [`python_tool`], and checked by importing it once.
pub(crate) fn python_package(requirement: &str, import_name: &str) -> Result<PathBuf> {
    let python = tools_dir().join("venv/bin/python");
    let stamp_name = format!("import-{import_name}");
    venv_install(requirement, &stamp_name, &python, Some(import_name))?;
    Ok(python)
}

/// Installs `requirement` into the venv unless `installed` exists and the
/// stamp `<stamp_name>.requirement` says it came from that requirement;
/// then checks `installed` (and that `import_name` imports) and writes the
/// stamp, so that changing the pin reinstalls.
fn venv_install(
    requirement: &str,
    stamp_name: &str,
    installed: &Path,
    import_name: Option<&str>,
) -> Result<()> {
    let tools = tools_dir();
    let venv = tools.join("venv");
    let stamp = venv.join(format!("{stamp_name}.requirement"));
    let current = || {
        installed.is_file()
            && std::fs::read_to_string(&stamp).is_ok_and(|found| found.trim() == requirement)
    };
    if current() {
        return Ok(());
    }
    let python = debian_program("python3", "python3")?;
    let has_venv = Command::new(&python)
        .args(["-c", "import ensurepip, venv"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_venv {
        apt_install("python3-venv", "python3 cannot create virtual environments")?;
    }
    std::fs::create_dir_all(&tools)
        .with_context(|| format!("could not create {}", tools.display()))?;
    // Test processes install into the same venv when run without the
    // xtask; the lock keeps two pips from writing into it at once.
    let lock_path = tools.join("venv.lock");
    let lock = File::create(&lock_path)
        .with_context(|| format!("could not create {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("could not lock {}", lock_path.display()))?;
    if current() {
        return Ok(());
    }
    if !venv.join("bin/pip").is_file() {
        let mut create = Command::new(&python);
        create.args(["-m", "venv"]).arg(&venv);
        run_step("creating target/tools/venv (python3 -m venv)", &mut create)?;
    }
    let mut install = Command::new(venv.join("bin/pip"));
    install.args(["install", "--disable-pip-version-check", "-q", requirement]);
    run_step(&format!("installing {requirement} (pip)"), &mut install)?;
    if !installed.is_file() {
        bail!(
            "pip installed {requirement}, but {} is missing",
            installed.display()
        );
    }
    if let Some(import_name) = import_name {
        let imports = Command::new(installed)
            .args(["-c", &format!("import {import_name}")])
            .output()
            .with_context(|| format!("could not run {}", installed.display()))?;
        if !imports.status.success() {
            bail!(
                "pip installed {requirement}, but `import {import_name}` fails: {}",
                String::from_utf8_lossy(&imports.stderr).trim()
            );
        }
    }
    std::fs::write(&stamp, requirement)
        .with_context(|| format!("could not write {}", stamp.display()))?;
    Ok(())
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
