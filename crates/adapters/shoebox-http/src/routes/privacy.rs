//! Data exports (the member's own) and the audit log (admins).

use actix_web::{HttpResponse, http::StatusCode, http::header, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;
use shoebox_domain::{
    audit::{AuditActor, AuditEntry, AuditError},
    page::PageRequest,
    privacy::{DataExport, ExportError, ExportId},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    dto::PageQuery,
    problem::{Problem, ProblemDetails},
};

/// One data export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportResponse {
    pub id: Uuid,
    /// `pending` (being built), `ready` (download it until `expires_at`) or
    /// `failed` (ask for a new one).
    #[schema(example = "ready")]
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Until when a ready export can be downloaded (7 days); after that the
    /// sweeper removes it.
    pub expires_at: Option<DateTime<Utc>>,
    /// Size of the ZIP, once ready.
    pub size_bytes: Option<u64>,
    /// Original photos in the ZIP, once ready.
    pub photo_count: Option<u64>,
    /// Where to download the ZIP, once ready.
    pub download_url: Option<String>,
}

impl From<DataExport> for ExportResponse {
    fn from(export: DataExport) -> Self {
        let download_url = (export.status == shoebox_domain::privacy::ExportStatus::Ready)
            .then(|| format!("/api/v1/me/exports/{}/archive", export.id));
        Self {
            id: export.id.as_uuid(),
            status: export.status.as_str().to_owned(),
            requested_at: export.requested_at,
            finished_at: export.finished_at,
            expires_at: export.expires_at,
            size_bytes: export.size_bytes,
            photo_count: export.photo_count,
            download_url,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportsResponse {
    /// Newest first.
    pub items: Vec<ExportResponse>,
}

fn export_problem(error: ExportError) -> Problem {
    match error {
        ExportError::NotFound => Problem::not_found("export"),
        error @ ExportError::NotReady => Problem::new(
            StatusCode::CONFLICT,
            "export-not-ready",
            "The export is not ready yet",
        )
        .with_detail(error.to_string()),
        error @ ExportError::Failed => {
            Problem::new(StatusCode::CONFLICT, "export-failed", "The export failed")
                .with_detail(error.to_string())
        }
        error @ ExportError::Expired => {
            Problem::new(StatusCode::GONE, "export-expired", "The export expired")
                .with_detail(error.to_string())
        }
        error @ ExportError::AlreadyPending => Problem::new(
            StatusCode::CONFLICT,
            "export-pending",
            "An export is already being built",
        )
        .with_detail(error.to_string()),
        ExportError::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(post, path = "/api/v1/me/exports", tag = "me", security(("session" = []), ("bearer" = [])),
    responses(
        (status = 202, description = "Being built by a background job; poll it until `ready`", body = ExportResponse),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "An export is already being built", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn request_export(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<HttpResponse, Problem> {
    let export = state
        .use_cases
        .exports
        .request(actor)
        .await
        .map_err(export_problem)?;
    Ok(HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/me/exports/{}", export.id),
        ))
        .json(ExportResponse::from(export)))
}

#[utoipa::path(get, path = "/api/v1/me/exports", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ExportsResponse), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list_exports(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<ExportsResponse>, Problem> {
    let exports = state
        .use_cases
        .exports
        .list(actor)
        .await
        .map_err(export_problem)?;
    Ok(web::Json(ExportsResponse {
        items: exports.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/me/exports/{id}", tag = "me", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Export id")),
    responses((status = 200, body = ExportResponse), (status = 404, description = "No such export of yours", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn get_export(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ExportResponse>, Problem> {
    let export = state
        .use_cases
        .exports
        .get(actor, ExportId::from_uuid(id.into_inner()))
        .await
        .map_err(export_problem)?;
    Ok(web::Json(export.into()))
}

#[utoipa::path(get, path = "/api/v1/me/exports/{id}/archive", tag = "me", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Export id")),
    responses(
        (status = 200, description = "The ZIP: profile.json, albums.json, photos.json, README.txt and photos/", content_type = "application/zip"),
        (status = 404, description = "No such export of yours", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Not ready yet, or failed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "Expired (exports are kept 7 days)", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn download_export(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let archive = state
        .use_cases
        .exports
        .download(actor, ExportId::from_uuid(id.into_inner()))
        .await
        .map_err(export_problem)?;
    let name = format!(
        "shoebox-export-{}.zip",
        archive
            .export
            .finished_at
            .unwrap_or(archive.export.requested_at)
            .format("%Y-%m-%d")
    );
    let body = archive.body.map(|chunk| {
        chunk.map_err(|error| actix_web::error::ErrorInternalServerError(error.to_string()))
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(archive.size)
        .streaming(body))
}

/// One line of the audit log: identifiers and a fixed action name only.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// `member` (a signed-in member, `actor_id`), `operator` (the command
    /// line) or `system` (a scheduled job).
    #[schema(example = "member")]
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// E.g. `account.deletion_requested`, `account.erased`,
    /// `admin.member_updated`, `export.downloaded`.
    #[schema(example = "account.erased")]
    pub action: String,
    /// The member, invitation, job or export acted on.
    pub target_id: Option<Uuid>,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id.as_uuid(),
            occurred_at: entry.occurred_at,
            actor_kind: entry.actor.kind().to_owned(),
            actor_id: match entry.actor {
                AuditActor::Member(id) => Some(id.as_uuid()),
                AuditActor::Operator | AuditActor::System => None,
            },
            action: entry.action.as_str().to_owned(),
            target_id: entry.target_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntryResponse>,
    pub next_cursor: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("session" = []), ("bearer" = [])), params(PageQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn audit_log(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<AuditPage>, Problem> {
    let page = PageRequest::new(query.limit, query.cursor);
    let entries = state
        .use_cases
        .audit
        .list(actor, page)
        .await
        .map_err(|error| match error {
            AuditError::Forbidden => Problem::forbidden("only admins may read the audit log"),
            AuditError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(AuditPage {
        items: entries.items.into_iter().map(Into::into).collect(),
        next_cursor: entries.next_cursor,
    }))
}
