//! Rows as diesel reads them, and their translation into domain types.
//!
//! Stored text is parsed back with the domain's own parsers: a row that no
//! longer parses (edited by hand, written by a future release) becomes an
//! error naming the row and the column, never a panic. Messages name ids only,
//! never personal data.

use std::net::IpAddr;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use diesel::{Queryable, Selectable, pg::Pg};
use shoebox_domain::{
    accounts::{
        Bio, DisplayName, EmailAddress, FullName, PasswordHash, Role, User, UserCredentials, UserId,
    },
    auth::{
        ApiToken, ApiTokenId, ApiTokenName, ClientInfo, Invitation, InvitationId, Session,
        SessionId, ThrottleKey, ThrottleState, TokenHash,
    },
};
use uuid::Uuid;

use crate::schema::{api_tokens, invitations, login_throttle, sessions, users};

/// A user without the password hash.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(Pg))]
pub(crate) struct UserRow {
    id: Uuid,
    email: String,
    display_name: String,
    full_name: Option<String>,
    bio: Option<String>,
    role: String,
    disabled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deletion_due_at: Option<DateTime<Utc>>,
    email_verified_at: Option<DateTime<Utc>>,
}

impl UserRow {
    pub(crate) fn into_user(self) -> anyhow::Result<User> {
        let id = self.id;
        let invalid = |column: &str| format!("stored user {id} has an invalid {column}");
        Ok(User {
            id: UserId::from_uuid(id),
            email: EmailAddress::parse(&self.email).with_context(|| invalid("email"))?,
            display_name: DisplayName::parse(&self.display_name)
                .with_context(|| invalid("display_name"))?,
            full_name: self
                .full_name
                .map(|text| FullName::parse(&text))
                .transpose()
                .with_context(|| invalid("full_name"))?
                .flatten(),
            bio: self
                .bio
                .map(|text| Bio::parse(&text))
                .transpose()
                .with_context(|| invalid("bio"))?
                .flatten(),
            role: self.role.parse::<Role>().with_context(|| invalid("role"))?,
            disabled_at: self.disabled_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deletion_due_at: self.deletion_due_at,
            email_verified_at: self.email_verified_at,
        })
    }
}

/// Translates every row of a result, failing on the first that does not parse.
pub(crate) fn users(rows: Vec<UserRow>) -> anyhow::Result<Vec<User>> {
    rows.into_iter().map(UserRow::into_user).collect()
}

pub(crate) fn credentials((row, hash): (UserRow, String)) -> anyhow::Result<UserCredentials> {
    Ok(UserCredentials {
        user: row.into_user()?,
        password_hash: PasswordHash::from_phc(hash),
    })
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(Pg))]
pub(crate) struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    csrf_token: String,
    user_agent: Option<String>,
    ip: Option<String>,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl SessionRow {
    pub(crate) fn into_session(self) -> anyhow::Result<Session> {
        let id = self.id;
        let ip = self
            .ip
            .map(|text| text.parse::<IpAddr>())
            .transpose()
            .with_context(|| format!("stored session {id} has an invalid ip"))?;
        Ok(Session {
            id: SessionId::from_uuid(id),
            user_id: UserId::from_uuid(self.user_id),
            csrf_token: self.csrf_token,
            client: ClientInfo {
                user_agent: self.user_agent,
                ip,
            },
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            expires_at: self.expires_at,
        })
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(Pg))]
pub(crate) struct ApiTokenRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    hint: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

impl ApiTokenRow {
    pub(crate) fn into_api_token(self) -> anyhow::Result<ApiToken> {
        let id = self.id;
        Ok(ApiToken {
            id: ApiTokenId::from_uuid(id),
            user_id: UserId::from_uuid(self.user_id),
            name: ApiTokenName::parse(&self.name)
                .with_context(|| format!("stored API token {id} has an invalid name"))?,
            hint: self.hint,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
            expires_at: self.expires_at,
        })
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = invitations, check_for_backend(Pg))]
pub(crate) struct InvitationRow {
    id: Uuid,
    email: Option<String>,
    role: String,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl InvitationRow {
    pub(crate) fn into_invitation(self) -> anyhow::Result<Invitation> {
        let id = self.id;
        let invalid = |column: &str| format!("stored invitation {id} has an invalid {column}");
        Ok(Invitation {
            id: InvitationId::from_uuid(id),
            email: self
                .email
                .map(|text| EmailAddress::parse(&text))
                .transpose()
                .with_context(|| invalid("email"))?,
            role: self.role.parse::<Role>().with_context(|| invalid("role"))?,
            created_by: self.created_by.map(UserId::from_uuid),
            created_at: self.created_at,
            expires_at: self.expires_at,
            accepted_at: self.accepted_at,
            revoked_at: self.revoked_at,
        })
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = login_throttle, check_for_backend(Pg))]
pub(crate) struct ThrottleRow {
    scope: String,
    key: String,
    failures: i32,
    window_started_at: DateTime<Utc>,
}

impl ThrottleRow {
    pub(crate) fn into_counter(self) -> anyhow::Result<(ThrottleKey, ThrottleState)> {
        let key = match self.scope.as_str() {
            "account" => ThrottleKey::Account(self.key),
            "ip" => ThrottleKey::Ip(self.key),
            other => {
                return Err(anyhow!(
                    "stored login throttle counter has an unknown scope {other:?}"
                ));
            }
        };
        let failures = u32::try_from(self.failures).with_context(|| {
            format!(
                "stored login throttle counter has a negative count {}",
                self.failures
            )
        })?;
        Ok((
            key,
            ThrottleState {
                failures,
                window_started_at: self.window_started_at,
            },
        ))
    }
}

/// How a token hash is stored (`bytea`).
pub(crate) fn hash_bytes(hash: &TokenHash) -> Vec<u8> {
    hash.as_bytes().to_vec()
}
