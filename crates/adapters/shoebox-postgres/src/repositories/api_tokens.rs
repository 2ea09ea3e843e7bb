//! Personal API tokens.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{
    accounts::{User, UserId},
    auth::{ApiToken, ApiTokenId, NewApiToken, TokenHash},
};
use shoebox_ports::outbound::ApiTokenRepository;
use uuid::Uuid;

use crate::{
    PostgresDatabase,
    rows::{ApiTokenRow, UserRow, hash_bytes},
    schema::{api_tokens, users},
};

/// [`ApiTokenRepository`] on the `api_tokens` table. Revoking deletes the row.
#[derive(Debug, Clone)]
pub struct PostgresApiTokenRepository {
    database: PostgresDatabase,
}

impl PostgresApiTokenRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = api_tokens)]
struct NewApiTokenRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    hint: String,
    token_hash: Vec<u8>,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

/// Tokens without an expiry never expire.
#[diesel::dsl::auto_type]
fn unexpired(now: DateTime<Utc>) -> _ {
    api_tokens::expires_at
        .is_null()
        .or(api_tokens::expires_at.gt(now))
}

#[async_trait]
impl ApiTokenRepository for PostgresApiTokenRepository {
    async fn insert(&self, token: NewApiToken) -> anyhow::Result<()> {
        let NewApiToken {
            token, token_hash, ..
        } = token;
        let row = NewApiTokenRow {
            id: token.id.as_uuid(),
            user_id: token.user_id.as_uuid(),
            name: token.name.as_str().to_owned(),
            hint: token.hint,
            token_hash: hash_bytes(&token_hash),
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
        };
        self.database
            .run("inserting an API token", move |connection| {
                diesel::insert_into(api_tokens::table)
                    .values(row)
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn count(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let user_id = user_id.as_uuid();
        let count: i64 = self
            .database
            .run("counting API tokens", move |connection| {
                api_tokens::table
                    .filter(api_tokens::user_id.eq(user_id))
                    .filter(unexpired(now))
                    .count()
                    .get_result(connection)
            })
            .await?;
        Ok(usize::try_from(count)?)
    }

    async fn find_active(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(ApiToken, User)>> {
        let token_hash = hash_bytes(&token_hash);
        let row = self
            .database
            .run("finding an active API token", move |connection| {
                api_tokens::table
                    .inner_join(users::table)
                    .filter(api_tokens::token_hash.eq(token_hash))
                    .filter(unexpired(now))
                    .filter(users::disabled_at.is_null())
                    .select((ApiTokenRow::as_select(), UserRow::as_select()))
                    .get_result::<(ApiTokenRow, UserRow)>(connection)
                    .optional()
            })
            .await?;
        row.map(|(token, user)| Ok((token.into_api_token()?, user.into_user()?)))
            .transpose()
    }

    async fn record_use(&self, id: ApiTokenId, now: DateTime<Utc>) -> anyhow::Result<()> {
        let id = id.as_uuid();
        self.database
            .run("recording use of an API token", move |connection| {
                diesel::update(api_tokens::table.find(id))
                    .set(api_tokens::last_used_at.eq(now))
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn list(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<Vec<ApiToken>> {
        let user_id = user_id.as_uuid();
        let rows = self
            .database
            .run("listing API tokens", move |connection| {
                api_tokens::table
                    .filter(api_tokens::user_id.eq(user_id))
                    .filter(unexpired(now))
                    .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
                    .select(ApiTokenRow::as_select())
                    .load(connection)
            })
            .await?;
        rows.into_iter().map(ApiTokenRow::into_api_token).collect()
    }

    async fn revoke(&self, user_id: UserId, id: ApiTokenId) -> anyhow::Result<bool> {
        let (user_id, id) = (user_id.as_uuid(), id.as_uuid());
        let deleted = self
            .database
            .run("revoking an API token", move |connection| {
                diesel::delete(
                    api_tokens::table
                        .find(id)
                        .filter(api_tokens::user_id.eq(user_id)),
                )
                .execute(connection)
            })
            .await?;
        Ok(deleted == 1)
    }
}
