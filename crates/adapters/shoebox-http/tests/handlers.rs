//! Handlers against mocked use cases: no database, no network. Each test
//! checks what a client sees: status, problem+json body, headers, cookies.

use std::{sync::Arc, time::Duration};

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{StatusCode, header},
    test,
};
use chrono::Utc;
use serde_json::{Value, json};
use shoebox_domain::{
    accounts::{
        AdminRuleViolation, AdminUserError, DisplayName, EmailAddress, LogInError, Role, User,
        UserId,
    },
    auth::{Actor, ApiTokenId, ClientInfo, Credential, Session, SessionId},
};
use shoebox_http::{BuildInfo, HttpSettings, HttpState, UseCases, app};
use shoebox_ports::inbound::{
    MockAccounts, MockAdministration, MockAuthentication, MockOperations, NotReady, SignedIn,
};

#[derive(Default)]
struct Mocks {
    authentication: MockAuthentication,
    accounts: MockAccounts,
    administration: MockAdministration,
    operations: MockOperations,
    settings: Option<HttpSettings>,
}

fn user(role: Role) -> User {
    User {
        id: UserId::new(),
        email: EmailAddress::parse("ada@example.org").unwrap(),
        display_name: DisplayName::parse("Ada").unwrap(),
        full_name: None,
        bio: None,
        role,
        disabled_at: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        deletion_due_at: None,
        email_verified_at: None,
    }
}

fn session_actor(role: Role) -> Actor {
    Actor {
        user: user(role),
        credential: Credential::Session {
            id: SessionId::new(),
            csrf_token: "the-csrf-token".into(),
        },
    }
}

fn token_actor() -> Actor {
    Actor {
        user: user(Role::Member),
        credential: Credential::ApiToken {
            id: ApiTokenId::new(),
        },
    }
}

async fn service(
    mocks: Mocks,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let state = HttpState {
        use_cases: UseCases {
            authentication: Arc::new(mocks.authentication),
            accounts: Arc::new(mocks.accounts),
            administration: Arc::new(mocks.administration),
            operations: Arc::new(mocks.operations),
            jobs: Arc::new(shoebox_ports::inbound::MockJobAdministration::new()),
            photos: Arc::new(shoebox_ports::inbound::MockPhotos::new()),
            albums: Arc::new(shoebox_ports::inbound::MockAlbums::new()),
            sharing: Arc::new(shoebox_ports::inbound::MockSharing::new()),
            deletion: Arc::new(shoebox_ports::inbound::MockAccountDeletion::new()),
            exports: Arc::new(shoebox_ports::inbound::MockDataExports::new()),
            audit: Arc::new(shoebox_ports::inbound::MockAuditTrail::new()),
            backups: Arc::new(shoebox_ports::inbound::MockBackupAdministration::new()),
            recovery: Arc::new(shoebox_ports::inbound::MockPasswordRecovery::new()),
            confirmation: Arc::new(shoebox_ports::inbound::MockEmailConfirmation::new()),
            invitations: Arc::new(shoebox_ports::inbound::MockInvitations::new()),
        },
        settings: mocks.settings.unwrap_or_default(),
        build: BuildInfo {
            version: "0.0.0+abc1234".into(),
            git_sha: "abc1234".into(),
            build_date: "2026-11-23".into(),
            schema_version: "2026-11-23-000001".into(),
        },
        session_cookie_max_age: Duration::from_secs(3600),
        listings: shoebox_http::ListingCache::new(0),
        metrics: shoebox_http::HttpMetrics::default(),
    };
    test::init_service(app(state)).await
}

async fn problem(response: ServiceResponse<impl MessageBody>) -> (StatusCode, Value) {
    let status = response.status();
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let request_id = response
        .headers()
        .get("x-request-id")
        .expect("request id header")
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = test::read_body_json(response).await;
    assert_eq!(
        body["request_id"], request_id,
        "the body and the header carry the same request id"
    );
    assert_eq!(body["status"], status.as_u16());
    (status, body)
}

