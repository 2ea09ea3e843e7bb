//! Password-reset tokens (their SHA-256 only).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{prelude::*, result::Error as DieselError};
use shoebox_domain::{
    accounts::{EmailAddress, PasswordHash, UserId},
    auth::TokenHash,
};
use shoebox_ports::outbound::PasswordResetRepository;
use uuid::Uuid;

use super::end_sessions_and_tokens;
use crate::{
    PostgresDatabase,
    rows::hash_bytes,
    schema::{password_resets, users},
};

/// [`PasswordResetRepository`] on `password_resets` (and `users`,
/// `sessions`, `api_tokens` for the reset itself).
#[derive(Debug, Clone)]
pub struct PostgresPasswordResetRepository {
    database: PostgresDatabase,
}

impl PostgresPasswordResetRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl PasswordResetRepository for PostgresPasswordResetRepository {
    async fn insert(
        &self,
        user_id: UserId,
        token_hash: TokenHash,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let token_hash = hash_bytes(&token_hash);
        self.database
            .run("recording a password reset", move |connection| {
                diesel::insert_into(password_resets::table)
                    .values((
                        password_resets::token_hash.eq(token_hash),
                        password_resets::user_id.eq(user_id.as_uuid()),
                        password_resets::created_at.eq(now),
                        password_resets::expires_at.eq(expires_at),
                    ))
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn reset_password(
        &self,
        token_hash: TokenHash,
        password_hash: PasswordHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<EmailAddress>> {
        let token_hash = hash_bytes(&token_hash);
        let password_hash = password_hash.as_phc().to_owned();
        let email = self
            .database
            .run("resetting a password", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| {
                    // The conditional update is the single use: of two
                    // concurrent resets with one token, one finds it used.
                    let user_id: Option<Uuid> = diesel::update(
                        password_resets::table
                            .filter(password_resets::token_hash.eq(token_hash))
                            .filter(password_resets::used_at.is_null())
                            .filter(password_resets::expires_at.gt(now)),
                    )
                    .set(password_resets::used_at.eq(now))
                    .returning(password_resets::user_id)
                    .get_result(connection)
                    .optional()?;
                    let Some(user_id) = user_id else {
                        return Ok(None);
                    };
                    let email: Option<String> = diesel::update(
                        users::table
                            .find(user_id)
                            .filter(users::disabled_at.is_null()),
                    )
                    .set((
                        users::password_hash.eq(password_hash),
                        users::updated_at.eq(now),
                    ))
                    .returning(users::email)
                    .get_result(connection)
                    .optional()?;
                    let Some(email) = email else {
                        // A disabled member: the token stays spent, nothing else changes.
                        return Ok(None);
                    };
                    end_sessions_and_tokens(connection, user_id, None)?;
                    diesel::delete(
                        password_resets::table
                            .filter(password_resets::user_id.eq(user_id))
                            .filter(password_resets::used_at.is_null()),
                    )
                    .execute(connection)?;
                    Ok(Some(email))
                })
            })
            .await?;
        email
            .map(|email| {
                EmailAddress::parse(&email)
                    .map_err(|_| anyhow::anyhow!("a stored email address is invalid"))
            })
            .transpose()
    }
}
