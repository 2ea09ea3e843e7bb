//! Finding `moto_server`, installing it into the project's tool venv when
//! plain `cargo test` runs without `cargo xtask test` having done so.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Set by `cargo xtask test` to the program it installed.
pub const MOTO_SERVER_VARIABLE: &str = "SHOEBOX_TEST_MOTO_SERVER";

/// What pip installs. `xtask/src/test.rs` installs the same (a test there
/// checks that the two agree).
pub const MOTO_REQUIREMENT: &str = "moto[server]==5.2.5";

/// The workspace's tool directory: `<workspace>/target/tools`, independent of
/// `CARGO_TARGET_DIR` (tools are per checkout, not per build).
pub(crate) fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools")
}

/// The `moto_server` to run. Panics with one line saying what to do when it
/// is missing and cannot be installed.
pub(super) fn moto_server() -> PathBuf {
    if let Some(program) = std::env::var_os(MOTO_SERVER_VARIABLE).filter(|p| !p.is_empty()) {
        return PathBuf::from(program);
    }
    let venv = tools_dir().join("venv");
    let program = venv.join("bin/moto_server");
    if program.is_file() {
        return program;
    }
    install(&venv, MOTO_REQUIREMENT, "moto_server").unwrap_or_else(|error| {
        panic!(
            "moto_server (the S3 test server) is missing and could not be installed: {error}; \
             run `cargo xtask test`, or set {MOTO_SERVER_VARIABLE}"
        )
    });
    program
}

/// Creates the venv and installs `requirement` into it (unless `program`
/// is there already), under an exclusive lock on a file next to it, so that
/// concurrent test processes (and the xtask, which takes the same lock)
/// install once.
pub(crate) fn install(venv: &Path, requirement: &str, program: &str) -> Result<(), String> {
    let tools = venv.parent().ok_or("the venv has no parent directory")?;
    fs::create_dir_all(tools).map_err(|error| format!("creating {}: {error}", tools.display()))?;
    let lock_path = tools.join("venv.lock");
    let lock = File::create(&lock_path)
        .map_err(|error| format!("creating {}: {error}", lock_path.display()))?;
    lock.lock()
        .map_err(|error| format!("locking {}: {error}", lock_path.display()))?;
    // Another process may have installed it while this one waited.
    if venv.join("bin").join(program).is_file() {
        return Ok(());
    }
    if !venv.join("bin/pip").is_file() {
        run(Command::new("python3").arg("-m").arg("venv").arg(venv))
            .map_err(|error| format!("{error} (python3 with venv support is needed)"))?;
    }
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--disable-pip-version-check",
        "-q",
        requirement,
    ]))
    // The lock is released when `lock` is dropped.
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|error| format!("could not run {shown}: {error}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last_line = stderr.lines().last().unwrap_or_default();
    Err(format!("{shown} failed ({}): {last_line}", output.status))
}
