//! The wrk scenarios against the server, and measuring one while sampling
//! the server's memory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::report::Measured;
use super::wrk::{self, Scenario};
use super::{album, rss};
use crate::api_session::{BENCH_EMAIL, BENCH_PASSWORD, Session};
use crate::server::Server;
use crate::ui::Step;

/// The API scenarios: `/api/v1/me`, `/healthz`, then the login storm.
pub(crate) fn api(session: &Session, login_script: &Path) -> Vec<Scenario> {
    vec![
        Scenario {
            name: "GET /api/v1/me",
            path: "/api/v1/me".to_owned(),
            connections: 32,
            headers: vec![session.cookie_header()],
            script: None,
        },
        Scenario {
            name: "GET /healthz",
            path: "/healthz".to_owned(),
            connections: 32,
            headers: Vec::new(),
            script: None,
        },
        Scenario {
            name: "POST /api/v1/auth/login (storm)",
            path: "/api/v1/auth/login".to_owned(),
            connections: 64,
            headers: Vec::new(),
            script: Some(login_script.to_path_buf()),
        },
    ]
}

/// One page of the [`album::PHOTOS`]-photo album, as its owner.
pub(crate) fn listing(session: &Session, album: &str) -> Scenario {
    Scenario {
        name: "GET album photos (limit=100)",
        path: album::listing_path(album),
        connections: 32,
        headers: vec![session.cookie_header()],
        script: None,
    }
}

/// Runs `scenario` against `server` on `port` for `seconds`, sampling its
/// memory; fails if wrk cannot run or the server exits.
pub(crate) fn measure(
    wrk: &Path,
    server: &mut Server,
    port: u16,
    scenario: &Scenario,
    seconds: u32,
) -> Result<Measured> {
    let pid = server.pid().context("the server has no process id")?;
    let step = Step::start(format!(
        "wrk: {} at {} connections, {seconds}s",
        scenario.name, scenario.connections
    ));
    let sampler = rss::RssSampler::start(pid);
    let summary = wrk::run(wrk, port, scenario, seconds);
    let peak_rss_kib = sampler.finish();
    let summary = match summary {
        Ok(summary) => {
            step.done();
            summary
        }
        Err(error) => {
            step.failed();
            return Err(error);
        }
    };
    if let Some(status) = server.exited()? {
        bail!("the server exited during `{}` ({status})", scenario.name);
    }
    Ok(Measured {
        name: scenario.name,
        connections: scenario.connections,
        summary,
        peak_rss_kib,
    })
}

/// The wrk script of the login storm: the bench user logging in, again and again.
pub(crate) fn write_login_script(work_dir: &Path) -> Result<PathBuf> {
    let script = work_dir.join("login.lua");
    let body = format!(r#"{{"email":"{BENCH_EMAIL}","password":"{BENCH_PASSWORD}"}}"#);
    let text = format!(
        "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
    );
    std::fs::write(&script, text)
        .with_context(|| format!("could not write {}", script.display()))?;
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_script_posts_json() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = std::fs::read_to_string(write_login_script(&dir).unwrap()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(script.contains("wrk.method = \"POST\""));
        assert!(script.contains(r#"wrk.headers["Content-Type"] = "application/json""#));
        assert!(script.contains(r#"'{"email":"bench@example.com","password":"#));
    }

    #[test]
    fn authenticated_scenarios_send_the_session_cookie() {
        let session = Session {
            port: 1,
            cookie: "abc".to_owned(),
            csrf: "t".to_owned(),
        };
        let listing = listing(&session, "a1");
        assert_eq!(listing.path, "/api/v1/albums/a1/photos?limit=100");
        assert_eq!(listing.headers, ["Cookie: shoebox_session=abc"]);
        let api = api(&session, Path::new("/x/login.lua"));
        assert_eq!(api[0].headers, listing.headers);
        assert_eq!(api[2].script.as_deref(), Some(Path::new("/x/login.lua")));
    }
}
