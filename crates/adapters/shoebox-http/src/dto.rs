//! Request and response bodies. Only this crate sees them; handlers convert
//! between them and domain types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use shoebox_domain::{
    accounts::{Role, User},
    auth::{ApiToken, Invitation, InvitationStatus, Session},
};
use utoipa::ToSchema;
use uuid::Uuid;

/// Distinguishes a missing field (`None`) from an explicit `null` (`Some(None)`).
pub(crate) fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleDto {
    Member,
    Admin,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        match role {
            Role::Member => Self::Member,
            Role::Admin => Self::Admin,
        }
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Member => Self::Member,
            RoleDto::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub full_name: Option<String>,
    pub bio: Option<String>,
    pub role: RoleDto,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while a deletion waits out its grace period: the account and
    /// everything it owns is erased then, unless cancelled.
    pub deletion_due_at: Option<DateTime<Utc>>,
    /// Whether the member has followed a mailed link proving `email`.
    pub email_verified: bool,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.email.as_str().to_owned(),
            display_name: user.display_name.as_str().to_owned(),
            full_name: user.full_name.map(|n| n.as_str().to_owned()),
            bio: user.bio.map(|b| b.as_str().to_owned()),
            role: user.role.into(),
            disabled: user.disabled_at.is_some(),
            created_at: user.created_at,
            updated_at: user.updated_at,
            deletion_due_at: user.deletion_due_at,
            email_verified: user.email_verified_at.is_some(),
        }
    }
}

/// Returned by sign-up, login and `GET /auth/session`. The session itself is in the `shoebox_session` cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedInResponse {
    pub user: UserResponse,
    /// Send this in the `X-CSRF-Token` header of every unsafe cookie-authenticated request.
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignUpBody {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// The secret from an invitation link (required in `invite` mode).
    #[serde(default)]
    pub invitation: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestPasswordResetBody {
    pub email: String,
}

/// Sign-up on an instance that requires verified addresses: no session yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationPendingResponse {
    /// Where the verification link went.
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestVerificationBody {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmEmailBody {
    /// The `token` of the link in the message.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedEmailResponse {
    /// The member's address, now verified.
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeEmailBody {
    /// The new address; it takes effect when the link mailed to it is followed.
    pub email: String,
    /// The member's current password.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetBody {
    /// The `token` of the link in the message.
    pub token: String,
    /// The new password.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LogInBody {
    pub email: String,
    pub password: String,
}

/// Omitted fields are left unchanged; `null` or an empty string clears `full_name` and `bio`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateProfileBody {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordBody {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: Uuid,
    /// Whether this is the session making the request.
    pub current: bool,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl SessionResponse {
    pub fn new(session: Session, current: bool) -> Self {
        Self {
            id: session.id.as_uuid(),
            current,
            user_agent: session.client.user_agent,
            ip: session.client.ip.map(|ip| ip.to_string()),
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateApiTokenBody {
    pub name: String,
    /// Days until the token expires (1–3650); omit for a token valid until revoked.
    #[serde(default)]
    pub expires_in_days: Option<u16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenResponse {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for ApiTokenResponse {
    fn from(token: ApiToken) -> Self {
        Self {
            id: token.id.as_uuid(),
            name: token.name.as_str().to_owned(),
            hint: token.hint,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiTokenResponse {
    pub token: ApiTokenResponse,
    /// The token itself. Shown only in this response: store it now.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsersPage {
    pub items: Vec<UserResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page (1–200, default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// Omitted fields are left unchanged.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AdminUpdateUserBody {
    #[serde(default)]
    pub role: Option<RoleDto>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateInvitationBody {
    /// When set, only this address can accept the invitation.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<RoleDto>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InvitationStatusDto {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl From<InvitationStatus> for InvitationStatusDto {
    fn from(status: InvitationStatus) -> Self {
        match status {
            InvitationStatus::Pending => Self::Pending,
            InvitationStatus::Accepted => Self::Accepted,
            InvitationStatus::Revoked => Self::Revoked,
            InvitationStatus::Expired => Self::Expired,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub id: Uuid,
    pub email: Option<String>,
    pub role: RoleDto,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Only pending invitations can be accepted, resent or revoked.
    pub status: InvitationStatusDto,
    /// When it was accepted or revoked, if it was.
    pub ended_at: Option<DateTime<Utc>>,
}

impl From<(Invitation, InvitationStatus)> for InvitationResponse {
    fn from((invitation, status): (Invitation, InvitationStatus)) -> Self {
        Self {
            id: invitation.id.as_uuid(),
            email: invitation.email.map(|e| e.as_str().to_owned()),
            role: invitation.role.into(),
            created_at: invitation.created_at,
            expires_at: invitation.expires_at,
            status: status.into(),
            ended_at: invitation.accepted_at.or(invitation.revoked_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitationResponse {
    pub invitation: InvitationResponse,
    /// The secret of the invitation. Shown only in this response.
    pub token: String,
    /// The single-use link, `{public_url}/invitation?token=…`. Shown for
    /// addressed invitations too (which are also mailed), so that an admin
    /// can hand it over another way when mail is slow or not set up.
    pub link: String,
}

/// `POST /api/v1/auth/invitation`: the secret travels in the body, never in
/// a URL that proxies would log.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationLookupBody {
    pub token: String,
}

/// What a valid invitation link shows before sign-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreviewResponse {
    /// Set when only this address may accept the invitation.
    pub email: Option<String>,
    pub role: RoleDto,
    pub expires_at: DateTime<Utc>,
    /// The display name of the admin who sent it, while their account exists.
    pub invited_by: Option<String>,
}

/// `DELETE /api/v1/admin/users/{id}`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminDeleteQuery {
    /// Erase at once instead of after the grace period.
    #[serde(default)]
    pub now: bool,
}
