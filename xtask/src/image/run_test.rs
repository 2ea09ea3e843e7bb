//! The image test: unpack the archive with umoci (an independent reader of
//! the OCI format), check the runtime configuration it derives, then run the
//! unpacked root filesystem's `shoebox` under `chroot` as the image's user
//! against a throwaway PostgreSQL: migrate, serve until `/readyz` answers
//! 200 (and `/version` names the image's version), back up with the
//! image's own `pg_dump`, and verify that backup with its `pg_restore`.
//!
//! Only the image's files are reachable under chroot, so a missing library
//! or program fails here. The user can write nothing but `/tmp` and the
//! working directory, as under Kubernetes' read-only root filesystem.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use shoebox_localpg::{Cluster, free_port};

use super::ImageArchive;
use super::layout;
use crate::prerequisites;
use crate::process::run_step;
use crate::server::terminate_child;
use crate::ui::Step;

/// How long the containerised server gets to become ready.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

pub(crate) fn run(image: &ImageArchive) -> Result<()> {
    let umoci = prerequisites::debian_program("umoci", "umoci")?;
    let work = image
        .path
        .with_file_name(format!(".image-test-{}", image.tag));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let result = exercise(image, &umoci, &work);
    // The unpacked tree holds root-owned files; remove it either way.
    let removed = std::fs::remove_dir_all(&work)
        .with_context(|| format!("could not remove {}", work.display()));
    result?;
    removed
}

fn exercise(image: &ImageArchive, umoci: &Path, work: &Path) -> Result<()> {
    let layout_dir = work.join("layout");
    let bundle = work.join("bundle");
    let archive = std::fs::File::open(&image.path)
        .with_context(|| format!("could not open {}", image.path.display()))?;
    tar::Archive::new(archive)
        .unpack(&layout_dir)
        .context("could not extract the image archive")?;
    let mut unpack = Command::new(umoci);
    unpack.arg("unpack");
    if !prerequisites::is_root() {
        unpack.arg("--rootless");
    }
    unpack
        .arg("--image")
        .arg(format!("{}:{}", layout_dir.display(), image.tag))
        .arg(&bundle);
    run_step("unpacking the image (umoci unpack)", &mut unpack)?;

    let config: Value = serde_json::from_slice(
        &std::fs::read(bundle.join("config.json")).context("umoci wrote no config.json")?,
    )?;
    let env = check_runtime_config(&config)?;
    let rootfs = bundle.join("rootfs");
    // Mount point for the runtime's /dev (images carry no /dev).
    std::fs::create_dir_all(rootfs.join("dev"))?;
    for program in layout::PG_PROGRAMS {
        let found = env_path(&env).split(':').any(|dir| {
            rootfs
                .join(dir.trim_start_matches('/'))
                .join(program)
                .is_file()
        });
        ensure!(found, "the image's PATH holds no {program}");
    }

    let cluster = crate::test::throwaway_cluster("starting a throwaway PostgreSQL for the image")?;
    let result = against_database(image, &rootfs, &env, &cluster);
    let stopped = cluster.stop();
    result?;
    stopped?;
    Ok(())
}

/// Checks the runtime configuration umoci derived from the image; returns
/// the process environment.
fn check_runtime_config(config: &Value) -> Result<Vec<(String, String)>> {
    let process = &config["process"];
    ensure!(
        process["user"]["uid"] == layout::USER_ID && process["user"]["gid"] == layout::USER_ID,
        "the image runs as {}, not {}",
        process["user"],
        layout::USER_ID
    );
    let mut expected_args = vec![layout::BINARY];
    expected_args.extend(layout::CMD);
    ensure!(
        process["args"] == serde_json::json!(expected_args),
        "the image runs {} instead of {expected_args:?}",
        process["args"]
    );
    ensure!(
        process["cwd"] == layout::WORKDIR,
        "the working directory is {}",
        process["cwd"]
    );
    let env: Vec<(String, String)> = process["env"]
        .as_array()
        .context("umoci's config.json has no environment")?
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let labels = &config["annotations"];
    for key in layout::LABELS {
        ensure!(
            labels[key].as_str().is_some_and(|value| !value.is_empty()),
            "the image has no label {key}"
        );
    }
    Ok(env)
}

fn env_path(env: &[(String, String)]) -> &str {
    env.iter()
        .find(|(name, _)| name == "PATH")
        .map_or("", |(_, value)| value.as_str())
}

