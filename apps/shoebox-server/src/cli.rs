//! The command line of `shoebox`.

use std::{io::Write, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use crate::{build_info, commands, settings::Settings};

#[derive(Debug, Parser)]
#[command(name = "shoebox", version = build_info::VERSION, about = "Self-hostable photo sharing for clubs, associations and families.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API, the API docs and (later) the web app.
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
    pub file: Option<std::path::PathBuf>,
    /// How long to measure, in seconds.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Write the 12-megapixel bench photo (a JPEG) to this path instead.
    #[arg(long, conflicts_with = "file")]
    pub generate_sample: Option<std::path::PathBuf>,
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
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
