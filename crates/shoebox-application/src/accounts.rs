//! A member managing their own account: profile, password, sessions, API tokens.

use async_trait::async_trait;
use chrono::TimeDelta;
use shoebox_domain::{
    accounts::{
        ChangePassword, ChangePasswordError, NewPassword, UpdateProfile, UpdateProfileError, User,
    },
    auth::{
        Actor, ApiToken, ApiTokenId, ApiTokenName, CreateApiTokenError, MAX_API_TOKENS_PER_USER,
        NewApiToken, RevokeError, Session, SessionId,
    },
};
use shoebox_ports::inbound::Accounts;

use crate::AccountStores;

#[derive(Debug, Clone)]
pub struct AccountService {
    stores: AccountStores,
}

impl AccountService {
    pub fn new(stores: AccountStores) -> Self {
        Self { stores }
    }
}

#[async_trait]
impl Accounts for AccountService {
    async fn update_profile(
        &self,
        actor: Actor,
        command: UpdateProfile,
    ) -> Result<User, UpdateProfileError> {
        if command.update.is_empty() {
            return Ok(actor.user);
        }
        let now = self.stores.clock.now();
        self.stores
            .users
            .update_profile(actor.user.id, command.update, now)
            .await?
            .ok_or(UpdateProfileError::NotFound)
    }

    async fn change_password(
        &self,
        actor: Actor,
        command: ChangePassword,
    ) -> Result<(), ChangePasswordError> {
        let user = &actor.user;
        let new = NewPassword::parse(
            command.new,
            &[user.email.as_str(), user.display_name.as_str()],
        )?;
        let credentials = self
            .stores
            .users
            .credentials_by_id(user.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("authenticated user {} has no credentials", user.id))?;
        if !self
            .stores
            .hasher
            .verify(command.current, credentials.password_hash)
            .await?
        {
            return Err(ChangePasswordError::WrongCurrentPassword);
        }
        let hash = self.stores.hasher.hash(new.as_plain().clone()).await?;
        let now = self.stores.clock.now();
        self.stores
            .users
            .replace_password(user.id, hash, actor.session_id(), now)
            .await?;
        tracing::info!(user_id = %user.id, "password changed; other sessions and API tokens revoked");
        Ok(())
    }

    async fn sessions(&self, actor: Actor) -> anyhow::Result<Vec<Session>> {
        self.stores
            .sessions
            .list(actor.user.id, self.stores.clock.now())
            .await
    }

    async fn revoke_session(&self, actor: Actor, id: SessionId) -> Result<(), RevokeError> {
        match self.stores.sessions.delete(actor.user.id, id).await? {
            true => Ok(()),
            false => Err(RevokeError::NotFound),
        }
    }

    async fn revoke_all_sessions(&self, actor: Actor) -> anyhow::Result<u64> {
        self.stores.sessions.delete_all(actor.user.id, None).await
    }

    async fn api_tokens(&self, actor: Actor) -> anyhow::Result<Vec<ApiToken>> {
        self.stores
            .api_tokens
            .list(actor.user.id, self.stores.clock.now())
            .await
    }

    async fn create_api_token(
        &self,
        actor: Actor,
        name: ApiTokenName,
        valid_days: Option<u16>,
    ) -> Result<NewApiToken, CreateApiTokenError> {
        let now = self.stores.clock.now();
        let expires_at = valid_days.map(|days| now + TimeDelta::days(i64::from(days)));
        if self.stores.api_tokens.count(actor.user.id, now).await? >= MAX_API_TOKENS_PER_USER {
            return Err(CreateApiTokenError::TooMany(MAX_API_TOKENS_PER_USER));
        }
        let new = NewApiToken::generate(actor.user.id, name, now, expires_at);
        self.stores.api_tokens.insert(new.clone()).await?;
        Ok(new)
    }

    async fn revoke_api_token(&self, actor: Actor, id: ApiTokenId) -> Result<(), RevokeError> {
        match self.stores.api_tokens.revoke(actor.user.id, id).await? {
            true => Ok(()),
            false => Err(RevokeError::NotFound),
        }
    }
}