fn signed_in(actor_user: User) -> SignedIn {
    let now = Utc::now();
    SignedIn {
        session: Session {
            id: SessionId::new(),
            user_id: actor_user.id,
            csrf_token: "fresh-csrf".into(),
            client: ClientInfo::default(),
            created_at: now,
            last_seen_at: now,
            expires_at: now,
        },
        user: actor_user,
        secret: shoebox_domain::auth::SecretToken::generate(""),
        device: shoebox_domain::auth::SecretToken::generate(""),
    }
}

#[actix_rt::test]
async fn unauthenticated_requests_get_a_401_problem_with_the_request_id() {
    let app = service(Mocks::default()).await;
    let response = test::call_service(
        &app,
        test::TestRequest::get().uri("/api/v1/me").to_request(),
    )
    .await;
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["type"], "/problems/unauthenticated");
}

#[actix_rt::test]
async fn a_session_cookie_resolves_the_member() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_authenticate_session()
        .returning(|secret| {
            assert_eq!(secret.expose(), "cookievalue");
            Ok(session_actor(Role::Member))
        });
    let app = service(mocks).await;
    let request = test::TestRequest::get()
        .uri("/api/v1/me")
        .insert_header(("Cookie", "shoebox_session=cookievalue"))
        .to_request();
    let body: Value = test::call_and_read_body_json(&app, request).await;
    assert_eq!(body["email"], "ada@example.org");
    assert_eq!(body["role"], "member");
}

#[actix_rt::test]
async fn unsafe_cookie_requests_need_the_csrf_token() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_authenticate_session()
        .returning(|_| Ok(session_actor(Role::Member)));
    mocks
        .accounts
        .expect_update_profile()
        .times(1)
        .returning(|actor, _| Ok(actor.user));
    let app = service(mocks).await;
    for csrf in [None, Some("wrong-token")] {
        let mut request = test::TestRequest::patch()
            .uri("/api/v1/me")
            .insert_header(("Cookie", "shoebox_session=c"))
            .set_json(json!({"bio": "hi"}));
        if let Some(csrf) = csrf {
            request = request.insert_header(("X-CSRF-Token", csrf));
        }
        let (status, body) = problem(test::call_service(&app, request.to_request()).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["type"], "/problems/csrf-token-invalid");
    }
    let request = test::TestRequest::patch()
        .uri("/api/v1/me")
        .insert_header(("Cookie", "shoebox_session=c"))
        .insert_header(("X-CSRF-Token", "the-csrf-token"))
        .set_json(json!({"bio": "hi"}))
        .to_request();
    assert_eq!(
        test::call_service(&app, request).await.status(),
        StatusCode::OK
    );
}

#[actix_rt::test]
async fn bearer_tokens_need_no_csrf_token() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_authenticate_api_token()
        .returning(|secret| {
            assert_eq!(secret.expose(), "sbx_abc");
            Ok(token_actor())
        });
    mocks
        .accounts
        .expect_update_profile()
        .times(1)
        .returning(|actor, _| Ok(actor.user));
    let app = service(mocks).await;
    let request = test::TestRequest::patch()
        .uri("/api/v1/me")
        .insert_header(("Authorization", "Bearer sbx_abc"))
        .set_json(json!({"display_name": "Ada L."}))
        .to_request();
    assert_eq!(
        test::call_service(&app, request).await.status(),
        StatusCode::OK
    );
}

#[actix_rt::test]
async fn login_failures_map_to_distinct_problems() {
    let mut mocks = Mocks::default();
    let mut outcomes = vec![
        LogInError::InvalidCredentials,
        LogInError::Throttled {
            retry_after_seconds: 42,
        },
        LogInError::AccountDisabled,
        LogInError::Unexpected(anyhow::anyhow!(
            "connection refused to 10.0.0.5:5432 password=hunter2"
        )),
    ]
    .into_iter();
    mocks
        .authentication
        .expect_log_in()
        .returning(move |_| Err(outcomes.next().unwrap()));
    let app = service(mocks).await;
    let login = || {
        test::TestRequest::post()
            .uri("/api/v1/auth/login")
            .set_json(json!({"email": "a@b.org", "password": "x"}))
            .to_request()
    };

    let (status, body) = problem(test::call_service(&app, login()).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("/problems/invalid-credentials")
        )
    );

    let response = test::call_service(&app, login()).await;
    assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "42");
    let (status, _) = problem(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    let (status, _) = problem(test::call_service(&app, login()).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = problem(test::call_service(&app, login()).await).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let text = body.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains("10.0.0.5"),
        "internal detail leaked: {text}"
    );
}

