//! `cargo xtask lint`: the formatting check and clippy with warnings denied,
//! then the web app's ESLint and TypeScript checks, then the migration
//! linter. All run even when one fails, so one run reports everything.

use anyhow::{Result, bail};

use crate::process::run_streamed;
use crate::project;

pub(crate) fn run() -> Result<()> {
    let format = run_streamed(project::cargo().args(["fmt", "--all", "--", "--check"]));
    let clippy = run_streamed(project::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]));
    let web = crate::web::lint();
    let migrations = crate::migration_lint::run();
    match (format, clippy) {
        (Ok(()), Ok(())) => web.and(migrations),
        (Err(_), Err(_)) => bail!("formatting and clippy both failed (see above)"),
        (Err(error), Ok(())) => Err(error.context("formatting is off: run `cargo fmt --all`")),
        (Ok(()), Err(error)) => Err(error),
    }
}
