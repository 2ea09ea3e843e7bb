//! Getting back into an account by mail.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{ChangeEmailError, ConfirmEmailError, EmailAddress, NewPassword, PlainPassword},
    auth::{Actor, ClientInfo, SecretToken},
};

#[derive(Debug, thiserror::Error)]
pub enum RequestResetError {
    /// Too many requests for this address or from this client; the same
    /// whether or not the address has an account.
    #[error("too many requests; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ResetPasswordError {
    #[error("the link is unknown, used or expired")]
    TokenInvalid,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PasswordRecovery: Send + Sync {
    /// Mails a single-use reset link to `email` if it belongs to an active
    /// member; answers the same (`Ok`) when it does not.
    /// Errors: `Throttled`, `Unexpected`.
    async fn request_reset(
        &self,
        email: String,
        client: ClientInfo,
    ) -> Result<(), RequestResetError>;

    /// Sets the password of the link's member and ends all their sessions
    /// and API tokens. Errors: `TokenInvalid`, `Unexpected`.
    async fn reset_password(
        &self,
        token: SecretToken,
        password: NewPassword,
    ) -> Result<(), ResetPasswordError>;
}

/// Proving an address by mail: verification after sign-up, and the change
/// of address, which takes effect only once the new address confirms it.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait EmailConfirmation: Send + Sync {
    /// Mails a fresh verification link to `email` if it belongs to an active
    /// member whose address is not verified yet; answers the same (`Ok`)
    /// otherwise. Counted against the same per-address and per-client limits
    /// as password resets. Errors: `Throttled`, `Unexpected`.
    async fn request_verification(
        &self,
        email: String,
        client: ClientInfo,
    ) -> Result<(), RequestResetError>;

    /// Mails a confirmation link to `new_email`; the address changes only
    /// when it is followed. Answers the same when another account has the
    /// address (nothing is sent then), so it reveals no accounts.
    /// Errors: `InvalidEmail`, `SameAddress`, `WrongCurrentPassword`,
    /// `Throttled`, `Unexpected`.
    async fn change_email(
        &self,
        actor: Actor,
        new_email: String,
        password: PlainPassword,
        client: ClientInfo,
    ) -> Result<(), ChangeEmailError>;

    /// Follows a link: marks the address verified (and, for a change, makes
    /// it the member's address and tells the old one). Returns the address.
    /// Errors: `TokenInvalid`, `EmailTaken`, `Unexpected`.
    async fn confirm_email(&self, token: SecretToken) -> Result<EmailAddress, ConfirmEmailError>;
}
