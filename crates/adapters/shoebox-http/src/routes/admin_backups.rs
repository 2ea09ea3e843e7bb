//! Admin: backups (SPEC §7) — the list with its figures, and "back up now".

use actix_web::{HttpResponse, web};
use shoebox_ports::inbound::BackupAdminError;

use crate::{
    HttpState,
    auth::Authenticated,
    backup_dto::{BackupRequestedResponse, BackupsResponse},
    problem::{Problem, ProblemDetails},
};

fn admin_problem(error: BackupAdminError) -> Problem {
    match error {
        BackupAdminError::Forbidden => Problem::forbidden("only admins may do this"),
        BackupAdminError::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(
    get,
    operation_id = "list_backups", path = "/api/v1/admin/backups", tag = "admin", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = BackupsResponse), (status = 403, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<BackupsResponse>, Problem> {
    let overview = state
        .use_cases
        .backups
        .overview(actor)
        .await
        .map_err(admin_problem)?;
    Ok(web::Json(overview.into()))
}

#[utoipa::path(
    post,
    operation_id = "back_up_now", path = "/api/v1/admin/backups", tag = "admin", security(("session" = []), ("bearer" = [])),
    responses(
        (status = 202, description = "A backup job is queued (or was already waiting or running); a prune follows it", body = BackupRequestedResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn back_up_now(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<HttpResponse, Problem> {
    let job = state
        .use_cases
        .backups
        .back_up_now(actor)
        .await
        .map_err(admin_problem)?;
    Ok(HttpResponse::Accepted().json(BackupRequestedResponse {
        job_id: job.as_uuid(),
    }))
}
