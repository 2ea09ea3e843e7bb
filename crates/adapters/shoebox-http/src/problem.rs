//! `application/problem+json` (RFC 9457) for every error response.
//!
//! Each problem has a stable `type` (`/problems/<slug>`) that clients may
//! branch on; `title` is a short human summary and `detail` the specifics.
//! Internal errors carry their cause only in the log, never in the body.

use std::fmt;

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    error::{JsonPayloadError, PathError, QueryPayloadError},
    http::{StatusCode, header},
    web,
};
use serde::Serialize;

use crate::middleware::current_request_id;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One invalid field of a request body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error response: a handle on its (boxed, so `Result`s stay small) details.
pub struct Problem(Box<ProblemDetails>);

/// An RFC 9457 problem document.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDetails {
    /// Stable identifier of the kind of problem, e.g. `/problems/invalid-credentials`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The id of the request, also in the `X-Request-Id` header and the server log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip)]
    retry_after_seconds: Option<u64>,
    #[serde(skip)]
    cause: Option<anyhow::Error>,
    #[serde(skip)]
    headers: Vec<(header::HeaderName, String)>,
}

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Problem")
            .field("type", &self.0.problem_type)
            .field("status", &self.0.status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0.title, self.0.problem_type)
    }
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &str) -> Self {
        Self(Box::new(ProblemDetails {
            problem_type: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            request_id: None,
            errors: Vec::new(),
            retry_after_seconds: None,
            cause: None,
            headers: Vec::new(),
        }))
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// An extra response header (e.g. `Content-Range` on a 416).
    pub fn with_header(mut self, name: header::HeaderName, value: String) -> Self {
        self.0.headers.push((name, value));
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after_seconds = Some(seconds);
        self
    }

    /// 422: the body parsed but some fields are invalid. Takes `(field, error)` pairs; `None` errors are skipped.
    pub fn validation(fields: impl IntoIterator<Item = (&'static str, Option<String>)>) -> Self {
        let errors: Vec<FieldError> = fields
            .into_iter()
            .filter_map(|(field, message)| {
                message.map(|message| FieldError {
                    field: field.to_owned(),
                    message,
                })
            })
            .collect();
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "Some fields are invalid",
        )
        .with_detail(detail);
        problem.0.errors = errors;
        problem
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in required",
        )
        .with_detail("not signed in, or the session or token is no longer valid")
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed").with_detail(detail)
    }

    /// 429 for requests that mail something (resets, verification,
    /// invitations), with `Retry-After`.
    pub fn too_many_requests(retry_after_seconds: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many requests",
        )
        .with_detail(format!("try again in {retry_after_seconds} seconds"))
        .with_retry_after(retry_after_seconds)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .with_detail(format!("no such {what}"))
    }

    /// 500. The cause goes to the log (once, with the request id), never to the client.
    pub fn internal(cause: anyhow::Error) -> Self {
        let mut problem = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
        )
        .with_detail("something went wrong on our side; quote the request id when reporting it");
        problem.0.cause = Some(cause);
        problem
    }

    /// A problem for a status produced outside our handlers (405, 413 from the framework...).
    pub fn for_status(status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("Error");
        let slug = reason.to_lowercase().replace(' ', "-");
        Self::new(status, &slug, reason)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = current_request_id();
        let details = &self.0;
        if let Some(cause) = &details.cause {
            tracing::error!(error = %format!("{cause:#}"), request_id = request_id.as_deref().unwrap_or("-"), "request failed");
        }
        let body = ProblemDetails {
            problem_type: details.problem_type.clone(),
            title: details.title.clone(),
            status: details.status,
            detail: details.detail.clone(),
            request_id,
            errors: details.errors.clone(),
            retry_after_seconds: None,
            cause: None,
            headers: Vec::new(),
        };
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        for (name, value) in &details.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        if let Some(seconds) = details.retry_after_seconds {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.body(serde_json::to_vec(&body).unwrap_or_default())
    }
}

impl From<anyhow::Error> for Problem {
    fn from(cause: anyhow::Error) -> Self {
        Self::internal(cause)
    }
}

pub async fn not_found() -> Result<HttpResponse, Problem> {
    Err(
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .with_detail("no route matches this path"),
    )
}

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _req: &HttpRequest| {
            let problem = match &error {
                JsonPayloadError::ContentType => Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    "Unsupported media type",
                )
                .with_detail("send the body as application/json"),
                JsonPayloadError::Overflow { limit }
                | JsonPayloadError::OverflowKnownLength { limit, .. } => Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body-too-large",
                    "Request body too large",
                )
                .with_detail(format!("the limit is {limit} bytes")),
                JsonPayloadError::Deserialize(inner) => Problem::new(
                    StatusCode::BAD_REQUEST,
                    "malformed-body",
                    "Malformed request body",
                )
                .with_detail(inner.to_string()),
                _ => Problem::new(
                    StatusCode::BAD_REQUEST,
                    "malformed-body",
                    "Malformed request body",
                )
                .with_detail("the body could not be read as JSON"),
            };
            problem.into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_error: PathError, _req: &HttpRequest| {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .with_detail("no such resource")
            .into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _req: &HttpRequest| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-query",
            "Malformed query string",
        )
        .with_detail(error.to_string())
        .into()
    })
}
