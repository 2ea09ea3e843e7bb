//! Account deletion (SPEC §8): the member's own, and an admin's.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};
use shoebox_domain::{
    accounts::UserId,
    privacy::{DeletionError, DeletionOutcome},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    dto::{AdminDeleteQuery, UserResponse},
    problem::{Problem, ProblemDetails},
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteAccountBody {
    /// The account's current password.
    pub password: String,
}

/// A deletion waiting out its grace period.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletionScheduledResponse {
    /// When the account and everything it owns will be erased, unless the
    /// deletion is cancelled before (sign in again, then
    /// `DELETE /api/v1/me/deletion`).
    pub deletion_due_at: chrono::DateTime<chrono::Utc>,
}

/// What deleting one's account means on this server.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletionPolicyResponse {
    /// Days between the request and the erasure, during which signing in
    /// again and cancelling keeps the account; 0: erased at once.
    pub grace_days: u32,
}

fn problem(error: DeletionError) -> Problem {
    match error {
        DeletionError::Forbidden => Problem::forbidden("only admins may do this"),
        DeletionError::NotFound => Problem::not_found("member"),
        DeletionError::WrongPassword => Problem::new(
            StatusCode::FORBIDDEN,
            "wrong-password",
            "The password is incorrect",
        ),
        error @ DeletionError::OwnAccount => Problem::new(
            StatusCode::CONFLICT,
            "own-account",
            "This is your own account",
        )
        .with_detail(error.to_string()),
        error @ DeletionError::NotPending => Problem::new(
            StatusCode::CONFLICT,
            "deletion-not-pending",
            "No deletion is pending",
        )
        .with_detail(error.to_string()),
        DeletionError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn outcome_response(outcome: DeletionOutcome) -> HttpResponse {
    match outcome {
        DeletionOutcome::Scheduled { due_at } => {
            HttpResponse::Accepted().json(DeletionScheduledResponse {
                deletion_due_at: due_at,
            })
        }
        DeletionOutcome::Erased => HttpResponse::NoContent().finish(),
    }
}

#[utoipa::path(delete, path = "/api/v1/me", tag = "me", security(("session" = []), ("bearer" = [])),
    request_body = DeleteAccountBody,
    responses(
        (status = 202, description = "Deletion scheduled after the grace period; every session and token is revoked now", body = DeletionScheduledResponse),
        (status = 204, description = "Erased at once (no grace period configured)"),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Password wrong", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn delete_own(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<DeleteAccountBody>,
) -> Result<HttpResponse, Problem> {
    let outcome = state
        .use_cases
        .deletion
        .request_own(actor, body.into_inner().password)
        .await
        .map_err(problem)?;
    Ok(outcome_response(outcome))
}

#[utoipa::path(get, path = "/api/v1/me/deletion", tag = "me", security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The grace period a deletion requested now would get", body = DeletionPolicyResponse),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn policy(
    Authenticated(_actor): Authenticated,
    state: web::Data<HttpState>,
) -> web::Json<DeletionPolicyResponse> {
    web::Json(DeletionPolicyResponse {
        grace_days: state.use_cases.deletion.grace_days(),
    })
}

#[utoipa::path(delete, path = "/api/v1/me/deletion", tag = "me", security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled; the account stays", body = UserResponse),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "No deletion pending", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn cancel_own(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<UserResponse>, Problem> {
    let user = state
        .use_cases
        .deletion
        .cancel_own(actor)
        .await
        .map_err(problem)?;
    Ok(web::Json(user.into()))
}

#[utoipa::path(delete, path = "/api/v1/admin/users/{id}", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Member id"), AdminDeleteQuery),
    responses(
        (status = 202, description = "Deletion scheduled after the grace period; the member's sessions and tokens are revoked now", body = DeletionScheduledResponse),
        (status = 204, description = "Erased at once"),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Your own account (delete it from your profile)", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn delete_member(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    query: web::Query<AdminDeleteQuery>,
) -> Result<HttpResponse, Problem> {
    let outcome = state
        .use_cases
        .deletion
        .delete_member(actor, UserId::from_uuid(id.into_inner()), query.now)
        .await
        .map_err(problem)?;
    Ok(outcome_response(outcome))
}

#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/deletion", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Member id")),
    responses(
        (status = 200, description = "Cancelled; the member stays", body = UserResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "No deletion pending", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn cancel_member(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<UserResponse>, Problem> {
    let user = state
        .use_cases
        .deletion
        .cancel_member(actor, UserId::from_uuid(id.into_inner()))
        .await
        .map_err(problem)?;
    Ok(web::Json(user.into()))
}
