//! Password reset by mail: a single-use, expiring link whose token is
//! stored only as its SHA-256.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use chrono::TimeDelta;
use shoebox_domain::{
    EmailAddress,
    accounts::NewPassword,
    auth::{ClientInfo, LoginThrottlePolicy, SecretToken},
};
use shoebox_ports::{
    inbound::{PasswordRecovery, RequestResetError, ResetPasswordError},
    outbound::{
        Clock, LoginThrottleRepository, PasswordHasher, PasswordResetRepository, UserRepository,
    },
};

use super::{Message, Postman, throttle::count_mail_request};
use crate::AuthSettings;

/// The ports password recovery needs.
#[derive(Clone)]
pub struct RecoveryStores {
    pub users: Arc<dyn UserRepository>,
    pub resets: Arc<dyn PasswordResetRepository>,
    pub throttle: Arc<dyn LoginThrottleRepository>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for RecoveryStores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryStores").finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct PasswordRecoveryService {
    stores: RecoveryStores,
    postman: Postman,
    throttle: LoginThrottlePolicy,
    validity: TimeDelta,
}

impl fmt::Debug for PasswordRecoveryService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordRecoveryService")
            .field("throttle", &self.throttle)
            .field("validity", &self.validity)
            .finish_non_exhaustive()
    }
}

impl PasswordRecoveryService {
    pub fn new(stores: RecoveryStores, postman: Postman, settings: &AuthSettings) -> Self {
        Self {
            stores,
            postman,
            throttle: settings.mail_throttle_policy(),
            validity: settings.password_reset_validity(),
        }
    }

    /// Mails a reset link when the address belongs to an active member.
    async fn mail_link(&self, email: &str) -> anyhow::Result<()> {
        let Ok(email) = EmailAddress::parse(email) else {
            return Ok(());
        };
        let Some(credentials) = self.stores.users.credentials_by_email(&email).await? else {
            return Ok(());
        };
        let user = credentials.user;
        if user.is_disabled() {
            return Ok(());
        }
        let now = self.stores.clock.now();
        let secret = SecretToken::generate("");
        self.stores
            .resets
            .insert(user.id, secret.hash(), now, now + self.validity)
            .await?;
        let link = self
            .postman
            .link(&format!("/reset-password?token={}", secret.expose()));
        self.postman
            .send(
                user.email,
                Message::PasswordReset {
                    link,
                    valid_minutes: self.validity.num_minutes(),
                },
            )
            .await?;
        tracing::info!(user_id = %user.id, "password reset link queued");
        Ok(())
    }
}

#[async_trait]
impl PasswordRecovery for PasswordRecoveryService {
    async fn request_reset(
        &self,
        email: String,
        client: ClientInfo,
    ) -> Result<(), RequestResetError> {
        let now = self.stores.clock.now();
        count_mail_request(&*self.stores.throttle, &self.throttle, &email, &client, now)
            .await?
            .map_err(|retry_after_seconds| RequestResetError::Throttled {
                retry_after_seconds,
            })?;
        self.mail_link(&email).await?;
        Ok(())
    }

    async fn reset_password(
        &self,
        token: SecretToken,
        password: NewPassword,
    ) -> Result<(), ResetPasswordError> {
        let hash = self.stores.hasher.hash(password.as_plain().clone()).await?;
        let now = self.stores.clock.now();
        let email = self
            .stores
            .resets
            .reset_password(token.hash(), hash, now)
            .await?
            .ok_or(ResetPasswordError::TokenInvalid)?;
        let forgot_link = self.postman.link("/forgot-password");
        self.postman
            .send(email, Message::PasswordChanged { forgot_link })
            .await?;
        Ok(())
    }
}
