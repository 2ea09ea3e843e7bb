//! Accounts created by operators from the command line (first admin, demo data).

use async_trait::async_trait;
use shoebox_domain::accounts::{CreateAdminError, NewPassword, NewUser, User, UserId};
use shoebox_ports::{
    inbound::{EnsureUser, Provisioning},
    outbound::InsertUserError,
};

use crate::AccountStores;

#[derive(Debug, Clone)]
pub struct ProvisioningService {
    stores: AccountStores,
}

impl ProvisioningService {
    pub fn new(stores: AccountStores) -> Self {
        Self { stores }
    }
}

#[async_trait]
impl Provisioning for ProvisioningService {
    async fn ensure_user(&self, request: EnsureUser) -> Result<(User, bool), CreateAdminError> {
        let existing = self
            .stores
            .users
            .credentials_by_email(&request.email)
            .await?;
        if let Some(existing) = &existing
            && !request.overwrite
        {
            return Ok((existing.user.clone(), false));
        }
        let password = NewPassword::parse(
            request.password,
            &[request.email.as_str(), request.display_name.as_str()],
        )?;
        let hash = self.stores.hasher.hash(password.as_plain().clone()).await?;
        let now = self.stores.clock.now();
        match existing {
            Some(existing) => {
                let id = existing.user.id;
                self.stores
                    .users
                    .replace_password(id, hash, None, now)
                    .await?;
                self.stores.users.set_disabled(id, None, now).await?;
                let user = self
                    .stores
                    .users
                    .set_role(id, request.role, now)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("user {id} vanished while being updated"))?;
                Ok((user, false))
            }
            None => {
                let new_user = NewUser {
                    id: UserId::new(),
                    email: request.email,
                    display_name: request.display_name,
                    password_hash: hash,
                    role: request.role,
                    created_at: now,
                    // The operator vouches for the address.
                    email_verified_at: Some(now),
                };
                let user = self
                    .stores
                    .users
                    .insert(new_user, None)
                    .await
                    .map_err(|error| match error {
                        InsertUserError::Unexpected(error) => CreateAdminError::Unexpected(error),
                        other => CreateAdminError::Unexpected(other.into()),
                    })?;
                Ok((user, true))
            }
        }
    }
}
