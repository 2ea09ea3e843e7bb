//! Backups as operators run them (SPEC §7): the `shoebox backup` commands
//! against a real PostgreSQL with the real `pg_dump`/`pg_restore`, on the
//! local store and on a real S3-compatible server; the jobs, the admin API
//! and the metrics through the running application.

use std::{collections::BTreeMap, path::Path, process::Output};

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, sql_types::Text};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shoebox_domain::{
    accounts::Role,
    backups::{BackupId, BackupManifest},
};
use shoebox_test_support::TestDatabase;

use crate::{
    cli::{run, shoebox, stderr, stdout},
    helpers::{TestApp, builder, files_under, located_jpeg, spawn_app, upload},
};

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    digest: String,
}

/// Every table of the database with a digest of all its rows (as text,
/// sorted): two snapshots are equal when every table holds the same rows.
fn snapshot(url: &str) -> BTreeMap<String, String> {
    snapshot_where(url, |_| "true")
}

/// [`snapshot`] of a database a restore just wrote into: every table as it
/// was at backup time, but for the one audit entry the restore itself adds
/// (checked here, then left out).
fn snapshot_after_restore(url: &str) -> BTreeMap<String, String> {
    let mut connection = PgConnection::establish(url).unwrap();
    let restores: Digest = diesel::sql_query(
        "SELECT count(*)::text AS digest FROM audit_log \
         WHERE action = 'backup.restored' AND actor_kind = 'operator'",
    )
    .get_result(&mut connection)
    .unwrap();
    assert_eq!(restores.digest, "1", "the restore is audited once");
    snapshot_where(url, |table| {
        if table == "audit_log" {
            "action <> 'backup.restored'"
        } else {
            "true"
        }
    })
}

fn snapshot_where(url: &str, filter: impl Fn(&str) -> &'static str) -> BTreeMap<String, String> {
    let mut connection = PgConnection::establish(url).unwrap();
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .load(&mut connection)
    .unwrap();
    assert!(tables.len() > 5, "the schema has its tables");
    tables
        .into_iter()
        .map(|table| {
            let sql = format!(
                "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest FROM public.\"{}\" t WHERE {}",
                table.name,
                filter(&table.name)
            );
            let digest: Digest = diesel::sql_query(sql)
                .get_result(&mut connection)
                .unwrap();
            (table.name, digest.digest)
        })
        .collect()
}

