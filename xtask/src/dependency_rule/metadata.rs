//! Building the [`Graph`] from `cargo metadata --format-version 1`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::{Dependency, DependencyKind, Graph, Package};
use crate::project;

/// The resolved graph of this workspace, all targets and features as cargo resolves them.
pub(crate) fn workspace_graph() -> Result<Graph> {
    let output = project::cargo()
        .args(["metadata", "--format-version", "1"])
        .output()
        .context("could not run `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no JSON")?;
    from_metadata(&metadata)
}

/// The graph described by `cargo metadata`'s JSON.
pub(crate) fn from_metadata(metadata: &Value) -> Result<Graph> {
    let root = metadata["workspace_root"]
        .as_str()
        .context("no workspace_root")?;
    let adapters_dir = Path::new(root).join("crates").join("adapters");
    let members: Vec<&str> = strings(&metadata["workspace_members"]);
    let mut graph = Graph::default();
    for package in metadata["packages"].as_array().context("no packages")? {
        let id = package["id"].as_str().context("a package without id")?;
        let manifest = package["manifest_path"].as_str().unwrap_or_default();
        graph.packages.insert(
            id.to_owned(),
            Package {
                name: package["name"]
                    .as_str()
                    .context("a package without name")?
                    .to_owned(),
                member: members.contains(&id),
                adapter: Path::new(manifest).starts_with(&adapters_dir),
                dependencies: Vec::new(),
            },
        );
    }
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .context("no resolve graph")?;
    for node in nodes {
        let id = node["id"].as_str().context("a node without id")?;
        let dependencies = node["deps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|dependency| {
                Some(Dependency {
                    id: dependency["pkg"].as_str()?.to_owned(),
                    kinds: kinds(&dependency["dep_kinds"]),
                })
            })
            .collect();
        if let Some(package) = graph.packages.get_mut(id) {
            package.dependencies = dependencies;
        }
    }
    Ok(graph)
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The kinds of one edge; `null` is a normal dependency.
fn kinds(dep_kinds: &Value) -> Vec<DependencyKind> {
    let mut kinds: Vec<DependencyKind> = dep_kinds
        .as_array()
        .into_iter()
        .flatten()
        .map(|entry| match entry["kind"].as_str() {
            Some("dev") => DependencyKind::Dev,
            Some("build") => DependencyKind::Build,
            _ => DependencyKind::Normal,
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}
