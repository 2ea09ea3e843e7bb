//! What the database holds, read over one connection: the facts a backup
//! manifest records, and the scratch databases of verification restores.

use std::collections::BTreeMap;

use anyhow::Context;
use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Nullable, Text},
};
use shoebox_ports::outbound::DatabaseFacts;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
}

/// The tables of the application's schema (`public`), by name.
fn tables(connection: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT c.relname AS name FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1",
    )
    .load(connection)
    .context("could not list the tables")?;
    Ok(names.into_iter().map(|name| name.name).collect())
}

pub(super) fn table_count(connection: &mut PgConnection) -> anyhow::Result<u64> {
    Ok(tables(connection)?.len() as u64)
}

/// An identifier quoted for SQL text (catalog names may hold anything).
pub(super) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The facts as the connection's current transaction sees them.
pub(super) fn facts(connection: &mut PgConnection) -> anyhow::Result<DatabaseFacts> {
    let mut row_counts = BTreeMap::new();
    let tables = tables(connection)?;
    for table in &tables {
        let query = format!(
            "SELECT count(*) AS count FROM public.{}",
            quote_identifier(table)
        );
        let counted: Count = diesel::sql_query(query)
            .get_result(connection)
            .with_context(|| format!("could not count the rows of {table}"))?;
        row_counts.insert(table.clone(), u64::try_from(counted.count).unwrap_or(0));
    }
    let schema_version = if tables
        .iter()
        .any(|table| table == "__diesel_schema_migrations")
    {
        let version: Version = diesel::sql_query(
            "SELECT max(version) AS version FROM public.__diesel_schema_migrations",
        )
        .get_result(connection)
        .context("could not read the schema version")?;
        version.version
    } else {
        None
    };
    let server: Name = diesel::sql_query("SELECT current_setting('server_version') AS name")
        .get_result(connection)
        .context("could not read the server version")?;
    Ok(DatabaseFacts {
        schema_version,
        server_version: server.name,
        row_counts,
    })
}

/// Starts a read-only snapshot transaction and exports its snapshot, for
/// `pg_dump --snapshot` to dump exactly what [`facts`] reads in it.
pub(super) fn begin_exported_snapshot(connection: &mut PgConnection) -> anyhow::Result<String> {
    diesel::sql_query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(connection)
        .context("could not start the snapshot transaction")?;
    let snapshot: Name = diesel::sql_query("SELECT pg_export_snapshot() AS name")
        .get_result(connection)
        .context("could not export the snapshot")?;
    Ok(snapshot.name)
}

pub(super) fn end_snapshot(connection: &mut PgConnection) {
    let _ = diesel::sql_query("COMMIT").execute(connection);
}

/// A name fit for a scratch database (`[a-z0-9_]{1,63}`), so it can be
/// written into SQL text and a URL as it is.
pub(super) fn check_scratch_name(name: &str) -> anyhow::Result<()> {
    let fine = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
    anyhow::ensure!(fine, "{name:?} is not a valid scratch database name");
    Ok(())
}

pub(super) fn create_database(connection: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    drop_database(connection, name)?;
    diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(name)))
        .execute(connection)
        .with_context(|| {
            format!(
                "could not create the scratch database {name} (the database user needs CREATEDB)"
            )
        })?;
    Ok(())
}

pub(super) fn drop_database(connection: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(name)
    ))
    .execute(connection)
    .with_context(|| format!("could not drop the scratch database {name}"))?;
    Ok(())
}

pub(super) fn establish(url: &str) -> anyhow::Result<PgConnection> {
    PgConnection::establish(url).context("could not connect to the database")
}
