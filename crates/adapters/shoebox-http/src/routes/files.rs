//! Answering a request for a photo file: conditional requests (`ETag`,
//! `If-None-Match`), single byte ranges (`Range`, `If-Range`), caching
//! headers, an optional redirect to the store, and a streamed body.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        StatusCode,
        header::{self, ContentDisposition, DispositionParam, DispositionType, ExtendedValue},
    },
};
use futures_util::StreamExt;
use shoebox_domain::storage::ByteRange;
use shoebox_ports::inbound::{FileDescriptor, Photos, ReadFileError};

use crate::problem::Problem;

/// How long browsers may reuse a file without asking again.
#[derive(Debug, Clone, Copy)]
pub enum CachePolicy {
    /// Signed-in readers: an hour, then revalidate with the ETag.
    Member,
    /// Share-link readers: always revalidate, so a revoked link stops working at once.
    Shared,
}

impl CachePolicy {
    fn header(self) -> &'static str {
        match self {
            Self::Member => "private, max-age=3600",
            Self::Shared => "private, no-cache",
        }
    }
}

/// Whether `If-None-Match` names this file's current ETag.
fn not_modified(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

/// The single range asked for, when it applies: `If-Range` (if any) must
/// name the current ETag; several ranges or unparsable ones are ignored, as
/// RFC 9110 allows, and the whole file is sent.
fn requested_range(request: &HttpRequest, etag: &str) -> Option<ByteRange> {
    let raw = request.headers().get(header::RANGE)?.to_str().ok()?;
    if let Some(if_range) = request.headers().get(header::IF_RANGE)
        && if_range.to_str().ok()? != etag
    {
        return None;
    }
    parse_range(raw)
}

pub(crate) fn parse_range(raw: &str) -> Option<ByteRange> {
    let spec = raw.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    match (start.is_empty(), end.is_empty()) {
        (true, false) => Some(ByteRange::Suffix {
            length: end.parse().ok()?,
        }),
        (false, true) => Some(ByteRange::From {
            start: start.parse().ok()?,
        }),
        (false, false) => {
            let (start, end_inclusive) = (start.parse().ok()?, end.parse().ok()?);
            (start <= end_inclusive).then_some(ByteRange::FromTo {
                start,
                end_inclusive,
            })
        }
        (true, true) => None,
    }
}

fn disposition(file: &FileDescriptor, attachment: bool) -> ContentDisposition {
    let ascii: String = file
        .download_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: if attachment {
            DispositionType::Attachment
        } else {
            DispositionType::Inline
        },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: header::Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file.download_name.clone().into_bytes(),
            }),
        ],
    }
}

/// The response for `file`, which the caller is allowed to read.
pub async fn respond(
    request: &HttpRequest,
    photos: &dyn Photos,
    file: FileDescriptor,
    cache: CachePolicy,
    attachment: bool,
) -> Result<HttpResponse, Problem> {
    if not_modified(request, &file.etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, file.etag.clone()))
            .insert_header((header::CACHE_CONTROL, cache.header()))
            .finish());
    }
    if let Some(url) = photos.direct_url(file.clone()).await? {
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .finish());
    }
    let range = requested_range(request, &file.etag);
    let size = file.size;
    let mut response = HttpResponse::build(StatusCode::OK);
    response
        .insert_header((header::ETAG, file.etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache.header()))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CONTENT_TYPE, file.format.media_type()))
        .insert_header((header::CONTENT_DISPOSITION, disposition(&file, attachment)));
    let bytes = match photos.read(file, range).await {
        Ok(bytes) => bytes,
        Err(ReadFileError::Unsatisfiable(_)) => {
            return Err(Problem::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                "Range not satisfiable",
            )
            .with_detail(format!("the file is {size} bytes long"))
            .with_header(header::CONTENT_RANGE, format!("bytes */{size}")));
        }
        Err(ReadFileError::NotFound) => {
            return Err(Problem::internal(anyhow::anyhow!(
                "a recorded photo file is missing from the store"
            )));
        }
        Err(ReadFileError::Unexpected(cause)) => return Err(Problem::internal(cause)),
    };
    if range.is_some() {
        response.status(StatusCode::PARTIAL_CONTENT).insert_header((
            header::CONTENT_RANGE,
            format!(
                "bytes {}-{}/{size}",
                bytes.range.start,
                bytes.range.end.saturating_sub(1)
            ),
        ));
    }
    let length = bytes.range.end - bytes.range.start;
    let body = bytes.body.map(|chunk| {
        chunk.map_err(|error| actix_web::error::ErrorInternalServerError(error.to_string()))
    });
    Ok(response.no_chunking(length).streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges_parse_and_others_are_ignored() {
        assert_eq!(
            parse_range("bytes=0-99"),
            Some(ByteRange::FromTo {
                start: 0,
                end_inclusive: 99
            })
        );
        assert_eq!(
            parse_range("bytes=100-"),
            Some(ByteRange::From { start: 100 })
        );
        assert_eq!(
            parse_range("bytes=-5"),
            Some(ByteRange::Suffix { length: 5 })
        );
        for ignored in [
            "bytes=5-1",
            "bytes=0-1,4-5",
            "items=0-1",
            "bytes=-",
            "bytes=a-b",
            "",
        ] {
            assert_eq!(parse_range(ignored), None, "{ignored}");
        }
    }
}