fn against_database(
    image: &ImageArchive,
    rootfs: &Path,
    image_env: &[(String, String)],
    cluster: &Cluster,
) -> Result<()> {
    cluster
        .create_database("image")
        .context("could not create the test database")?;
    let port = free_port()?;
    let mut env = image_env.to_vec();
    env.extend(
        [
            ("DATABASE_URL", cluster.admin_url("image")),
            ("SHOEBOX_HTTP__BIND", format!("127.0.0.1:{port}")),
            (
                "SHOEBOX_HTTP__PUBLIC_URL",
                format!("http://127.0.0.1:{port}"),
            ),
            // /tmp stands in for the volume Kubernetes would mount.
            ("SHOEBOX_STORAGE__URL", "file:///tmp/objects".to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ]
        .map(|(name, value)| (name.to_owned(), value)),
    );
    let contained = |args: &[&str]| contained(rootfs, &env, args);

    run_step(
        "migrating with the image's shoebox (chroot)",
        &mut contained(&["migrate"]),
    )?;

    let log_path = rootfs.with_file_name("serve.log");
    let log = std::fs::File::create(&log_path)?;
    let mut serve = contained(&["serve"]);
    serve
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let step = Step::start("serving from the image until /readyz answers 200");
    let mut child = serve.spawn().context("could not start chroot")?;
    let checked = check_serving(&mut child, port, image);
    let stopped = terminate_child(&mut child);
    match &checked {
        Ok(()) => step.done(),
        Err(_) => {
            step.failed();
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            eprintln!("{log}");
        }
    }
    checked?;
    stopped?;

    run_step(
        "backing up with the image's pg_dump (chroot)",
        &mut contained(&["backup", "run"]),
    )?;
    run_step(
        "verifying the backup with the image's pg_restore and psql (chroot)",
        &mut contained(&["backup", "verify", "latest"]),
    )?;
    let objects = rootfs.join("tmp/objects");
    ensure!(
        walk_count(&objects) > 0,
        "the backup wrote nothing under /tmp/objects"
    );
    Ok(())
}

fn check_serving(child: &mut std::process::Child, port: u16, image: &ImageArchive) -> Result<()> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait()? {
            bail!("the image's server exited before it was ready ({status})");
        }
        if crate::http::get(port, "/readyz").is_ok_and(|response| response.status == 200) {
            break;
        }
        if Instant::now() >= deadline {
            bail!(
                "/readyz did not answer 200 within {}s",
                READY_TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let version = crate::http::get(port, "/version").context("GET /version")?;
    let body: Value = serde_json::from_str(&version.body).context("/version is not JSON")?;
    ensure!(
        body["version"] == image.metadata.version.as_str(),
        "/version says {}, the image {}",
        body["version"],
        image.metadata.version
    );
    let page = crate::http::get(port, "/index.html").context("GET /index.html")?;
    ensure!(
        page.status == 200 && page.body.contains("<div id=\"root\">"),
        "the image's server does not serve the web app ({})",
        page.status
    );
    Ok(())
}

/// `shoebox args…` from the unpacked root filesystem under chroot, as the
/// image's user, with only the given environment and — as a container
/// runtime would provide — the host's `/dev` bound in (`/dev/null` for the
/// child processes' standard input), in a mount namespace of its own so
/// that nothing stays mounted. Root runs it directly; anyone else gets a
/// user namespace in which they are root.
fn contained(rootfs: &Path, env: &[(String, String)], args: &[&str]) -> Command {
    // Looked up here: the child's PATH is the image's.
    let program = |name: &str| {
        prerequisites::find_program(name)
            .unwrap_or_else(|| name.into())
            .display()
            .to_string()
    };
    let mut command = Command::new(program("unshare"));
    if !prerequisites::is_root() {
        command.arg("--map-root-user");
    }
    let userspec = if prerequisites::is_root() {
        format!("--userspec={0}:{0}", layout::USER_ID)
    } else {
        String::new()
    };
    let script = format!(
        "{mount} --rbind /dev \"$0/dev\" && exec {chroot} {userspec} \"$0\" \"$@\"",
        mount = program("mount"),
        chroot = program("chroot"),
    );
    command
        .args(["--mount", "--propagation", "private", "--"])
        .arg(program("sh"))
        .arg("-c")
        .arg(script)
        .arg(rootfs)
        .arg(layout::BINARY)
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(name, value)| (name, value)));
    command
}

fn walk_count(dir: &Path) -> usize {
    let mut count = 0;
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                count += 1;
            }
        }
    }
    count
}
