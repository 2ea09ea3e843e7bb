//! The backup scenario (issue 5): `shoebox backup run` of a database of at
//! least [`TARGET_DATABASE_BYTES`], against `pg_dump --format=custom` of the
//! same database to `/dev/null` in the same run, both in bytes of database
//! (`pg_database_size`) per second of wall time. Targets: at least
//! [`TARGET_RATIO`] of pg_dump's throughput, and the `shoebox` process (not
//! its pg_dump child) under [`RSS_LIMIT_MIB`] at its peak. The times of
//! `shoebox backup restore latest` into a fresh empty database and of
//! `shoebox backup verify latest` are printed, without a target.
//!
//! The database is the bench's own migrated `shoebox` database, grown with
//! rows in the application's real tables — [`MEMBERS`] members (`users`),
//! then photos (`photos`, with a thumbnail and a preview each in
//! `photo_variants`) in batches of [`PHOTOS_PER_BATCH`], written server-side
//! by `INSERT … SELECT generate_series` until the database is large enough.
//! The rows look like the application's: random UUIDs, SHA-256 digests,
//! coordinates and timestamps, short captions; so the dump does not compress
//! away to nothing.
//!
//! Both dumps use the cluster's `pg_dump` (the app is pointed at the same
//! directory with `SHOEBOX_DATABASE__TOOLS_DIR`), and the archive goes to the
//! bench's `file://` object store, which fsyncs it as it does every object.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use shoebox_localpg::Cluster;

use super::report::Verdict;
use super::rss::RssSampler;
use crate::process::describe;
use crate::ui::{self, Step};

/// The smallest database the scenario backs up: 1 GiB.
const TARGET_DATABASE_BYTES: u64 = 1024 * 1024 * 1024;
/// The target: backup throughput at least this fraction of pg_dump's.
const TARGET_RATIO: f64 = 0.8;
/// The target: the `shoebox backup run` process stays under this.
const RSS_LIMIT_MIB: f64 = 100.0;
/// Members the filler photos belong to.
const MEMBERS: u64 = 1_000;
/// Photos written by one statement (about 190 MB of database with their
/// variants and indexes).
const PHOTOS_PER_BATCH: u64 = 200_000;
/// A bound on the batches, should the database not grow as expected.
const MAX_BATCHES: u64 = 40;
/// The database restored into.
const RESTORED_DATABASE: &str = "shoebox_restored";

/// The filler members: ids derived from their number, so that the photo
/// batches can name their owners without a join.
const MEMBERS_SQL: &str = "
INSERT INTO users (id, email, password_hash, display_name, role, created_at, updated_at)
SELECT md5('shoebox-bench-member-' || u)::uuid,
       'member-' || u || '@bench.example',
       '$argon2id$v=19$m=19456,t=2,p=1$'
           || encode(sha256(convert_to('salt-' || u, 'UTF8')), 'base64') || '$'
           || encode(sha256(convert_to('hash-' || u, 'UTF8')), 'base64'),
       'Member ' || u, 'member', now(), now()
FROM generate_series(0, {last_member}) AS u
ON CONFLICT DO NOTHING;";

/// Photos `{first}..={last}` (ready, some with a location and a scrubbed
/// shared copy) and their two variants, in one statement.
const PHOTOS_SQL: &str = "
WITH generated AS (
    SELECT g,
           gen_random_uuid() AS id,
           md5('shoebox-bench-member-' || (g % {members}))::uuid AS owner_id,
           CASE WHEN g % 10 <> 0
                THEN timestamp '2012-01-01' + random() * interval '4000 days' END AS taken_at,
           now() - random() * interval '1500 days' AS created_at,
           g % 3 <> 0 AS landscape
    FROM generate_series({first}, {last}) AS g
), made AS (
    INSERT INTO photos (id, owner_id, status, format, size_bytes, sha256, width, height,
                        orientation, taken_at, camera, latitude, longitude, altitude_m,
                        caption, original_name, sort_at, created_at, updated_at,
                        shared_original, shared_original_size, shared_original_sha256)
    SELECT id, owner_id, 'ready',
           CASE WHEN g % 20 = 0 THEN 'png' ELSE 'jpeg' END,
           2000000 + (random() * 18000000)::bigint,
           sha256(uuid_send(id)),
           CASE WHEN landscape THEN 4000 ELSE 3000 END,
           CASE WHEN landscape THEN 3000 ELSE 4000 END,
           CASE WHEN g % 7 = 0 THEN 6 ELSE 1 END,
           taken_at,
           (ARRAY['Canon EOS R6', 'NIKON Z 6_2', 'iPhone 13 Pro', 'Pixel 7', 'X-T4', NULL])[1 + g % 6],
           CASE WHEN g % 3 = 0 THEN -60 + random() * 130 END,
           CASE WHEN g % 3 = 0 THEN -180 + random() * 360 END,
           CASE WHEN g % 3 = 0 THEN random() * 3000 END,
           CASE WHEN g % 4 <> 0
                THEN (ARRAY['Beach', 'Birthday', 'Hike', 'Dinner', 'Garden', 'Snow'])[1 + g % 6]
                     || ' ' || to_char(coalesce(taken_at, created_at), 'YYYY-MM-DD')
                     || ', ' || left(gen_random_uuid()::text, 8 + g % 20) END,
           'IMG_' || lpad((g % 10000)::text, 4, '0') || '.JPG',
           coalesce(taken_at, created_at AT TIME ZONE 'UTC'),
           created_at, created_at,
           CASE WHEN g % 3 = 0 THEN 'scrubbed' ELSE 'same' END,
           CASE WHEN g % 3 = 0 THEN 1000000 + (random() * 18000000)::bigint END,
           CASE WHEN g % 3 = 0 THEN sha256(uuid_send(id) || '\\x00'::bytea) END
    FROM generated
    RETURNING id, width, height
)
INSERT INTO photo_variants (photo_id, kind, format, width, height, size_bytes, sha256)
SELECT made.id, variant.kind, 'jpeg',
       made.width * variant.side / greatest(made.width, made.height),
       made.height * variant.side / greatest(made.width, made.height),
       variant.base + (random() * variant.base)::bigint,
       sha256(uuid_send(made.id) || convert_to(variant.kind, 'UTF8'))
