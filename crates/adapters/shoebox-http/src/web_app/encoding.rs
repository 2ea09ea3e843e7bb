//! gzip for the web app's text files (scripts, styles, HTML, SVG, JSON).
//!
//! Each file is compressed once, on its first request by a browser that
//! accepts gzip, at the best level, and the result is kept for the life of
//! the process: the app's scripts are the bulk of a first visit (issue 4's
//! budget counts them gzipped) and never change while the binary runs.

use std::{io::Write as _, sync::OnceLock};

use actix_web::{HttpRequest, http::header};
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};

/// A file's bytes, and its gzip form once someone asked for it.
#[derive(Debug)]
pub(super) struct WebFile {
    pub(super) bytes: Bytes,
    compressible: bool,
    gzip: OnceLock<Option<Bytes>>,
}

impl WebFile {
    pub(super) fn new(path: &str, bytes: Bytes) -> Self {
        Self {
            compressible: is_compressible(path),
            bytes,
            gzip: OnceLock::new(),
        }
    }

    /// Whether responses vary with `Accept-Encoding`.
    pub(super) fn compressible(&self) -> bool {
        self.compressible
    }

    /// The gzip form, when the file is text and compressing saves bytes.
    pub(super) fn gzip(&self) -> Option<&Bytes> {
        if !self.compressible {
            return None;
        }
        self.gzip.get_or_init(|| compress(&self.bytes)).as_ref()
    }
}

fn compress(bytes: &[u8]) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::best());
    // Writing into a Vec cannot fail; if it somehow did, serve uncompressed.
    encoder.write_all(bytes).ok()?;
    let compressed = encoder.finish().ok()?;
    (compressed.len() < bytes.len()).then(|| Bytes::from(compressed))
}

fn is_compressible(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    matches!(
        extension,
        "html" | "js" | "mjs" | "css" | "json" | "map" | "svg" | "txt" | "webmanifest" | "ico"
    )
}

/// Whether the request's `Accept-Encoding` allows gzip (RFC 9110 §12.5.3:
/// `gzip` or `*`, unless its weight is 0).
pub(super) fn accepts_gzip(request: &HttpRequest) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|parameter| {
                parameter
                    .strip_prefix("q=")
                    .or_else(|| parameter.strip_prefix("Q="))
                    .and_then(|weight| weight.parse::<f32>().ok())
                    .is_some_and(|weight| weight <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use actix_web::test::TestRequest;
    use flate2::read::GzDecoder;

    use super::*;

    fn request(accept_encoding: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((header::ACCEPT_ENCODING, accept_encoding))
            .to_http_request()
    }

    #[test]
    fn gzip_is_accepted_by_name_or_wildcard_unless_weighted_zero() {
        assert!(accepts_gzip(&request("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&request("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&request("*")));
        assert!(!accepts_gzip(&request("gzip;q=0")));
        assert!(!accepts_gzip(&request("br, identity")));
        assert!(!accepts_gzip(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn text_files_compress_to_the_same_bytes_and_others_stay_as_they_are() {
        let script = Bytes::from("console.log('shoebox');\n".repeat(200));
        let file = WebFile::new("assets/index-1.js", script.clone());
        let gzip = file.gzip().expect("a repetitive script compresses");
        assert!(gzip.len() < script.len() / 10);
        let mut decoded = Vec::new();
        GzDecoder::new(&gzip[..]).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, script);

        assert!(WebFile::new("photo.png", script.clone()).gzip().is_none());
        // Compressing two bytes only adds a header: the original is served.
        assert!(
            WebFile::new("tiny.txt", Bytes::from_static(b"ok"))
                .gzip()
                .is_none()
        );
    }
}
