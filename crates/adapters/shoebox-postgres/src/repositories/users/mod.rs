//! Member accounts.

mod email_confirmations;
mod password_resets;
mod sign_up;

pub use email_confirmations::PostgresEmailConfirmationRepository;
pub use password_resets::PostgresPasswordResetRepository;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{prelude::*, result::Error as DieselError};
use shoebox_domain::{
    accounts::{
        EmailAddress, NewUser, PasswordHash, ProfileUpdate, Role, User, UserCredentials, UserId,
    },
    auth::{SessionId, TokenHash},
    page::{Page, PageRequest},
};
use shoebox_ports::outbound::{InsertUserError, UserRepository};
use uuid::Uuid;

use crate::{
    PostgresDatabase,
    rows::{self, UserRow},
    schema::{api_tokens, invitations, login_throttle, mail_outbox, sessions, users},
};

/// [`UserRepository`] on the `users` table (and, for the changes that end
/// access, `sessions` and `api_tokens`).
#[derive(Debug, Clone)]
pub struct PostgresUserRepository {
    database: PostgresDatabase,
}

impl PostgresUserRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

/// `Some(None)` clears an optional column; `None` leaves a column alone.
#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct ProfileChangeset {
    display_name: Option<String>,
    full_name: Option<Option<String>>,
    bio: Option<Option<String>>,
    updated_at: DateTime<Utc>,
}

/// Ends the user's sessions (except `keep`) and revokes all their API tokens.
pub(super) fn end_sessions_and_tokens(
    connection: &mut PgConnection,
    id: Uuid,
    keep: Option<Uuid>,
) -> QueryResult<()> {
    let user_sessions = sessions::table.filter(sessions::user_id.eq(id));
    match keep {
        Some(keep) => {
            diesel::delete(user_sessions.filter(sessions::id.ne(keep))).execute(connection)?
        }
        None => diesel::delete(user_sessions).execute(connection)?,
    };
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(id))).execute(connection)?;
    Ok(())
}

#[async_trait]
impl UserRepository for PostgresUserRepository {
    async fn insert(
        &self,
        user: NewUser,
        invitation: Option<TokenHash>,
    ) -> Result<User, InsertUserError> {
        let outcome = self
            .database
            .run("inserting a user", move |connection| {
                sign_up::insert(connection, &user, invitation)
            })
            .await?;
        Ok(outcome?.into_user()?)
    }

