//! `cargo xtask smoke`: the API smoke test — one walk through the stable
//! `/api/v1` outline (SPEC §9.1) against a running server: operations
//! endpoints, sign-up, profile, a personal API token, an upload, the
//! original's bytes, an album, problem+json for a missing photo, logout.
//!
//! It only uses what §9.1 promises to keep, so the same walk checks an older
//! release's binary (`cargo xtask compat`) and this one. `cargo xtask smoke`
//! runs it on this checkout's debug binary, or on `--binary`, against a
//! throwaway PostgreSQL migrated by that binary.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

use crate::api_session::{Session, created_ids, run as answer};
use crate::http;
use crate::process::run_step;
use crate::project;
use crate::server::{Server, local_env};
use crate::ui::Step;

/// Flags of `cargo xtask smoke`.
#[derive(Debug, Default, clap::Args)]
pub(crate) struct Flags {
    /// The `shoebox` binary to check (default: this checkout's debug build).
    #[arg(long)]
    binary: Option<PathBuf>,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    crate::prerequisites::postgres()?;
    let binary = match &flags.binary {
        Some(binary) => binary.clone(),
        None => project::build_debug_shoebox("building shoebox")?,
    };
    let cluster = crate::test::throwaway_cluster("starting a throwaway PostgreSQL")?;
    let result = (|| -> Result<()> {
        let database = cluster.admin_url("postgres");
        migrate(&binary, &database)?;
        let steps = against_server(&binary, &database)?;
        crate::ui::note(&format!("smoke test passed: {}", steps.join(", ")));
        Ok(())
    })();
    let stopped = cluster.stop();
    result?;
    stopped.map_err(Into::into)
}

/// `binary migrate` against `database`.
pub(crate) fn migrate(binary: &Path, database: &str) -> Result<()> {
    run_step(
        &format!("migrating with {}", binary.display()),
        std::process::Command::new(binary)
            .arg("migrate")
            .env("DATABASE_URL", database),
    )?;
    Ok(())
}

