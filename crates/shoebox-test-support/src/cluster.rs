//! The PostgreSQL server the tests of this process use.

use std::sync::OnceLock;

use shoebox_localpg::Cluster;

/// Set by `cargo xtask test`: an admin URL (superuser, `postgres` database) of
/// a server it started for the whole run.
const SERVER_URL_VARIABLE: &str = "SHOEBOX_TEST_PG_URL";

enum Server {
    /// A server someone else runs.
    External(String),
    /// Our own throwaway cluster. A static is never dropped: the cluster's
    /// watchdog stops it and deletes its files when the process exits.
    Local(Cluster),
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// A superuser URL to the `postgres` database of the test server, starting a
/// private cluster on first use unless `SHOEBOX_TEST_PG_URL` names one.
///
/// Panics, with the reason, when no server can be had: no test can run then.
pub fn admin_url() -> &'static str {
    let server = SERVER.get_or_init(|| match std::env::var(SERVER_URL_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Ok(Server::External(url)),
        _ => Cluster::start_ephemeral()
            .map(Server::Local)
            .map_err(|error| error.to_string()),
    });
    match server {
        Ok(Server::External(url)) => url,
        Ok(Server::Local(cluster)) => local_admin_url(cluster),
        Err(reason) => panic!("could not start a PostgreSQL server for the tests: {reason}"),
    }
}

fn local_admin_url(cluster: &Cluster) -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| cluster.admin_url("postgres"))
}

/// The URL of database `name` on the test server, as the same user.
pub(crate) fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(admin_url())
        .unwrap_or_else(|error| panic!("{SERVER_URL_VARIABLE} is not a valid URL: {error}"));
    url.set_path(&format!("/{name}"));
    url.into()
}
