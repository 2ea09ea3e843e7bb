//! Proving an address by mail: asking for a verification link, following
//! a link, and changing one's address.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use shoebox_domain::{
    accounts::{ChangeEmailError, ConfirmEmailError, PlainPassword},
    auth::SecretToken,
};

use crate::{
    HttpState,
    auth::{Authenticated, client_info, require_same_origin},
    dto::{ChangeEmailBody, ConfirmEmailBody, ConfirmedEmailResponse, RequestVerificationBody},
    problem::{Problem, ProblemDetails},
    routes::recovery::mail_request_problem,
};

#[utoipa::path(post, path = "/api/v1/auth/email-verification", tag = "auth",
    request_body = RequestVerificationBody,
    responses(
        (status = 202, description = "If the address belongs to an active member who has not verified it, a new link is on its way (earlier links stop working); the answer is the same otherwise"),
        (status = 429, description = "Too many requests for this address or from this client; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn request_verification(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<RequestVerificationBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    state
        .use_cases
        .confirmation
        .request_verification(body.into_inner().email, client_info(&req, &state))
        .await
        .map_err(mail_request_problem)?;
    Ok(HttpResponse::Accepted().finish())
}

#[utoipa::path(post, path = "/api/v1/auth/email-verification/confirm", tag = "auth",
    request_body = ConfirmEmailBody,
    responses(
        (status = 200, description = "Address verified (for a change of address: now the account's address, and the old one was told)", body = ConfirmedEmailResponse),
        (status = 400, description = "The link is unknown, used or expired", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Another account took this address meanwhile", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The token is malformed", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn confirm_email(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<ConfirmEmailBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    let token = SecretToken::parse(&body.token)
        .map_err(|error| Problem::validation([("token", Some(error.to_string()))]))?;
    let email = state
        .use_cases
        .confirmation
        .confirm_email(token)
        .await
        .map_err(|error| match error {
            ConfirmEmailError::TokenInvalid => Problem::new(
                StatusCode::BAD_REQUEST,
                "confirmation-link-invalid",
                "Confirmation link not valid",
            )
            .with_detail("the link is unknown, used or expired; ask for a new one"),
            ConfirmEmailError::EmailTaken => Problem::new(
                StatusCode::CONFLICT,
                "email-taken",
                "Email already registered",
            )
            .with_detail("another account uses this address now; nothing changed"),
            ConfirmEmailError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::Ok().json(ConfirmedEmailResponse {
        email: email.as_str().to_owned(),
    }))
}

#[utoipa::path(post, path = "/api/v1/me/email", tag = "me",
    security(("session" = []), ("bearer" = [])),
    request_body = ChangeEmailBody,
    responses(
        (status = 202, description = "A confirmation link is on its way to the new address; the account keeps its address until it is followed. The answer is the same when another account has the address (then nothing is sent)"),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Current password incorrect, or CSRF token missing", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address, or the current one", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn change_email(
    req: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<ChangeEmailBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    state
        .use_cases
        .confirmation
        .change_email(
            actor,
            body.email,
            PlainPassword::new(body.password),
            client_info(&req, &state),
        )
        .await
        .map_err(|error| match error {
            ChangeEmailError::InvalidEmail(error) => {
                Problem::validation([("email", Some(error.to_string()))])
            }
            ChangeEmailError::SameAddress => {
                Problem::validation([("email", Some("this is already your address".to_owned()))])
            }
            ChangeEmailError::WrongCurrentPassword => Problem::new(
                StatusCode::FORBIDDEN,
                "wrong-current-password",
                "Current password is incorrect",
            ),
            ChangeEmailError::Throttled {
                retry_after_seconds,
            } => Problem::too_many_requests(retry_after_seconds),
            ChangeEmailError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::Accepted().finish())
}
