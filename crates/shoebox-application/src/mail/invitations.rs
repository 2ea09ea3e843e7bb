//! Invitations by mail: creating and resending them, and looking one up by
//! its link before sign-up.
//!
//! No enumeration: an admin inviting an address that already belongs to a
//! member gets exactly the answer a new address gets (an invitation row is
//! created either way, so the list and the response look alike); only the
//! message differs: that member is told they already have an account and
//! how to sign in or reset their password. Mailed invitations are limited
//! per address and per client by the mail throttle, counted alike whether
//! or not the address is known. Open invitations (no address) send no mail
//! and are not limited.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use shoebox_domain::{
    EmailAddress,
    accounts::Role,
    audit::AuditAction,
    auth::{
        Actor, ClientInfo, Invitation, InvitationId, LoginThrottlePolicy, NewInvitation,
        SecretToken, ThrottleKey,
    },
};
use shoebox_ports::inbound::{
    InvitationPreview, Invitations, InviteError, PreviewInvitationError, RequestResetError,
};

use super::{MailRequestLimit, Message, Postman};
use crate::{AccountStores, Auditor, AuthSettings};

#[derive(Clone)]
pub struct InvitationService {
    stores: AccountStores,
    postman: Postman,
    audit: Auditor,
    mail_limit: MailRequestLimit,
    lookup_throttle: LoginThrottlePolicy,
    validity: TimeDelta,
}

impl fmt::Debug for InvitationService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvitationService")
            .field("validity", &self.validity)
            .finish_non_exhaustive()
    }
}

/// "4 December 2026, 20:42 UTC": the expiry as messages state it.
fn expiry_wording(expires_at: DateTime<Utc>) -> String {
    expires_at.format("%-d %B %Y, %H:%M UTC").to_string()
}

impl InvitationService {
    pub fn new(
        stores: AccountStores,
        postman: Postman,
        settings: &AuthSettings,
        audit: Auditor,
    ) -> Self {
        let mail_limit = MailRequestLimit::new(
            Arc::clone(&stores.throttle),
            Arc::clone(&stores.clock),
            settings.mail_throttle_policy(),
        );
        Self {
            stores,
            postman,
            audit,
            mail_limit,
            // Guessing invitation links is guessing credentials: failed
            // lookups count with failed logins from the same client.
            lookup_throttle: settings.throttle_policy(),
            validity: settings.invitation_validity(),
        }
    }

    /// Counts a mailed invitation against the address and the client;
    /// refuses it when either is over the limit.
    async fn admit_mail(
        &self,
        email: &EmailAddress,
        client: &ClientInfo,
    ) -> Result<(), InviteError> {
        self.mail_limit
            .count(email.as_str(), client)
            .await
            .map_err(|error| match error {
                RequestResetError::Throttled {
                    retry_after_seconds,
                } => InviteError::Throttled {
                    retry_after_seconds,
                },
                RequestResetError::Unexpected(error) => InviteError::Unexpected(error),
            })
    }

    /// Queues the invitation, or the "already a member" note when the
    /// address has an account.
    async fn mail(
        &self,
        actor: &Actor,
        email: &EmailAddress,
        invitation: &Invitation,
        secret: &SecretToken,
    ) -> anyhow::Result<()> {
        let member = self.stores.users.credentials_by_email(email).await?;
        let message = if member.is_some() {
            Message::AlreadyMember {
                sign_in_link: self.postman.link("/sign-in"),
                forgot_link: self.postman.link("/forgot-password"),
            }
        } else {
            Message::Invitation {
                inviter: actor.user.display_name.as_str().to_owned(),
                role: invitation.role,
                link: self
                    .postman
                    .link(&format!("/invitation?token={}", secret.expose())),
                expires: expiry_wording(invitation.expires_at),
            }
        };
        self.postman.send(email.clone(), message).await?;
        tracing::info!(invitation_id = %invitation.id.as_uuid(), "invitation mail queued");
        Ok(())
    }
}

fn require_admin(actor: &Actor) -> Result<(), InviteError> {
    if actor.user.is_admin() {
        Ok(())
    } else {
        Err(InviteError::Forbidden)
    }
}

#[async_trait]
impl Invitations for InvitationService {
    async fn invite(
        &self,
        actor: Actor,
        email: Option<EmailAddress>,
        role: Role,
        client: ClientInfo,
    ) -> Result<NewInvitation, InviteError> {
        require_admin(&actor)?;
        if let Some(email) = &email {
            self.admit_mail(email, &client).await?;
        }
        let now = self.stores.clock.now();
        let new =
            NewInvitation::generate(email.clone(), role, actor.user.id, now, now + self.validity);
        self.stores.invitations.insert(new.clone()).await?;
        tracing::info!(actor_id = %actor.user.id, invitation_id = %new.invitation.id.as_uuid(), %role, "invitation created");
        self.audit
            .by(
                &actor,
                AuditAction::InvitationCreated,
                Some(new.invitation.id.as_uuid()),
            )
            .await;
        if let Some(email) = &email {
            self.mail(&actor, email, &new.invitation, &new.secret)
                .await?;
        }
        Ok(new)
    }

    async fn resend(
        &self,
        actor: Actor,
        id: InvitationId,
        client: ClientInfo,
    ) -> Result<NewInvitation, InviteError> {
        require_admin(&actor)?;
        // Which address to count against is only known from the stored
        // invitation: look among the pending ones first.
        let now = self.stores.clock.now();
        let email = self
            .stores
            .invitations
            .list_pending(now)
            .await?
            .into_iter()
            .find(|invitation| invitation.id == id)
            .and_then(|invitation| invitation.email)
            .ok_or(InviteError::NotFound)?;
        self.admit_mail(&email, &client).await?;
        let secret = SecretToken::generate("");
        let token_hash = secret.hash();
        let invitation = self
            .stores
            .invitations
            .reissue(id, token_hash, now + self.validity, now)
            .await?
            .ok_or(InviteError::NotFound)?;
        tracing::info!(actor_id = %actor.user.id, invitation_id = %id.as_uuid(), "invitation resent");
        self.audit
            .by(&actor, AuditAction::InvitationResent, Some(id.as_uuid()))
            .await;
        self.mail(&actor, &email, &invitation, &secret).await?;
        Ok(NewInvitation {
            invitation,
            token_hash,
            secret,
        })
    }

    async fn preview(
        &self,
        token: SecretToken,
        client: ClientInfo,
    ) -> Result<InvitationPreview, PreviewInvitationError> {
        let key = client.ip.map(ThrottleKey::ip);
        let now = self.stores.clock.now();
        if let Some(key) = &key {
            let counters = self.stores.throttle.counters(vec![key.clone()]).await?;
            if let Err(retry_after_seconds) = self.lookup_throttle.check(&counters, now) {
                return Err(PreviewInvitationError::Throttled {
                    retry_after_seconds,
                });
            }
        }
        let invitation = self
            .stores
            .invitations
            .find_by_token(token.hash())
            .await?
            .filter(|invitation| invitation.is_usable(now));
        let Some(invitation) = invitation else {
            if let Some(key) = key {
                self.stores
                    .throttle
                    .record_failure(vec![key], now, self.lookup_throttle.window)
                    .await?;
            }
            return Err(PreviewInvitationError::Invalid);
        };
        let invited_by = match invitation.created_by {
            Some(id) => self
                .stores
                .users
                .find(id)
                .await?
                .map(|user| user.display_name.as_str().to_owned()),
            None => None,
        };
        Ok(InvitationPreview {
            email: invitation.email,
            role: invitation.role,
            expires_at: invitation.expires_at,
            invited_by,
        })
    }
}
