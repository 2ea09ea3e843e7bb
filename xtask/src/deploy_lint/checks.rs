//! What deploy-lint asserts about the delivery files once they are parsed
//! (YAML arrives here as JSON): pure functions, so that the unit tests can
//! show each check fails when it should.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// One `run:` step of a composite action.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Script {
    pub(super) step: String,
    pub(super) shell: String,
    pub(super) text: String,
}

/// The scripts of a composite action's steps (`runs.steps[].run`).
pub(super) fn composite_scripts(metadata: &Value) -> Result<Vec<Script>> {
    let runs = &metadata["runs"];
    if runs["using"] != "composite" {
        return Ok(Vec::new());
    }
    let steps = runs["steps"]
        .as_array()
        .context("a composite action needs runs.steps")?;
    let mut scripts = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let Some(text) = step["run"].as_str() else {
            continue;
        };
        let name = step["name"]
            .as_str()
            .map_or_else(|| format!("#{}", index + 1), str::to_owned);
        let shell = step["shell"]
            .as_str()
            .with_context(|| format!("step `{name}` runs a script without `shell:`"))?;
        if !matches!(shell, "bash" | "sh") {
            bail!("step `{name}` uses shell `{shell}`; only bash and sh scripts are checked");
        }
        scripts.push(Script {
            step: name,
            shell: shell.to_owned(),
            text: text.to_owned(),
        });
    }
    Ok(scripts)
}

/// The app starts only once the migration step has finished successfully
/// and PostgreSQL answers its health check; the migration step waits for
/// the same health check and runs `migrate`.
pub(super) fn compose_start_order(compose: &Value) -> Result<()> {
    let services = &compose["services"];
    let waits = |service: &str, on: &str, condition: &str| -> Result<()> {
        let found = &services[service]["depends_on"][on]["condition"];
        if found != condition {
            bail!(
                "service `{service}` must wait for `{on}` with condition {condition} \
                 (found {found})"
            );
        }
        Ok(())
    };
    waits("app", "migrate", "service_completed_successfully")?;
    waits("app", "postgres", "service_healthy")?;
    waits("migrate", "postgres", "service_healthy")?;
    let migrate_command = &services["migrate"]["command"];
    let runs_migrate = match migrate_command {
        Value::Array(words) => words.first().is_some_and(|word| word == "migrate"),
        Value::String(line) => line.split_whitespace().next() == Some("migrate"),
        _ => false,
    };
    if !runs_migrate {
        bail!("service `migrate` must run `migrate` (its command is {migrate_command})");
    }
    let health = &services["postgres"]["healthcheck"]["test"];
    if !health.to_string().contains("pg_isready") {
        bail!("service `postgres` needs a pg_isready health check (found {health})");
    }
    Ok(())
}

/// The build contexts and Containerfiles the services are built from,
/// relative to the compose file's directory.
pub(super) fn compose_build_files(compose: &Value) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let services = compose["services"]
        .as_object()
        .context("compose.yaml has no services")?;
    for (name, service) in services {
        let build = &service["build"];
        let context = match build {
            Value::Null => continue,
            Value::String(context) => context.as_str(),
            _ => build["context"].as_str().unwrap_or("."),
        };
        let dockerfile = build["dockerfile"]
            .as_str()
            .with_context(|| format!("service `{name}` builds without naming its Containerfile"))?;
        paths.push(PathBuf::from(context));
        paths.push(Path::new(context).join(dockerfile));
    }
    Ok(paths)
}