    async fn find(&self, id: UserId) -> anyhow::Result<Option<User>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("finding a user", move |connection| {
                users::table
                    .find(id)
                    .select(UserRow::as_select())
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn credentials_by_email(
        &self,
        email: &EmailAddress,
    ) -> anyhow::Result<Option<UserCredentials>> {
        let email = email.as_str().to_owned();
        let row = self
            .database
            .run("finding credentials by email", move |connection| {
                users::table
                    .filter(users::email.eq(email))
                    .select((UserRow::as_select(), users::password_hash))
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(rows::credentials).transpose()
    }

    async fn credentials_by_id(&self, id: UserId) -> anyhow::Result<Option<UserCredentials>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("finding credentials by id", move |connection| {
                users::table
                    .find(id)
                    .select((UserRow::as_select(), users::password_hash))
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(rows::credentials).transpose()
    }

    async fn update_profile(
        &self,
        id: UserId,
        update: ProfileUpdate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>> {
        if update.is_empty() {
            return self.find(id).await;
        }
        let id = id.as_uuid();
        let changes = ProfileChangeset {
            display_name: update.display_name.map(|name| name.as_str().to_owned()),
            full_name: update
                .full_name
                .map(|name| name.map(|name| name.as_str().to_owned())),
            bio: update.bio.map(|bio| bio.map(|bio| bio.as_str().to_owned())),
            updated_at: now,
        };
        let row = self
            .database
            .run("updating a profile", move |connection| {
                diesel::update(users::table.find(id))
                    .set(changes)
                    .returning(UserRow::as_returning())
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn replace_password(
        &self,
        id: UserId,
        hash: PasswordHash,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let (user_id, keep) = (id.as_uuid(), keep.map(|session| session.as_uuid()));
        let hash = hash.as_phc().to_owned();
        let updated = self
            .database
            .run("replacing a password", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| {
                    let updated = diesel::update(users::table.find(user_id))
                        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
                        .execute(connection)?;
                    end_sessions_and_tokens(connection, user_id, keep)?;
                    Ok(updated)
                })
            })
            .await?;
        anyhow::ensure!(
            updated == 1,
            "replacing a password failed: user {id} does not exist"
        );
        Ok(())
    }

    async fn list(&self, page: PageRequest) -> anyhow::Result<Page<User>> {
        let (after, limit) = (page.after(), i64::from(page.limit()) + 1);
        let rows = self
            .database
            .run("listing users", move |connection| {
                let mut query = users::table
                    .select(UserRow::as_select())
                    .order(users::id)
                    .limit(limit)
                    .into_boxed();
                if let Some(after) = after {
                    query = query.filter(users::id.gt(after));
                }
                query.load(connection)
            })
            .await?;
        Ok(Page::from_overfetched(rows::users(rows)?, page, |user| {
            user.id.as_uuid()
        }))
    }

    async fn set_role(
        &self,
        id: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("changing a role", move |connection| {
                diesel::update(users::table.find(id))
                    .set((users::role.eq(role.as_str()), users::updated_at.eq(now)))
                    .returning(UserRow::as_returning())
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn set_disabled(
        &self,
        id: UserId,
        disabled_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("disabling or enabling a user", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| {
                    let row = diesel::update(users::table.find(id))
                        .set((
                            users::disabled_at.eq(disabled_at),
                            users::updated_at.eq(now),
                        ))
                        .returning(UserRow::as_returning())
                        .get_result(connection)
                        .optional()?;
                    if row.is_some() && disabled_at.is_some() {
                        end_sessions_and_tokens(connection, id, None)?;
                    }
                    Ok(row)
                })
            })
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn schedule_deletion(
        &self,
        id: UserId,
        due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<User>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("scheduling or cancelling a deletion", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| {
                    let row = diesel::update(users::table.find(id))
                        .set((users::deletion_due_at.eq(due_at), users::updated_at.eq(now)))
                        .returning(UserRow::as_returning())
                        .get_result(connection)
                        .optional()?;
                    if row.is_some() && due_at.is_some() {
                        end_sessions_and_tokens(connection, id, None)?;
                    }
                    Ok(row)
                })
            })
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn due_for_erasure(&self, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<UserId>> {
        let ids: Vec<Uuid> = self
            .database
            .run("listing deletions that came due", move |connection| {
                users::table
                    .filter(users::deletion_due_at.le(now))
                    .order(users::deletion_due_at.asc())
                    .limit(limit)
                    .select(users::id)
                    .load(connection)
            })
            .await?;
        Ok(ids.into_iter().map(UserId::from_uuid).collect())
    }

    async fn erase(&self, id: UserId) -> anyhow::Result<bool> {
        let id = id.as_uuid();
        self.database
            .run("erasing a member", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| erase(connection, id))
            })
            .await
    }
}

/// The member's row goes (the foreign keys cascade to sessions, tokens,
/// photos with their variants and album places, albums with their links,
/// mail links, and clear `invitations.created_by/accepted_by`); what names
/// them without a foreign key (invitations, throttle counters, undelivered
/// mail) is scrubbed first.
fn erase(connection: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    let Some(email) = users::table
        .find(id)
        .select(users::email)
        .for_update()
        .first::<String>(connection)
        .optional()?
    else {
        return Ok(false);
    };
    let email = email.to_lowercase();
    diesel::update(
        invitations::table.filter(
            invitations::accepted_by
                .eq(id)
                .or(
                    diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = ")
                        .bind::<diesel::sql_types::Text, _>(email.clone()),
                ),
        ),
    )
    .set(invitations::email.eq(None::<String>))
    .execute(connection)?;
    // Failed logins count against the address as typed; mail requests
    // (password resets, invitations) against it with a `mail:` prefix.
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::scope.eq("account"))
            .filter(login_throttle::key.eq_any([email.clone(), format!("mail:{email}")])),
    )
    .execute(connection)?;
    // Messages not delivered yet are for someone who is gone; the
    // erasure's own notice is queued after this.
    diesel::delete(
        mail_outbox::table.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(recipient) = ")
                .bind::<diesel::sql_types::Text, _>(email.clone()),
        ),
    )
    .execute(connection)?;
    diesel::delete(users::table.find(id)).execute(connection)?;
    Ok(true)
}
