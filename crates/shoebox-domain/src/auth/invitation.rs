//! Invitations: in `invite` mode, the only way in.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{SecretToken, TokenHash};
use crate::accounts::{EmailAddress, Role, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvitationId(Uuid);

impl InvitationId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for InvitationId {
    fn default() -> Self {
        Self::new()
    }
}

/// A single-use invitation. When `email` is set, only that address may accept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where an invitation stands, as its admin list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

/// How long ended (accepted, revoked, expired) invitations stay in the admin
/// list, so that admins see what became of them.
pub const ENDED_INVITATIONS_LISTED_FOR: chrono::TimeDelta = chrono::TimeDelta::days(30);

impl Invitation {
    /// Accepted or revoked wins over expired: what happened first is shown.
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }

    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none() && now < self.expires_at
    }

    /// Whether `email` may sign up with this invitation.
    pub fn admits(&self, email: &EmailAddress, now: DateTime<Utc>) -> bool {
        self.is_usable(now) && self.email.as_ref().is_none_or(|invited| invited == email)
    }
}

/// An invitation to insert, plus the secret for its link (shown once).
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub invitation: Invitation,
    pub token_hash: TokenHash,
    pub secret: SecretToken,
}

impl NewInvitation {
    pub fn generate(
        email: Option<EmailAddress>,
        role: Role,
        created_by: UserId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Self {
        let secret = SecretToken::generate("");
        let invitation = Invitation {
            id: InvitationId::new(),
            email,
            role,
            created_by: Some(created_by),
            created_at: now,
            expires_at,
            accepted_at: None,
            revoked_at: None,
        };
        Self {
            invitation,
            token_hash: secret.hash(),
            secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn invitations_admit_only_their_address_until_used_or_expired() {
        let now = Utc::now();
        let ada = EmailAddress::parse("ada@example.org").unwrap();
        let bob = EmailAddress::parse("bob@example.org").unwrap();
        let new = NewInvitation::generate(
            Some(ada.clone()),
            Role::Member,
            UserId::new(),
            now,
            now + TimeDelta::days(7),
        );
        let mut invitation = new.invitation;
        assert!(invitation.admits(&ada, now));
        assert!(!invitation.admits(&bob, now));
        assert!(!invitation.admits(&ada, now + TimeDelta::days(7)));
        assert_eq!(invitation.status(now), InvitationStatus::Pending);
        assert_eq!(
            invitation.status(now + TimeDelta::days(7)),
            InvitationStatus::Expired
        );
        invitation.revoked_at = Some(now);
        assert_eq!(invitation.status(now), InvitationStatus::Revoked);
        invitation.accepted_at = Some(now);
        assert!(!invitation.admits(&ada, now));
        assert_eq!(
            invitation.status(now + TimeDelta::days(8)),
            InvitationStatus::Accepted
        );
    }

    #[test]
    fn open_invitations_admit_anyone() {
        let now = Utc::now();
        let new = NewInvitation::generate(
            None,
            Role::Member,
            UserId::new(),
            now,
            now + TimeDelta::days(1),
        );
        assert!(
            new.invitation
                .admits(&EmailAddress::parse("x@example.org").unwrap(), now)
        );
    }
}
