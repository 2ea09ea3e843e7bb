//! Errors of the authentication and credential-management operations.

#[derive(Debug, thiserror::Error)]
pub enum AuthenticationError {
    /// No credential, an unknown one, an expired one, or one of a disabled account.
    #[error("not signed in, or the session or token is no longer valid")]
    Unauthenticated,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    #[error("no such session or token")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateApiTokenError {
    #[error("you already have the maximum of {0} API tokens; revoke one first")]
    TooMany(usize),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}
