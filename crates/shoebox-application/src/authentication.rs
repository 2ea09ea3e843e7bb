//! Signing up, logging in and out, and resolving credentials on each request.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{LogIn, LogInError, NewUser, Role, SignUp, SignUpError, User, UserId},
    auth::{
        Actor, AuthenticationError, ClientInfo, Credential, LoginThrottlePolicy, NewSession,
        SecretToken, SessionId, SessionPolicy, SignupMode, ThrottleKey,
    },
};
use shoebox_ports::{
    inbound::{Authentication, SignedIn, SignedUp},
    outbound::{
        ApiTokenRepository, Clock, InsertUserError, InvitationRepository, KnownDeviceRepository,
        LoginThrottleRepository, PasswordHasher, SessionRepository, UserRepository,
    },
};

use crate::{
    AuthSettings,
    mail::{EmailVerifier, Message, Postman},
};

/// API tokens record their last use at most this often.
const TOKEN_USE_RESOLUTION_SECONDS: i64 = 60;

/// The outbound ports the account use cases share.
#[derive(Clone)]
pub struct AccountStores {
    pub users: Arc<dyn UserRepository>,
    pub sessions: Arc<dyn SessionRepository>,
    pub api_tokens: Arc<dyn ApiTokenRepository>,
    pub invitations: Arc<dyn InvitationRepository>,
    pub devices: Arc<dyn KnownDeviceRepository>,
    pub throttle: Arc<dyn LoginThrottleRepository>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for AccountStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountStores").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct AuthenticationService {
    stores: AccountStores,
    verifier: EmailVerifier,
    postman: Postman,
    signup: SignupMode,
    sessions: SessionPolicy,
    throttle: LoginThrottlePolicy,
    require_verified_email: bool,
    notify_new_device: bool,
}

impl AuthenticationService {
    pub fn new(
        stores: AccountStores,
        verifier: EmailVerifier,
        postman: Postman,
        settings: &AuthSettings,
    ) -> Self {
        Self {
            stores,
            verifier,
            postman,
            signup: settings.signup,
            sessions: settings.session_policy(),
            throttle: settings.throttle_policy(),
            require_verified_email: settings.require_email_verification,
            notify_new_device: settings.notify_new_device,
        }
    }

    /// Whether the instance keeps `user` out until their address is verified.
    fn kept_out(&self, user: &User) -> bool {
        self.require_verified_email && !user.is_email_verified()
    }

    /// Opens a session on `device` (the browser's id, or a new one). A
    /// sign-in (`announce`) from a device the member never used, while they
    /// have used others, is mailed to them.
    async fn open_session(
        &self,
        user: User,
        client: ClientInfo,
        device: Option<SecretToken>,
        announce: bool,
    ) -> anyhow::Result<SignedIn> {
        let now = self.stores.clock.now();
        let device = device.unwrap_or_else(|| SecretToken::generate(""));
        let sighting = self
            .stores
            .devices
            .remember(user.id, device.hash(), now)
            .await?;
        if announce && self.notify_new_device && !sighting.known && sighting.others {
            self.postman
                .send(
                    user.email.clone(),
                    Message::NewDevice {
                        forgot_link: self.postman.link("/forgot-password"),
                        settings_link: self.postman.link("/settings"),
                        at: now,
                        user_agent: client.user_agent.clone(),
                        ip: client.ip.map(|ip| ip.to_string()),
                    },
                )
                .await?;
            tracing::info!(user_id = %user.id, "sign-in from a new device announced");
        }
        let secret = SecretToken::generate("");
        let session = self
            .stores
            .sessions
            .insert(NewSession {
                id: SessionId::new(),
                user_id: user.id,
                token_hash: secret.hash(),
                csrf_token: SecretToken::generate("").expose().to_owned(),
                client,
                created_at: now,
                expires_at: self.sessions.expiry(now, now),
            })
            .await?;
        Ok(SignedIn {
            user,
            session,
            secret,
            device,
        })
    }

    /// Which role the new account gets, which invitation it consumes, and
    /// whether that invitation was mailed to the address (which proves it).
    async fn admission(
        &self,
        command: &SignUp,
    ) -> Result<(Role, Option<SecretToken>, bool), SignUpError> {
        let now = self.stores.clock.now();
        match (self.signup, &command.invitation) {
            (SignupMode::Closed, _) => Err(SignUpError::Closed),
            (SignupMode::Invite, None) => Err(SignUpError::InvitationRequired),
            (SignupMode::Open, None) => Ok((Role::Member, None, false)),
            (SignupMode::Invite | SignupMode::Open, Some(secret)) => {
                let invitation = self.stores.invitations.find_by_token(secret.hash()).await?;
                match invitation {
                    Some(invitation) if invitation.admits(&command.email, now) => Ok((
                        invitation.role,
                        Some(secret.clone()),
                        invitation.email.is_some(),
                    )),
                    _ => Err(SignUpError::InvitationInvalid),
                }
            }
        }
    }

    async fn refuse(&self, keys: Vec<ThrottleKey>) -> Result<SignedIn, LogInError> {
        let now = self.stores.clock.now();
        self.stores
            .throttle
            .record_failure(keys, now, self.throttle.window)
            .await?;
        Err(LogInError::InvalidCredentials)
    }
}

