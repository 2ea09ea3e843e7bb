//! Liveness, readiness and version, for probes and operators.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;
use shoebox_ports::inbound::NotReady;
use utoipa::ToSchema;

use crate::{
    BuildInfo, HttpState,
    problem::{Problem, ProblemDetails},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    pub status: &'static str,
}

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "The process is up", body = StatusResponse)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(StatusResponse { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Database reachable and schema compatible", body = StatusResponse),
        (status = 503, description = "Not ready", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn readyz(state: web::Data<HttpState>) -> Result<HttpResponse, Problem> {
    state
        .use_cases
        .operations
        .readiness()
        .await
        .map_err(|error| {
            if let NotReady::DatabaseUnreachable(cause) = &error {
                tracing::warn!(error = %format!("{cause:#}"), "not ready");
            }
            let detail = error.to_string();
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready")
                .with_detail(detail)
        })?;
    Ok(HttpResponse::Ok().json(StatusResponse { status: "ready" }))
}

#[utoipa::path(get, path = "/version", tag = "operations", responses((status = 200, body = BuildInfo)))]
pub async fn version(state: web::Data<HttpState>) -> web::Json<BuildInfo> {
    web::Json(state.build.clone())
}

/// Prometheus text (`text/plain; version=0.0.4`). Not in the API document:
/// it is for the scraper, and carries no member data.
pub async fn metrics(state: web::Data<HttpState>) -> Result<HttpResponse, Problem> {
    let backups = match state.use_cases.backups.status().await {
        Ok(status) => Some(status),
        Err(error) => {
            tracing::warn!(error = %format!("{error:#}"), "backup status unavailable for /metrics");
            None
        }
    };
    let figures = state.use_cases.operations.figures().await;
    let text = crate::metrics::render(&crate::metrics::Scrape {
        build: &state.build,
        http: &state.metrics,
        panics: shoebox_telemetry::panics(),
        figures: &figures,
        backups: backups.as_ref(),
    })
    .map_err(|error| Problem::internal(anyhow::Error::new(error)))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}
