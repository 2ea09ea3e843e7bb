//! One module per subcommand.

mod admin;
mod backup;
mod bench;
mod demo;
mod migrate;
mod serve;
mod worker;

use secrecy::ExposeSecret;
use shoebox_postgres::migrations;

use crate::{
    build_info,
    cli::{Command, ConfigCommand, UsersCommand, say},
    settings::Settings,
};

pub async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::serve(settings, args.with_worker).await,
        Command::Worker => worker::worker(settings).await,
        Command::Migrate(args) => migrate::migrate(&settings, &args).await,
        Command::Users {
            command:
                UsersCommand::CreateAdmin {
                    email,
                    display_name,
                    password_stdin,
                },
        } => admin::create_admin(&settings, &email, &display_name, password_stdin).await,
        Command::Users {
            command: UsersCommand::Delete { email, now },
        } => admin::delete_user(&settings, &email, now).await,
        Command::Seed { force } => admin::seed(&settings, force).await,
        Command::Backup { command } => backup::backup(&settings, command).await,
        Command::Openapi => {
            let document = shoebox_http::openapi_document(build_info::VERSION);
            say(document.to_pretty_json()?);
            Ok(())
        }
        Command::BenchThumbnail(args) => bench::bench_thumbnail(args).await,
        Command::Config {
            command: ConfigCommand::Check,
        } => {
            say(settings.to_redacted_toml());
            say("# configuration is valid");
            Ok(())
        }
    }
}

/// The database URL, for the operational entry points that take one.
fn database_url(settings: &Settings) -> anyhow::Result<String> {
    Ok(settings.database()?.url.expose_secret().to_owned())
}

/// Runs blocking migration work off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work).await?
}

/// Refuses to go on against a schema older than this binary needs.
async fn require_current_schema(settings: &Settings) -> anyhow::Result<()> {
    let url = database_url(settings)?;
    let state = blocking(move || migrations::state(&url)).await?;
    if !state.is_compatible() {
        anyhow::bail!(
            "the database schema is older than this binary needs ({} migration(s) pending, newest {}); run `shoebox migrate` first",
            state.pending.len(),
            migrations::required_version()
        );
    }
    Ok(())
}
