//! Creating an account, and accepting its invitation in the same transaction.

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use shoebox_domain::{accounts::NewUser, auth::TokenHash};
use shoebox_ports::outbound::InsertUserError;
use uuid::Uuid;

use crate::{
    rows::{UserRow, hash_bytes},
    schema::{invitations, users},
};

/// The constraint behind [`InsertUserError::EmailTaken`] (named in the first migration).
pub(super) const EMAIL_UNIQUE_CONSTRAINT: &str = "users_email_key";

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow {
    id: Uuid,
    email: String,
    password_hash: String,
    display_name: String,
    role: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    email_verified_at: Option<DateTime<Utc>>,
}

/// Why the sign-up transaction was rolled back.
enum InsertFailure {
    EmailTaken,
    InvitationInvalid,
    Database(DieselError),
}

impl From<DieselError> for InsertFailure {
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

fn insert_user(
    connection: &mut PgConnection,
    user: NewUserRow,
    invitation: Option<Vec<u8>>,
) -> Result<UserRow, InsertFailure> {
    connection.transaction::<_, InsertFailure, _>(|connection| {
        let (id, email, now) = (user.id, user.email.clone(), user.created_at);
        let row = diesel::insert_into(users::table)
            .values(user)
            .returning(UserRow::as_returning())
            .get_result(connection)?;
        if let Some(token_hash) = invitation {
            // One statement decides whether the invitation is still usable
            // and consumes it, so two sign-ups can never share it.
            let consumed = diesel::update(invitations::table)
                .filter(invitations::token_hash.eq(token_hash))
                .filter(invitations::accepted_at.is_null())
                .filter(invitations::revoked_at.is_null())
                .filter(invitations::expires_at.gt(now))
                .filter(
                    invitations::email
                        .is_null()
                        .or(invitations::email.eq(email)),
                )
                .set((
                    invitations::accepted_at.eq(now),
                    invitations::accepted_by.eq(id),
                ))
                .execute(connection)?;
            if consumed != 1 {
                return Err(InsertFailure::InvitationInvalid);
            }
        }
        Ok(row)
    })
}

/// Inserts the user (accepting the invitation, if any): business refusals
/// are the inner `Err`, database failures the outer one.
pub(super) fn insert(
    connection: &mut PgConnection,
    user: &NewUser,
    invitation: Option<TokenHash>,
) -> QueryResult<Result<UserRow, InsertUserError>> {
    let row = NewUserRow {
        id: user.id.as_uuid(),
        email: user.email.as_str().to_owned(),
        password_hash: user.password_hash.as_phc().to_owned(),
        display_name: user.display_name.as_str().to_owned(),
        role: user.role.as_str(),
        created_at: user.created_at,
        updated_at: user.created_at,
        email_verified_at: user.email_verified_at,
    };
    match insert_user(connection, row, invitation.as_ref().map(hash_bytes)) {
        Ok(row) => Ok(Ok(row)),
        Err(InsertFailure::EmailTaken) => Ok(Err(InsertUserError::EmailTaken)),
        Err(InsertFailure::InvitationInvalid) => Ok(Err(InsertUserError::InvitationInvalid)),
        Err(InsertFailure::Database(error)) => Err(error),
    }
}
