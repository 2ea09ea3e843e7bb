//! Invitations. Accepting one happens in `PostgresUserRepository::insert`,
//! in the same transaction as creating the account.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::auth::{Invitation, InvitationId, NewInvitation, TokenHash};
use shoebox_ports::outbound::InvitationRepository;
use uuid::Uuid;

use crate::{
    PostgresDatabase,
    rows::{InvitationRow, hash_bytes},
    schema::invitations,
};

/// [`InvitationRepository`] on the `invitations` table.
#[derive(Debug, Clone)]
pub struct PostgresInvitationRepository {
    database: PostgresDatabase,
}

impl PostgresInvitationRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = invitations)]
struct NewInvitationRow {
    id: Uuid,
    token_hash: Vec<u8>,
    email: Option<String>,
    role: &'static str,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Neither accepted, revoked nor expired.
#[diesel::dsl::auto_type]
fn pending(now: DateTime<Utc>) -> _ {
    invitations::accepted_at
        .is_null()
        .and(invitations::revoked_at.is_null())
        .and(invitations::expires_at.gt(now))
}

#[async_trait]
impl InvitationRepository for PostgresInvitationRepository {
    async fn insert(&self, invitation: NewInvitation) -> anyhow::Result<()> {
        let NewInvitation {
            invitation,
            token_hash,
            ..
        } = invitation;
        let row = NewInvitationRow {
            id: invitation.id.as_uuid(),
            token_hash: hash_bytes(&token_hash),
            email: invitation.email.map(|email| email.as_str().to_owned()),
            role: invitation.role.as_str(),
            created_by: invitation.created_by.map(|id| id.as_uuid()),
            created_at: invitation.created_at,
            expires_at: invitation.expires_at,
            accepted_at: invitation.accepted_at,
            revoked_at: invitation.revoked_at,
        };
        self.database
            .run("inserting an invitation", move |connection| {
                diesel::insert_into(invitations::table)
                    .values(row)
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn find_by_token(&self, token_hash: TokenHash) -> anyhow::Result<Option<Invitation>> {
        let token_hash = hash_bytes(&token_hash);
        let row = self
            .database
            .run("finding an invitation", move |connection| {
                invitations::table
                    .filter(invitations::token_hash.eq(token_hash))
                    .select(InvitationRow::as_select())
                    .get_result(connection)
                    .optional()
            })
            .await?;
        row.map(InvitationRow::into_invitation).transpose()
    }

    async fn list_pending(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Invitation>> {
        let rows = self
            .database
            .run("listing pending invitations", move |connection| {
                invitations::table
                    .filter(pending(now))
                    .order((invitations::created_at.desc(), invitations::id.desc()))
                    .select(InvitationRow::as_select())
                    .load(connection)
            })
            .await?;
        rows.into_iter()
            .map(InvitationRow::into_invitation)
            .collect()
    }

    async fn list_recent(
        &self,
        now: DateTime<Utc>,
        ended_since: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Invitation>> {
        let rows = self
            .database
            .run("listing recent invitations", move |connection| {
                invitations::table
                    // Each invitation ended once: when it was accepted or
                    // revoked, or else when it expired.
                    .filter(
                        pending(now)
                            .or(invitations::accepted_at.ge(ended_since))
                            .or(invitations::revoked_at.ge(ended_since))
                            .or(invitations::accepted_at
                                .is_null()
                                .and(invitations::revoked_at.is_null())
                                .and(invitations::expires_at.ge(ended_since))),
                    )
                    .order((invitations::created_at.desc(), invitations::id.desc()))
                    .select(InvitationRow::as_select())
                    .load(connection)
            })
            .await?;
        rows.into_iter()
            .map(InvitationRow::into_invitation)
            .collect()
    }

    async fn revoke(&self, id: InvitationId, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let id = id.as_uuid();
        let revoked = self
            .database
            .run("revoking an invitation", move |connection| {
                diesel::update(invitations::table.find(id).filter(pending(now)))
                    .set(invitations::revoked_at.eq(now))
                    .execute(connection)
            })
            .await?;
        Ok(revoked == 1)
    }

    async fn reissue(
        &self,
        id: InvitationId,
        token_hash: TokenHash,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Invitation>> {
        let id = id.as_uuid();
        let token_hash = hash_bytes(&token_hash);
        // One statement checks that the invitation is still pending and
        // replaces its secret, so a sign-up racing the resend either used
        // the old link first or finds it gone.
        let row = self
            .database
            .run("reissuing an invitation", move |connection| {
                diesel::update(
                    invitations::table
                        .find(id)
                        .filter(pending(now))
                        .filter(invitations::email.is_not_null()),
                )
                .set((
                    invitations::token_hash.eq(token_hash),
                    invitations::expires_at.eq(expires_at),
                ))
                .returning(InvitationRow::as_returning())
                .get_result(connection)
                .optional()
            })
            .await?;
        row.map(InvitationRow::into_invitation).transpose()
    }
}
