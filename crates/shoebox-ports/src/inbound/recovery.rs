//! Getting back into an account by mail.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::NewPassword,
    auth::{ClientInfo, SecretToken},
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
