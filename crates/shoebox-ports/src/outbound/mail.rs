//! Mail: rendered messages waiting in the outbox, and the transport that
//! delivers them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    accounts::{ConfirmEmailError, ConfirmedEmail, EmailAddress, PasswordHash, UserId},
    auth::TokenHash,
    jobs::NewJob,
    mail::{MailId, OutgoingMail},
};

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum SendMailError {
    /// The server refused the message for good (a permanent 5xx reply, an
    /// address it will never accept): trying again cannot help.
    #[error("the mail server refused the message: {0}")]
    Rejected(String),
    /// The server could not be reached, timed out, or answered with a
    /// transient error: the message may go through later.
    #[error(transparent)]
    Unavailable(#[from] anyhow::Error),
}

/// Delivers one rendered message.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Errors: `Rejected` (permanent), `Unavailable` (retry later).
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendMailError>;
}

/// Rendered messages between the use case that writes them and the
/// `mail.send` job that delivers them. The job's payload is only the id, so
/// the links in a message (which carry secrets) never sit in the job queue.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait MailOutbox: Send + Sync {
    /// Stores the message under `id` and enqueues `job` (whose payload
    /// names `id`) in one transaction. Errors: only `Unexpected`.
    async fn enqueue(
        &self,
        id: MailId,
        mail: OutgoingMail,
        job: NewJob,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// The message, unless it was sent already or removed.
    /// Errors: only `Unexpected`.
    async fn pending(&self, id: MailId) -> anyhow::Result<Option<OutgoingMail>>;

    /// Forgets a delivered message: the links in it then live only in the
    /// recipient's copy. Errors: only `Unexpected`.
    async fn remove(&self, id: MailId) -> anyhow::Result<()>;
}

/// Password-reset tokens: only their SHA-256 is stored.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PasswordResetRepository: Send + Sync {
    /// Records a token for the user that expires at `expires_at`.
    /// Errors: only `Unexpected`.
    async fn insert(
        &self,
        user_id: UserId,
        token_hash: TokenHash,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// In one transaction: marks the token used (only if unused and unexpired
    /// at `now`, and its member is not disabled), stores the new password
    /// hash, ends every session and revokes every API token of the member,
    /// and forgets the member's other reset tokens. The member's address, or
    /// `None` when the token was unknown, used, or expired.
    /// Errors: only `Unexpected`.
    async fn reset_password(
        &self,
        token_hash: TokenHash,
        password_hash: PasswordHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<EmailAddress>>;
}

/// Email confirmation links: only their SHA-256 is stored.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait EmailConfirmationRepository: Send + Sync {
    /// Records a link proving `email` for the member, valid until
    /// `expires_at`, and voids the member's earlier unused links (one live
    /// link at a time). Errors: only `Unexpected`.
    async fn insert(
        &self,
        user_id: UserId,
        email: EmailAddress,
        token_hash: TokenHash,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// In one transaction: marks the link used (only if unused, unexpired at
    /// `now`, and its member is not disabled), sets the member's address to
    /// the link's and marks it verified, and, when the address changed,
    /// voids the member's unused password-reset links (they went to the old
    /// address). `None` when the link is unknown, used or expired.
    /// Errors: `EmailTaken` (rolled back: the link stays usable), `Unexpected`.
    async fn confirm(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<ConfirmedEmail>, ConfirmEmailError>;
}
