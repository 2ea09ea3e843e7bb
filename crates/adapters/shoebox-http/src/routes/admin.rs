//! Admin: members and invitations (creating and resending them, which
//! sends mail, is in `invitations.rs`).

use actix_web::{HttpResponse, http::StatusCode, web};
use shoebox_domain::{
    accounts::{AdminChange, AdminUserError, UserId},
    auth::InvitationId,
    page::PageRequest,
};
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    dto::{AdminUpdateUserBody, InvitationResponse, PageQuery, UserResponse, UsersPage},
    problem::{Problem, ProblemDetails},
};

fn admin_problem(error: AdminUserError) -> Problem {
    match error {
        AdminUserError::Forbidden => Problem::forbidden("only admins may do this"),
        AdminUserError::NotFound => Problem::not_found("member or invitation"),
        AdminUserError::Rule(rule) => Problem::new(
            StatusCode::CONFLICT,
            "admin-rule",
            "Not allowed on your own account",
        )
        .with_detail(rule.to_string()),
        AdminUserError::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("session" = []), ("bearer" = [])), params(PageQuery),
    responses((status = 200, body = UsersPage), (status = 403, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list_users(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<UsersPage>, Problem> {
    let page = PageRequest::new(query.limit, query.cursor);
    let users = state
        .use_cases
        .administration
        .list_users(actor, page)
        .await
        .map_err(admin_problem)?;
    Ok(web::Json(UsersPage {
        items: users.items.into_iter().map(Into::into).collect(),
        next_cursor: users.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = UserResponse), (status = 403, body = ProblemDetails, content_type = "application/problem+json"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn user(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<UserResponse>, Problem> {
    let user = state
        .use_cases
        .administration
        .user(actor, UserId::from_uuid(id.into_inner()))
        .await
        .map_err(admin_problem)?;
    Ok(web::Json(user.into()))
}

#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")), request_body = AdminUpdateUserBody,
    responses(
        (status = 200, body = UserResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Admins cannot demote or disable themselves", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn update_user(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<AdminUpdateUserBody>,
) -> Result<web::Json<UserResponse>, Problem> {
    let mut changes: Vec<AdminChange> = body
        .role
        .map(|role| AdminChange::SetRole(role.into()))
        .into_iter()
        .collect();
    changes.extend(body.disabled.map(|disabled| {
        if disabled {
            AdminChange::Disable
        } else {
            AdminChange::Enable
        }
    }));
    if changes.is_empty() {
        return Err(Problem::validation([(
            "role",
            Some("give role and/or disabled".to_owned()),
        )]));
    }
    let id = UserId::from_uuid(id.into_inner());
    let mut user = None;
    for change in changes {
        user = Some(
            state
                .use_cases
                .administration
                .change_user(actor.clone(), id, change)
                .await
                .map_err(admin_problem)?,
        );
    }
    let user = user.ok_or_else(|| Problem::internal(anyhow::anyhow!("no change applied")))?;
    Ok(web::Json(user.into()))
}

#[utoipa::path(get, path = "/api/v1/admin/invitations", tag = "admin", security(("session" = []), ("bearer" = [])),
    responses((status = 200, description = "Pending invitations, and those accepted, revoked or expired in the last 30 days, newest first", body = Vec<InvitationResponse>), (status = 403, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list_invitations(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<Vec<InvitationResponse>>, Problem> {
    let invitations = state
        .use_cases
        .administration
        .invitations(actor)
        .await
        .map_err(admin_problem)?;
    Ok(web::Json(invitations.into_iter().map(Into::into).collect()))
}

#[utoipa::path(delete, path = "/api/v1/admin/invitations/{id}", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Invitation id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn revoke_invitation(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let id = InvitationId::from_uuid(id.into_inner());
    state
        .use_cases
        .administration
        .revoke_invitation(actor, id)
        .await
        .map_err(admin_problem)?;
    Ok(HttpResponse::NoContent().finish())
}
