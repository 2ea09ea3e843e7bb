//! The web app (`web/`, built by Vite into `web/dist`), served from bytes
//! compiled into the binary by `build.rs`.
//!
//! Hashed files under `/assets/` never change, so browsers keep them a year;
//! `index.html` and the other unhashed files are revalidated on every load,
//! which is what makes a new release show up. Any other GET that asks for
//! HTML gets `index.html` (the app routes on the client); the server's own
//! paths (`/api/*`, `/healthz`, ...) never do, so an unknown API route stays
//! a problem+json 404.
//!
//! Architecture Invariant: the HTML carries a CSP without `'unsafe-inline'`
//! for scripts or styles; the build emits no inline code.

use std::{collections::HashMap, sync::Arc};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{Method, header},
    web,
};
use bytes::Bytes;

use crate::problem::{self, Problem};

mod encoding;

use encoding::{WebFile, accepts_gzip};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_app_files.rs"));
}

/// Stricter than the API's policy: the web app needs no inline styles
/// (Swagger UI and ReDoc do, and keep theirs).
pub const WEB_APP_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; \
base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

const NOT_BUILT: &str = "Shoebox: the web app is not built into this binary.\n\n\
Build it, then build the server again:\n\n    cd web && npm ci && npm run build\n    cargo build --release\n\n\
For development, `cargo xtask dev` serves it with hot reload.\n\
The API is available under /api/v1 (documentation at /docs).\n";

/// The files of the built web app, by path relative to the site root.
#[derive(Debug, Clone)]
pub struct WebApp {
    files: Arc<HashMap<String, WebFile>>,
}

impl WebApp {
    /// The files compiled into this binary (none when `web/dist` was missing).
    pub fn embedded() -> Self {
        Self::from_files(
            embedded::FILES
                .iter()
                .map(|(path, bytes)| ((*path).to_owned(), Bytes::from_static(bytes))),
        )
    }

    /// Any set of files, e.g. a fixture in tests. Paths have no leading `/`.
    pub fn from_files(files: impl IntoIterator<Item = (String, Bytes)>) -> Self {
        Self {
            files: Arc::new(
                files
                    .into_iter()
                    .map(|(path, bytes)| {
                        let file = WebFile::new(&path, bytes);
                        (path, file)
                    })
                    .collect(),
            ),
        }
    }

    /// One file's bytes, by path relative to the site root.
    pub fn file(&self, path: &str) -> Option<&Bytes> {
        self.files.get(path).map(|file| &file.bytes)
    }

    /// Whether there is an app to serve, rather than the "not built" page.
    pub fn is_built(&self) -> bool {
        self.files.contains_key("index.html")
    }
}

/// The default service: web app files, the SPA fallback, or a 404 problem.
pub async fn serve(
    request: HttpRequest,
    web_app: web::Data<WebApp>,
) -> Result<HttpResponse, Problem> {
    let path = request.path();
    let method = request.method();
    if is_server_path(path) || (method != Method::GET && method != Method::HEAD) {
        return problem::not_found().await;
    }
    let relative = path.trim_start_matches('/');
    if let Some(file) = web_app.files.get(relative).filter(|_| !relative.is_empty()) {
        if relative == "index.html" {
            return Ok(index(&request, file));
        }
        let cache = if relative.starts_with("assets/") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let mut response = HttpResponse::Ok();
        response
            .content_type(content_type(relative))
            .insert_header((header::CACHE_CONTROL, cache));
        return Ok(body(&request, &mut response, file));
    }
    // A missing hashed file (an old tab after a release) must stay a 404:
    // HTML in its place would be parsed as script or style.
    if relative.starts_with("assets/") || !accepts_html(&request) {
        return problem::not_found().await;
    }
    Ok(match web_app.files.get("index.html") {
        Some(file) => index(&request, file),
        // 200, not 503: every error status becomes a problem+json document
        // (middleware), and this page is meant for a person in a browser.
        None => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(NOT_BUILT),
    })
}

fn index(request: &HttpRequest, file: &WebFile) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, REVALIDATE))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            WEB_APP_CONTENT_SECURITY_POLICY,
        ));
    body(request, &mut response, file)
}

/// The file's gzip form when the browser takes it, else its bytes; either
/// way caches learn that the answer depends on `Accept-Encoding`.
fn body(
    request: &HttpRequest,
    response: &mut actix_web::HttpResponseBuilder,
    file: &WebFile,
) -> HttpResponse {
    if !file.compressible() {
        return response.body(file.bytes.clone());
    }
    response.insert_header((header::VARY, "Accept-Encoding"));
    match file.gzip().filter(|_| accepts_gzip(request)) {
        Some(gzip) => response
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(gzip.clone()),
        None => response.body(file.bytes.clone()),
    }
}

/// Paths the server answers itself; the SPA fallback never shadows them.
fn is_server_path(path: &str) -> bool {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    ["/api", "/docs", "/redoc"].into_iter().any(under)
        || matches!(path, "/healthz" | "/readyz" | "/version" | "/metrics")
}

fn accepts_html(request: &HttpRequest) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.contains("text/html"))
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths_are_whole_segments() {
        for path in [
            "/api",
            "/api/v1/nope",
            "/healthz",
            "/docs/",
            "/redoc",
            "/metrics",
        ] {
            assert!(is_server_path(path), "{path}");
        }
        for path in ["/", "/apis", "/albums/1", "/docsearch", "/upload"] {
            assert!(!is_server_path(path), "{path}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type("assets/index-1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
