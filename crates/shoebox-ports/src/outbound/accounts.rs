//! Persistence and credential capabilities behind the account use cases.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    accounts::{
        EmailAddress, NewUser, PasswordHash, PlainPassword, ProfileUpdate, Role, User,
        UserCredentials, UserId,
    },
    auth::{
        ApiToken, ApiTokenId, Invitation, InvitationId, NewApiToken, NewInvitation, NewSession,
        Session, SessionId, ThrottleKey, ThrottleState, TokenHash,
    },
    page::{Page, PageRequest},
};

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("the invitation is unknown, used, revoked or expired")]
    InvitationInvalid,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Inserts a user. With `invitation`, atomically marks that invitation as
    /// accepted (only if still usable at `user.created_at`) in the same transaction.
    /// Errors: `EmailTaken`, `InvitationInvalid`, `Unexpected`.
    async fn insert(
        &self,
        user: NewUser,
        invitation: Option<TokenHash>,
    ) -> Result<User, InsertUserError>;

    /// Errors: only `Unexpected`.
    async fn find(&self, id: UserId) -> anyhow::Result<Option<User>>;

    /// The user and password hash for a login. Errors: only `Unexpected`.
    async fn credentials_by_email(
        &self,
        email: &EmailAddress,
    ) -> anyhow::Result<Option<UserCredentials>>;

    /// Errors: only `Unexpected`.
    async fn credentials_by_id(&self, id: UserId) -> anyhow::Result<Option<UserCredentials>>;

    /// Applies a partial profile update; `None` when the user does not exist.
    async fn update_profile(
        &self,
        id: UserId,
        update: ProfileUpdate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>>;

    /// Stores a new password hash and, in the same transaction, ends every
    /// session of the user except `keep` and revokes every API token.
    async fn replace_password(
        &self,
        id: UserId,
        hash: PasswordHash,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// Users in creation order. Errors: only `Unexpected`.
    async fn list(&self, page: PageRequest) -> anyhow::Result<Page<User>>;

    /// `None` when the user does not exist.
    async fn set_role(
        &self,
        id: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>>;

    /// Disables (with `Some(time)`) or enables (`None`) an account. Disabling
    /// ends all its sessions and revokes its API tokens in the same transaction.
    async fn set_disabled(
        &self,
        id: UserId,
        disabled_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>>;

    /// Schedules the member's deletion at `due_at`, ending every session
    /// and revoking every token in the same transaction; `None` cancels a
    /// pending deletion. `None` when there is no such member.
    /// Errors: only `Unexpected`.
    async fn schedule_deletion(
        &self,
        id: UserId,
        due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>>;

    /// Members whose deletion came due at or before `now`, oldest due first,
    /// at most `limit`. Errors: only `Unexpected`.
    async fn due_for_erasure(&self, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<UserId>>;

    /// Erases the member from the database in one transaction: the row and
    /// everything that hangs off it (sessions, tokens, photos, albums, their
    /// links), the address on invitations they accepted or were sent, and
    /// their login-failure counter. `false` when there was no such member.
    /// Their objects in the store are the caller's to remove.
    /// Errors: only `Unexpected`.
    async fn erase(&self, id: UserId) -> anyhow::Result<bool>;
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait SessionRepository: Send + Sync {
    async fn insert(&self, session: NewSession) -> anyhow::Result<Session>;

    /// The unexpired session holding this token, with its user, if that user is
    /// not disabled. One round trip: this runs on every authenticated request.
    async fn find_active(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(Session, User)>>;

    /// Records use of a session (sliding expiry).
    async fn touch(
        &self,
        id: SessionId,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()>;

    /// The user's unexpired sessions, newest first.
    async fn list(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<Vec<Session>>;

    /// Ends one session of this user; `false` when there is no such session.
    async fn delete(&self, user_id: UserId, id: SessionId) -> anyhow::Result<bool>;

    /// Ends every session of the user except `except`; returns how many ended.
    async fn delete_all(&self, user_id: UserId, except: Option<SessionId>) -> anyhow::Result<u64>;
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ApiTokenRepository: Send + Sync {
    async fn insert(&self, token: NewApiToken) -> anyhow::Result<()>;

    /// How many live (unexpired) tokens the user holds.
    async fn count(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<usize>;

    /// The unexpired token with this hash and its user, if that user is not disabled.
    async fn find_active(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(ApiToken, User)>>;

    /// Records that the token was used at `now`.
    async fn record_use(&self, id: ApiTokenId, now: DateTime<Utc>) -> anyhow::Result<()>;

    /// The user's unexpired tokens, newest first.
    async fn list(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<Vec<ApiToken>>;

    /// Revokes one token of this user; `false` when there is no such token.
    async fn revoke(&self, user_id: UserId, id: ApiTokenId) -> anyhow::Result<bool>;
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait InvitationRepository: Send + Sync {
    async fn insert(&self, invitation: NewInvitation) -> anyhow::Result<()>;

    /// The invitation with this token hash, whatever its state.
    async fn find_by_token(&self, token_hash: TokenHash) -> anyhow::Result<Option<Invitation>>;

    /// Invitations neither accepted, revoked nor expired, newest first.
    async fn list_pending(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Invitation>>;

    /// Pending invitations, and those accepted, revoked or expired at or
    /// after `ended_since`, newest first.
    async fn list_recent(
        &self,
        now: DateTime<Utc>,
        ended_since: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Invitation>>;

    /// Revokes a pending invitation; `false` when there is no pending invitation with this id.
    async fn revoke(&self, id: InvitationId, now: DateTime<Utc>) -> anyhow::Result<bool>;

    /// Gives a pending invitation that has an address a new token hash (the
    /// old one stops matching) and a new expiry. `None` when there is no
    /// pending invitation with an address and this id.
    async fn reissue(
        &self,
        id: InvitationId,
        token_hash: TokenHash,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Invitation>>;
}

/// Counters of failed logins, shared by every server replica.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait LoginThrottleRepository: Send + Sync {
    /// The stored counters for these keys (keys without a counter are omitted).
    async fn counters(
        &self,
        keys: Vec<ThrottleKey>,
    ) -> anyhow::Result<Vec<(ThrottleKey, ThrottleState)>>;

    /// Counts one failure against each key, starting a new window at `now`
    /// for counters whose window of length `window` is over.
    async fn record_failure(
        &self,
        keys: Vec<ThrottleKey>,
        now: DateTime<Utc>,
        window: Duration,
    ) -> anyhow::Result<()>;

    /// Forgets the counter of a key (after a successful login).
    async fn clear(&self, key: ThrottleKey) -> anyhow::Result<()>;
}

/// Slow, memory-hard password hashing. Implementations bound how many hashes
/// run at once, so that a login storm queues instead of exhausting memory.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: PlainPassword) -> anyhow::Result<PasswordHash>;

    /// `Ok(false)` for a wrong password; `Err` only when the hash is unreadable.
    async fn verify(&self, password: PlainPassword, hash: PasswordHash) -> anyhow::Result<bool>;
}

/// What remembering a device found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceSighting {
    /// The member had signed in from this device before.
    pub known: bool,
    /// The member has signed in from some other device before.
    pub others: bool,
}

/// The browsers each member has signed in from (only the SHA-256 of each
/// device id is stored).
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait KnownDeviceRepository: Send + Sync {
    /// Records that the member signed in from `device` at `now`, and says
    /// whether it was known and whether there are others. Errors: only `Unexpected`.
    async fn remember(
        &self,
        user_id: UserId,
        device: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<DeviceSighting>;
}