#[async_trait]
impl Authentication for AuthenticationService {
    #[tracing::instrument(name = "use_case.sign_up", skip_all)]
    async fn sign_up(&self, command: SignUp) -> Result<SignedUp, SignUpError> {
        let (role, invitation, address_proven) = self.admission(&command).await?;
        let password_hash = self
            .stores
            .hasher
            .hash(command.password.as_plain().clone())
            .await?;
        let now = self.stores.clock.now();
        let new_user = NewUser {
            id: UserId::new(),
            email: command.email,
            display_name: command.display_name,
            password_hash,
            role,
            created_at: now,
            email_verified_at: address_proven.then_some(now),
        };
        let user = self
            .stores
            .users
            .insert(new_user, invitation.map(|secret| secret.hash()))
            .await
            .map_err(|error| match error {
                InsertUserError::EmailTaken => SignUpError::EmailTaken,
                InsertUserError::InvitationInvalid => SignUpError::InvitationInvalid,
                InsertUserError::Unexpected(error) => SignUpError::Unexpected(error),
            })?;
        tracing::info!(user_id = %user.id, role = %user.role, "account created");
        if !user.is_email_verified() {
            self.verifier.send_verification(&user).await?;
        }
        if self.kept_out(&user) {
            return Ok(SignedUp::VerificationRequired(user));
        }
        Ok(SignedUp::SignedIn(
            self.open_session(user, command.client, command.device, false)
                .await?,
        ))
    }

    #[tracing::instrument(name = "use_case.log_in", skip_all)]
    async fn log_in(&self, command: LogIn) -> Result<SignedIn, LogInError> {
        let account_key = ThrottleKey::account(&command.email);
        let mut keys = vec![account_key.clone()];
        keys.extend(command.client.ip.map(ThrottleKey::ip));

        let counters = self.stores.throttle.counters(keys.clone()).await?;
        if let Err(retry_after_seconds) = self.throttle.check(&counters, self.stores.clock.now()) {
            return Err(LogInError::Throttled {
                retry_after_seconds,
            });
        }
        if !command.password.is_within_limits() {
            return self.refuse(keys).await;
        }
        let credentials = match shoebox_domain::EmailAddress::parse(&command.email) {
            Ok(email) => self.stores.users.credentials_by_email(&email).await?,
            Err(_) => None,
        };
        let Some(credentials) = credentials else {
            // Spend the same time as a wrong password would, so that response
            // times do not reveal which addresses have accounts.
            self.stores.hasher.hash(command.password).await?;
            return self.refuse(keys).await;
        };
        if !self
            .stores
            .hasher
            .verify(command.password, credentials.password_hash)
            .await?
        {
            return self.refuse(keys).await;
        }
        if credentials.user.is_disabled() {
            return Err(LogInError::AccountDisabled);
        }
        if self.kept_out(&credentials.user) {
            return Err(LogInError::EmailUnverified);
        }
        self.stores.throttle.clear(account_key).await?;
        Ok(self
            .open_session(credentials.user, command.client, command.device, true)
            .await?)
    }

    #[tracing::instrument(name = "use_case.authenticate_session", skip_all)]
    async fn authenticate_session(
        &self,
        secret: SecretToken,
    ) -> Result<Actor, AuthenticationError> {
        let now = self.stores.clock.now();
        let (session, user) = self
            .stores
            .sessions
            .find_active(secret.hash(), now)
            .await?
            .ok_or(AuthenticationError::Unauthenticated)?;
        if self.kept_out(&user) {
            return Err(AuthenticationError::Unauthenticated);
        }
        if let Some((last_seen_at, expires_at)) = self.sessions.touch(&session, now) {
            self.stores
                .sessions
                .touch(session.id, last_seen_at, expires_at)
                .await?;
        }
        let credential = Credential::Session {
            id: session.id,
            csrf_token: session.csrf_token,
        };
        Ok(Actor { user, credential })
    }

    #[tracing::instrument(name = "use_case.authenticate_api_token", skip_all)]
    async fn authenticate_api_token(
        &self,
        secret: SecretToken,
    ) -> Result<Actor, AuthenticationError> {
        let now = self.stores.clock.now();
        let (token, user) = self
            .stores
            .api_tokens
            .find_active(secret.hash(), now)
            .await?
            .ok_or(AuthenticationError::Unauthenticated)?;
        if self.kept_out(&user) {
            return Err(AuthenticationError::Unauthenticated);
        }
        let stale = token.last_used_at.is_none_or(|used| {
            now.signed_duration_since(used).num_seconds() >= TOKEN_USE_RESOLUTION_SECONDS
        });
        if stale {
            self.stores.api_tokens.record_use(token.id, now).await?;
        }
        Ok(Actor {
            user,
            credential: Credential::ApiToken { id: token.id },
        })
    }

    async fn log_out(&self, actor: Actor) -> anyhow::Result<()> {
        if let Some(session_id) = actor.session_id() {
            self.stores
                .sessions
                .delete(actor.user.id, session_id)
                .await?;
        }
        Ok(())
    }
}
