//! Admins managing members, and operators provisioning accounts from the CLI.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{
        AdminChange, AdminUserError, CreateAdminError, DisplayName, EmailAddress, Role, User,
        UserId,
    },
    auth::{Actor, Invitation, InvitationId, InvitationStatus},
    page::{Page, PageRequest},
};

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Administration: Send + Sync {
    /// Errors (all methods): `Forbidden` unless the actor is an admin; `Unexpected`.
    async fn list_users(
        &self,
        actor: Actor,
        page: PageRequest,
    ) -> Result<Page<User>, AdminUserError>;

    /// Errors: `Forbidden`, `NotFound`, `Unexpected`.
    async fn user(&self, actor: Actor, id: UserId) -> Result<User, AdminUserError>;

    /// Errors: `Forbidden`, `NotFound`, `Rule` (admins cannot demote or disable themselves), `Unexpected`.
    async fn change_user(
        &self,
        actor: Actor,
        id: UserId,
        change: AdminChange,
    ) -> Result<User, AdminUserError>;

    /// Pending invitations, and those that ended (accepted, revoked,
    /// expired) in the last `ENDED_INVITATIONS_LISTED_FOR`, newest first,
    /// each with its status. Errors: `Forbidden`, `Unexpected`.
    async fn invitations(
        &self,
        actor: Actor,
    ) -> Result<Vec<(Invitation, InvitationStatus)>, AdminUserError>;

    /// Errors: `Forbidden`, `NotFound`, `Unexpected`.
    async fn revoke_invitation(&self, actor: Actor, id: InvitationId)
    -> Result<(), AdminUserError>;
}

/// An account that must exist (the first admin, demo members).
#[derive(Debug, Clone)]
pub struct EnsureUser {
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub password: String,
    pub role: Role,
    /// When the account exists already: give it `role` and this password (true),
    /// or leave it exactly as it is (false).
    pub overwrite: bool,
}

/// Operator actions that need no signed-in actor: they run from the `shoebox` CLI.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Provisioning: Send + Sync {
    /// Creates the account, or updates it per `overwrite`. Returns the user and
    /// whether it was created. Errors: `WeakPassword`, `Unexpected`.
    async fn ensure_user(&self, request: EnsureUser) -> Result<(User, bool), CreateAdminError>;
}