/// Starts `binary serve` on a free port against the migrated `database`,
/// walks the smoke test, and stops the server; the steps that passed.
pub(crate) fn against_server(binary: &Path, database: &str) -> Result<Vec<String>> {
    let objects = tempfile::tempdir().context("could not make a directory for objects")?;
    let port = free_port()?;
    let mut server = Server::spawn(binary, port, &local_env(database, port, objects.path()))?;
    let result = server.wait_healthy(Duration::from_secs(60)).and_then(|()| {
        let step = Step::start(format!("API smoke test of {}", binary.display()));
        let walked = walk(port);
        match &walked {
            Ok(_) => step.done(),
            Err(_) => step.failed(),
        }
        walked
    });
    let stopped = server.terminate();
    let steps = result?;
    stopped?;
    Ok(steps)
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .context("could not find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// The walk itself, against 127.0.0.1:`port` (open sign-up); the names of
/// the steps, in order. Each check fails with what the server answered.
pub(crate) fn walk(port: u16) -> Result<Vec<String>> {
    let mut steps = Vec::new();
    for path in ["/healthz", "/readyz", "/api/openapi.json"] {
        let response = http::get(port, path).with_context(|| format!("GET {path}"))?;
        ensure!(
            response.status == 200,
            "GET {path} answered {}",
            response.status
        );
    }
    let version: Value =
        serde_json::from_str(&http::get(port, "/version")?.body).context("/version is not JSON")?;
    for field in ["version", "git_sha", "schema_version"] {
        ensure!(
            version[field].is_string(),
            "/version has no {field}: {version}"
        );
    }
    steps.push("operations".to_owned());

    let email = "smoke@example.com";
    let body = json!({"email": email, "password": "smoke-Correct-Horse-Battery-42", "display_name": "Smoke"});
    let response = http::post_json(port, "/api/v1/auth/signup", &body.to_string())?;
    ensure!(
        response.status == 201,
        "sign-up answered {}: {}",
        response.status,
        response.body
    );
    let signed_in: Value = serde_json::from_str(&response.body).context("sign-up: no JSON")?;
    let session = Session {
        port,
        cookie: response
            .cookie("shoebox_session")
            .context("sign-up set no shoebox_session cookie")?
            .to_owned(),
        csrf: signed_in["csrf_token"]
            .as_str()
            .context("sign-up returned no csrf_token")?
            .to_owned(),
    };
    ensure!(
        signed_in["user"]["email"] == email,
        "sign-up user: {signed_in}"
    );
    steps.push("sign-up".to_owned());

    let me = session.get("/api/v1/me")?.json(200, "GET /api/v1/me")?;
    ensure!(me["email"] == email, "GET /api/v1/me: {me}");
    steps.push("profile".to_owned());

    let created = session
        .send_json("POST", "/api/v1/me/tokens", &json!({"name": "smoke"}))?
        .json(201, "POST /api/v1/me/tokens")?;
    let secret = created["secret"]
        .as_str()
        .context("the new token has no secret")?
        .to_owned();
    steps.push("API token".to_owned());

    let photo = tempfile::Builder::new()
        .suffix(".jpg")
        .tempfile()
        .context("could not make the smoke photo")?;
    std::fs::write(photo.path(), small_jpeg()?)?;
    let uploaded = answer(
        bearer(port, &secret, "/api/v1/photos")
            .arg("-F")
            .arg(format!("file=@{};type=image/jpeg", photo.path().display())),
    )?;
    let ids = created_ids(&uploaded, 1)?;
    let id = &ids[0];
    let page =
        answer(&mut bearer(port, &secret, "/api/v1/photos"))?.json(200, "GET /api/v1/photos")?;
    let listed = page["items"]
        .as_array()
        .is_some_and(|items| items.iter().any(|item| item["id"] == id.as_str()));
    ensure!(listed, "the uploaded photo is not listed: {page}");
    steps.push("upload (API token)".to_owned());

    let original = std::process::Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "-H"])
        .arg(format!("Authorization: Bearer {secret}"))
        .arg(format!(
            "http://127.0.0.1:{port}/api/v1/photos/{id}/original"
        ))
        .output()
        .context("could not run curl")?;
    ensure!(
        original.status.success(),
        "GET /api/v1/photos/{id}/original failed: {}",
        String::from_utf8_lossy(&original.stderr).trim()
    );
    ensure!(
        original.stdout == std::fs::read(photo.path())?,
        "the original's bytes differ from the upload"
    );
    steps.push("original".to_owned());

    let album = session
        .send_json("POST", "/api/v1/albums", &json!({"title": "Smoke"}))?
        .json(201, "POST /api/v1/albums")?;
    let album_id = album["id"].as_str().context("the album has no id")?;
    let album = session
        .send_json(
            "POST",
            &format!("/api/v1/albums/{album_id}/photos"),
            &json!({"photo_ids": [id]}),
        )?
        .json(200, "POST /api/v1/albums/{id}/photos")?;
    ensure!(
        album["photo_count"] == 1,
        "the album did not take the photo: {album}"
    );
    steps.push("album".to_owned());

    let missing = session.get("/api/v1/photos/00000000-0000-0000-0000-000000000000")?;
    ensure!(
        missing.status == 404,
        "a missing photo answered {}",
        missing.status
    );
    let problem: Value = serde_json::from_str(&missing.body).context("404 without a body")?;
    ensure!(
        problem["type"].is_string(),
        "the 404 is not problem+json: {problem}"
    );
    steps.push("problem+json".to_owned());

    let logout = session.send_json("POST", "/api/v1/auth/logout", &json!({}))?;
    ensure!(
        (200..300).contains(&logout.status),
        "logout answered {}",
        logout.status
    );
    let after = session.get("/api/v1/me")?;
    if after.status != 401 {
        bail!("after logout, GET /api/v1/me answered {}", after.status);
    }
    steps.push("logout".to_owned());
    Ok(steps)
}

/// `curl` for `path` with a Bearer token and no cookie (no CSRF needed).
fn bearer(port: u16, secret: &str, path: &str) -> std::process::Command {
    let mut command = std::process::Command::new("curl");
    command
        .args(["--silent", "--show-error", "--write-out", "\n%{http_code}"])
        .arg("-H")
        .arg(format!("Authorization: Bearer {secret}"))
        .args(["-H", "Expect:"])
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .stdin(std::process::Stdio::null());
    command
}

/// A 64×48 gradient JPEG, made here so that the smoke test needs no file.
fn small_jpeg() -> Result<Vec<u8>> {
    let picture = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 128])
    });
    let mut bytes = Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .context("could not encode the smoke photo")?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smoke_photo_is_a_jpeg() {
        let bytes = small_jpeg().unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (64, 48));
    }
}
