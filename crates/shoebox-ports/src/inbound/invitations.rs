//! Inviting people by mail, and looking an invitation up before sign-up.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    accounts::{EmailAddress, Role},
    auth::{Actor, ClientInfo, InvitationId, NewInvitation, SecretToken},
};

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("only admins may invite")]
    Forbidden,
    /// No pending invitation with an address has this id.
    #[error("no such pending invitation")]
    NotFound,
    /// Too many mailed invitations to this address or from this client; the
    /// same whether or not the address already has an account.
    #[error("too many invitations; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewInvitationError {
    /// Unknown, accepted, revoked or expired: deliberately one case.
    #[error("the invitation link is unknown, used, revoked or expired")]
    Invalid,
    #[error("too many lookups; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// What the holder of a valid invitation link may see before signing up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationPreview {
    /// Set when only this address may accept the invitation.
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    /// The display name of the admin who invited them, while that account exists.
    pub invited_by: Option<String>,
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Invitations: Send + Sync {
    /// Creates a single-use invitation; the secret of its link is returned
    /// once. With an address, a message is queued: the invitation, or, when
    /// the address already belongs to a member, a "you already have an
    /// account" note instead. The answer is the same either way.
    /// Errors: `Forbidden`, `Throttled` (addressed invitations only), `Unexpected`.
    async fn invite(
        &self,
        actor: Actor,
        email: Option<EmailAddress>,
        role: Role,
        client: ClientInfo,
    ) -> Result<NewInvitation, InviteError>;

    /// Gives a pending addressed invitation a fresh secret (the old link
    /// stops working) and a fresh expiry, and mails it again.
    /// Errors: `Forbidden`, `NotFound`, `Throttled`, `Unexpected`.
    async fn resend(
        &self,
        actor: Actor,
        id: InvitationId,
        client: ClientInfo,
    ) -> Result<NewInvitation, InviteError>;

    /// The invitation behind a link, if it can still be accepted.
    /// Errors: `Invalid`, `Throttled` (failed lookups per client), `Unexpected`.
    async fn preview(
        &self,
        token: SecretToken,
        client: ClientInfo,
    ) -> Result<InvitationPreview, PreviewInvitationError>;
}