#[actix_rt::test]
async fn login_sets_a_hardened_session_cookie() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_log_in()
        .returning(|_| Ok(signed_in(user(Role::Member))));
    mocks.settings = Some(HttpSettings {
        public_url: "https://photos.example.org".into(),
        ..HttpSettings::default()
    });
    let app = service(mocks).await;
    let request = test::TestRequest::post()
        .uri("/api/v1/auth/login")
        .set_json(json!({"email": "a@b.org", "password": "x"}))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in [
        "shoebox_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
        "Max-Age=3600",
    ] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_some()
    );
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body["csrf_token"], "fresh-csrf");
}

#[actix_rt::test]
async fn cross_origin_logins_are_refused() {
    let app = service(Mocks::default()).await;
    let request = test::TestRequest::post()
        .uri("/api/v1/auth/login")
        .insert_header(("Origin", "https://evil.example"))
        .set_json(json!({"email": "a@b.org", "password": "x"}))
        .to_request();
    let (status, _) = problem(test::call_service(&app, request).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[actix_rt::test]
async fn sign_up_reports_every_invalid_field_without_calling_the_use_case() {
    let app = service(Mocks::default()).await;
    let request = test::TestRequest::post()
        .uri("/api/v1/auth/signup")
        .set_json(json!({"email": "not-an-email", "password": "short", "display_name": "Ada"}))
        .to_request();
    let (status, body) = problem(test::call_service(&app, request).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
}

#[actix_rt::test]
async fn malformed_oversized_and_mistyped_bodies_are_problems() {
    let app = service(Mocks::default()).await;
    let cases = [
        (
            test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header(("Content-Type", "application/json"))
                .set_payload("{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header(("Content-Type", "text/plain"))
                .set_payload("{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header(("Content-Type", "application/json"))
                .set_payload(vec![b' '; 70 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"email": "a@b.org"})),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (request, expected) in cases {
        let (status, _) = problem(test::call_service(&app, request.to_request()).await).await;
        assert_eq!(status, expected);
    }
}

#[actix_rt::test]
async fn unknown_routes_and_methods_are_problems() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_authenticate_api_token()
        .returning(|_| Ok(token_actor()));
    let app = service(mocks).await;
    let (status, _) = problem(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/api/v1/nope").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = problem(
        test::call_service(
            &app,
            test::TestRequest::put()
                .uri("/api/v1/auth/login")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let bad_id = test::TestRequest::delete()
        .uri("/api/v1/me/sessions/not-a-uuid")
        .insert_header(("Authorization", "Bearer x"))
        .to_request();
    let (status, _) = problem(test::call_service(&app, bad_id).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_rt::test]
async fn every_response_carries_the_security_headers() {
    let app = service(Mocks::default()).await;
    let response =
        test::call_service(&app, test::TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline';script")
    );
    assert!(
        !csp.split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline"))
    );
    assert_eq!(
        response.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(
        response.headers().get("referrer-policy").unwrap(),
        "no-referrer"
    );
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "no HSTS over plain http"
    );
}

#[actix_rt::test]
async fn readiness_reports_the_schema_and_the_database() {
    let mut mocks = Mocks::default();
    let mut outcomes = vec![Ok(()), Err(NotReady::SchemaBehind { pending: 2 })].into_iter();
    mocks
        .operations
        .expect_readiness()
        .returning(move || outcomes.next().unwrap());
    let app = service(mocks).await;
    assert_eq!(
        test::call_service(&app, test::TestRequest::get().uri("/readyz").to_request())
            .await
            .status(),
        StatusCode::OK
    );
    let (status, body) = problem(
        test::call_service(&app, test::TestRequest::get().uri("/readyz").to_request()).await,
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("2 migration(s) pending")
    );
}

#[actix_rt::test]
async fn version_reports_the_build() {
    let app = service(Mocks::default()).await;
    let body: Value =
        test::call_and_read_body_json(&app, test::TestRequest::get().uri("/version").to_request())
            .await;
    assert_eq!(
        body,
        json!({"version": "0.0.0+abc1234", "git_sha": "abc1234", "build_date": "2026-11-23", "schema_version": "2026-11-23-000001"})
    );
}

#[actix_rt::test]
async fn admin_errors_map_to_forbidden_and_conflict() {
    let mut mocks = Mocks::default();
    mocks
        .authentication
        .expect_authenticate_api_token()
        .returning(|_| Ok(token_actor()));
    let mut outcomes = vec![
        AdminUserError::Forbidden,
        AdminUserError::Rule(AdminRuleViolation::OwnRole),
    ]
    .into_iter();
    mocks
        .administration
        .expect_change_user()
        .returning(move |_, _, _| Err(outcomes.next().unwrap()));
    let app = service(mocks).await;
    let patch = || {
        test::TestRequest::patch()
            .uri(&format!("/api/v1/admin/users/{}", UserId::new()))
            .insert_header(("Authorization", "Bearer sbx_x"))
            .set_json(json!({"role": "member"}))
            .to_request()
    };
    let (status, _) = problem(test::call_service(&app, patch()).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = problem(test::call_service(&app, patch()).await).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::CONFLICT, Some("/problems/admin-rule"))
    );
}

#[actix_rt::test]
async fn the_openapi_document_is_3_1_and_describes_the_routes() {
    let app = service(Mocks::default()).await;
    let doc: Value = test::call_and_read_body_json(
        &app,
        test::TestRequest::get()
            .uri("/api/openapi.json")
            .to_request(),
    )
    .await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["info"]["version"], "0.0.0+abc1234");
    for path in [
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/me/tokens/{id}",
        "/api/v1/admin/users",
        "/healthz",
        "/readyz",
        "/version",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]
            .get("session")
            .is_some()
    );
}

async fn text(
    app: &impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
    uri: &str,
) -> (StatusCode, String) {
    let response = test::call_service(app, test::TestRequest::get().uri(uri).to_request()).await;
    let status = response.status();
    let body = test::read_body(response).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Every `src=`/`href=` in a page is local: the docs work with no network.
fn assert_only_local_assets(page: &str) {
    for attribute in ["src=\"", "href=\""] {
        for (index, _) in page.match_indices(attribute) {
            let target = &page[index + attribute.len()..];
            assert!(
                !target.starts_with("http") && !target.starts_with("//"),
                "external asset in page: {}",
                &target[..target.len().min(80)]
            );
        }
    }
}

#[actix_rt::test]
async fn swagger_ui_and_redoc_are_served_from_the_binary() {
    let app = service(Mocks::default()).await;
    let redirect =
        test::call_service(&app, test::TestRequest::get().uri("/docs").to_request()).await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers().get(header::LOCATION).unwrap(), "/docs/");
    let (status, swagger) = text(&app, "/docs/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(swagger.contains("swagger-ui"), "{swagger}");
    assert_only_local_assets(&swagger);
    assert!(
        !swagger.contains("<script>"),
        "Swagger UI page must not have inline script"
    );
    let (status, initializer) = text(&app, "/docs/swagger-initializer.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(initializer.contains("/api/openapi.json"));
    let (status, bundle) = text(&app, "/docs/swagger-ui-bundle.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(bundle.len() > 100_000);

    let (status, redoc) = text(&app, "/redoc").await;
    assert_eq!(status, StatusCode::OK);
    assert_only_local_assets(&redoc);
    assert!(
        redoc.contains("/redoc/redoc.standalone.js")
            && redoc.contains("spec-url=\"/api/openapi.json\"")
    );
    let (status, script) = text(&app, "/redoc/redoc.standalone.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(script.len() > 500_000);
}
