//! The member account.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Bio, DisplayName, EmailAddress, FullName, PasswordHash};

/// Identifies a user. UUIDv7, so identifiers sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(Uuid);

impl UserId {
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

impl Default for UserId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do. Admins manage members; members manage their own things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Member,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected \"member\" or \"admin\"")]
pub struct RoleError(pub String);

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = RoleError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "member" => Ok(Role::Member),
            "admin" => Ok(Role::Admin),
            other => Err(RoleError(other.to_owned())),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member account as the rest of the system sees it (no credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub full_name: Option<FullName>,
    pub bio: Option<Bio>,
    pub role: Role,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the member's deletion waits out its grace period: they
    /// are erased at this time unless they cancel.
    pub deletion_due_at: Option<DateTime<Utc>>,
    /// When the member last proved, by a mailed link, that `email` is
    /// theirs. `None` until then (accounts made before verification existed,
    /// and by the operator, count as verified).
    pub email_verified_at: Option<DateTime<Utc>>,
}

impl User {
    pub fn is_email_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A user together with the hash needed to check their password.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: PasswordHash,
}

/// Everything needed to insert a new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub password_hash: PasswordHash,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Set when the address is already proven (an invitation mailed to it,
    /// an account the operator made); otherwise a verification link is sent.
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// A confirmed link: whose it was, and the address before and after (the
/// same for a verification, different for a change of address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedEmail {
    pub user_id: UserId,
    pub previous: EmailAddress,
    pub email: EmailAddress,
}

impl ConfirmedEmail {
    pub fn changed_address(&self) -> bool {
        self.previous != self.email
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for role in [Role::Member, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
    }

    #[test]
    fn user_ids_sort_by_creation() {
        let first = UserId::new();
        let second = UserId::new();
        assert!(first < second);
    }
}
