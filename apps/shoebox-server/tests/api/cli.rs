//! The `shoebox` executable's operational subcommands, run as operators run them.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
    thread,
};

use reqwest::StatusCode;
use serde_json::Value;
use shoebox_test_support::TestDatabase;

use crate::helpers::spawn_app;

pub(crate) fn shoebox(database_url: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shoebox"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SHOEBOX_LOG__LEVEL", "warn")
        // Never the default `./data/objects` inside the source tree.
        .env("SHOEBOX_STORAGE__URL", "memory://")
        .args(args);
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command
}

pub(crate) fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null()).output().unwrap()
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn serve_refuses_a_schema_older_than_it_needs_in_one_line() {
    let db = TestDatabase::empty();
    let output = run(shoebox(Some(db.url()), &["serve"]).env("SHOEBOX_HTTP__BIND", "127.0.0.1:0"));
    assert!(!output.status.success());
    let errors: Vec<String> = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_owned)
        .collect();
    assert_eq!(errors.len(), 1, "{}", stderr(&output));
    assert!(
        errors[0].contains("older than this binary needs") && errors[0].contains("shoebox migrate"),
        "{}",
        errors[0]
    );
}

#[test]
fn two_migrate_runs_at_once_are_safe_and_status_then_shows_nothing_pending() {
    let db = TestDatabase::empty();
    let url = db.url().to_owned();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            thread::spawn(move || run(&mut shoebox(Some(&url), &["migrate"])))
        })
        .collect();
    let outputs: Vec<Output> = runs.into_iter().map(|r| r.join().unwrap()).collect();
    for output in &outputs {
        assert!(output.status.success(), "{}", stderr(output));
    }
    let applied: usize = outputs
        .iter()
        .map(|o| {
            stdout(o)
                .lines()
                .filter(|l| l.starts_with("applied "))
                .count()
        })
        .sum();
    assert_eq!(
        applied,
        shoebox_postgres::migrations::embedded_versions().len(),
        "each migration applied exactly once"
    );

    let status = run(&mut shoebox(Some(&url), &["migrate", "--status"]));
    assert!(
        stdout(&status).contains("pending migrations: none"),
        "{}",
        stdout(&status)
    );
    let wait = run(&mut shoebox(
        Some(&url),
        &["migrate", "--wait", "--timeout", "5"],
    ));
    assert!(wait.status.success(), "{}", stderr(&wait));
}

#[test]
fn migrate_wait_gives_up_with_a_clear_message() {
    let db = TestDatabase::empty();
    let output = run(&mut shoebox(
        Some(db.url()),
        &["migrate", "--wait", "--timeout", "1"],
    ));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("timed out") && stderr(&output).contains("shoebox migrate"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn config_check_prints_the_effective_configuration_without_secrets() {
    let output = run(&mut shoebox(
        Some("postgres://shoebox:topsecret@db:5432/shoebox"),
        &["config", "check"],
    ));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("bind = \"127.0.0.1:8080\"") && text.contains("signup = \"invite\""),
        "{text}"
    );
    assert!(!text.contains("topsecret"));

    let output = run(shoebox(None, &["config", "check"]).env("SHOEBOX_AUTH__SIGNUP", "sometimes"));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("signup"));
}

#[test]
fn openapi_prints_the_3_1_document() {
    let output = run(&mut shoebox(None, &["openapi"]));
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(document["paths"]["/api/v1/auth/login"]["post"].is_object());
}

#[test]
fn seed_is_idempotent_and_create_admin_reads_the_password_from_stdin() {
    let db = TestDatabase::migrated();
    let first = run(&mut shoebox(Some(db.url()), &["seed"]));
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first)
            .lines()
            .filter(|l| l.starts_with("created"))
            .count(),
        3
    );
    let libraries = stdout(&first)
        .lines()
        .filter(|l| l.starts_with("added 6 demo photos and 2 albums"))
        .count();
    assert_eq!(libraries, 3, "{}", stdout(&first));
    let second = run(&mut shoebox(Some(db.url()), &["seed"]));
    assert!(
        !stdout(&second).contains("demo photos"),
        "photos are added once"
    );
    assert_eq!(
        stdout(&second)
            .lines()
            .filter(|l| l.starts_with("created"))
            .count(),
        0
    );
    assert!(stdout(&second).contains("sign in at"));

    let refused = run(shoebox(Some(db.url()), &["seed"])
        .env("SHOEBOX_HTTP__PUBLIC_URL", "https://photos.example.org"));
    assert!(
        !refused.status.success(),
        "demo accounts are refused on an https deployment"
    );

    let mut child = shoebox(
        Some(db.url()),
        &[
            "users",
            "create-admin",
            "--email",
            "root@example.org",
            "--password-stdin",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"quartz-lantern-orbits-slowly\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("admin root@example.org created"));
    assert!(
        !stdout(&output).contains("quartz"),
        "a password given on stdin is not echoed"
    );

    let generated = run(&mut shoebox(
        Some(db.url()),
        &["users", "create-admin", "--email", "ops@example.org"],
    ));
    assert!(stdout(&generated).contains("password (shown once): "));
}

#[actix_web::test]
async fn version_comes_from_git_describe() {
    let app = spawn_app().await;
    let version: Value = reqwest::get(format!("{}/version", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = version["version"].as_str().unwrap();
    let sha = version["git_sha"].as_str().unwrap();
    assert!(
        text == format!("0.0.0+{sha}") || text.split('.').next().unwrap().parse::<u32>().is_ok(),
        "{version}"
    );
    assert_eq!(
        version["schema_version"],
        shoebox_postgres::migrations::required_version()
    );
    let ready = reqwest::get(format!("{}/readyz", app.address))
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}