FROM made CROSS JOIN (VALUES ('thumbnail', 400, 30000), ('preview', 1600, 300000))
    AS variant (kind, side, base);";

/// What the scenario measured.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BackupFigures {
    /// `pg_database_size` when both dumps ran.
    pub(crate) database_bytes: u64,
    /// The archive `shoebox backup run` stored.
    pub(crate) archive_bytes: u64,
    /// `pg_dump --format=custom > /dev/null`.
    pub(crate) reference: Duration,
    /// `shoebox backup run`.
    pub(crate) backup: Duration,
    pub(crate) peak_rss_kib: u64,
    /// `shoebox backup restore latest --target <empty database>`.
    pub(crate) restore: Duration,
    /// `shoebox backup verify latest`.
    pub(crate) verify: Duration,
}

impl BackupFigures {
    /// MB (10⁶ bytes) of database per second.
    fn rate(&self, took: Duration) -> f64 {
        let seconds = took.as_secs_f64();
        if seconds > 0.0 {
            // A database's byte count fits f64's mantissa exactly.
            self.database_bytes as f64 / seconds / 1e6
        } else {
            0.0
        }
    }

    /// Ours ÷ pg_dump's throughput.
    fn ratio(&self) -> f64 {
        match self.rate(self.reference) {
            reference if reference > 0.0 => self.rate(self.backup) / reference,
            _ => 0.0,
        }
    }

    fn rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }

    /// The line of the report.
    pub(crate) fn line(&self) -> String {
        format!(
            "backup of a {} database: shoebox {:.1} MB/s ({:.1} s, archive {}, RSS {:.1} MiB), \
             pg_dump -Fc > /dev/null {:.1} MB/s ({:.1} s) ({:.2}×); restore {:.1} s, verify {:.1} s\n",
            human_size(self.database_bytes),
            self.rate(self.backup),
            self.backup.as_secs_f64(),
            human_size(self.archive_bytes),
            self.rss_mib(),
            self.rate(self.reference),
            self.reference.as_secs_f64(),
            self.ratio(),
            self.restore.as_secs_f64(),
            self.verify.as_secs_f64(),
        )
    }

    pub(crate) fn verdicts(&self) -> Vec<Verdict> {
        let ratio = self.ratio();
        vec![
            Verdict {
                target: format!("backup ≥ 1 GiB: MB/s ≥ {TARGET_RATIO} × pg_dump -Fc"),
                measured: format!("{ratio:.2}× ({})", human_size(self.database_bytes)),
                passed: ratio >= TARGET_RATIO && self.database_bytes >= TARGET_DATABASE_BYTES,
            },
            Verdict {
                target: format!("backup ≥ 1 GiB: RSS < {RSS_LIMIT_MIB} MiB"),
                measured: format!("{:.1} MiB", self.rss_mib()),
                passed: self.rss_mib() < RSS_LIMIT_MIB,
            },
        ]
    }
}

