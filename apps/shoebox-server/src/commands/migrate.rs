//! `shoebox migrate [--status | --wait [--timeout SECONDS]]`.

use std::time::Duration;

use shoebox_postgres::migrations;

use super::{blocking, database_url};
use crate::{
    cli::{MigrateArgs, say},
    settings::Settings,
};

pub async fn migrate(settings: &Settings, args: &MigrateArgs) -> anyhow::Result<()> {
    let url = database_url(settings)?;
    if args.status {
        let state = blocking(move || migrations::state(&url)).await?;
        say(format!(
            "current schema version: {}",
            state.current_version.as_deref().unwrap_or("none")
        ));
        say(format!(
            "required by this binary: {}",
            migrations::required_version()
        ));
        if state.pending.is_empty() {
            say("pending migrations: none");
        } else {
            say(format!("pending migrations ({}):", state.pending.len()));
            for version in &state.pending {
                say(format!("  {version}"));
            }
        }
    } else if args.wait {
        let timeout = Duration::from_secs(args.timeout);
        blocking(move || migrations::wait_until_current(&url, timeout)).await?;
        say(format!(
            "schema is current ({})",
            migrations::required_version()
        ));
    } else {
        let applied = blocking(move || migrations::run_pending(&url)).await?;
        if applied.is_empty() {
            say("no pending migrations; the schema is current");
        } else {
            for version in &applied {
                say(format!("applied {version}"));
            }
        }
    }
    Ok(())
}
