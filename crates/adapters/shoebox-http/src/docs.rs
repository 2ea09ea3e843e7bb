//! The OpenAPI 3.1 document, generated from the handlers and DTOs, and the two
//! viewers for it. Both viewers are served from assets compiled into the
//! binary: they work with no network access, and the CSP forbids anything else.

use actix_web::{HttpResponse, http::header, web};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use crate::{problem::ProblemDetails, routes};

#[derive(OpenApi)]
#[openapi(
    info(title = "Shoebox API", description = "Self-hostable photo sharing for clubs, associations and families."),
    paths(
        routes::auth::sign_up, routes::auth::log_in, routes::auth::log_out, routes::auth::current_session,
        routes::recovery::request_reset, routes::recovery::reset_password,
        routes::email::request_verification, routes::email::confirm_email, routes::email::change_email,
        routes::me::profile, routes::me::update_profile, routes::me::change_password,
        routes::sessions::list, routes::sessions::revoke, routes::sessions::revoke_all,
        routes::tokens::list, routes::tokens::create, routes::tokens::revoke,
        routes::admin::list_users, routes::admin::user, routes::admin::update_user,
        routes::admin::list_invitations, routes::invitations::create_invitation, routes::admin::revoke_invitation,
        routes::invitations::resend_invitation, routes::invitations::preview_invitation,
        routes::photos::list, routes::photos::upload, routes::photos::get, routes::photos::update,
        routes::photos::delete, routes::photos::original, routes::photos::preview, routes::photos::thumbnail,
        routes::photos::storage,
        routes::albums::list, routes::albums::create, routes::albums::get, routes::albums::update,
        routes::albums::delete, routes::albums::photos, routes::albums::add_photos,
        routes::albums::remove_photos, routes::albums::reorder,
        routes::shares::create_link, routes::shares::links, routes::shares::revoke_link,
        routes::shares::shared_album, routes::shares::shared_photos, routes::shares::shared_photo,
        routes::shares::shared_file,
        routes::admin_jobs::list, routes::admin_jobs::retry, routes::admin_jobs::cancel,
        routes::admin_backups::list, routes::admin_backups::back_up_now,
        routes::deletion::delete_own, routes::deletion::policy, routes::deletion::cancel_own,
        routes::deletion::delete_member, routes::deletion::cancel_member,
        routes::privacy::request_export, routes::privacy::list_exports, routes::privacy::get_export,
        routes::privacy::download_export, routes::privacy::audit_log,
        routes::ops::healthz, routes::ops::readyz, routes::ops::version,
    ),
    // Schemas only used by query parameters are not collected from the
    // handlers; without this the document has a dangling `$ref`.
    components(schemas(ProblemDetails, crate::photo_dto::PhotoOrderDto)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-up, login, logout"),
        (name = "me", description = "The signed-in member's own account"),
        (name = "photos", description = "Your photos: upload, details, files"),
        (name = "albums", description = "Albums and their photos"),
        (name = "sharing", description = "Share links and the anonymous view they open"),
        (name = "admin", description = "Members, background jobs, backups and the audit log (admins only)"),
        (name = "operations", description = "Probes and build information"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Browser session. Unsafe methods also need the X-CSRF-Token header.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Personal API token (sbx_...)"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of this build (`shoebox openapi` prints it).
pub fn openapi_document(version: &str) -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    document.info.version = version.to_owned();
    document
}

const REDOC_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shoebox API reference</title>
</head>
<body>
<redoc spec-url="/api/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script>
</body>
</html>
"#;

const REDOC_SCRIPT: &[u8] = include_bytes!("../assets/redoc/redoc.standalone.js");

/// Swagger UI's relative asset paths need the trailing slash.
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

async fn redoc_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(REDOC_PAGE)
}

async fn redoc_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(REDOC_SCRIPT)
}

pub fn configure_with(version: String) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config| {
        config
            .service(
                SwaggerUi::new("/docs/{_:.*}").url("/api/openapi.json", openapi_document(&version)),
            )
            .route("/docs", web::get().to(docs_redirect))
            .route("/redoc", web::get().to(redoc_page))
            .route("/redoc/redoc.standalone.js", web::get().to(redoc_script));
    }
}
