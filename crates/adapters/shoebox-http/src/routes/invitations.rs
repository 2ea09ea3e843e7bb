//! Invitations that send mail (creating and resending them), and looking
//! one up by its link before sign-up.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use shoebox_domain::{
    accounts::{EmailAddress, Role},
    auth::{InvitationId, InvitationStatus, NewInvitation, SecretToken},
};
use shoebox_ports::inbound::{InviteError, PreviewInvitationError};
use uuid::Uuid;

use crate::{
    HttpState,
    auth::{Authenticated, client_info, require_same_origin},
    dto::{
        CreateInvitationBody, CreatedInvitationResponse, InvitationLookupBody,
        InvitationPreviewResponse,
    },
    problem::{Problem, ProblemDetails},
};

fn invite_problem(error: InviteError) -> Problem {
    match error {
        InviteError::Forbidden => Problem::forbidden("only admins may do this"),
        InviteError::NotFound => Problem::not_found("pending invitation with an address"),
        InviteError::Throttled {
            retry_after_seconds,
        } => Problem::too_many_requests(retry_after_seconds),
        InviteError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn created(state: &HttpState, created: NewInvitation) -> CreatedInvitationResponse {
    let token = created.secret.expose().to_owned();
    let link = format!(
        "{}/invitation?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    CreatedInvitationResponse {
        invitation: (created.invitation, InvitationStatus::Pending).into(),
        token,
        link,
    }
}

#[utoipa::path(post, path = "/api/v1/admin/invitations", tag = "admin", security(("session" = []), ("bearer" = [])),
    request_body = CreateInvitationBody,
    responses(
        (status = 201, description = "Created; the link is shown only now. With an address, a message is queued too (or, when the address already has an account, a note telling its owner so: the answer is the same)", body = CreatedInvitationResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many mailed invitations to this address or from this client; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn create_invitation(
    req: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<CreateInvitationBody>,
) -> Result<HttpResponse, Problem> {
    let email = body
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(EmailAddress::parse)
        .transpose();
    let email = email.map_err(|error| Problem::validation([("email", Some(error.to_string()))]))?;
    let role = body.role.map_or(Role::Member, Into::into);
    let new = state
        .use_cases
        .invitations
        .invite(actor, email, role, client_info(&req, &state))
        .await
        .map_err(invite_problem)?;
    Ok(HttpResponse::Created().json(created(&state, new)))
}

#[utoipa::path(post, path = "/api/v1/admin/invitations/{id}/resend", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Invitation id")),
    responses(
        (status = 200, description = "Mailed again with a fresh link and expiry; the previous link no longer works", body = CreatedInvitationResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No pending invitation with an address has this id", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn resend_invitation(
    req: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<CreatedInvitationResponse>, Problem> {
    let id = InvitationId::from_uuid(id.into_inner());
    let new = state
        .use_cases
        .invitations
        .resend(actor, id, client_info(&req, &state))
        .await
        .map_err(invite_problem)?;
    Ok(web::Json(created(&state, new)))
}

#[utoipa::path(post, path = "/api/v1/auth/invitation", tag = "auth",
    request_body = InvitationLookupBody,
    responses(
        (status = 200, description = "The invitation can be accepted", body = InvitationPreviewResponse),
        (status = 404, description = "Unknown, used, revoked or expired: one answer for all", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed lookups from this client; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn preview_invitation(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<InvitationLookupBody>,
) -> Result<web::Json<InvitationPreviewResponse>, Problem> {
    require_same_origin(&req, &state)?;
    let invalid = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "invitation-invalid",
            "Invitation not valid",
        )
        .with_detail("the link is unknown, used, revoked or expired; ask an admin for a new one")
    };
    // A malformed token is just another unknown one.
    let token = SecretToken::parse(&body.token).map_err(|_| invalid())?;
    let preview = state
        .use_cases
        .invitations
        .preview(token, client_info(&req, &state))
        .await
        .map_err(|error| match error {
            PreviewInvitationError::Invalid => invalid(),
            PreviewInvitationError::Throttled {
                retry_after_seconds,
            } => Problem::too_many_requests(retry_after_seconds),
            PreviewInvitationError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(InvitationPreviewResponse {
        email: preview.email.map(|email| email.as_str().to_owned()),
        role: preview.role.into(),
        expires_at: preview.expires_at,
        invited_by: preview.invited_by,
    }))
}
