//! The web app's files as a browser meets them: caching, the SPA fallback,
//! the CSP on the HTML, and the API's own 404s left alone. Fixture files
//! stand in for `web/dist`, so these run on a clean clone too.

use std::{sync::Arc, time::Duration};

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{StatusCode, header},
    test,
};
use bytes::Bytes;
use serde_json::Value;
use shoebox_http::{
    BuildInfo, HttpState, ListingCache, UseCases, WEB_APP_CONTENT_SECURITY_POLICY, WebApp,
    app_with_web_app,
};
use shoebox_ports::inbound::{
    MockAccounts, MockAdministration, MockAlbums, MockAuthentication, MockJobAdministration,
    MockOperations, MockPhotos, MockSharing,
};

const INDEX: &str =
    "<!doctype html><script type=\"module\" src=\"/assets/index-Ab12.js\"></script>";
const SCRIPT: &str = "console.log('shoebox')";
const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn fixture() -> WebApp {
    WebApp::from_files([
        (
            "index.html".to_owned(),
            Bytes::from_static(INDEX.as_bytes()),
        ),
        (
            "assets/index-Ab12.js".to_owned(),
            Bytes::from_static(SCRIPT.as_bytes()),
        ),
        ("favicon.svg".to_owned(), Bytes::from_static(b"<svg/>")),
    ])
}

async fn service(
    web_app: WebApp,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let state = HttpState {
        use_cases: UseCases {
            authentication: Arc::new(MockAuthentication::new()),
            accounts: Arc::new(MockAccounts::new()),
            administration: Arc::new(MockAdministration::new()),
            operations: Arc::new({
                let mut operations = MockOperations::new();
                operations
                    .expect_figures()
                    .returning(shoebox_ports::inbound::OperationalFigures::default);
                operations
            }),
            jobs: Arc::new(MockJobAdministration::new()),
            photos: Arc::new(MockPhotos::new()),
            albums: Arc::new(MockAlbums::new()),
            sharing: Arc::new(MockSharing::new()),
            deletion: Arc::new(shoebox_ports::inbound::MockAccountDeletion::new()),
            exports: Arc::new(shoebox_ports::inbound::MockDataExports::new()),
            audit: Arc::new(shoebox_ports::inbound::MockAuditTrail::new()),
            backups: Arc::new({
                let mut backups = shoebox_ports::inbound::MockBackupAdministration::new();
                backups
                    .expect_status()
                    .returning(|| Ok(shoebox_ports::inbound::BackupStatus::default()));
                backups
            }),
            recovery: Arc::new(shoebox_ports::inbound::MockPasswordRecovery::new()),
            confirmation: Arc::new(shoebox_ports::inbound::MockEmailConfirmation::new()),
            invitations: Arc::new(shoebox_ports::inbound::MockInvitations::new()),
        },
        settings: Default::default(),
        build: BuildInfo {
            version: "0.0.0+abc1234".into(),
            git_sha: "abc1234".into(),
            build_date: "2026-11-23".into(),
            schema_version: "2026-11-23-000001".into(),
        },
        session_cookie_max_age: Duration::from_secs(3600),
        listings: ListingCache::new(0),
        metrics: shoebox_http::HttpMetrics::default(),
    };
    test::init_service(app_with_web_app(state, web_app)).await
}

fn get(uri: &str, accept: Option<&str>) -> actix_http::Request {
    let request = test::TestRequest::get().uri(uri);
    match accept {
        Some(accept) => request.insert_header((header::ACCEPT, accept)),
        None => request,
    }
    .to_request()
}

fn header_of(response: &ServiceResponse<impl MessageBody>, name: header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn assert_problem_404(response: ServiceResponse<impl MessageBody>) {
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        "application/problem+json"
    );
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body["status"], 404);
}

