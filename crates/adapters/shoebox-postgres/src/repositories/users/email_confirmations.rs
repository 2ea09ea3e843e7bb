//! Email confirmation links (their SHA-256 only): verification and change
//! of address.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use shoebox_domain::{
    accounts::{ConfirmEmailError, ConfirmedEmail, EmailAddress, UserId},
    auth::TokenHash,
};
use shoebox_ports::outbound::EmailConfirmationRepository;
use uuid::Uuid;

use super::sign_up::EMAIL_UNIQUE_CONSTRAINT;
use crate::{
    PostgresDatabase,
    rows::hash_bytes,
    schema::{email_confirmations, password_resets, users},
};

/// [`EmailConfirmationRepository`] on `email_confirmations` (and `users`,
/// `password_resets` for the confirmation itself).
#[derive(Debug, Clone)]
pub struct PostgresEmailConfirmationRepository {
    database: PostgresDatabase,
}

impl PostgresEmailConfirmationRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

/// Why the confirmation transaction was rolled back.
enum ConfirmFailure {
    EmailTaken,
    Database(DieselError),
}

impl From<DieselError> for ConfirmFailure {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if info.constraint_name() == Some(EMAIL_UNIQUE_CONSTRAINT) =>
            {
                Self::EmailTaken
            }
            _ => Self::Database(error),
        }
    }
}

fn parse_email(raw: &str) -> anyhow::Result<EmailAddress> {
    EmailAddress::parse(raw).map_err(|_| anyhow::anyhow!("a stored email address is invalid"))
}

fn confirm(
    connection: &mut PgConnection,
    token_hash: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, String, String)>, ConfirmFailure> {
    connection.transaction::<_, ConfirmFailure, _>(|connection| {
        // The conditional update is the single use: of two concurrent
        // confirmations with one link, one finds it used.
        let link: Option<(Uuid, String)> = diesel::update(
            email_confirmations::table
                .filter(email_confirmations::token_hash.eq(token_hash))
                .filter(email_confirmations::used_at.is_null())
                .filter(email_confirmations::expires_at.gt(now)),
        )
        .set(email_confirmations::used_at.eq(now))
        .returning((email_confirmations::user_id, email_confirmations::email))
        .get_result(connection)
        .optional()?;
        let Some((user_id, email)) = link else {
            return Ok(None);
        };
        let previous: Option<String> = users::table
            .find(user_id)
            .filter(users::disabled_at.is_null())
            .select(users::email)
            .for_update()
            .get_result(connection)
            .optional()?;
        let Some(previous) = previous else {
            // A disabled member: the link stays spent, nothing else changes.
            return Ok(None);
        };
        diesel::update(users::table.find(user_id))
            .set((
                users::email.eq(&email),
                users::email_verified_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(connection)?;
        diesel::delete(
            email_confirmations::table
                .filter(email_confirmations::user_id.eq(user_id))
                .filter(email_confirmations::used_at.is_null()),
        )
        .execute(connection)?;
        if previous != email {
            diesel::delete(
                password_resets::table
                    .filter(password_resets::user_id.eq(user_id))
                    .filter(password_resets::used_at.is_null()),
            )
            .execute(connection)?;
        }
        Ok(Some((user_id, previous, email)))
    })
}

#[async_trait]
impl EmailConfirmationRepository for PostgresEmailConfirmationRepository {
    async fn insert(
        &self,
        user_id: UserId,
        email: EmailAddress,
        token_hash: TokenHash,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let token_hash = hash_bytes(&token_hash);
        self.database
            .run("recording an email confirmation link", move |connection| {
                connection.transaction(|connection| {
                    diesel::delete(
                        email_confirmations::table
                            .filter(email_confirmations::user_id.eq(user_id.as_uuid()))
                            .filter(email_confirmations::used_at.is_null()),
                    )
                    .execute(connection)?;
                    diesel::insert_into(email_confirmations::table)
                        .values((
                            email_confirmations::token_hash.eq(token_hash),
                            email_confirmations::user_id.eq(user_id.as_uuid()),
                            email_confirmations::email.eq(email.as_str()),
                            email_confirmations::created_at.eq(now),
                            email_confirmations::expires_at.eq(expires_at),
                        ))
                        .execute(connection)
                })
            })
            .await?;
        Ok(())
    }

    async fn confirm(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<ConfirmedEmail>, ConfirmEmailError> {
        let token_hash = hash_bytes(&token_hash);
        let outcome = self
            .database
            .run(
                "confirming an email address",
                move |connection| match confirm(connection, token_hash, now) {
                    Ok(confirmed) => Ok(Ok(confirmed)),
                    Err(ConfirmFailure::EmailTaken) => Ok(Err(ConfirmEmailError::EmailTaken)),
                    Err(ConfirmFailure::Database(error)) => Err(error),
                },
            )
            .await??;
        let Some((user_id, previous, email)) = outcome else {
            return Ok(None);
        };
        Ok(Some(ConfirmedEmail {
            user_id: UserId::from_uuid(user_id),
            previous: parse_email(&previous)?,
            email: parse_email(&email)?,
        }))
    }
}