/// Every local path skaffold.yaml refers to, relative to its directory:
/// artifact contexts, their Containerfiles and sync sources, raw manifests,
/// charts and values files. Also checks that each Helm release's image
/// templates name a built artifact.
pub(super) fn skaffold_paths(skaffold: &Value) -> Result<Vec<PathBuf>> {
    let api_version = skaffold["apiVersion"].as_str().unwrap_or_default();
    if !api_version.starts_with("skaffold/v4") || skaffold["kind"] != "Config" {
        bail!("not a Skaffold v2 configuration (apiVersion skaffold/v4…, kind Config)");
    }
    let mut paths = Vec::new();
    let mut images = Vec::new();
    for artifact in array(&skaffold["build"]["artifacts"]) {
        let image = artifact["image"]
            .as_str()
            .context("an artifact without an image name")?;
        images.push(template_name(image));
        let context = Path::new(artifact["context"].as_str().unwrap_or("."));
        let dockerfile = artifact["docker"]["dockerfile"]
            .as_str()
            .unwrap_or("Dockerfile");
        paths.push(context.to_path_buf());
        paths.push(context.join(dockerfile));
        for rule in array(&artifact["sync"]["manual"]) {
            let source = rule["src"].as_str().context("a sync rule without src")?;
            paths.push(context.join(source));
        }
    }
    for manifest in array(&skaffold["manifests"]["rawYaml"]) {
        paths.push(PathBuf::from(
            manifest.as_str().context("rawYaml lists a non-path")?,
        ));
    }
    let releases = array(&skaffold["deploy"]["helm"]["releases"])
        .chain(array(&skaffold["manifests"]["helm"]["releases"]));
    for release in releases {
        let chart = release["chartPath"]
            .as_str()
            .context("a Helm release without chartPath")?;
        paths.push(PathBuf::from(chart));
        for values in array(&release["valuesFiles"]) {
            paths.push(PathBuf::from(
                values.as_str().context("valuesFiles lists a non-path")?,
            ));
        }
        for template in release["setValueTemplates"]
            .as_object()
            .into_iter()
            .flat_map(|map| map.values())
        {
            let template = template.as_str().unwrap_or_default();
            for named in templated_images(template) {
                if !images.contains(&named) {
                    bail!("setValueTemplates names the image `{named}`, which no artifact builds");
                }
            }
        }
    }
    Ok(paths)
}

/// Skaffold's template suffix of an image name (`IMAGE_REPO_<this>`):
/// every character but letters and digits becomes an underscore.
fn template_name(image: &str) -> String {
    image
        .chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() {
                character
            } else {
                '_'
            }
        })
        .collect()
}

/// The image names in `{{.IMAGE_REPO_x}}`, `{{.IMAGE_TAG_x}}` and
/// `{{.IMAGE_DIGEST_x}}` placeholders.
fn templated_images(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in template.split("{{.IMAGE_").skip(1) {
        let Some((inner, _)) = part.split_once("}}") else {
            continue;
        };
        for prefix in ["REPO_", "TAG_", "DIGEST_"] {
            if let Some(name) = inner.trim().strip_prefix(prefix) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// The words of the Tiltfile's string literals that look like local paths
/// (relative, with a slash; not URLs, port pairs or image references),
/// relative to its directory.
pub(super) fn tiltfile_paths(text: &str) -> Vec<PathBuf> {
    string_literals(text)
        .iter()
        .flat_map(|literal| literal.split_whitespace())
        .filter(|word| looks_like_a_path(word))
        .map(PathBuf::from)
        .collect()
}

fn looks_like_a_path(word: &str) -> bool {
    let first_segment = word.split('/').next().unwrap_or_default();
    let host_like = first_segment.contains('.') && !matches!(first_segment, "." | "..");
    word.contains('/') && !word.starts_with('/') && !word.contains(':') && !host_like
}

/// The contents of the single- and double-quoted strings of a Starlark
/// file, outside comments.
fn string_literals(text: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = text.chars();
    while let Some(character) = chars.next() {
        match character {
            '#' => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            '\'' | '"' => {
                let mut literal = String::new();
                while let Some(next) = chars.next() {
                    match next {
                        '\\' => literal.extend(chars.next()),
                        _ if next == character => break,
                        _ => literal.push(next),
                    }
                }
                literals.push(literal);
            }
            _ => {}
        }
    }
    literals
}

/// The `deploy/…` paths a workflow names (charts, values files, the
/// Containerfile), relative to the workspace root.
pub(super) fn workflow_paths(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .flat_map(|line| {
            line.split(|character: char| character.is_whitespace() || "\"'=,".contains(character))
        })
        .filter(|word| word.starts_with("deploy/"))
        .map(PathBuf::from)
        .collect()
}

/// `path` joined to `base` with `.` and `..` resolved, without touching
/// the filesystem (for messages and for git).
pub(super) fn normalise(base: &Path, path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

#[cfg(test)]
mod tests;