/// Grows the `database` of `cluster` (migrated; `database_url` reaches it)
/// to at least [`TARGET_DATABASE_BYTES`], then measures the reference dump,
/// `shoebox backup run`, restore and verify, with `binary` in `env` (the
/// bench's environment: the same database and object store).
pub(crate) fn measure(
    binary: &Path,
    cluster: &Cluster,
    database: &str,
    database_url: &str,
    env: &[(String, String)],
) -> Result<BackupFigures> {
    let step = Step::start(format!(
        "backups: growing {database} to {} with photos",
        human_size(TARGET_DATABASE_BYTES)
    ));
    let database_bytes = finish_step(step, fill(cluster, database))?;

    let mut env = env.to_vec();
    env.push((
        "SHOEBOX_DATABASE__TOOLS_DIR".to_owned(),
        cluster.bin_dir().display().to_string(),
    ));

    let step = Step::start("backups: pg_dump --format=custom > /dev/null (reference)");
    let reference = finish_step(step, reference_dump(cluster, database_url))?;

    let step = Step::start("backups: shoebox backup run");
    let (backup, peak_rss_kib) = finish_step(step, shoebox_backup(binary, &env))?;
    let archive_bytes =
        latest_archive_bytes(&run_shoebox(binary, &env, &["backup", "list", "--json"])?)?;

    cluster.create_database(RESTORED_DATABASE)?;
    let target = cluster.admin_url(RESTORED_DATABASE);
    let step = Step::start("backups: shoebox backup restore latest into an empty database");
    let restore = finish_step(
        step,
        timed(|| {
            run_shoebox(
                binary,
                &env,
                &["backup", "restore", "latest", "--target", &target],
            )
        }),
    )?;
    let step = Step::start("backups: shoebox backup verify latest");
    let verify = finish_step(
        step,
        timed(|| run_shoebox(binary, &env, &["backup", "verify", "latest"])),
    )?;

    Ok(BackupFigures {
        database_bytes,
        archive_bytes,
        reference,
        backup,
        peak_rss_kib,
        restore,
        verify,
    })
}

fn finish_step<T>(step: Step, outcome: Result<T>) -> Result<T> {
    match &outcome {
        Ok(_) => step.done(),
        Err(_) => step.failed(),
    }
    outcome
}

fn timed(work: impl FnOnce() -> Result<String>) -> Result<Duration> {
    let started = Instant::now();
    work()?;
    Ok(started.elapsed())
}

/// Adds the members, then photo batches until the database is large
/// enough; returns its size.
fn fill(cluster: &Cluster, database: &str) -> Result<u64> {
    cluster.psql(
        database,
        &MEMBERS_SQL.replace("{last_member}", &(MEMBERS - 1).to_string()),
    )?;
    let mut size = database_size(cluster, database)?;
    let mut photos = 0;
    while size < TARGET_DATABASE_BYTES {
        if photos >= MAX_BATCHES * PHOTOS_PER_BATCH {
            bail!(
                "{database} is only {} after {photos} photos",
                human_size(size)
            );
        }
        cluster.psql(database, &photos_sql(photos + 1, photos + PHOTOS_PER_BATCH))?;
        photos += PHOTOS_PER_BATCH;
        size = database_size(cluster, database)?;
    }
    // What the dumps read should not depend on what autovacuum got to.
    cluster.psql(database, "VACUUM ANALYZE")?;
    let size = database_size(cluster, database)?;
    ui::note(&format!(
        "{database} holds {photos} more photos of {MEMBERS} more members: {}",
        human_size(size)
    ));
    Ok(size)
}

fn photos_sql(first: u64, last: u64) -> String {
    PHOTOS_SQL
        .replace("{members}", &MEMBERS.to_string())
        .replace("{first}", &first.to_string())
        .replace("{last}", &last.to_string())
}

fn database_size(cluster: &Cluster, database: &str) -> Result<u64> {
    let printed = cluster.psql(database, "SELECT pg_database_size(current_database())")?;
    printed
        .trim()
        .parse()
        .with_context(|| format!("pg_database_size printed {printed:?}"))
}

/// Times `pg_dump --format=custom` of the database to `/dev/null`.
fn reference_dump(cluster: &Cluster, database_url: &str) -> Result<Duration> {
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .context("could not open /dev/null")?;
    let mut command = Command::new(cluster.binaries().bin("pg_dump"));
    command
        .arg("--format=custom")
        .arg(format!("--dbname={database_url}"))
        .stdin(Stdio::null())
        .stdout(null)
        .stderr(Stdio::piped());
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    let took = started.elapsed();
    check(&command, &output)?;
    Ok(took)
}

/// Times `shoebox backup run` while sampling its memory; returns the time
/// and the peak RSS in KiB.
fn shoebox_backup(binary: &Path, env: &[(String, String)]) -> Result<(Duration, u64)> {
    let mut command = shoebox(binary, env, &["backup", "run"]);
    let started = Instant::now();
    let child = command
        .spawn()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    let sampler = RssSampler::start(child.id());
    let output = child.wait_with_output();
    let took = started.elapsed();
    let peak = sampler.finish();
    let output = output.context("could not wait for `shoebox backup run`")?;
    check(&command, &output)?;
    Ok((took, peak))
}

