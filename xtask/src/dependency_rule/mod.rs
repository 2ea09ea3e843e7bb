//! SPEC §2's dependency rule, checked from `cargo metadata` by ordinary tests.
//!
//! Architecture Invariant: `domain` ← `ports` ← `application`; adapters
//! (every package under `crates/adapters/`) depend only on `domain`, `ports`
//! and `shoebox-telemetry`, never on each other or on `application`;
//! `shoebox-telemetry` and `shoebox-localpg` depend on no workspace crate;
//! `shoebox-test-support` may depend on anything but is only ever a
//! dev-dependency; only `apps/shoebox-server` knows every concrete type; the
//! xtask uses only `shoebox-localpg`. Domain and ports know nothing of actix,
//! diesel, deadpool, object_store or tokio, not even transitively.
//!
//! [`check`] is a pure function over a small [`Graph`], so the tests can feed
//! it a workspace that breaks every rule and see each breach reported.

mod metadata;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// How a package depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DependencyKind {
    Normal,
    Dev,
    Build,
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dependency {
    /// The id of the package depended on.
    pub(crate) id: String,
    pub(crate) kinds: Vec<DependencyKind>,
}

/// A package of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Package {
    pub(crate) name: String,
    /// A member of the workspace.
    pub(crate) member: bool,
    /// Its manifest lies under `crates/adapters/`.
    pub(crate) adapter: bool,
    pub(crate) dependencies: Vec<Dependency>,
}

/// Every package of the resolved workspace, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub(crate) packages: BTreeMap<String, Package>,
}

/// One breach of the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A workspace crate depends on a workspace crate it must not know.
    Forbidden {
        from: String,
        to: String,
        kinds: Vec<DependencyKind>,
    },
    /// `shoebox-test-support` used as more than a dev-dependency.
    TestSupportBeyondDev {
        from: String,
        kinds: Vec<DependencyKind>,
    },
    /// Domain or ports reach a framework crate through normal dependencies.
    Framework { from: String, path: Vec<String> },
    /// A workspace crate this rule does not know yet.
    NoRule { package: String },
}

impl fmt::Display for Violation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Forbidden { from, to, kinds } => {
                write!(formatter, "{from} must not depend on {to} (as {kinds:?})")
            }
            Self::TestSupportBeyondDev { from, kinds } => write!(
                formatter,
                "{from} depends on {TEST_SUPPORT} as {kinds:?}; it may only be a dev-dependency"
            ),
            Self::Framework { from, path } => write!(
                formatter,
                "{from} must not know frameworks, but reaches {}",
                path.join(" → ")
            ),
            Self::NoRule { package } => write!(
                formatter,
                "workspace crate {package} has no place in the dependency rule; add it to \
                 xtask/src/dependency_rule/mod.rs (and to SPEC §2)"
            ),
        }
    }
}

const TEST_SUPPORT: &str = "shoebox-test-support";

/// The workspace crates a workspace crate may depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    Only(&'static [&'static str]),
    Anything,
}

fn allowed(package: &Package) -> Option<Allowed> {
    const DOMAIN: &str = "shoebox-domain";
    const PORTS: &str = "shoebox-ports";
    Some(match package.name.as_str() {
        "shoebox-domain" | "shoebox-telemetry" | "shoebox-localpg" => Allowed::Only(&[]),
        "shoebox-ports" => Allowed::Only(&[DOMAIN]),
        "shoebox-application" => Allowed::Only(&[DOMAIN, PORTS]),
        "shoebox-server" | TEST_SUPPORT => Allowed::Anything,
        "xtask" => Allowed::Only(&["shoebox-localpg"]),
        _ if package.adapter => Allowed::Only(&[DOMAIN, PORTS, "shoebox-telemetry"]),
        _ => return None,
    })
}

/// The crates that must know no framework, even through their dependencies.
const FRAMEWORK_FREE: [&str; 2] = ["shoebox-domain", "shoebox-ports"];

fn is_framework(name: &str) -> bool {
    name.starts_with("actix-")
        || name.starts_with("diesel")
        || name.starts_with("deadpool")
        || name == "actix"
        || name == "object_store"
        || name == "tokio"
}

/// Every breach of the rule in `graph`, in a stable order.
pub(crate) fn check(graph: &Graph) -> Vec<Violation> {
    let mut violations = Vec::new();
    for (id, package) in graph.packages.iter().filter(|(_, package)| package.member) {
        let Some(allowed) = allowed(package) else {
            violations.push(Violation::NoRule {
                package: package.name.clone(),
            });
            continue;
        };
        for dependency in &package.dependencies {
            let Some(target) = graph
                .packages
                .get(&dependency.id)
                .filter(|target| target.member)
            else {
                continue;
            };
            if target.name == TEST_SUPPORT {
                if dependency
                    .kinds
                    .iter()
                    .any(|kind| *kind != DependencyKind::Dev)
                {
                    violations.push(Violation::TestSupportBeyondDev {
                        from: package.name.clone(),
                        kinds: dependency.kinds.clone(),
                    });
                }
            } else if let Allowed::Only(names) = allowed
                && !names.contains(&target.name.as_str())
            {
                violations.push(Violation::Forbidden {
                    from: package.name.clone(),
                    to: target.name.clone(),
                    kinds: dependency.kinds.clone(),
                });
            }
        }
        if FRAMEWORK_FREE.contains(&package.name.as_str()) {
            violations.extend(frameworks_reached(graph, id));
        }
    }
    violations
}

/// The framework crates the package `root_id` reaches through normal
/// dependencies, each with the shortest path to it.
fn frameworks_reached(graph: &Graph, root_id: &str) -> Vec<Violation> {
    let root_name = graph
        .packages
        .get(root_id)
        .map_or(root_id, |package| package.name.as_str());
    let mut came_from: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut queue = VecDeque::new();
    let mut found = Vec::new();
    came_from.insert(root_id, None);
    queue.push_back(root_id);
    while let Some(id) = queue.pop_front() {
        let Some(package) = graph.packages.get(id) else {
            continue;
        };
        if id != root_id && is_framework(&package.name) {
            found.push(Violation::Framework {
                from: root_name.to_owned(),
                path: path_to(graph, &came_from, id),
            });
            continue;
        }
        for dependency in &package.dependencies {
            let normal = dependency.kinds.contains(&DependencyKind::Normal);
            if normal && !came_from.contains_key(dependency.id.as_str()) {
                came_from.insert(&dependency.id, Some(id));
                queue.push_back(&dependency.id);
            }
        }
    }
    found
}

fn path_to(graph: &Graph, came_from: &BTreeMap<&str, Option<&str>>, end: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = Some(end);
    while let Some(id) = current {
        path.push(
            graph
                .packages
                .get(id)
                .map_or_else(|| id.to_owned(), |package| package.name.clone()),
        );
        current = came_from.get(id).copied().flatten();
    }
    path.reverse();
    path
}