#[actix_rt::test]
async fn hashed_assets_are_cached_for_a_year_and_other_files_revalidated() {
    let app = service(fixture()).await;

    let response = test::call_service(&app, get("/assets/index-Ab12.js", None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(test::read_body(response).await, SCRIPT.as_bytes());

    let response = test::call_service(&app, get("/favicon.svg", None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache");
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "image/svg+xml");

    // An asset of an older release must not turn into HTML.
    let response = test::call_service(&app, get("/assets/index-Old1.js", Some(HTML))).await;
    assert_problem_404(response).await;
}

#[actix_rt::test]
async fn the_html_is_revalidated_and_carries_the_strict_csp() {
    let app = service(fixture()).await;
    for uri in ["/", "/index.html"] {
        let response = test::call_service(&app, get(uri, Some(HTML))).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache");
        let csp = header_of(&response, header::CONTENT_SECURITY_POLICY);
        assert_eq!(csp, WEB_APP_CONTENT_SECURITY_POLICY);
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
        assert_eq!(
            header_of(&response, "x-content-type-options".parse().unwrap()),
            "nosniff"
        );
        assert_eq!(test::read_body(response).await, INDEX.as_bytes());
    }
}

#[actix_rt::test]
async fn client_routes_fall_back_to_the_app_only_for_html_gets() {
    let app = service(fixture()).await;

    let response = test::call_service(&app, get("/albums/42/edit", Some(HTML))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_eq!(test::read_body(response).await, INDEX.as_bytes());

    // A script or an image asking for a missing path gets no HTML.
    let response = test::call_service(&app, get("/albums/42/edit", Some("image/*"))).await;
    assert_problem_404(response).await;
    let response = test::call_service(&app, get("/albums/42/edit", None)).await;
    assert_problem_404(response).await;

    let post = test::TestRequest::post()
        .uri("/albums/42")
        .insert_header((header::ACCEPT, HTML))
        .to_request();
    assert_problem_404(test::call_service(&app, post).await).await;
}

#[actix_rt::test]
async fn scripts_and_html_go_gzipped_to_browsers_that_take_it() {
    let script = "export const photos = [];\n".repeat(500);
    let index = format!("{INDEX}{}", "<!-- padding -->".repeat(100));
    let app = service(WebApp::from_files([
        ("index.html".to_owned(), Bytes::from(index.clone())),
        ("assets/app-9.js".to_owned(), Bytes::from(script.clone())),
        ("logo.png".to_owned(), Bytes::from(vec![7_u8; 4096])),
    ]))
    .await;
    let gzip_get = |uri: &str, accept_encoding: &str| {
        test::TestRequest::get()
            .uri(uri)
            .insert_header((header::ACCEPT, HTML))
            .insert_header((header::ACCEPT_ENCODING, accept_encoding))
            .to_request()
    };

    for (uri, plain) in [("/assets/app-9.js", &script), ("/albums/7", &index)] {
        let response = test::call_service(&app, gzip_get(uri, "gzip, deflate, br")).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header_of(&response, header::CONTENT_ENCODING),
            "gzip",
            "{uri}"
        );
        assert_eq!(
            header_of(&response, header::VARY),
            "Accept-Encoding",
            "{uri}"
        );
        let body = test::read_body(response).await;
        assert!(body.len() < plain.len() / 5, "{uri}: {} bytes", body.len());
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut decoded)
            .unwrap();
        assert_eq!(&decoded, plain, "{uri}");

        let response = test::call_service(&app, gzip_get(uri, "gzip;q=0, identity")).await;
        assert_eq!(header_of(&response, header::CONTENT_ENCODING), "", "{uri}");
        assert_eq!(
            header_of(&response, header::VARY),
            "Accept-Encoding",
            "{uri}"
        );
        assert_eq!(test::read_body(response).await, plain.as_bytes(), "{uri}");
    }

    // Images are compressed already: never re-encoded, never varied.
    let response = test::call_service(&app, gzip_get("/logo.png", "gzip")).await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "");
    assert_eq!(header_of(&response, header::VARY), "");
    assert_eq!(test::read_body(response).await.len(), 4096);
}

#[actix_rt::test]
async fn unknown_api_routes_stay_problems_even_for_browsers() {
    let app = service(fixture()).await;
    for uri in ["/api/v1/nope", "/api", "/api/v2/photos"] {
        let response = test::call_service(&app, get(uri, Some(HTML))).await;
        assert_problem_404(response).await;
    }
    // Nor is the scrape endpoint, whoever asks.
    let response = test::call_service(&app, get("/metrics", Some(HTML))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
    assert!(body.contains("shoebox_backup_retained 0"), "{body}");
    // The server's own pages are not shadowed by the app.
    let response = test::call_service(&app, get("/docs/", Some(HTML))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = test::read_body(response).await;
    assert_ne!(body, INDEX.as_bytes());
}

#[actix_rt::test]
async fn without_a_built_app_browsers_learn_how_to_build_it() {
    let app = service(WebApp::from_files([])).await;
    let response = test::call_service(&app, get("/gallery", Some(HTML))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        "text/plain; charset=utf-8"
    );
    let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
    assert!(body.contains("web app is not built"), "{body}");
    assert!(body.contains("npm run build"), "{body}");

    let response = test::call_service(&app, get("/api/v1/nope", Some(HTML))).await;
    assert_problem_404(response).await;
}

/// Whatever `web/dist` held when this binary was built must obey the CSP:
/// every script is a file, and there is no inline style.
#[actix_rt::test]
async fn the_embedded_app_has_no_inline_code() {
    let web_app = WebApp::embedded();
    let Some(index) = web_app.file("index.html") else {
        assert!(!web_app.is_built());
        return;
    };
    let index = String::from_utf8(index.to_vec()).unwrap();
    let scripts: Vec<&str> = index.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the app loads a script: {index}");
    for script in scripts {
        let (tag, rest) = script.split_once('>').unwrap();
        assert!(tag.contains(" src=\""), "external script: <script{tag}>");
        assert!(rest.starts_with("</script>"), "no inline body: {rest}");
    }
    assert!(!index.contains("<style"), "no inline style element");
    assert!(!index.contains(" style=\""), "no style attribute");
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "no remote URL"
    );
}

/// The web app's types are generated from this document; a `$ref` to a
/// schema that is not in `components` stops the generator.
#[actix_rt::test]
async fn every_schema_reference_of_the_openapi_document_resolves() {
    let document = serde_json::to_value(shoebox_http::openapi_document("0.0.0")).unwrap();
    let text = document.to_string();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let prefix = "#/components/schemas/";
    let mut references = 0;
    for (start, _) in text.match_indices(prefix) {
        let name: String = text[start + prefix.len()..]
            .chars()
            .take_while(|character| character.is_alphanumeric() || *character == '_')
            .collect();
        assert!(schemas.contains_key(&name), "dangling $ref to {name}");
        references += 1;
    }
    assert!(references > 10, "the document uses references");
}

/// OpenAPI requires unique operation ids; client generators name their
/// functions after them.
#[actix_rt::test]
async fn every_operation_has_its_own_id() {
    let document = serde_json::to_value(shoebox_http::openapi_document("0.0.0")).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                panic!("{method} {path} has no operationId");
            };
            if let Some(first) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("{method} {path} repeats the operationId {id} of {first}");
            }
        }
    }
    assert!(seen.len() > 40, "{} operations", seen.len());
}
