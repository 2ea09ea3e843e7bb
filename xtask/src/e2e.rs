//! `cargo xtask e2e`: the web app end to end in a real browser (also the
//! last web step of `cargo xtask test`).
//!
//! Installs Debian's Chromium when missing (apt as root), builds the web app
//! and then `shoebox` (which embeds it), starts a throwaway PostgreSQL and
//! `shoebox serve --with-worker` on a free 127.0.0.1 port with the demo
//! members of `shoebox seed` (the admin among them), and runs every
//! `web/e2e/*.e2e.mjs` with playwright-core driving Chromium. Everything it
//! started is stopped on the way out.
//!
//! Each test checks the pages it reaches under their route's name
//! (`checkPage` in `web/e2e/harness.mjs`: axe-core in both themes and at
//! phone size, and screenshots in `target/e2e-screenshots`); a route of
//! `web/src/router.ts` that no test checked fails the run, so a new page
//! cannot ship unscanned.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use shoebox_localpg::{Cluster, free_port};

use crate::prerequisites;
use crate::process::{run_step, run_streamed};
use crate::project;
use crate::server::Server;
use crate::ui::Step;
use crate::web;

/// `cargo xtask e2e [FILE...]`.
#[derive(Debug, clap::Args)]
pub(crate) struct Flags {
    /// Only these files of `web/e2e` (e.g. `albums.e2e.mjs`); the route
    /// coverage check then is skipped.
    files: Vec<String>,
}

pub(crate) fn run(flags: &Flags) -> Result<()> {
    web::build()?;
    exercise(&flags.files)
}

/// Runs the tests against the web app as `web/dist` holds it now.
pub(crate) fn exercise(files: &[String]) -> Result<()> {
    let chromium = prerequisites::debian_program("chromium", "chromium")?;
    prerequisites::postgres()?;
    let binary = project::build_debug_shoebox("building shoebox with the web app embedded")?;
    let work_dir = project::root().join("target").join("shoebox-e2e");
    let screenshots = project::root().join("target").join("e2e-screenshots");
    for dir in [&work_dir, &screenshots] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let objects = work_dir.join("objects");
    std::fs::create_dir_all(&objects)
        .with_context(|| format!("could not create {}", objects.display()))?;

    let step = Step::start("starting a throwaway PostgreSQL");
    let cluster = Cluster::start_ephemeral()?;
    step.done();
    let result = (|| -> Result<()> {
        cluster.create_database("shoebox")?;
        let port = free_port()?;
        let mut env = crate::server::local_env(&cluster.admin_url("shoebox"), port, &objects);
        // The development mailer: the tests read the messages from this folder.
        let mail = work_dir.join("mail");
        env.push((
            "SHOEBOX_MAIL__FOLDER".to_owned(),
            mail.display().to_string(),
        ));
        let shoebox = |arg: &str| {
            let mut command = std::process::Command::new(&binary);
            command
                .arg(arg)
                .envs(env.iter().map(|(name, value)| (name, value)));
            command
        };
        run_step("migrating the database", &mut shoebox("migrate"))?;
        run_step("seeding the demo members", &mut shoebox("seed"))?;
        let mut server = Server::spawn(&binary, port, &env)?;
        let tested = server.wait_healthy(Duration::from_secs(60)).and_then(|()| {
            run_streamed(
                web::npm()?
                    .args(["run", "e2e", "--"])
                    .args(files)
                    .env("SHOEBOX_E2E_URL", format!("http://127.0.0.1:{port}"))
                    .env("SHOEBOX_E2E_CHROMIUM", &chromium)
                    .env("SHOEBOX_E2E_SCREENSHOTS", &screenshots)
                    .env("SHOEBOX_E2E_MAIL_DIR", &mail),
            )
        });
        let stopped = server.terminate();
        tested.and(stopped)
    })();
    let stopped = cluster.stop();
    result?;
    stopped?;
    if files.is_empty() {
        every_route_was_checked(&screenshots)?;
    }
    crate::ui::note(&format!("screenshots: {}", screenshots.display()));
    Ok(())
}

/// Fails unless each page of the router's `Route` type has its light-theme
/// screenshot, which `checkPage` writes only after a clean scan.
fn every_route_was_checked(screenshots: &Path) -> Result<()> {
    let router = std::fs::read_to_string(web::dir().join("src/router.ts"))
        .context("could not read web/src/router.ts")?;
    let pages = route_pages(&router);
    if pages.is_empty() {
        bail!("found no `{{ page: \"...\" }}` routes in web/src/router.ts");
    }
    let unchecked: Vec<&str> = pages
        .iter()
        .map(String::as_str)
        .filter(|page| !screenshots.join(format!("{page}-light.png")).is_file())
        .collect();
    if !unchecked.is_empty() {
        bail!(
            "no end-to-end test checked these pages (checkPage(page, name) in web/e2e): {}",
            unchecked.join(", ")
        );
    }
    Ok(())
}

/// The page names of the `Route` union: each `| { page: "name"` line.
fn route_pages(router: &str) -> Vec<String> {
    let Some(start) = router.find("export type Route") else {
        return Vec::new();
    };
    let union = &router[start..];
    // Variants carry `;` between their fields; the union ends at `};`.
    let end = union.find("};").unwrap_or(union.len());
    let mut pages: Vec<String> = union[..end]
        .split("{ page: \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_owned()))
        .collect();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_union_names_the_pages() {
        let router = "const x = { page: \"ignored\" };\nexport type Route =\n  | { page: \"gallery\" }\n  | { page: \"album\"; albumId: string }\n  | { page: \"not-found\" };\nconst y = { page: \"later\" };";
        assert_eq!(route_pages(router), ["gallery", "album", "not-found"]);
    }

    #[test]
    fn the_real_router_has_the_pages_of_spec_9() {
        let router = std::fs::read_to_string(web::dir().join("src/router.ts")).unwrap();
        let pages = route_pages(&router);
        for page in [
            "sign-in",
            "gallery",
            "album",
            "shared",
            "settings",
            "admin-jobs",
            "admin-backups",
            "admin-audit",
        ] {
            assert!(pages.iter().any(|name| name == page), "{page}: {pages:?}");
        }
    }
}
