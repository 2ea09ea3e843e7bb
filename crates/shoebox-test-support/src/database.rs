//! A fresh database for one test, dropped when the test ends.

use std::{thread, time::Duration};

use diesel::{Connection, PgConnection};
use shoebox_postgres::{DatabaseSettings, PostgresDatabase};

use crate::{
    cluster::database_url,
    template::{admin_connection, execute, template_name},
};

/// How often creating a database from the template is tried when PostgreSQL
/// reports the template busy.
const CREATE_ATTEMPTS: u32 = 5;

/// A database of its own for one test: migrated ([`TestDatabase::migrated`])
/// or empty ([`TestDatabase::empty`], for migration tests). Dropping it drops
/// the database, closing any connection still open to it.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// A database holding the whole current schema and no rows, cloned from
    /// the template (which is built on first use).
    pub fn migrated() -> Self {
        Self::create(template_name())
    }

    /// A database without any table, not even diesel's migration table.
    pub fn empty() -> Self {
        Self::create("template0")
    }

    fn create(template: &str) -> Self {
        let name = format!("shoebox_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = admin_connection();
        let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        let mut attempt = 1;
        while let Err(reason) = execute(&mut admin, &sql) {
            let busy = reason.contains("is being accessed by other users");
            if !busy || attempt == CREATE_ATTEMPTS {
                panic!("could not create test database {name} from {template}: {reason}");
            }
            // A back-off between retries, not synchronisation: the server
            // frees the template by itself once its last session has ended.
            thread::sleep(Duration::from_millis(200) * attempt);
            attempt += 1;
        }
        let url = database_url(&name);
        Self { name, url }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A superuser URL to this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Settings for this database with a small pool.
    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings {
            pool_size: 4,
            ..DatabaseSettings::new(self.url.clone())
        }
    }

    /// A new pool on this database. Build it once per test and clone it: each
    /// call makes another pool.
    pub fn database(&self) -> PostgresDatabase {
        PostgresDatabase::connect(&self.settings())
            .unwrap_or_else(|error| panic!("could not build a pool for {}: {error:#}", self.name))
    }

    /// A plain connection to this database, for arranging and inspecting
    /// state behind the back of the code under test.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url)
            .unwrap_or_else(|error| panic!("could not connect to {}: {error}", self.name))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(reason) = execute(&mut admin_connection(), &sql) {
            // Panicking in `drop` would abort a test that is already failing;
            // a leftover database only costs disk space on a throwaway server.
            eprintln!(
                "warning: could not drop test database {}: {reason}",
                self.name
            );
        }
    }
}
