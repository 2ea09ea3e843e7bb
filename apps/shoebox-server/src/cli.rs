//! The command line of `shoebox`.

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;
use shoebox_application::backups::BackupSelector;

use crate::{build_info, commands, settings::Settings};

#[derive(Debug, Parser)]
#[command(name = "shoebox", version = build_info::VERSION, about = "Self-hostable photo sharing for clubs, associations and families.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API, the API docs and the web app.
    Serve(ServeArgs),
    /// Run background jobs and the scheduler until SIGTERM or SIGINT.
    Worker,
    /// Apply pending database migrations (under an advisory lock), show their status, or wait for them.
    Migrate(MigrateArgs),
    /// Manage accounts.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Create demo members for development (idempotent). Refused on an https public URL unless --force.
    Seed {
        #[arg(long)]
        force: bool,
    },
    /// Back up the database to the object store, list, prune, restore and verify backups.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Print the OpenAPI 3.1 document.
    Openapi,
    /// Inspect the configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Measure thumbnail throughput on one photo (for `cargo xtask bench`).
    #[command(hide = true)]
    BenchThumbnail(BenchThumbnailArgs),
}

#[derive(Debug, Args)]
pub struct BenchThumbnailArgs {
    /// The photo to make 400-pixel thumbnails of; prints `{"photos_per_second": x}`.
    #[arg(required_unless_present = "generate_sample")]
    pub file: Option<PathBuf>,
    /// How long to measure, in seconds.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Write the 12-megapixel bench photo (a JPEG) to this path instead.
    #[arg(long, conflicts_with = "file")]
    pub generate_sample: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Also run the background worker and scheduler in this process (a single machine).
    #[arg(long)]
    pub with_worker: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Show applied and pending migrations; change nothing.
    #[arg(long, conflicts_with = "wait")]
    pub status: bool,
    /// Wait until another process has applied every migration this binary needs (init containers).
    #[arg(long)]
    pub wait: bool,
    /// Seconds to wait with --wait before failing.
    #[arg(long, requires = "wait", default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Delete a member: revoked at once, erased (with every photo, album and file) after the grace period, or now.
    Delete {
        /// The member's email address.
        email: String,
        /// Erase at once instead of after `privacy.deletion_grace_days`.
        #[arg(long)]
        now: bool,
    },
    /// Create an admin account, or make an existing account admin with a new password.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Admin")]
        display_name: String,
        /// Read the password from the first line of standard input; otherwise a strong one is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Back up now: pg_dump streamed to the store, the manifest written last.
    Run,
    /// List backups, oldest first: complete ones are restorable.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Delete the backups the retention policy no longer keeps.
    Prune {
        /// Print each backup with keep or delete and the rule that decided; delete nothing.
        #[arg(long)]
        dry_run: bool,
        /// Decide as of this moment (RFC 3339, e.g. 2027-01-01T00:00:00Z) instead of now; only with --dry-run.
        #[arg(long, requires = "dry_run", value_parser = parse_moment)]
        now: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Restore a backup (an id from `list`, or `latest`), then migrate to this binary's schema.
    Restore {
        /// A backup id such as 20261204T061500Z, or `latest`.
        backup: BackupSelector,
        /// The database to restore into (a postgres:// URL); the configured one by default.
        #[arg(long, env = "SHOEBOX_RESTORE_TARGET", hide_env_values = true)]
        target: Option<SecretString>,
        /// Replace the contents of a database that is not empty.
        #[arg(long)]
        force: bool,
        /// The age identity file, for an encrypted backup (default: backup.identity_file).
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Restore a backup into a scratch database, compare it with its manifest, drop it, record the result.
    Verify {
        /// A backup id such as 20261204T061500Z, or `latest`.
        backup: BackupSelector,
        /// The age identity file, for an encrypted backup (default: backup.identity_file).
        #[arg(long)]
        identity: Option<PathBuf>,
    },
}

fn parse_moment(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|moment| moment.to_utc())
        .map_err(|error| format!("{error} (expected RFC 3339, e.g. 2027-01-01T00:00:00Z)"))
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and print the effective values (secrets redacted).
    Check,
}

/// Writes command output to standard output (logs go to standard error).
pub(crate) fn say(text: impl AsRef<str>) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", text.as_ref());
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = shoebox_telemetry::init(&settings.log) {
        eprintln!("error: {error:#}");
        return ExitCode::from(2);
    }
    let outcome = actix_web::rt::System::new().block_on(commands::run(cli.command, settings));
    // Traces still batched go out before the process ends.
    shoebox_telemetry::shutdown();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
