use serde_json::json;

use super::*;

fn compose() -> Value {
    json!({
        "services": {
            "app": {
                "build": {"context": "..", "dockerfile": "deploy/container/Containerfile"},
                "command": ["serve", "--with-worker"],
                "depends_on": {
                    "migrate": {"condition": "service_completed_successfully"},
                    "postgres": {"condition": "service_healthy"},
                },
            },
            "migrate": {
                "build": {"context": "..", "dockerfile": "deploy/container/Containerfile"},
                "command": ["migrate"],
                "depends_on": {"postgres": {"condition": "service_healthy"}},
            },
            "postgres": {
                "image": "postgres:15",
                "healthcheck": {"test": ["CMD", "pg_isready", "--host=127.0.0.1"]},
            },
        }
    })
}

#[test]
fn the_app_waits_for_a_finished_migration_and_a_healthy_database() {
    compose_start_order(&compose()).unwrap();
}

#[test]
fn an_app_that_only_waits_for_the_migration_to_start_fails() {
    let mut compose = compose();
    compose["services"]["app"]["depends_on"]["migrate"]["condition"] = json!("service_started");
    let error = compose_start_order(&compose).unwrap_err().to_string();
    assert!(error.contains("`app` must wait for `migrate`"), "{error}");
}

#[test]
fn short_depends_on_syntax_does_not_wait_for_health() {
    let mut compose = compose();
    compose["services"]["migrate"]["depends_on"] = json!(["postgres"]);
    let error = compose_start_order(&compose).unwrap_err().to_string();
    assert!(
        error.contains("`migrate` must wait for `postgres`"),
        "{error}"
    );
}

#[test]
fn the_migration_step_must_migrate_and_the_database_have_a_health_check() {
    let mut wrong_command = compose();
    wrong_command["services"]["migrate"]["command"] = json!("serve");
    assert!(compose_start_order(&wrong_command).is_err());
    let mut no_health = compose();
    no_health["services"]["postgres"]
        .as_object_mut()
        .unwrap()
        .remove("healthcheck");
    assert!(compose_start_order(&no_health).is_err());
}

#[test]
fn compose_build_files_are_the_context_and_its_containerfile() {
    let files = compose_build_files(&compose()).unwrap();
    assert!(files.contains(&PathBuf::from("..")));
    assert!(files.contains(&PathBuf::from("../deploy/container/Containerfile")));
}

fn skaffold() -> Value {
    json!({
        "apiVersion": "skaffold/v4beta13",
        "kind": "Config",
        "build": {"artifacts": [{
            "image": "ghcr.io/shoebox-photos/shoebox",
            "context": "dev/image",
            "docker": {"dockerfile": "Containerfile"},
            "sync": {"manual": [{"src": "bin/shoebox", "dest": "/tmp/live"}]},
        }]},
        "manifests": {"rawYaml": ["dev/services.yaml"]},
        "deploy": {"helm": {"releases": [{
            "name": "shoebox",
            "chartPath": "helm/shoebox",
            "valuesFiles": ["helm/shoebox/values-dev.yaml"],
            "setValueTemplates": {
                "image.repository": "{{.IMAGE_REPO_ghcr_io_shoebox_photos_shoebox}}",
                "image.tag": "{{.IMAGE_TAG_ghcr_io_shoebox_photos_shoebox}}",
            },
        }]}},
    })
}

#[test]
fn skaffold_paths_cover_contexts_sync_sources_manifests_charts_and_values() {
    let paths = skaffold_paths(&skaffold()).unwrap();
    for expected in [
        "dev/image",
        "dev/image/Containerfile",
        "dev/image/bin/shoebox",
        "dev/services.yaml",
        "helm/shoebox",
        "helm/shoebox/values-dev.yaml",
    ] {
        assert!(
            paths.contains(&PathBuf::from(expected)),
            "{expected}: {paths:?}"
        );
    }
}

#[test]
fn skaffold_image_templates_must_name_a_built_artifact() {
    let mut renamed = skaffold();
    renamed["build"]["artifacts"][0]["image"] = json!("ghcr.io/shoebox-photos/other");
    let error = skaffold_paths(&renamed).unwrap_err().to_string();
    assert!(error.contains("ghcr_io_shoebox_photos_shoebox"), "{error}");
}

#[test]
fn only_skaffold_v2_configurations_pass() {
    let mut old = skaffold();
    old["apiVersion"] = json!("skaffold/v2beta29");
    assert!(skaffold_paths(&old).is_err());
}

#[test]
fn tiltfile_paths_are_relative_words_of_literals_outside_comments() {
    let tiltfile = r#"
# A comment naming comment/path.yaml is not a reference.
image = 'ghcr.io/shoebox-photos/shoebox'
local_resource('binary', cmd='sh dev/build-binary.sh', deps=['../apps', "../Cargo.toml"])
docker_build(image, context='dev/image', live_update=[sync('dev/image/bin/shoebox', '/tmp/live/shoebox')])
k8s_resource('minio', port_forwards=['9001:9001'])  # trailing 'comment/x'
say('escaped \'quotes\' do not end it: a/b')
"#;
    let paths = tiltfile_paths(tiltfile);
    let expected: Vec<PathBuf> = [
        "dev/build-binary.sh",
        "../apps",
        "../Cargo.toml",
        "dev/image",
        "dev/image/bin/shoebox",
        "a/b",
    ]
    .into_iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn the_real_tiltfile_names_the_chart_its_values_and_the_image() {
    let text = std::fs::read_to_string(crate::project::root().join("deploy/Tiltfile")).unwrap();
    let paths = tiltfile_paths(&text);
    for expected in [
        "helm/shoebox",
        "helm/shoebox/values-dev.yaml",
        "dev/image/Containerfile",
        "dev/services.yaml",
    ] {
        assert!(
            paths.contains(&PathBuf::from(expected)),
            "{expected}: {paths:?}"
        );
    }
}

#[test]
fn composite_scripts_come_with_their_shell() {
    let action = json!({"runs": {"using": "composite", "steps": [
        {"name": "apt", "shell": "bash", "run": "apt-get update"},
        {"uses": "actions/setup-node@v5"},
        {"shell": "sh", "run": "echo hi"},
    ]}});
    let scripts = composite_scripts(&action).unwrap();
    assert_eq!(scripts.len(), 2);
    assert_eq!(scripts[0].step, "apt");
    assert_eq!(scripts[1].step, "#3");
    assert_eq!(scripts[1].shell, "sh");
    let python = json!({"runs": {"using": "composite", "steps": [
        {"shell": "python", "run": "print(1)"},
    ]}});
    assert!(composite_scripts(&python).is_err());
}

#[test]
fn paths_are_normalised_without_the_filesystem() {
    assert_eq!(
        normalise(
            Path::new("/w/deploy"),
            Path::new("../deploy/container/./Containerfile")
        ),
        PathBuf::from("/w/deploy/container/Containerfile")
    );
}

#[test]
fn workflow_paths_are_the_deploy_files_named_outside_comments() {
    let workflow = r#"
# Comments may mention deploy/elsewhere.yaml.
      - uses: docker/build-push-action@v6
        with:
          file: deploy/container/Containerfile
      - run: |
          helm upgrade --install shoebox deploy/helm/shoebox \
            --values=deploy/helm/shoebox/values-staging.yaml
"#;
    let expected: Vec<PathBuf> = [
        "deploy/container/Containerfile",
        "deploy/helm/shoebox",
        "deploy/helm/shoebox/values-staging.yaml",
    ]
    .into_iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(workflow_paths(workflow), expected);
}
