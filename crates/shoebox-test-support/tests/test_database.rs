//! The per-test databases: what they hold, that they are private, and that
//! they go away.

use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Bool, Text},
};
use shoebox_test_support::{TestDatabase, admin_url};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn count(connection: &mut PgConnection, sql: &str, bind: &str) -> i64 {
    diesel::sql_query(sql)
        .bind::<Text, _>(bind)
        .get_result::<Count>(connection)
        .unwrap()
        .count
}

fn databases_named(name: &str) -> i64 {
    let mut admin = PgConnection::establish(admin_url()).unwrap();
    count(
        &mut admin,
        "SELECT count(*) AS count FROM pg_database WHERE datname = $1",
        name,
    )
}

fn tables_in(database: &TestDatabase, table: &str) -> i64 {
    count(
        &mut database.connect(),
        "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1",
        table,
    )
}

#[test]
fn a_migrated_database_holds_the_schema_and_disappears_on_drop() {
    let database = TestDatabase::migrated();
    let name = database.name().to_owned();
    assert_eq!(databases_named(&name), 1);
    for table in [
        "users",
        "sessions",
        "api_tokens",
        "invitations",
        "login_throttle",
        "__diesel_schema_migrations",
    ] {
        assert_eq!(tables_in(&database, table), 1, "{table} should exist");
    }
    let applied = diesel::sql_query("SELECT count(*) AS count FROM __diesel_schema_migrations")
        .get_result::<Count>(&mut database.connect())
        .unwrap()
        .count;
    assert_eq!(
        applied as usize,
        shoebox_postgres::migrations::embedded_versions().len()
    );

    // An open connection does not keep the database alive.
    let _still_open = database.connect();
    drop(database);
    assert_eq!(databases_named(&name), 0);
}

#[test]
fn an_empty_database_has_no_tables_at_all() {
    let database = TestDatabase::empty();
    assert_eq!(tables_in(&database, "users"), 0);
    assert_eq!(tables_in(&database, "__diesel_schema_migrations"), 0);
}

#[test]
fn databases_are_private_to_their_test() {
    let first = TestDatabase::migrated();
    let second = TestDatabase::migrated();
    assert_ne!(first.name(), second.name());
    diesel::sql_query("CREATE TABLE only_here (id integer)")
        .execute(&mut first.connect())
        .unwrap();
    assert_eq!(tables_in(&first, "only_here"), 1);
    assert_eq!(tables_in(&second, "only_here"), 0);
}

#[derive(QueryableByName)]
struct TemplateFlags {
    #[diesel(sql_type = Bool)]
    datistemplate: bool,
    #[diesel(sql_type = Bool)]
    datallowconn: bool,
}

#[test]
fn the_template_is_keyed_on_the_migrations_and_closed_to_connections() {
    let _database = TestDatabase::migrated();
    let name = format!(
        "shoebox_template_{}",
        shoebox_postgres::migrations::fingerprint()
    );
    let mut admin = PgConnection::establish(admin_url()).unwrap();
    let flags: TemplateFlags =
        diesel::sql_query("SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(&name)
            .get_result(&mut admin)
            .unwrap();
    assert!(flags.datistemplate);
    assert!(!flags.datallowconn);
}

#[test]
fn many_tests_can_create_databases_at_once() {
    let names: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                scope.spawn(|| {
                    let database = TestDatabase::migrated();
                    assert_eq!(tables_in(&database, "users"), 1);
                    database.name().to_owned()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    for name in &names {
        assert_eq!(databases_named(name), 0, "{name} should have been dropped");
    }
    let distinct: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(distinct.len(), names.len());
}
