//! Personal API tokens for scripts: shown once, stored hashed, revocable.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{SecretToken, TokenHash};
use crate::accounts::UserId;

/// Every API token starts with this, so that secret scanners can spot leaked ones.
pub const API_TOKEN_PREFIX: &str = "sbx_";
/// A member may hold at most this many live tokens.
pub const MAX_API_TOKENS_PER_USER: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiTokenId(Uuid);

impl ApiTokenId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for ApiTokenId {
    fn default() -> Self {
        Self::new()
    }
}

/// The member's label for a token ("backup script"). 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token name must be 1 to 100 printable characters")]
pub struct ApiTokenNameError;

impl ApiTokenName {
    pub fn parse(raw: &str) -> Result<Self, ApiTokenNameError> {
        let name = raw.trim();
        let count = name.chars().count();
        if count == 0 || count > 100 || name.chars().any(char::is_control) {
            return Err(ApiTokenNameError);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token as listed to its owner: never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: ApiTokenName,
    /// The first characters of the secret, to help the owner recognise it.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token to insert, plus the secret to show its owner exactly once.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub token_hash: TokenHash,
    pub secret: SecretToken,
}

impl NewApiToken {
    pub fn generate(
        user_id: UserId,
        name: ApiTokenName,
        now: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Self {
        let secret = SecretToken::generate(API_TOKEN_PREFIX);
        let hint = secret
            .expose()
            .chars()
            .take(API_TOKEN_PREFIX.len() + 4)
            .collect();
        let token = ApiToken {
            id: ApiTokenId::new(),
            user_id,
            name,
            hint,
            created_at: now,
            last_used_at: None,
            expires_at,
        };
        Self {
            token,
            token_hash: secret.hash(),
            secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_carry_the_prefix_and_a_short_hint() {
        let name = ApiTokenName::parse(" backup script ").unwrap();
        assert_eq!(name.as_str(), "backup script");
        let new = NewApiToken::generate(UserId::new(), name, Utc::now(), None);
        assert!(new.secret.expose().starts_with(API_TOKEN_PREFIX));
        assert_eq!(new.token.hint.len(), 8);
        assert!(new.secret.expose().starts_with(&new.token.hint));
        assert_eq!(new.token_hash, new.secret.hash());
    }

    #[test]
    fn names_are_bounded() {
        assert!(ApiTokenName::parse("").is_err());
        assert!(ApiTokenName::parse(&"x".repeat(101)).is_err());
        assert!(ApiTokenName::parse("tab\tname").is_err());
    }
}
