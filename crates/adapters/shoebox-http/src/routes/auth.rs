//! Sign-up, login, logout and the current session.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use shoebox_domain::{
    accounts::{
        DisplayName, EmailAddress, LogIn, LogInError, NewPassword, PlainPassword, SignUp,
        SignUpError,
    },
    auth::{Credential, SecretToken},
};
use shoebox_ports::inbound::{SignedIn, SignedUp};

use crate::{
    HttpState,
    auth::{
        Authenticated, client_info, device_cookie, device_of, removal_cookie, require_same_origin,
        session_cookie,
    },
    dto::{LogInBody, SignUpBody, SignedInResponse, VerificationPendingResponse},
    problem::{Problem, ProblemDetails},
};

fn signed_in(status: StatusCode, signed_in: SignedIn, state: &HttpState) -> HttpResponse {
    let body = SignedInResponse {
        user: signed_in.user.into(),
        csrf_token: signed_in.session.csrf_token,
    };
    HttpResponse::build(status)
        .cookie(session_cookie(&signed_in.secret, state))
        .cookie(device_cookie(&signed_in.device, state))
        .json(body)
}

fn sign_up_problem(error: SignUpError) -> Problem {
    match error {
        SignUpError::Closed => {
            Problem::new(StatusCode::FORBIDDEN, "signup-closed", "Sign-up is closed")
                .with_detail("ask an admin of this instance for an account")
        }
        SignUpError::InvitationRequired => Problem::new(
            StatusCode::FORBIDDEN,
            "invitation-required",
            "Invitation required",
        )
        .with_detail("sign-up on this instance needs an invitation link"),
        SignUpError::InvitationInvalid => Problem::new(
            StatusCode::FORBIDDEN,
            "invitation-invalid",
            "Invitation not valid",
        )
        .with_detail(
            "the invitation is unknown, used, revoked, expired, or for another email address",
        ),
        SignUpError::EmailTaken => Problem::new(
            StatusCode::CONFLICT,
            "email-taken",
            "Email already registered",
        )
        .with_detail("an account with this email address exists; log in or reset its password"),
        SignUpError::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignUpBody,
    responses(
        (status = 201, description = "Account created and signed in; sets the `shoebox_session` cookie. Unless the address is already proven (an invitation mailed to it), a verification link is on its way", body = SignedInResponse),
        (status = 202, description = "Account created; the instance requires a verified address, so the member signs in after following the mailed link", body = VerificationPendingResponse),
        (status = 403, description = "Sign-up closed, invitation required or invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Email already registered", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn sign_up(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<SignUpBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    let body = body.into_inner();
    let email = EmailAddress::parse(&body.email);
    let display_name = DisplayName::parse(&body.display_name);
    let password = NewPassword::parse(
        body.password,
        &[body.email.as_str(), body.display_name.as_str()],
    );
    let invitation = body
        .invitation
        .as_deref()
        .map(SecretToken::parse)
        .transpose();
    let (Ok(email), Ok(display_name), Ok(password), Ok(invitation)) =
        (&email, &display_name, &password, &invitation)
    else {
        return Err(Problem::validation([
            ("email", email.err().map(|e| e.to_string())),
            ("display_name", display_name.err().map(|e| e.to_string())),
            ("password", password.err().map(|e| e.to_string())),
            ("invitation", invitation.err().map(|e| e.to_string())),
        ]));
    };
    let command = SignUp {
        email: email.clone(),
        display_name: display_name.clone(),
        password: password.clone(),
        invitation: invitation.clone(),
        client: client_info(&req, &state),
        device: device_of(&req),
    };
    let result = state
        .use_cases
        .authentication
        .sign_up(command)
        .await
        .map_err(sign_up_problem)?;
    Ok(match result {
        SignedUp::SignedIn(result) => signed_in(StatusCode::CREATED, result, &state),
        SignedUp::VerificationRequired(user) => {
            HttpResponse::Accepted().json(VerificationPendingResponse {
                email: user.email.as_str().to_owned(),
            })
        }
    })
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LogInBody,
    responses(
        (status = 200, description = "Signed in; sets the `shoebox_session` cookie", body = SignedInResponse),
        (status = 401, description = "Email or password incorrect (the same for unknown addresses)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Account disabled, or (on instances that require it) its address not verified yet; told only after a correct password", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn log_in(
    req: HttpRequest,
    state: web::Data<HttpState>,
    body: web::Json<LogInBody>,
) -> Result<HttpResponse, Problem> {
    require_same_origin(&req, &state)?;
    let body = body.into_inner();
    let command = LogIn {
        email: body.email,
        password: PlainPassword::new(body.password),
        client: client_info(&req, &state),
        device: device_of(&req),
    };
    let result = state
        .use_cases
        .authentication
        .log_in(command)
        .await
        .map_err(|error| match error {
            LogInError::InvalidCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid-credentials",
                "Invalid credentials",
            )
            .with_detail("email or password is incorrect"),
            LogInError::AccountDisabled => Problem::new(
                StatusCode::FORBIDDEN,
                "account-disabled",
                "Account disabled",
            )
            .with_detail("this account has been disabled by an admin"),
            LogInError::EmailUnverified => Problem::new(
                StatusCode::FORBIDDEN,
                "email-unverified",
                "Email address not verified",
            )
            .with_detail(
                "follow the link we mailed to your address, then sign in; you can ask for a new link",
            ),
            LogInError::Throttled {
                retry_after_seconds,
            } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-attempts",
                "Too many failed attempts",
            )
            .with_detail(format!("try again in {retry_after_seconds} seconds"))
            .with_retry_after(retry_after_seconds),
            LogInError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(signed_in(StatusCode::OK, result, &state))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Session ended and cookie cleared"),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "CSRF token missing or wrong", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn log_out(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<HttpResponse, Problem> {
    state.use_cases.authentication.log_out(actor).await?;
    Ok(HttpResponse::NoContent()
        .cookie(removal_cookie(&state))
        .finish())
}

#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in user and the session's CSRF token", body = SignedInResponse),
        (status = 401, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn current_session(Authenticated(actor): Authenticated) -> Result<HttpResponse, Problem> {
    match actor.credential {
        Credential::Session { csrf_token, .. } => Ok(HttpResponse::Ok().json(SignedInResponse {
            user: actor.user.into(),
            csrf_token,
        })),
        Credential::ApiToken { .. } | Credential::Operator => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "not-a-session",
            "Not a session",
        )
        .with_detail("this request is authenticated by an API token, not a browser session")),
    }
}
