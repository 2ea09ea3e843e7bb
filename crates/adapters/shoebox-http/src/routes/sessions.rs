//! The member's browser sessions.

use actix_web::{HttpResponse, web};
use shoebox_domain::auth::{RevokeError, SessionId};
use uuid::Uuid;

use crate::{
    HttpState,
    auth::{Authenticated, removal_cookie},
    dto::SessionResponse,
    problem::{Problem, ProblemDetails},
};

#[utoipa::path(
    get,
    operation_id = "list_sessions", path = "/api/v1/me/sessions", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<SessionResponse>), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<Vec<SessionResponse>>, Problem> {
    let current = actor.session_id();
    let sessions = state.use_cases.accounts.sessions(actor).await?;
    Ok(web::Json(
        sessions
            .into_iter()
            .map(|s| {
                let is_current = Some(s.id) == current;
                SessionResponse::new(s, is_current)
            })
            .collect(),
    ))
}

#[utoipa::path(
    delete,
    operation_id = "revoke_session", path = "/api/v1/me/sessions/{id}", tag = "me", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 204, description = "Session ended"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn revoke(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    state
        .use_cases
        .accounts
        .revoke_session(actor, SessionId::from_uuid(id.into_inner()))
        .await
        .map_err(|error| match error {
            RevokeError::NotFound => Problem::not_found("session"),
            RevokeError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    delete,
    operation_id = "revoke_all_sessions", path = "/api/v1/me/sessions", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Signed out everywhere, this browser included")))]
pub async fn revoke_all(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<HttpResponse, Problem> {
    state.use_cases.accounts.revoke_all_sessions(actor).await?;
    Ok(HttpResponse::NoContent()
        .cookie(removal_cookie(&state))
        .finish())
}
