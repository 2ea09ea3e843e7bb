//! Applying the embedded migrations and comparing the database with them.
//!
//! These functions are synchronous and open a dedicated connection: they serve
//! `shoebox migrate` (and test set-up), which run before or beside the server,
//! not inside it. The server checks the schema through
//! [`PostgresSchemaInspector`](crate::PostgresSchemaInspector) instead.

use std::{
    collections::HashSet,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, anyhow};
use diesel::{
    Connection, PgConnection, QueryDsl, QueryResult, RunQueryDsl,
    dsl::sql,
    migration::MigrationSource,
    pg::Pg,
    sql_types::{BigInt, Bool},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use shoebox_ports::outbound::SchemaState;

use crate::settings::with_connect_timeout;

/// Every migration of `migrations/`, compiled into the binary.
const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The advisory lock that serialises migration runs on one database
/// (the bytes spell "shoebox" and a 1).
const MIGRATION_LOCK_KEY: i64 = 0x7368_6f65_626f_7801;

// Diesel's bookkeeping table (created by the first migration run).
diesel::table! {
    __diesel_schema_migrations (version) {
        version -> VarChar,
    }
}

/// How long one connection attempt may take while checking the schema.
const CONNECT_TIMEOUT_SECONDS: u64 = 5;

/// How often [`wait_until_current`] looks again.
const WAIT_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The versions of the embedded migrations, oldest first, as diesel records
/// them (the directory name's date and counter without dashes).
pub fn embedded_versions() -> Vec<String> {
    let migrations = MigrationSource::<Pg>::migrations(&MIGRATIONS).unwrap_or_default();
    let mut versions: Vec<String> = migrations
        .iter()
        .map(|migration| migration.name().version().to_string())
        .collect();
    versions.sort();
    versions
}

/// The newest embedded migration: the schema version this binary needs.
pub fn required_version() -> String {
    embedded_versions().pop().unwrap_or_default()
}

/// A hash of the text of every embedded migration. It changes whenever a
/// migration is added or edited, so test templates can be keyed on it.
pub fn fingerprint() -> &'static str {
    env!("SHOEBOX_MIGRATIONS_FINGERPRINT")
}

/// Applies the pending migrations and returns their versions, oldest first.
///
/// Holds an advisory lock on the database meanwhile, so concurrent runs (two
/// `shoebox migrate` jobs, several test processes) apply each migration once:
/// the later run waits, then finds nothing left to do.
pub fn run_pending(database_url: &str) -> anyhow::Result<Vec<String>> {
    let mut connection = establish(database_url)?;
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .execute(&mut connection)
        .context("could not take the migration lock")?;
    let applied = connection
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect::<Vec<_>>())
        .map_err(|error| anyhow!(error).context("could not apply the pending migrations"));
    // Closing the connection would release the lock too; unlocking keeps the
    // intent explicit and frees it even if the connection were pooled later.
    let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .execute(&mut connection)
        .context("could not release the migration lock");
    let applied = applied?;
    unlocked?;
    Ok(applied)
}

/// How the database's schema compares with what this binary needs.
///
/// Read-only: on a database that was never migrated, everything is pending.
pub fn state(database_url: &str) -> anyhow::Result<SchemaState> {
    let mut connection = establish(database_url)?;
    schema_state(&mut connection).context("could not read the applied migrations")
}

/// Waits until the database holds every migration this binary needs (for an
/// init container that must not start the server too early), tolerating the
/// database being unreachable meanwhile.
///
/// Fails after `timeout`, saying how many migrations are still pending, or
/// why the database could not be checked.
pub fn wait_until_current(database_url: &str, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let failure = match state(database_url) {
            Ok(state) if state.is_compatible() => return Ok(()),
            Ok(state) => anyhow!(
                "the database schema is still {} migration(s) behind this binary (it needs version {}, the database has {}); \
                 run `shoebox migrate`",
                state.pending.len(),
                required_version(),
                state.current_version.as_deref().unwrap_or("none"),
            ),
            Err(error) => error.context("could not check the database schema"),
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(failure.context(format!(
                "timed out after {:.1} s waiting for the database schema to be current",
                timeout.as_secs_f32()
            )));
        }
        thread::sleep(WAIT_POLL_INTERVAL.min(deadline - now));
    }
}

/// The schema state, read without creating diesel's bookkeeping table (which
/// diesel's own harness would do, turning a health check into DDL).
pub(crate) fn schema_state(connection: &mut PgConnection) -> QueryResult<SchemaState> {
    let has_table: bool = diesel::select(sql::<Bool>(
        "to_regclass('__diesel_schema_migrations') IS NOT NULL",
    ))
    .get_result(connection)?;
    let applied: Vec<String> = if has_table {
        __diesel_schema_migrations::table
            .select(__diesel_schema_migrations::version)
            .load(connection)?
    } else {
        Vec::new()
    };
    let applied_set: HashSet<&str> = applied.iter().map(String::as_str).collect();
    let pending = embedded_versions()
        .into_iter()
        .filter(|version| !applied_set.contains(version.as_str()))
        .collect();
    // Versions are fixed-width digits, so the greatest string is the newest,
    // including versions of a newer release that this binary does not know.
    let current_version = applied.iter().max().cloned();
    Ok(SchemaState {
        pending,
        current_version,
    })
}

fn establish(database_url: &str) -> anyhow::Result<PgConnection> {
    PgConnection::establish(&with_connect_timeout(database_url, CONNECT_TIMEOUT_SECONDS))
        .context("could not connect to the database")
}