fn shoebox(binary: &Path, env: &[(String, String)], args: &[&str]) -> Command {
    let mut command = Command::new(binary);
    command
        .args(args)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `binary args` in `env`; what it printed.
fn run_shoebox(binary: &Path, env: &[(String, String)], args: &[&str]) -> Result<String> {
    let mut command = shoebox(binary, env, args);
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    check(&command, &output)?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn check(command: &Command, output: &Output) -> Result<()> {
    if !output.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// The size of the newest complete backup in `shoebox backup list --json`
/// (one object a line, oldest first).
fn latest_archive_bytes(listing: &str) -> Result<u64> {
    let mut latest = None;
    for line in listing
        .lines()
        .filter(|line| line.trim_start().starts_with('{'))
    {
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("`shoebox backup list --json` printed {line:?}"))?;
        if value["state"] == "complete" {
            latest = value["size_bytes"].as_u64();
        }
    }
    latest.context("`shoebox backup list --json` lists no complete backup")
}

/// Bytes in binary units, two decimals: `1.02 GiB`.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(backup_ms: u64, rss_mib: u64) -> BackupFigures {
        BackupFigures {
            database_bytes: 2_000_000_000,
            archive_bytes: 600 * 1024 * 1024,
            reference: Duration::from_millis(40_000),
            backup: Duration::from_millis(backup_ms),
            peak_rss_kib: rss_mib * 1024,
            restore: Duration::from_millis(12_340),
            verify: Duration::from_millis(15_000),
        }
    }

    #[test]
    fn the_targets_are_four_fifths_of_pg_dump_and_100_mib() {
        let met = figures(50_000, 99);
        assert!(met.verdicts().iter().all(|verdict| verdict.passed));
        let line = met.line();
        assert!(line.contains("shoebox 40.0 MB/s (50.0 s"), "{line}");
        assert!(
            line.contains("pg_dump -Fc > /dev/null 50.0 MB/s (40.0 s) (0.80×)"),
            "{line}"
        );
        assert!(line.contains("archive 600.00 MiB, RSS 99.0 MiB"), "{line}");
        assert!(line.contains("restore 12.3 s, verify 15.0 s"), "{line}");
        assert_eq!(met.verdicts()[0].measured, "0.80× (1.86 GiB)");
        let missed = figures(50_001, 100);
        assert!(missed.verdicts().iter().all(|verdict| !verdict.passed));
    }

    #[test]
    fn a_database_below_the_size_fails_the_throughput_target() {
        let small = BackupFigures {
            database_bytes: TARGET_DATABASE_BYTES - 1,
            ..figures(1_000, 10)
        };
        assert!(!small.verdicts()[0].passed);
        assert!(small.verdicts()[1].passed);
    }

    #[test]
    fn a_zero_reference_time_gives_no_ratio() {
        let instant = BackupFigures {
            reference: Duration::ZERO,
            ..figures(1_000, 10)
        };
        assert_eq!(instant.ratio(), 0.0);
    }

    #[test]
    fn sizes_are_in_binary_units() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.50 KiB");
        assert_eq!(human_size(TARGET_DATABASE_BYTES), "1.00 GiB");
        assert_eq!(human_size(1_100_000_000), "1.02 GiB");
    }

    #[test]
    fn the_archive_size_is_the_newest_complete_backups() {
        let listing = "\
{\"id\":\"20261201T000000Z\",\"state\":\"complete\",\"size_bytes\":100,\"manifest\":{},\"verification\":null}
{\"id\":\"20261202T000000Z\",\"state\":\"complete\",\"size_bytes\":250,\"manifest\":{},\"verification\":null}
{\"id\":\"20261203T000000Z\",\"state\":\"incomplete\",\"size_bytes\":7,\"manifest\":null,\"verification\":null}
";
        assert_eq!(latest_archive_bytes(listing).unwrap(), 250);
        assert!(latest_archive_bytes("").is_err());
        assert!(latest_archive_bytes("{not json").is_err());
    }

    #[test]
    fn the_photo_batches_are_whole_statements() {
        let sql = photos_sql(201, 400);
        assert!(sql.contains("generate_series(201, 400)"), "{sql}");
        assert!(sql.contains("g % 1000"), "{sql}");
        assert!(!sql.contains('{'), "{sql}");
        assert!(
            MEMBERS_SQL
                .replace("{last_member}", "999")
                .contains("generate_series(0, 999)")
        );
    }
}
