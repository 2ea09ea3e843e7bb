//! What `/version` and `shoebox --version` report.

use shoebox_http::BuildInfo;

pub const VERSION: &str = env!("SHOEBOX_BUILD_VERSION");

pub fn build_info() -> BuildInfo {
    BuildInfo {
        version: VERSION.to_owned(),
        git_sha: env!("SHOEBOX_BUILD_GIT_SHA").to_owned(),
        build_date: env!("SHOEBOX_BUILD_DATE").to_owned(),
        schema_version: shoebox_postgres::migrations::required_version(),
    }
}
