//! Password reset by mail: asking for a link, and using it.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use shoebox_domain::{accounts::NewPassword, auth::SecretToken};
use shoebox_ports::inbound::{RequestResetError, ResetPasswordError};

use crate::{
    HttpState,
    auth::{client_info, require_same_origin},
    dto::{PasswordResetBody, RequestPasswordResetBody},
    problem::{Problem, ProblemDetails},
};

/// A refused request to mail a link (reset, verification): the same
/// problem whichever endpoint asked.
pub(crate) fn mail_request_problem(error: RequestResetError) -> Problem {
    match error {
        RequestResetError::Throttled {
            retry_after_seconds,
        } => Problem::too_many_requests(retry_after_seconds),
        RequestResetError::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = RequestPasswordResetBody,
    responses(
        (status = 202, description = "If the address belongs to an active member, a reset link is on its way; the answer is the same for unknown addresses"),
        (status = 429, description = "Too many requests for this address or from this client; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn request_reset(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<RequestPasswordResetBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    state
        .use_cases
        .recovery
        .request_reset(body.into_inner().email, client_info(&req, &state))
        .await
        .map_err(mail_request_problem)?;
    Ok(HttpResponse::Accepted().finish())
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth",
    request_body = PasswordResetBody,
    responses(
        (status = 204, description = "Password changed; every session and API token of the account ended"),
        (status = 400, description = "The link is unknown, used or expired", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a weak password)", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<PasswordResetBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    let body = body.into_inner();
    let token = SecretToken::parse(&body.token);
    let password = NewPassword::parse(body.password, &[]);
    let (Ok(token), Ok(password)) = (&token, &password) else {
        return Err(Problem::validation([
            ("token", token.err().map(|e| e.to_string())),
            ("password", password.err().map(|e| e.to_string())),
        ]));
    };
    state
        .use_cases
        .recovery
        .reset_password(token.clone(), password.clone())
        .await
        .map_err(|error| match error {
            ResetPasswordError::TokenInvalid => Problem::new(
                StatusCode::BAD_REQUEST,
                "reset-link-invalid",
                "Reset link not valid",
            )
            .with_detail("the link is unknown, used or expired; ask for a new one"),
            ResetPasswordError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}
