//! The member's own profile and password.

use actix_web::{HttpResponse, http::StatusCode, web};
use shoebox_domain::accounts::{
    Bio, ChangePassword, ChangePasswordError, DisplayName, FullName, PlainPassword, ProfileUpdate,
    UpdateProfile, UpdateProfileError,
};

use crate::{
    HttpState,
    auth::Authenticated,
    dto::{ChangePasswordBody, UpdateProfileBody, UserResponse},
    problem::{Problem, ProblemDetails},
};

#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn profile(Authenticated(actor): Authenticated) -> web::Json<UserResponse> {
    // Authentication already loaded the current user: no second round trip.
    web::Json(actor.user.into())
}

fn parse_update(body: UpdateProfileBody) -> Result<ProfileUpdate, Problem> {
    let display_name = body
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose();
    let full_name = body
        .full_name
        .map(|v| FullName::parse(v.as_deref().unwrap_or("")))
        .transpose();
    let bio = body
        .bio
        .map(|v| Bio::parse(v.as_deref().unwrap_or("")))
        .transpose();
    match (display_name, full_name, bio) {
        (Ok(display_name), Ok(full_name), Ok(bio)) => Ok(ProfileUpdate {
            display_name,
            full_name,
            bio,
        }),
        (display_name, full_name, bio) => Err(Problem::validation([
            ("display_name", display_name.err().map(|e| e.to_string())),
            ("full_name", full_name.err().map(|e| e.to_string())),
            ("bio", bio.err().map(|e| e.to_string())),
        ])),
    }
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "me", security(("session" = []), ("bearer" = [])),
    request_body = UpdateProfileBody,
    responses(
        (status = 200, body = UserResponse),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn update_profile(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<UpdateProfileBody>,
) -> Result<web::Json<UserResponse>, Problem> {
    let update = parse_update(body.into_inner())?;
    let user = state
        .use_cases
        .accounts
        .update_profile(actor, UpdateProfile { update })
        .await
        .map_err(|error| match error {
            UpdateProfileError::NotFound => Problem::unauthenticated(),
            UpdateProfileError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(user.into()))
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", security(("session" = []), ("bearer" = [])),
    request_body = ChangePasswordBody,
    responses(
        (status = 204, description = "Changed; every other session and all API tokens were revoked"),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Current password wrong", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "New password too weak", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn change_password(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<ChangePasswordBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let command = ChangePassword {
        current: PlainPassword::new(body.current_password),
        new: body.new_password,
    };
    state
        .use_cases
        .accounts
        .change_password(actor, command)
        .await
        .map_err(|error| match error {
            ChangePasswordError::WrongCurrentPassword => Problem::new(
                StatusCode::FORBIDDEN,
                "wrong-current-password",
                "Current password is incorrect",
            ),
            ChangePasswordError::WeakPassword(weak) => {
                Problem::validation([("new_password", Some(weak.to_string()))])
            }
            ChangePasswordError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}
