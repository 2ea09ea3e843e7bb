//! Request ids, the request span, one completion log line per request, and
//! problem+json for errors produced outside our handlers.

use std::time::Instant;

use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::Next,
};
use tracing::Instrument;

use crate::{
    HttpMetrics,
    problem::{PROBLEM_CONTENT_TYPE, Problem},
};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The id of a request: the one a trusted proxy sent when it is sane, else a new one.
fn request_id_for(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
        .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_owned)
}

/// Wraps each request in a span carrying its id and route, returns the id in
/// `X-Request-Id`, logs one line when the response is ready, and counts it
/// (with its latency) in the [`HttpMetrics`]. Paths are
/// logged as their route pattern, never raw: raw paths can hold secrets
/// (share-link tokens).
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = request_id_for(&req);
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let metrics = req.app_data::<actix_web::web::Data<HttpMetrics>>().cloned();
    let span = tracing::info_span!("http_request", request_id = %request_id, method = %method, route = %route);

    // Handler errors arrive here as responses; only middleware errors are `Err`.
    // The request cannot be cloned before routing, so those propagate as they are.
    let outcome = REQUEST_ID
        .scope(request_id.clone(), next.call(req).instrument(span.clone()))
        .await;
    let mut response = match outcome {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            span.in_scope(|| tracing::warn!(error = %error, "request failed in middleware"));
            if let Some(metrics) = &metrics {
                let status = error.as_response_error().status_code().as_u16();
                metrics.record(&route, &method, status, started.elapsed().as_secs_f64());
            }
            return Err(error);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(metrics) = &metrics {
        metrics.record(&route, &method, status, elapsed);
    }
    let latency_ms = elapsed * 1000.0;
    // The line carries its own request_id, route and method (not only the
    // span's), so Loki sees one flat object per request.
    span.in_scope(|| {
        tracing::info!(
            request_id = %request_id,
            route = %route,
            method = %method,
            status,
            latency_ms,
            "request completed"
        );
    });
    Ok(response)
}

/// Rewrites error responses that are not problem+json (a 405 from routing, a
/// 413 from a payload limit...) into problem+json for their status.
pub async fn problem_for_bare_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value
                .as_bytes()
                .starts_with(PROBLEM_CONTENT_TYPE.as_bytes())
        });
    if status.as_u16() < 400 || is_problem {
        return Ok(response);
    }
    let problem = Problem::for_status(status);
    Ok(response.into_response(actix_web::ResponseError::error_response(&problem)))
}
