//! `cargo xtask helm`: the tests of the Helm chart in `deploy/helm/shoebox`
//! (also part of `cargo xtask test`).
//!
//! No `helm` binary is involved: the PyPI package helm-python-sdk binds
//! Helm's own Go SDK, so the chart is rendered and linted by Helm's engine,
//! and kubernetes-validate checks every rendered object against Kubernetes'
//! schemas, offline. Both are installed into `target/tools/venv`; the
//! assertions are Python, beside this file (`helm/chart_test.py` runs them,
//! `helm/chart_checks.py` holds them, `helm/chart_self_test.py` shows each
//! can fail).

use std::process::Command;

use anyhow::Result;

use crate::prerequisites::python_package;
use crate::process::run_step;
use crate::project;

/// Helm's renderer and linter (Helm 4's Go SDK behind a C ABI).
const HELM_PYTHON_SDK: &str = "helm-python-sdk==0.2.2";
/// Kubernetes' JSON schemas, offline, with a strict mode.
const KUBERNETES_VALIDATE: &str = "kubernetes-validate==1.37.0";
/// The rendered manifests are YAML.
pub(crate) const PYYAML: &str = "PyYAML==6.0.4";

/// The chart, relative to the workspace root.
pub(crate) const CHART: &str = "deploy/helm/shoebox";

/// Where every alert's `runbook_url` must lead.
const ALERTS_DOC: &str = "docs/operations/alerts.md";

pub(crate) fn run() -> Result<()> {
    let python = python_package(HELM_PYTHON_SDK, "helm_python")?;
    python_package(PYYAML, "yaml")?;
    python_package(KUBERNETES_VALIDATE, "kubernetes_validate")?;
    let root = project::root();
    let mut command = Command::new(python);
    command
        .arg(root.join("xtask/src/helm/chart_test.py"))
        .arg(root.join(CHART))
        .arg(root.join(ALERTS_DOC))
        .current_dir(&root)
        // No __pycache__ in the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let transcript = run_step(&format!("testing the Helm chart ({CHART})"), &mut command)?;
    // Captured behind a spinner on a terminal: the checks are the news.
    if !transcript.is_empty() {
        eprintln!("{transcript}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
        let line = text.lines().find(|line| line.starts_with(prefix))?;
        line[prefix.len()..].trim().split('"').nth(1)
    }

    #[test]
    fn the_chart_deploys_the_workspace_version() {
        let root = project::root();
        let chart = std::fs::read_to_string(root.join(CHART).join("Chart.yaml")).unwrap();
        let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let workspace = cargo.split("[workspace.package]").nth(1).unwrap();
        assert_eq!(
            quoted_after(&chart, "appVersion:"),
            quoted_after(workspace, "version ="),
            "appVersion in {CHART}/Chart.yaml must be the workspace version (the image tag it deploys)"
        );
    }

    #[test]
    fn python_requirements_are_pinned() {
        for requirement in [HELM_PYTHON_SDK, KUBERNETES_VALIDATE, PYYAML] {
            assert!(requirement.contains("=="), "{requirement} is not pinned");
        }
    }
}
