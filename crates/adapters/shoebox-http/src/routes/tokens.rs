//! The member's personal API tokens.

use actix_web::{HttpResponse, http::StatusCode, web};
use shoebox_domain::auth::{ApiTokenId, ApiTokenName, CreateApiTokenError, RevokeError};
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    dto::{ApiTokenResponse, CreateApiTokenBody, CreatedApiTokenResponse},
    problem::{Problem, ProblemDetails},
};

#[utoipa::path(
    get,
    operation_id = "list_tokens", path = "/api/v1/me/tokens", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<ApiTokenResponse>), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<Vec<ApiTokenResponse>>, Problem> {
    let tokens = state.use_cases.accounts.api_tokens(actor).await?;
    Ok(web::Json(tokens.into_iter().map(Into::into).collect()))
}

#[utoipa::path(
    post,
    operation_id = "create_token", path = "/api/v1/me/tokens", tag = "me", security(("session" = []), ("bearer" = [])),
    request_body = CreateApiTokenBody,
    responses(
        (status = 201, description = "Created; the secret is shown only now", body = CreatedApiTokenResponse),
        (status = 409, description = "Too many tokens", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn create(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<CreateApiTokenBody>,
) -> Result<HttpResponse, Problem> {
    let name = ApiTokenName::parse(&body.name);
    let days_valid = body
        .expires_in_days
        .is_none_or(|days| (1..=3650).contains(&days));
    let (Ok(name), true) = (&name, days_valid) else {
        return Err(Problem::validation([
            ("name", name.err().map(|e| e.to_string())),
            (
                "expires_in_days",
                (!days_valid).then(|| "must be between 1 and 3650".to_owned()),
            ),
        ]));
    };
    let created = state
        .use_cases
        .accounts
        .create_api_token(actor, name.clone(), body.expires_in_days)
        .await
        .map_err(|error| match error {
            CreateApiTokenError::TooMany(max) => Problem::new(
                StatusCode::CONFLICT,
                "too-many-tokens",
                "Too many API tokens",
            )
            .with_detail(format!(
                "you already have the maximum of {max}; revoke one first"
            )),
            CreateApiTokenError::Unexpected(cause) => Problem::internal(cause),
        })?;
    let body = CreatedApiTokenResponse {
        secret: created.secret.expose().to_owned(),
        token: created.token.into(),
    };
    Ok(HttpResponse::Created().json(body))
}

#[utoipa::path(
    delete,
    operation_id = "revoke_token", path = "/api/v1/me/tokens/{id}", tag = "me", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn revoke(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    state
        .use_cases
        .accounts
        .revoke_api_token(actor, ApiTokenId::from_uuid(id.into_inner()))
        .await
        .map_err(|error| match error {
            RevokeError::NotFound => Problem::not_found("API token"),
            RevokeError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}
