//! Signing in, and a member managing their own account.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{
        ChangePassword, ChangePasswordError, LogIn, LogInError, SignUp, SignUpError, UpdateProfile,
        UpdateProfileError, User,
    },
    auth::{
        Actor, ApiToken, ApiTokenId, ApiTokenName, AuthenticationError, CreateApiTokenError,
        NewApiToken, RevokeError, SecretToken, Session, SessionId,
    },
};

/// A new session: the secret goes into the cookie and is never seen again.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
    pub secret: SecretToken,
    /// The device id for the browser's long-lived `shoebox_device` cookie
    /// (the one it sent, or a new one).
    pub device: SecretToken,
}

/// What a sign-up led to.
#[derive(Debug, Clone)]
pub enum SignedUp {
    /// The member is in (their address may still await verification).
    SignedIn(SignedIn),
    /// The instance requires a verified address: a link went out, and the
    /// member signs in after following it.
    VerificationRequired(User),
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Authentication: Send + Sync {
    /// Creates the account and, unless its address is already proven, mails
    /// a verification link. Errors: `Closed`, `InvitationRequired`,
    /// `InvitationInvalid`, `EmailTaken`, `Unexpected`.
    async fn sign_up(&self, command: SignUp) -> Result<SignedUp, SignUpError>;

    /// Errors: `InvalidCredentials` (unknown email and wrong password alike, in
    /// similar time), `AccountDisabled`, `EmailUnverified` (when required),
    /// `Throttled`, `Unexpected`.
    async fn log_in(&self, command: LogIn) -> Result<SignedIn, LogInError>;

    /// Resolves a session cookie, sliding its expiry. Errors: `Unauthenticated`, `Unexpected`.
    async fn authenticate_session(&self, secret: SecretToken)
    -> Result<Actor, AuthenticationError>;

    /// Resolves a personal API token. Errors: `Unauthenticated`, `Unexpected`.
    async fn authenticate_api_token(
        &self,
        secret: SecretToken,
    ) -> Result<Actor, AuthenticationError>;

    /// Ends the actor's current session (no-op for API tokens).
    async fn log_out(&self, actor: Actor) -> anyhow::Result<()>;
}

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Errors: `NotFound` (the account vanished), `Unexpected`.
    async fn update_profile(
        &self,
        actor: Actor,
        command: UpdateProfile,
    ) -> Result<User, UpdateProfileError>;

    /// Changes the password and ends every other session and all API tokens.
    /// Errors: `WrongCurrentPassword`, `WeakPassword`, `Unexpected`.
    async fn change_password(
        &self,
        actor: Actor,
        command: ChangePassword,
    ) -> Result<(), ChangePasswordError>;

    async fn sessions(&self, actor: Actor) -> anyhow::Result<Vec<Session>>;

    /// Errors: `NotFound` (not one of the actor's live sessions), `Unexpected`.
    async fn revoke_session(&self, actor: Actor, id: SessionId) -> Result<(), RevokeError>;

    /// "Sign out everywhere": ends every session of the actor, the current one included.
    async fn revoke_all_sessions(&self, actor: Actor) -> anyhow::Result<u64>;

    async fn api_tokens(&self, actor: Actor) -> anyhow::Result<Vec<ApiToken>>;

    /// Creates a token valid for `valid_days` days (`None`: until revoked).
    /// Errors: `TooMany`, `Unexpected`.
    async fn create_api_token(
        &self,
        actor: Actor,
        name: ApiTokenName,
        valid_days: Option<u16>,
    ) -> Result<NewApiToken, CreateApiTokenError>;

    /// Errors: `NotFound`, `Unexpected`.
    async fn revoke_api_token(&self, actor: Actor, id: ApiTokenId) -> Result<(), RevokeError>;
}
