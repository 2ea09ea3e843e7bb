//! A signed-in API session over `curl` (the bench's user, the smoke test's):
//! the few API calls the bench scenarios need before
//! they measure: sign-up with the tiny client, then `curl` for what needs a
//! cookie and a CSRF token (JSON requests, streaming multipart uploads).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::http;
use crate::process::describe;

pub(crate) const BENCH_EMAIL: &str = "bench@example.com";
pub(crate) const BENCH_PASSWORD: &str = "bench-Correct-Horse-Battery-Staple-42";

/// A signed-in browser session of the bench user.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) port: u16,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

/// A finished curl request: status code and body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Answer {
    /// The body as JSON when the status is `expected`, else an error naming `what`.
    pub(crate) fn json(&self, expected: u16, what: &str) -> Result<Value> {
        if self.status != expected {
            bail!("{what} answered {}: {}", self.status, self.body.trim());
        }
        serde_json::from_str(&self.body).with_context(|| format!("{what} answered no JSON"))
    }
}

/// Signs up the bench user on 127.0.0.1:`port`.
pub(crate) fn sign_up(port: u16) -> Result<Session> {
    let body = format!(
        r#"{{"email":"{BENCH_EMAIL}","password":"{BENCH_PASSWORD}","display_name":"Bench"}}"#
    );
    let response = http::post_json(port, "/api/v1/auth/signup", &body)
        .context("could not sign up the bench user")?;
    if !(200..300).contains(&response.status) {
        bail!(
            "signing up the bench user answered {}: {}",
            response.status,
            response.body
        );
    }
    let cookie = response
        .cookie("shoebox_session")
        .map(str::to_owned)
        .context("the sign-up response set no shoebox_session cookie")?;
    let signed_in: Value =
        serde_json::from_str(&response.body).context("the sign-up response is not JSON")?;
    let csrf = signed_in["csrf_token"]
        .as_str()
        .map(str::to_owned)
        .context("the sign-up response has no csrf_token")?;
    Ok(Session { port, cookie, csrf })
}

impl Session {
    /// The `Cookie` header wrk and curl send.
    pub(crate) fn cookie_header(&self) -> String {
        format!("Cookie: shoebox_session={}", self.cookie)
    }

    /// `curl` set up for `path` with the session's cookie and CSRF token;
    /// it prints the body, a newline and the status code.
    pub(crate) fn curl(&self, path: &str) -> Command {
        let mut command = Command::new("curl");
        command
            .args(["--silent", "--show-error", "--write-out", "\n%{http_code}"])
            .arg("-H")
            .arg(self.cookie_header())
            .arg("-H")
            .arg(format!("X-CSRF-Token: {}", self.csrf))
            // No `Expect: 100-continue` round trip before large bodies.
            .args(["-H", "Expect:"])
            .arg(format!("http://127.0.0.1:{}{path}", self.port))
            .stdin(Stdio::null());
        command
    }

    /// `curl` uploading `files` in one streaming multipart request
    /// (`POST /api/v1/photos`, one `file` field each).
    pub(crate) fn upload_command(&self, files: &[PathBuf]) -> Command {
        let mut command = self.curl("/api/v1/photos");
        for file in files {
            command
                .arg("-F")
                .arg(format!("file=@{};type=image/jpeg", file.display()));
        }
        command
    }

    pub(crate) fn get(&self, path: &str) -> Result<Answer> {
        run(&mut self.curl(path))
    }

    /// `method path` with a JSON body.
    pub(crate) fn send_json(&self, method: &str, path: &str, json: &Value) -> Result<Answer> {
        let mut command = self.curl(path);
        command
            .args([
                "-X",
                method,
                "-H",
                "Content-Type: application/json",
                "--data",
            ])
            .arg(json.to_string());
        run(&mut command)
    }

    /// Uploads `files` in one request; the ids of the photos, in order.
    pub(crate) fn upload(&self, files: &[PathBuf]) -> Result<Vec<String>> {
        let answer = run(&mut self.upload_command(files))?;
        created_ids(&answer, files.len())
    }
}

/// Runs a command made by [`Session::curl`] and reads its answer.
pub(crate) fn run(command: &mut Command) -> Result<Answer> {
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", describe(command)))?;
    if !output.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    parse_answer(&String::from_utf8_lossy(&output.stdout))
}

fn parse_answer(printed: &str) -> Result<Answer> {
    let (body, status) = printed
        .rsplit_once('\n')
        .context("curl printed no status code")?;
    let status = status
        .trim()
        .parse()
        .with_context(|| format!("curl printed no status code: {status:?}"))?;
    Ok(Answer {
        status,
        body: body.to_owned(),
    })
}

/// The photo ids of an upload answer (`201`, one `created` item per file).
pub(crate) fn created_ids(answer: &Answer, files: usize) -> Result<Vec<String>> {
    let items = answer.json(201, "POST /api/v1/photos")?;
    let items = items
        .as_array()
        .context("the upload answer is not a list")?;
    if items.len() != files {
        bail!("uploaded {files} files, the answer lists {}", items.len());
    }
    items
        .iter()
        .map(|item| {
            if item["outcome"] != "created" {
                bail!("an upload was not created: {item}");
            }
            item["photo"]["id"]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("an uploaded photo has no id: {item}"))
        })
        .collect()
}

/// Writes `bytes` followed by `padding` zero bytes to `path`: a JPEG stays
/// valid (zeros after the end of image are accepted) and gets new bytes,
/// so that the server's per-user de-duplication keeps every copy.
pub(crate) fn write_padded(path: &Path, bytes: &[u8], padding: usize) -> Result<()> {
    let mut padded = Vec::with_capacity(bytes.len() + padding);
    padded.extend_from_slice(bytes);
    padded.resize(bytes.len() + padding, 0);
    std::fs::write(path, padded).with_context(|| format!("could not write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_curl_s_body_and_status() {
        let answer = parse_answer("{\"a\":1}\n201").unwrap();
        assert_eq!(answer.status, 201);
        assert_eq!(answer.body, "{\"a\":1}");
        assert!(answer.json(200, "x").is_err());
        assert!(parse_answer("no status").is_err());
    }

    #[test]
    fn upload_answers_give_ids_only_when_all_were_created() {
        let created = Answer {
            status: 201,
            body: r#"[{"outcome":"created","photo":{"id":"p1"}}]"#.to_owned(),
        };
        assert_eq!(created_ids(&created, 1).unwrap(), ["p1"]);
        assert!(created_ids(&created, 2).is_err());
        let duplicate = Answer {
            status: 201,
            body: r#"[{"outcome":"duplicate","photo":{"id":"p1"}}]"#.to_owned(),
        };
        assert!(created_ids(&duplicate, 1).is_err());
    }

    #[test]
    fn uploads_are_multipart_file_fields_with_the_csrf_token() {
        let session = Session {
            port: 8080,
            cookie: "c".to_owned(),
            csrf: "t".to_owned(),
        };
        let command = describe(&session.upload_command(&[PathBuf::from("/x/a.jpg")]));
        assert!(command.contains("X-CSRF-Token: t"), "{command}");
        assert!(command.contains("Cookie: shoebox_session=c"), "{command}");
        assert!(
            command.contains("file=@/x/a.jpg;type=image/jpeg"),
            "{command}"
        );
    }
}
