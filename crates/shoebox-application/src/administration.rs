//! Admins managing members and invitations.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{AdminChange, AdminUserError, User, UserId, check_admin_change},
    audit::AuditAction,
    auth::{Actor, ENDED_INVITATIONS_LISTED_FOR, Invitation, InvitationId, InvitationStatus},
    page::{Page, PageRequest},
};
use shoebox_ports::inbound::Administration;

use crate::{AccountStores, Auditor};

#[derive(Debug, Clone)]
pub struct AdministrationService {
    stores: AccountStores,
    audit: Auditor,
}

impl AdministrationService {
    /// Creating and resending invitations is [`crate::mail::InvitationService`]'s.
    pub fn new(stores: AccountStores, audit: Auditor) -> Self {
        Self { stores, audit }
    }
}

fn require_admin(actor: &Actor) -> Result<(), AdminUserError> {
    if actor.user.is_admin() {
        Ok(())
    } else {
        Err(AdminUserError::Forbidden)
    }
}

#[async_trait]
impl Administration for AdministrationService {
    async fn list_users(
        &self,
        actor: Actor,
        page: PageRequest,
    ) -> Result<Page<User>, AdminUserError> {
        require_admin(&actor)?;
        Ok(self.stores.users.list(page).await?)
    }

    async fn user(&self, actor: Actor, id: UserId) -> Result<User, AdminUserError> {
        require_admin(&actor)?;
        self.stores
            .users
            .find(id)
            .await?
            .ok_or(AdminUserError::NotFound)
    }

    async fn change_user(
        &self,
        actor: Actor,
        id: UserId,
        change: AdminChange,
    ) -> Result<User, AdminUserError> {
        require_admin(&actor)?;
        let target = self
            .stores
            .users
            .find(id)
            .await?
            .ok_or(AdminUserError::NotFound)?;
        check_admin_change(&actor.user, &target, change)?;
        let now = self.stores.clock.now();
        let changed = match change {
            AdminChange::SetRole(role) => self.stores.users.set_role(id, role, now).await?,
            AdminChange::Disable => self.stores.users.set_disabled(id, Some(now), now).await?,
            AdminChange::Enable => self.stores.users.set_disabled(id, None, now).await?,
        };
        let user = changed.ok_or(AdminUserError::NotFound)?;
        tracing::info!(actor_id = %actor.user.id, user_id = %id, ?change, "member changed by admin");
        self.audit
            .by(&actor, AuditAction::MemberUpdated, Some(id.as_uuid()))
            .await;
        Ok(user)
    }

    async fn invitations(
        &self,
        actor: Actor,
    ) -> Result<Vec<(Invitation, InvitationStatus)>, AdminUserError> {
        require_admin(&actor)?;
        let now = self.stores.clock.now();
        let invitations = self
            .stores
            .invitations
            .list_recent(now, now - ENDED_INVITATIONS_LISTED_FOR)
            .await?;
        Ok(invitations
            .into_iter()
            .map(|invitation| {
                let status = invitation.status(now);
                (invitation, status)
            })
            .collect())
    }

    async fn revoke_invitation(
        &self,
        actor: Actor,
        id: InvitationId,
    ) -> Result<(), AdminUserError> {
        require_admin(&actor)?;
        match self
            .stores
            .invitations
            .revoke(id, self.stores.clock.now())
            .await?
        {
            true => {
                self.audit
                    .by(&actor, AuditAction::InvitationRevoked, Some(id.as_uuid()))
                    .await;
                Ok(())
            }
            false => Err(AdminUserError::NotFound),
        }
    }
}
