//! One error type per operation: business outcomes as variants, anything else
//! as an opaque `Unexpected` that adapters log and never show to a client.

use super::{AdminRuleViolation, PasswordError};

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("sign-up is closed on this instance")]
    Closed,
    #[error("sign-up requires an invitation")]
    InvitationRequired,
    #[error("the invitation is unknown, used, revoked or expired")]
    InvitationInvalid,
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum LogInError {
    /// Unknown email, malformed email or wrong password: deliberately one variant.
    #[error("email or password is incorrect")]
    InvalidCredentials,
    /// Only reported once the password has been proven correct.
    #[error("this account is disabled")]
    AccountDisabled,
    /// Only reported once the password has been proven correct, and only
    /// when the instance requires verified addresses.
    #[error("confirm your email address first: follow the link we mailed you")]
    EmailUnverified,
    #[error("too many failed attempts; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateProfileError {
    #[error("the account no longer exists")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error("the current password is incorrect")]
    WrongCurrentPassword,
    #[error(transparent)]
    WeakPassword(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeEmailError {
    #[error(transparent)]
    InvalidEmail(#[from] super::EmailError),
    #[error("this is already your email address")]
    SameAddress,
    #[error("the current password is incorrect")]
    WrongCurrentPassword,
    #[error("too many requests; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmEmailError {
    /// Unknown, used, expired, or for a disabled member: deliberately one variant.
    #[error("the link is unknown, used or expired")]
    TokenInvalid,
    /// Another account took the address between the request and the confirmation.
    #[error("another account uses this email address now")]
    EmailTaken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Errors of the admin operations on members.
#[derive(Debug, thiserror::Error)]
pub enum AdminUserError {
    #[error("only admins may do this")]
    Forbidden,
    #[error("no such member")]
    NotFound,
    #[error(transparent)]
    Rule(#[from] AdminRuleViolation),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Errors of `shoebox users create-admin`.
#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error(transparent)]
    WeakPassword(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}