/// Members, photos, an album and sessions, through the API.
async fn seed(app: &TestApp) {
    let owner = app.signed_in("ann@example.org", Role::Member).await;
    app.create_user("bob@example.org", Role::Member).await;
    let uploaded: Vec<Value> = upload(
        &owner,
        vec![("a.jpg", located_jpeg(1)), ("b.jpg", located_jpeg(2))],
    )
    .await
    .json()
    .await
    .unwrap();
    let album: Value = owner
        .send_json(
            Method::POST,
            "/api/v1/albums",
            json!({"title": "Summer", "visibility": "members"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let photo_ids: Vec<Value> = uploaded
        .iter()
        .map(|item| item["photo"]["id"].clone())
        .collect();
    let added = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/albums/{}/photos", album["id"].as_str().unwrap()),
            json!({"photo_ids": photo_ids}),
        )
        .await;
    assert!(added.status().is_success(), "{}", added.status());
}

/// Changes after the backup: a new member, an album gone.
async fn change(app: &TestApp) {
    let other = app.signed_in("cyd@example.org", Role::Member).await;
    let created = other
        .send_json(
            Method::POST,
            "/api/v1/albums",
            json!({"title": "Later", "visibility": "members"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
}

/// `shoebox backup …` against the app's database and local store.
fn backup_command(app: &TestApp, args: &[&str]) -> Output {
    let mut command = shoebox(Some(app.database_url()), args);
    command.env(
        "SHOEBOX_STORAGE__URL",
        format!("file://{}", app.objects.path().display()),
    );
    run(&mut command)
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

fn backup_keys(app: &TestApp) -> Vec<String> {
    files_under(app.objects.path())
        .into_iter()
        .filter(|key| key.starts_with("backups/"))
        .collect()
}

#[actix_web::test]
async fn a_backup_restores_every_table_as_it_was_and_a_non_empty_target_is_refused() {
    let app = spawn_app().await;
    seed(&app).await;
    let at_backup = snapshot(app.database_url());

    let written = succeeded(&backup_command(&app, &["backup", "run"]));
    assert!(written.starts_with("backup "), "{written}");
    let keys = backup_keys(&app);
    assert_eq!(keys.len(), 2, "a dump and its manifest: {keys:?}");
    assert!(keys.iter().any(|key| key.ends_with(".dump")));
    assert!(keys.iter().any(|key| key.ends_with(".manifest.json")));
    let listed = succeeded(&backup_command(&app, &["backup", "list", "--json"]));
    let listing: Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    assert_eq!(listing["state"], "complete");
    assert_eq!(
        listing["manifest"]["row_counts"]["users"],
        json!(2),
        "{listing}"
    );

    change(&app).await;
    let changed = snapshot(app.database_url());
    assert_ne!(changed, at_backup);

    // The database in use is not empty: refused, and nothing changes.
    let refused = backup_command(&app, &["backup", "restore", "latest"]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("not empty") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(snapshot(app.database_url()), changed);

    // Into a fresh database: no --force needed; then over the changed one.
    let fresh = TestDatabase::empty();
    let restored = succeeded(&backup_command(
        &app,
        &["backup", "restore", "latest", "--target", fresh.url()],
    ));
    assert!(restored.contains("restored backup"), "{restored}");
    assert!(
        !restored.contains(&password_of(fresh.url())),
        "the target's password is printed: {restored}"
    );
    assert_eq!(snapshot_after_restore(fresh.url()), at_backup);
    succeeded(&backup_command(
        &app,
        &["backup", "restore", "latest", "--force"],
    ));
    assert_eq!(snapshot_after_restore(app.database_url()), at_backup);
    // The application goes on working on the restored database.
    let member = app.signed_in("dee@example.org", Role::Member).await;
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "signing in after the restore"
    );
}

/// The password of a `postgres://user:password@host/db` URL.
fn password_of(url: &str) -> String {
    let authority = url.split("://").nth(1).unwrap_or_default();
    let user_info = authority.split('@').next().unwrap_or_default();
    match user_info.split_once(':') {
        Some((_, password)) if authority.contains('@') && !password.is_empty() => {
            password.to_owned()
        }
        // No password in the URL: nothing that could leak.
        _ => "\u{0}no password\u{0}".to_owned(),
    }
}

#[actix_web::test]
async fn verify_proves_a_backup_and_one_flipped_byte_fails_it_clearly() {
    let app = spawn_app().await;
    seed(&app).await;
    succeeded(&backup_command(&app, &["backup", "run"]));
    let verified = succeeded(&backup_command(&app, &["backup", "verify", "latest"]));
    assert!(verified.contains("verified"), "{verified}");
    assert!(
        verified.contains("row counts"),
        "says what was compared: {verified}"
    );

    let dump = backup_keys(&app)
        .into_iter()
        .find(|key| key.ends_with(".dump"))
        .unwrap();
    let path = app.objects.path().join(&dump);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();

    let failed = backup_command(&app, &["backup", "verify", "latest"]);
    assert!(!failed.status.success(), "{}", stdout(&failed));
    let message = stderr(&failed);
    assert!(
        message.contains("failed verification") && message.contains("checksum mismatch"),
        "{message}"
    );
    let listed = succeeded(&backup_command(&app, &["backup", "list"]));
    assert!(listed.contains("FAILED"), "{listed}");
    // Restoring it is refused the same way, and changes nothing.
    let before = snapshot(app.database_url());
    let refused = backup_command(&app, &["backup", "restore", "latest", "--force"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("checksum mismatch"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(snapshot(app.database_url()), before);
}

/// Copies the real backup `source` to a backup started at `at`: a complete
/// one (manifest and dump), or only the dump (incomplete).
fn copy_backup(
    objects: &Path,
    source: &BackupManifest,
    at: DateTime<Utc>,
    complete: bool,
) -> BackupId {
    let id = BackupId::from_time(at);
    let write = |key: &str, bytes: &[u8]| {
        let path = objects.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write(
        &id.dump_key(),
        &std::fs::read(objects.join(&source.dump_key)).unwrap(),
    );
    if complete {
        let manifest = BackupManifest {
            id,
            started_at: at,
            finished_at: at + TimeDelta::seconds(3),
            dump_key: id.dump_key(),
            ..source.clone()
        };
        write(&id.manifest_key(), &manifest.to_json_bytes());
    }
    id
}

fn at_hour(day: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    day.date_naive().and_hms_opt(hour, 0, 0).unwrap().and_utc()
}

#[actix_web::test]
async fn prune_prints_every_decision_with_its_rule_and_deletes_only_what_it_printed() {
    let app = spawn_app().await;
    succeeded(&backup_command(&app, &["backup", "run"]));
    let real: Value = serde_json::from_str(
        succeeded(&backup_command(&app, &["backup", "list", "--json"]))
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let real_manifest: BackupManifest =
        BackupManifest::from_json_bytes(real["manifest"].to_string().as_bytes()).unwrap();
    let now = Utc::now();
    let objects = app.objects.path();
    let year_ago = now - TimeDelta::days(400);
    let weeks_ago = now - TimeDelta::days(40);
    let monthly_first = copy_backup(objects, &real_manifest, at_hour(year_ago, 1), true);
    let monthly_second = copy_backup(objects, &real_manifest, at_hour(year_ago, 2), true);
    let daily_first = copy_backup(objects, &real_manifest, at_hour(weeks_ago, 1), true);
    let daily_second = copy_backup(objects, &real_manifest, at_hour(weeks_ago, 2), true);
    let yesterday = copy_backup(objects, &real_manifest, now - TimeDelta::days(1), true);
    let abandoned = copy_backup(objects, &real_manifest, now - TimeDelta::days(2), false);
    let running = copy_backup(objects, &real_manifest, now - TimeDelta::minutes(30), false);
    let keys_before = backup_keys(&app);

    let moment = (now + TimeDelta::minutes(1))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let planned = succeeded(&backup_command(
        &app,
        &["backup", "prune", "--dry-run", "--now", &moment],
    ));
    let line_of = |id: BackupId| -> String {
        planned
            .lines()
            .find(|line| line.contains(&id.to_string()))
            .unwrap_or_else(|| panic!("{id} missing from\n{planned}"))
            .to_owned()
    };
    let month = year_ago.format("%Y-%m").to_string();
    let day = weeks_ago.format("%Y-%m-%d").to_string();
    for (id, verb, rule) in [
        (monthly_first, "keep", format!("first backup of {month}")),
        (
            monthly_second,
            "delete",
            format!("not the first backup of {month}"),
        ),
        (daily_first, "keep", format!("first backup of {day}")),
        (
            daily_second,
            "delete",
            format!("not the first backup of {day}"),
        ),
        (yesterday, "keep", "younger than 31 days".to_owned()),
        (
            abandoned,
            "delete",
            "incomplete for more than 24 hours".to_owned(),
        ),
        (
            running,
            "keep",
            "incomplete, may still be running".to_owned(),
        ),
        (
            real_manifest.id,
            "keep",
            "newest successful backup".to_owned(),
        ),
    ] {
        let line = line_of(id);
        assert!(
            line.starts_with(verb) && line.ends_with(&rule),
            "{id}: expected {verb} ({rule}), got {line:?}"
        );
    }
    assert!(planned.contains("dry run"), "{planned}");
    assert!(planned.contains("5 kept, 3 to delete"), "{planned}");
    assert_eq!(backup_keys(&app), keys_before, "a dry run deletes nothing");

    let pruned = succeeded(&backup_command(&app, &["backup", "prune"]));
    assert!(pruned.contains("3 deleted"), "{pruned}");
    let left = backup_keys(&app);
    for gone in [monthly_second, daily_second, abandoned] {
        assert!(
            !left.iter().any(|key| key.contains(&gone.to_string())),
            "{gone} left: {left:?}"
        );
    }
    assert_eq!(
        left.len(),
        keys_before.len() - 5,
        "two objects each, one for the incomplete"
    );
    let again = succeeded(&backup_command(&app, &["backup", "prune"]));
    assert!(
        again.contains("0 deleted"),
        "a second prune deletes nothing: {again}"
    );
    // A moment that is not RFC 3339 is refused before anything runs.
    let refused = backup_command(&app, &["backup", "prune", "--dry-run", "--now", "tomorrow"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("RFC 3339"),
        "{}",
        stderr(&refused)
    );
}

#[actix_web::test]
async fn on_s3_an_encrypted_backup_needs_the_identity_and_restores_every_table() {
    let s3 = tokio::task::spawn_blocking(shoebox_test_support::S3Server::start)
        .await
        .unwrap();
    let app = builder().with_storage(s3.settings()).spawn().await;
    seed(&app).await;
    let at_backup = snapshot(app.database_url());
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let identity_file = tempfile::NamedTempFile::new().unwrap();
    {
        use secrecy::ExposeSecret;
        std::fs::write(identity_file.path(), identity.to_string().expose_secret()).unwrap();
    }
    let on_s3 = |args: &[&str]| {
        let mut command = shoebox(Some(app.database_url()), args);
        command
            .envs(s3.environment())
            .env("SHOEBOX_BACKUP__RECIPIENTS", &recipient);
        run(&mut command)
    };

    let written = succeeded(&on_s3(&["backup", "run"]));
    assert!(written.contains("encrypted (age)"), "{written}");
    change(&app).await;

    let without = on_s3(&["backup", "verify", "latest"]);
    assert!(!without.status.success());
    assert!(
        stderr(&without).contains("encrypted") && stderr(&without).contains("identity"),
        "{}",
        stderr(&without)
    );
    let identity_path = identity_file.path().to_str().unwrap();
    succeeded(&on_s3(&[
        "backup",
        "verify",
        "latest",
        "--identity",
        identity_path,
    ]));
    let restored = succeeded(&on_s3(&[
        "backup",
        "restore",
        "latest",
        "--force",
        "--identity",
        identity_path,
    ]));
    assert!(restored.contains("restored backup"), "{restored}");
    assert_eq!(snapshot_after_restore(app.database_url()), at_backup);

    // What the bucket holds is age ciphertext, not a readable dump.
    let listing: Value = serde_json::from_str(
        succeeded(&on_s3(&["backup", "list", "--json"]))
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let dump_key = listing["manifest"]["dump_key"].as_str().unwrap();
    let key = shoebox_domain::storage::ObjectKey::parse(dump_key).unwrap();
    let blobs = &app.application.photo_stores.blobs;
    let mut body = blobs.get(&key, None).await.unwrap().body;
    let mut stored = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut body).await {
        stored.extend_from_slice(&chunk.unwrap());
    }
    assert!(
        stored.starts_with(b"age-encryption.org/v1"),
        "{:?}",
        String::from_utf8_lossy(&stored[..stored.len().min(32)])
    );

    // One flipped byte of ciphertext: the drill fails and says why.
    let middle = stored.len() / 2;
    stored[middle] ^= 0x01;
    blobs.put(&key, stored.into()).await.unwrap();
    let failed = on_s3(&["backup", "verify", "latest", "--identity", identity_path]);
    assert!(!failed.status.success());
    let message = stderr(&failed);
    assert!(
        message.contains("failed verification")
            && (message.contains("cannot decrypt") || message.contains("checksum mismatch")),
        "{message}"
    );
}

#[actix_web::test]
async fn back_up_now_runs_on_the_worker_and_the_admin_page_and_metrics_show_it() {
    let app = builder().with_worker().spawn().await;
    let member = app.signed_in("mem@example.org", Role::Member).await;
    assert_eq!(
        member.get("/api/v1/admin/backups").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member
            .request(Method::POST, "/api/v1/admin/backups")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let admin = app.signed_in("boss@example.org", Role::Admin).await;
    let empty: Value = admin
        .get("/api/v1/admin/backups")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["status"]["retained"], 0);
    assert_eq!(empty["status"]["last_success_at"], Value::Null);

    let requested = admin
        .request(Method::POST, "/api/v1/admin/backups")
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let job: Value = requested.json().await.unwrap();
    assert!(job["job_id"].is_string(), "{job}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let listed = loop {
        let listed: Value = admin
            .get("/api/v1/admin/backups")
            .await
            .json()
            .await
            .unwrap();
        if listed["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
            && listed["items"][0]["state"] == "complete"
        {
            break listed;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no backup after 60 s: {listed}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let item = &listed["items"][0];
    assert!(item["size_bytes"].as_u64().unwrap() > 1000, "{item}");
    assert_eq!(item["verification"], Value::Null);
    assert_eq!(listed["status"]["retained"], 1);
    assert_eq!(listed["status"]["last_success_id"], item["id"]);
    assert_eq!(listed["encrypted"], false);

    let metrics = app.client().get("/metrics").await;
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    let value = |name: &str| -> Option<f64> {
        text.lines()
            .find(|line| line.split(' ').next() == Some(name))
            .and_then(|line| line.rsplit(' ').next()?.parse().ok())
    };
    assert_eq!(value("shoebox_backup_retained"), Some(1.0), "{text}");
    let finished = value("shoebox_backup_last_success_timestamp_seconds").unwrap();
    assert!(
        (Utc::now().timestamp() as f64 - finished).abs() < 120.0,
        "{text}"
    );
    assert!(value("shoebox_backup_last_size_bytes").unwrap() > 1000.0);
}

#[actix_web::test]
async fn the_scheduler_backs_up_hourly_and_verifies_daily_unless_told_not_to() {
    use shoebox_application::backups::{RUN_BACKUP_JOB, VERIFY_BACKUP_JOB};
    use shoebox_domain::jobs::Schedule;

    let app = spawn_app().await;
    let tasks = app.application.scheduled_tasks().unwrap();
    let schedule_of = |name: &str| {
        tasks
            .iter()
            .find(|task| task.name == name)
            .map(|task| task.schedule.clone())
    };
    assert_eq!(schedule_of(RUN_BACKUP_JOB), Some(Schedule::hourly()));
    assert_eq!(
        schedule_of(VERIFY_BACKUP_JOB),
        Some(Schedule::daily_at(3, 30))
    );

    let off = builder()
        .settings(|settings| settings.backup.scheduled = false)
        .spawn()
        .await;
    let tasks = off.application.scheduled_tasks().unwrap();
    assert!(
        !tasks.iter().any(|task| task.name.starts_with("backups.")),
        "CronJobs run them instead"
    );
}

#[actix_web::test]
async fn the_verification_job_drills_the_latest_backup_and_records_it() {
    use shoebox_application::backups::VerifyJob;
    use shoebox_domain::jobs::Schedule;

    let app = builder().with_worker().spawn().await;
    app.application.backups.run().await.unwrap();
    let job = VerifyJob::scheduled_task(Schedule::hourly()).job_for(Utc::now());
    app.application.job_queue.enqueue(job).await.unwrap();
    let admin = app.signed_in("boss@example.org", Role::Admin).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let verification = loop {
        let listed: Value = admin
            .get("/api/v1/admin/backups")
            .await
            .json()
            .await
            .unwrap();
        let verification = listed["items"][0]["verification"].clone();
        if !verification.is_null() {
            assert_eq!(listed["status"]["last_verification"], verification);
            break verification;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no verification after 60 s: {listed}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(verification["ok"], true, "{verification}");
    assert!(
        verification["message"]
            .as_str()
            .unwrap()
            .contains("row counts"),
        "{verification}"
    );
}

/// The newest migration's directory.
fn newest_migration_dir() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/adapters/shoebox-postgres/migrations");
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs.pop().unwrap()
}

#[actix_web::test]
async fn a_backup_of_an_older_schema_is_restored_then_migrated_to_this_binary() {
    let app = spawn_app().await;
    seed(&app).await;
    // The database as the previous release left it: the newest migration undone.
    let newest = shoebox_postgres::migrations::required_version();
    {
        let mut connection = PgConnection::establish(app.database_url()).unwrap();
        let down = std::fs::read_to_string(newest_migration_dir().join("down.sql")).unwrap();
        diesel::connection::SimpleConnection::batch_execute(&mut connection, &down).unwrap();
        diesel::sql_query(format!(
            "DELETE FROM __diesel_schema_migrations WHERE version = '{newest}'"
        ))
        .execute(&mut connection)
        .unwrap();
    }
    let written = succeeded(&backup_command(&app, &["backup", "run"]));
    assert!(written.contains("written"), "{written}");

    let fresh = TestDatabase::empty();
    let restored = succeeded(&backup_command(
        &app,
        &["backup", "restore", "latest", "--target", fresh.url()],
    ));
    assert!(
        restored.contains(&format!("applied {newest}")),
        "the missing migration is applied: {restored}"
    );
    let state = shoebox_postgres::migrations::state(fresh.url()).unwrap();
    assert!(
        state.is_compatible() && state.pending.is_empty(),
        "{state:?}"
    );
    // The data came along.
    let tables = snapshot(fresh.url());
    assert!(tables["users"].starts_with("2:"), "{tables:?}");
    assert!(tables["photos"].starts_with("2:"), "{tables:?}");
}

#[actix_web::test]
async fn the_drill_on_a_new_installation_without_backups_is_not_a_failure() {
    use shoebox_application::backups::VerifyJob;
    use shoebox_domain::jobs::Schedule;

    let app = builder().with_worker().spawn().await;
    let admin = app.signed_in("boss@example.org", Role::Admin).await;
    let job = VerifyJob::scheduled_task(Schedule::hourly()).job_for(Utc::now());
    app.application.job_queue.enqueue(job).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let counts = loop {
        let jobs: Value = admin.get("/api/v1/admin/jobs").await.json().await.unwrap();
        let counts = jobs["counts"].clone();
        let settled = ["succeeded", "failed", "dead"]
            .iter()
            .any(|state| counts[*state].as_u64().unwrap_or(0) > 0);
        if settled {
            break counts;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the drill did not run in 60 s: {counts}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(counts["succeeded"], 1, "{counts}");
    assert_eq!(counts["dead"], 0, "{counts}");
    assert_eq!(counts["failed"], 0, "{counts}");
}

fn user_id_of(url: &str, email: &str) -> Option<shoebox_domain::accounts::UserId> {
    let mut connection = PgConnection::establish(url).unwrap();
    let rows: Vec<Named> = diesel::sql_query(format!(
        "SELECT id::text AS name FROM users WHERE email = '{email}'"
    ))
    .load(&mut connection)
    .unwrap();
    rows.first().map(|row| {
        shoebox_domain::accounts::UserId::from_uuid(uuid::Uuid::parse_str(&row.name).unwrap())
    })
}

#[actix_web::test]
async fn a_restore_replays_the_deletion_ledger_so_an_erased_member_stays_erased() {
    let app = spawn_app().await;
    seed(&app).await;
    let bob = app.signed_in("bob.gone@example.org", Role::Member).await;
    let uploaded = upload(&bob, vec![("bob.jpg", located_jpeg(9))]).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let bob_id = user_id_of(app.database_url(), "bob.gone@example.org").unwrap();
    let bob_prefix = format!("users/{}/", bob_id.as_uuid());
    assert!(
        files_under(app.objects.path())
            .iter()
            .any(|key| key.starts_with(&bob_prefix))
    );
    let carol = app.signed_in("carol@example.org", Role::Member).await;
    succeeded(&backup_command(&app, &["backup", "run"]));
    // An export made after the backup: the restored database will not know
    // it, so the restore removes its ZIP (nothing else ever would).
    let export: Value = carol
        .send_json(Method::POST, "/api/v1/me/exports", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let export = uuid::Uuid::parse_str(export["id"].as_str().unwrap()).unwrap();
    app.application
        .exports
        .build(shoebox_domain::privacy::ExportId::from_uuid(export))
        .await
        .unwrap()
        .unwrap();
    let export_key = |keys: &[String]| {
        keys.iter()
            .any(|key| key.ends_with(&format!("/exports/{export}.zip")))
    };
    assert!(export_key(&files_under(app.objects.path())));

    assert!(app.application.erasure.erase(bob_id).await.unwrap());
    assert_eq!(user_id_of(app.database_url(), "bob.gone@example.org"), None);
    let keys = files_under(app.objects.path());
    assert!(
        !keys.iter().any(|key| key.starts_with(&bob_prefix)),
        "{keys:?}"
    );
    let ledger = format!("ledger/deletions/{}.json", bob_id.as_uuid());
    assert!(keys.contains(&ledger), "{keys:?}");
    let record = std::fs::read_to_string(app.objects.path().join(&ledger)).unwrap();
    assert!(
        !record.contains("bob.gone"),
        "the ledger holds no personal data: {record}"
    );

    // The backup predates the deletion: restoring it brings Bob back — for
    // as long as the restore takes to replay the ledger.
    let restored = succeeded(&backup_command(
        &app,
        &["backup", "restore", "latest", "--force"],
    ));
    assert!(
        restored.contains("deletion ledger replayed: 1 record(s), 1 member(s) erased again"),
        "{restored}"
    );
    assert!(
        restored.contains("exports made after the backup removed: 1"),
        "{restored}"
    );
    assert!(!export_key(&files_under(app.objects.path())));
    assert_eq!(user_id_of(app.database_url(), "bob.gone@example.org"), None);
    let tables = snapshot(app.database_url());
    assert!(
        tables["users"].starts_with("3:"),
        "Ann and the other seeded member stay: {tables:?}"
    );
    let mut connection = PgConnection::establish(app.database_url()).unwrap();
    let orphans: Vec<Named> = diesel::sql_query(format!(
        "SELECT id::text AS name FROM photos WHERE owner_id = '{}'",
        bob_id.as_uuid()
    ))
    .load(&mut connection)
    .unwrap();
    assert!(orphans.is_empty(), "Bob's photos are gone again");
    let audited: Vec<Named> =
        diesel::sql_query("SELECT actor_kind || ' ' || action AS name FROM audit_log ORDER BY id")
            .load(&mut connection)
            .unwrap();
    assert_eq!(
        audited
            .iter()
            .map(|row| row.name.as_str())
            .collect::<Vec<_>>(),
        ["operator backup.restored"],
        "the restore is audited (in the restored log: later entries went with the rest)"
    );
    let keys = files_under(app.objects.path());
    assert!(
        !keys.iter().any(|key| key.starts_with(&bob_prefix)),
        "{keys:?}"
    );

    // Into a fresh database too.
    let fresh = TestDatabase::empty();
    let again = succeeded(&backup_command(
        &app,
        &["backup", "restore", "latest", "--target", fresh.url()],
    ));
    assert!(again.contains("1 member(s) erased again"), "{again}");
    assert_eq!(user_id_of(fresh.url(), "bob.gone@example.org"), None);
}
