//! The template database: migrated once, cloned for every test.
//!
//! Its name carries the fingerprint of the embedded migrations, so a changed
//! migration gets a new template while unchanged ones are reused across test
//! processes and runs (on a long-lived `SHOEBOX_TEST_PG_URL` server).

use std::sync::OnceLock;

use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Bool, Text},
};

use crate::cluster::{admin_url, database_url};

/// Serialises template creation across test processes sharing a server
/// (the bytes spell "shoebox" and a 2).
const TEMPLATE_LOCK_KEY: i64 = 0x7368_6f65_626f_7802;

/// The name of the migrated template, creating it on first use in this process.
pub(crate) fn template_name() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!(
            "shoebox_template_{}",
            shoebox_postgres::migrations::fingerprint()
        );
        let mut admin = admin_connection();
        lock(&mut admin, "pg_advisory_lock");
        let outcome = ensure_template(&mut admin, &name);
        lock(&mut admin, "pg_advisory_unlock");
        if let Err(reason) = outcome {
            panic!("could not prepare the template database {name}: {reason}");
        }
        name
    })
}

/// A connection to the `postgres` database as superuser.
pub(crate) fn admin_connection() -> PgConnection {
    PgConnection::establish(admin_url())
        .unwrap_or_else(|error| panic!("could not connect to the test PostgreSQL server: {error}"))
}

fn lock(admin: &mut PgConnection, function: &str) {
    diesel::sql_query(format!("SELECT {function}($1)"))
        .bind::<BigInt, _>(TEMPLATE_LOCK_KEY)
        .execute(admin)
        .unwrap_or_else(|error| panic!("{function} failed on the test server: {error}"));
}

#[derive(QueryableByName)]
struct ExistingDatabase {
    #[diesel(sql_type = Bool)]
    datistemplate: bool,
}

/// Called under the lock. A database of that name that is not yet marked as
/// a template was left half-built by a process that died: it is rebuilt.
fn ensure_template(admin: &mut PgConnection, name: &str) -> Result<(), String> {
    let existing: Option<ExistingDatabase> =
        diesel::sql_query("SELECT datistemplate FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .get_result(admin)
            .map(Some)
            .or_else(|error| match error {
                diesel::result::Error::NotFound => Ok(None),
                other => Err(other.to_string()),
            })?;
    match existing {
        Some(database) if database.datistemplate => return Ok(()),
        Some(_) => execute(admin, &format!("DROP DATABASE \"{name}\" WITH (FORCE)"))?,
        None => {}
    }
    execute(
        admin,
        &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
    )?;
    shoebox_postgres::migrations::run_pending(&database_url(name))
        .map_err(|error| format!("{error:#}"))?;
    // Nobody may connect to it any more, so cloning it never finds it busy.
    execute(
        admin,
        &format!("ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"),
    )
}

pub(crate) fn execute(admin: &mut PgConnection, sql: &str) -> Result<(), String> {
    diesel::sql_query(sql)
        .execute(admin)
        .map(drop)
        .map_err(|error| error.to_string())
}
