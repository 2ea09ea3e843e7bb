//! [`PostgresArchive`]: the `DatabaseArchive` port over PostgreSQL's own
//! tools (`pg_dump`, `pg_restore`, `psql`) and one diesel connection for the
//! catalog. The password goes to the tools through `PGPASSWORD`, never on a
//! command line that other users of the machine could read.

mod catalog;
mod dump;
mod restore;
mod tools;

use anyhow::Context;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use shoebox_ports::outbound::{
    ByteStream, DatabaseArchive, DatabaseDump, DatabaseFacts, RestoreError,
};

use crate::{
    DatabaseSettings,
    settings::{with_connect_timeout, with_database},
};
use tools::PgTools;

/// libpq's connection timeout for the catalog connection, in seconds.
const CONNECT_TIMEOUT_SECONDS: u64 = 10;

/// One database, dumped and restored as a whole.
pub struct PostgresArchive {
    url: SecretString,
    tools: PgTools,
    tools_dir: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for PostgresArchive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresArchive")
            .field("tools", &self.tools)
            .finish_non_exhaustive()
    }
}

impl PostgresArchive {
    /// The archive of the database `settings` name. Fails when its URL is not
    /// a `postgres://` URL.
    pub fn new(settings: &DatabaseSettings) -> anyhow::Result<Self> {
        Self::from_url(settings.url.expose_secret(), settings.tools_dir.clone())
    }

    fn from_url(url: &str, tools_dir: Option<std::path::PathBuf>) -> anyhow::Result<Self> {
        Ok(Self {
            tools: PgTools::new(url, tools_dir.clone())?,
            url: SecretString::from(with_connect_timeout(url, CONNECT_TIMEOUT_SECONDS)),
            tools_dir,
        })
    }

    /// Runs `work` on a fresh connection in a blocking thread.
    async fn with_connection<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut diesel::PgConnection) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let url = self.url.expose_secret().to_owned();
        tokio::task::spawn_blocking(move || {
            let mut connection = catalog::establish(&url)?;
            work(&mut connection)
        })
        .await
        .context("the database task stopped")?
    }
}

#[async_trait]
impl DatabaseArchive for PostgresArchive {
    async fn dump(&self) -> anyhow::Result<DatabaseDump> {
        dump::start(self.url.expose_secret().to_owned(), &self.tools).await
    }

    async fn facts(&self) -> anyhow::Result<DatabaseFacts> {
        self.with_connection(catalog::facts).await
    }

    async fn table_count(&self) -> anyhow::Result<u64> {
        self.with_connection(catalog::table_count).await
    }

    async fn restore(&self, body: ByteStream) -> Result<(), RestoreError> {
        restore::restore(&self.tools, body).await
    }

    async fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let url = self.url.expose_secret().to_owned();
        tokio::task::spawn_blocking(move || crate::migrations::run_pending(&url))
            .await
            .context("the migration task stopped")?
    }

    async fn create_scratch(&self, name: &str) -> anyhow::Result<Box<dyn DatabaseArchive>> {
        catalog::check_scratch_name(name)?;
        let url = with_database(self.url.expose_secret(), name)
            .context("the database URL is not a postgres:// URL")?;
        let owned = name.to_owned();
        self.with_connection(move |connection| catalog::create_database(connection, &owned))
            .await?;
        Ok(Box::new(Self::from_url(&url, self.tools_dir.clone())?))
    }

    async fn drop_scratch(&self, name: &str) -> anyhow::Result<()> {
        catalog::check_scratch_name(name)?;
        let owned = name.to_owned();
        self.with_connection(move |connection| catalog::drop_database(connection, &owned))
            .await
    }
}
