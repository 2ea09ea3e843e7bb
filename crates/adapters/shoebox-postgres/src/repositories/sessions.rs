//! Browser sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{
    accounts::{User, UserId},
    auth::{NewSession, Session, SessionId, TokenHash},
};
use shoebox_ports::outbound::SessionRepository;
use uuid::Uuid;

use crate::{
    PostgresDatabase,
    rows::{SessionRow, UserRow, hash_bytes},
    schema::{sessions, users},
};

/// [`SessionRepository`] on the `sessions` table.
#[derive(Debug, Clone)]
pub struct PostgresSessionRepository {
    database: PostgresDatabase,
}

impl PostgresSessionRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSessionRow {
    id: Uuid,
    user_id: Uuid,
    token_hash: Vec<u8>,
    csrf_token: String,
    user_agent: Option<String>,
    ip: Option<String>,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

#[async_trait]
impl SessionRepository for PostgresSessionRepository {
    async fn insert(&self, session: NewSession) -> anyhow::Result<Session> {
        let row = NewSessionRow {
            id: session.id.as_uuid(),
            user_id: session.user_id.as_uuid(),
            token_hash: hash_bytes(&session.token_hash),
            csrf_token: session.csrf_token,
            user_agent: session.client.user_agent,
            ip: session.client.ip.map(|ip| ip.to_string()),
            created_at: session.created_at,
            last_seen_at: session.created_at,
            expires_at: session.expires_at,
        };
        let row = self
            .database
            .run("inserting a session", move |connection| {
                diesel::insert_into(sessions::table)
                    .values(row)
                    .returning(SessionRow::as_returning())
                    .get_result(connection)
            })
            .await?;
        row.into_session()
    }

    async fn find_active(
        &self,
        token_hash: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<(Session, User)>> {
        let token_hash = hash_bytes(&token_hash);
        // One indexed lookup joined to its user: this runs on every request.
        let row = self
            .database
            .run("finding an active session", move |connection| {
                sessions::table
                    .inner_join(users::table)
                    .filter(sessions::token_hash.eq(token_hash))
                    .filter(sessions::expires_at.gt(now))
                    .filter(users::disabled_at.is_null())
                    .select((SessionRow::as_select(), UserRow::as_select()))
                    .get_result::<(SessionRow, UserRow)>(connection)
                    .optional()
            })
            .await?;
        row.map(|(session, user)| Ok((session.into_session()?, user.into_user()?)))
            .transpose()
    }

    async fn touch(
        &self,
        id: SessionId,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let id = id.as_uuid();
        self.database
            .run("touching a session", move |connection| {
                diesel::update(sessions::table.find(id))
                    .set((
                        sessions::last_seen_at.eq(last_seen_at),
                        sessions::expires_at.eq(expires_at),
                    ))
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn list(&self, user_id: UserId, now: DateTime<Utc>) -> anyhow::Result<Vec<Session>> {
        let user_id = user_id.as_uuid();
        let rows = self
            .database
            .run("listing sessions", move |connection| {
                sessions::table
                    .filter(sessions::user_id.eq(user_id))
                    .filter(sessions::expires_at.gt(now))
                    .order((sessions::created_at.desc(), sessions::id.desc()))
                    .select(SessionRow::as_select())
                    .load(connection)
            })
            .await?;
        rows.into_iter().map(SessionRow::into_session).collect()
    }

    async fn delete(&self, user_id: UserId, id: SessionId) -> anyhow::Result<bool> {
        let (user_id, id) = (user_id.as_uuid(), id.as_uuid());
        let deleted = self
            .database
            .run("deleting a session", move |connection| {
                diesel::delete(
                    sessions::table
                        .find(id)
                        .filter(sessions::user_id.eq(user_id)),
                )
                .execute(connection)
            })
            .await?;
        Ok(deleted == 1)
    }

    async fn delete_all(&self, user_id: UserId, except: Option<SessionId>) -> anyhow::Result<u64> {
        let (user_id, except) = (user_id.as_uuid(), except.map(|id| id.as_uuid()));
        let deleted = self
            .database
            .run("deleting sessions", move |connection| {
                let user_sessions = sessions::table.filter(sessions::user_id.eq(user_id));
                match except {
                    Some(except) => diesel::delete(user_sessions.filter(sessions::id.ne(except)))
                        .execute(connection),
                    None => diesel::delete(user_sessions).execute(connection),
                }
            })
            .await?;
        Ok(deleted as u64)
    }
}
