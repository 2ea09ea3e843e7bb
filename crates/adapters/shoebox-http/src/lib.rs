//! # shoebox-http
//!
//! The HTTP adapter: it turns requests into use-case calls and results into
//! responses. Handlers parse (DTO → domain command), call one inbound port,
//! and map the result (domain → DTO, error → `application/problem+json`).
//! The OpenAPI 3.1 document is generated from the handlers and DTOs here, and
//! Swagger UI and ReDoc are served from assets compiled into the binary, and
//! so is the web app (`web/dist`, embedded by `build.rs`; see `web_app`).
//!
//! Architecture Invariant: this crate sees only inbound ports
//! (`Arc<dyn Authentication>`, ...), never a repository, a pool or another
//! adapter, so every handler can be tested against mocked use cases.
//! Architecture Invariant: no internal error text reaches a client; 5xx
//! responses are logged once, with their cause chain and the request id.

mod auth;
mod backup_dto;
mod docs;
mod dto;
mod job_dto;
mod listings;
mod metrics;
mod middleware;
mod photo_dto;
mod problem;
mod routes;
mod settings;
mod state;
mod web_app;

use std::{net::TcpListener, time::Duration};

use actix_web::{
    App, Error, HttpServer,
    body::MessageBody,
    dev::{ServiceFactory, ServiceRequest, ServiceResponse},
    web,
};

pub use docs::openapi_document;
pub use listings::ListingCache;
pub use metrics::HttpMetrics;
pub use problem::Problem;
pub use settings::HttpSettings;
pub use state::{BuildInfo, HttpState, UseCases};
pub use web_app::{WEB_APP_CONTENT_SECURITY_POLICY, WebApp};

/// The whole application: routes, extractor configuration and middleware,
/// and the web app compiled into this binary.
/// `shoebox serve` and the tests build the same thing.
pub fn app(
    state: HttpState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    app_with_web_app(state, WebApp::embedded())
}

/// [`app`] serving the given web app files (tests use fixtures).
pub fn app_with_web_app(
    state: HttpState,
    web_app: WebApp,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let json_limit = state.settings.json_body_limit_bytes;
    let version = state.build.version.clone();
    let headers = middleware::security_headers(&state.settings);
    let metrics = web::Data::new(state.metrics.clone());
    App::new()
        .app_data(metrics)
        .app_data(web::Data::new(state))
        .app_data(web::Data::new(web_app))
        .app_data(problem::json_config(json_limit))
        .app_data(problem::path_config())
        .app_data(problem::query_config())
        .app_data(web::PayloadConfig::new(json_limit))
        .configure(routes::configure)
        .configure(docs::configure_with(version))
        .default_service(web::to(web_app::serve))
        .wrap(actix_web::middleware::from_fn(
            middleware::problem_for_bare_errors,
        ))
        .wrap(headers)
        .wrap(actix_web::middleware::from_fn(middleware::request_context))
}

/// Runs the application on `listener` until SIGTERM/SIGINT, then drains
/// in-flight requests for up to `http.shutdown_timeout_seconds`.
pub fn serve(listener: TcpListener, state: HttpState) -> std::io::Result<actix_web::dev::Server> {
    let settings = state.settings.clone();
    let mut server = HttpServer::new(move || app(state.clone()))
        .client_request_timeout(Duration::from_secs(settings.client_request_timeout_seconds))
        .shutdown_timeout(settings.shutdown_timeout_seconds);
    if settings.workers > 0 {
        server = server.workers(settings.workers);
    }
    Ok(server.listen(listener)?.run())
}
