use super::metadata::{from_metadata, workspace_graph};
use super::*;
use DependencyKind::{Build, Dev, Normal};

/// A synthetic package: name, is it an adapter, and its dependencies with their kinds.
type Spec<'a> = (&'a str, bool, &'a [(&'a str, &'a [DependencyKind])]);

/// A graph of `packages`; ids are names, and names starting with `ext:` are
/// outside the workspace.
fn graph(packages: &[Spec<'_>]) -> Graph {
    let mut graph = Graph::default();
    for (name, adapter, dependencies) in packages {
        let external = name.starts_with("ext:");
        graph.packages.insert(
            (*name).to_owned(),
            Package {
                name: name.trim_start_matches("ext:").to_owned(),
                member: !external,
                adapter: *adapter,
                dependencies: dependencies
                    .iter()
                    .map(|(id, kinds)| Dependency {
                        id: (*id).to_owned(),
                        kinds: kinds.to_vec(),
                    })
                    .collect(),
            },
        );
    }
    graph
}

#[test]
fn this_workspace_follows_the_rule() {
    let graph = workspace_graph().unwrap();
    // Guard against a vacuous pass: the graph must hold the workspace and its edges.
    let names: Vec<&str> = graph
        .packages
        .values()
        .filter(|package| package.member)
        .map(|package| package.name.as_str())
        .collect();
    for expected in [
        "shoebox-domain",
        "shoebox-ports",
        "shoebox-server",
        "shoebox-localpg",
        "xtask",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let xtask = graph
        .packages
        .values()
        .find(|package| package.name == "xtask")
        .unwrap();
    assert!(
        xtask
            .dependencies
            .iter()
            .any(|dependency| graph.packages[&dependency.id].name == "shoebox-localpg"),
        "the xtask → shoebox-localpg edge was not read"
    );

    let violations = check(&graph);
    let report: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(
        violations.is_empty(),
        "the dependency rule is broken:\n{}",
        report.join("\n")
    );
}

#[test]
fn a_clean_architecture_passes() {
    let clean = graph(&[
        ("shoebox-domain", false, &[("ext:serde", &[Normal])]),
        (
            "shoebox-ports",
            false,
            &[
                ("shoebox-domain", &[Normal]),
                ("ext:async-trait", &[Normal]),
            ],
        ),
        (
            "shoebox-application",
            false,
            &[
                ("shoebox-domain", &[Normal]),
                ("shoebox-ports", &[Normal]),
                (TEST_SUPPORT, &[Dev]),
            ],
        ),
        (
            "shoebox-postgres",
            true,
            &[
                ("shoebox-ports", &[Normal]),
                ("shoebox-telemetry", &[Normal]),
                ("ext:diesel", &[Normal]),
            ],
        ),
        ("shoebox-telemetry", false, &[("ext:tokio", &[Normal])]),
        (
            TEST_SUPPORT,
            false,
            &[
                ("shoebox-postgres", &[Normal]),
                ("shoebox-localpg", &[Normal]),
            ],
        ),
        ("shoebox-localpg", false, &[]),
        (
            "shoebox-server",
            false,
            &[
                ("shoebox-postgres", &[Normal]),
                ("shoebox-application", &[Normal]),
            ],
        ),
        ("xtask", false, &[("shoebox-localpg", &[Normal])]),
        ("ext:serde", false, &[]),
        ("ext:async-trait", false, &[]),
        ("ext:diesel", false, &[]),
        ("ext:tokio", false, &[]),
    ]);
    assert_eq!(check(&clean), Vec::new());
}

#[test]
fn every_kind_of_breach_is_reported() {
    let broken = graph(&[
        // Domain knows a workspace crate and, through a helper, tokio.
        (
            "shoebox-domain",
            false,
            &[("shoebox-ports", &[Normal]), ("ext:helper", &[Normal])],
        ),
        ("ext:helper", false, &[("ext:tokio", &[Normal])]),
        ("ext:tokio", false, &[]),
        // Ports reach diesel only as a dev-dependency: allowed.
        (
            "shoebox-ports",
            false,
            &[("shoebox-domain", &[Normal]), ("ext:diesel", &[Dev])],
        ),
        ("ext:diesel", false, &[]),
        // One adapter uses another and the application.
        (
            "shoebox-http",
            true,
            &[
                ("shoebox-crypto", &[Normal]),
                ("shoebox-application", &[Normal]),
            ],
        ),
        ("shoebox-crypto", true, &[]),
        (
            "shoebox-application",
            false,
            &[("shoebox-domain", &[Normal])],
        ),
        // Test support as a normal and a build dependency.
        ("shoebox-server", false, &[(TEST_SUPPORT, &[Normal, Dev])]),
        ("shoebox-telemetry", false, &[(TEST_SUPPORT, &[Build])]),
        (TEST_SUPPORT, false, &[]),
        // The xtask reaching into the application.
        (
            "xtask",
            false,
            &[
                ("shoebox-localpg", &[Normal]),
                ("shoebox-application", &[Normal]),
            ],
        ),
        ("shoebox-localpg", false, &[]),
        // A crate nobody placed.
        ("shoebox-mystery", false, &[]),
    ]);

    let violations = check(&broken);

    let expected = [
        Violation::Forbidden {
            from: "shoebox-domain".into(),
            to: "shoebox-ports".into(),
            kinds: vec![Normal],
        },
        Violation::Framework {
            from: "shoebox-domain".into(),
            path: vec!["shoebox-domain".into(), "helper".into(), "tokio".into()],
        },
        // Ports inherit the breach through their (allowed) use of domain.
        Violation::Framework {
            from: "shoebox-ports".into(),
            path: vec![
                "shoebox-ports".into(),
                "shoebox-domain".into(),
                "helper".into(),
                "tokio".into(),
            ],
        },
        Violation::Forbidden {
            from: "shoebox-http".into(),
            to: "shoebox-crypto".into(),
            kinds: vec![Normal],
        },
        Violation::Forbidden {
            from: "shoebox-http".into(),
            to: "shoebox-application".into(),
            kinds: vec![Normal],
        },
        Violation::TestSupportBeyondDev {
            from: "shoebox-server".into(),
            kinds: vec![Normal, Dev],
        },
        Violation::TestSupportBeyondDev {
            from: "shoebox-telemetry".into(),
            kinds: vec![Build],
        },
        Violation::Forbidden {
            from: "xtask".into(),
            to: "shoebox-application".into(),
            kinds: vec![Normal],
        },
        Violation::NoRule {
            package: "shoebox-mystery".into(),
        },
    ];
    for violation in &expected {
        assert!(
            violations.contains(violation),
            "{violation} not reported in {violations:#?}"
        );
    }
    assert_eq!(
        violations.len(),
        expected.len(),
        "unexpected extra reports: {violations:#?}"
    );
}

#[test]
fn reads_cargo_metadata_json() {
    let metadata = serde_json::json!({
        "workspace_root": "/w",
        "workspace_members": ["domain 0.1.0", "http 0.1.0"],
        "packages": [
            {"id": "domain 0.1.0", "name": "shoebox-domain", "manifest_path": "/w/crates/shoebox-domain/Cargo.toml"},
            {"id": "http 0.1.0", "name": "shoebox-http", "manifest_path": "/w/crates/adapters/shoebox-http/Cargo.toml"},
            {"id": "tokio 1.0.0", "name": "tokio", "manifest_path": "/registry/tokio/Cargo.toml"}
        ],
        "resolve": {"nodes": [
            {"id": "http 0.1.0", "deps": [
                {"pkg": "domain 0.1.0", "dep_kinds": [{"kind": null}, {"kind": "dev"}]},
                {"pkg": "tokio 1.0.0", "dep_kinds": [{"kind": "build"}]}
            ]},
            {"id": "domain 0.1.0", "deps": []},
            {"id": "tokio 1.0.0", "deps": []}
        ]}
    });
    let graph = from_metadata(&metadata).unwrap();
    let http = &graph.packages["http 0.1.0"];
    assert!(http.member && http.adapter);
    assert!(!graph.packages["domain 0.1.0"].adapter);
    assert!(!graph.packages["tokio 1.0.0"].member);
    assert_eq!(
        http.dependencies,
        vec![
            Dependency {
                id: "domain 0.1.0".into(),
                kinds: vec![Normal, Dev]
            },
            Dependency {
                id: "tokio 1.0.0".into(),
                kinds: vec![Build]
            },
        ]
    );
}
