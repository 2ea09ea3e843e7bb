//! What an admin may do to a member account.

use super::{Role, User};

/// A change an admin wants to make to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminChange {
    SetRole(Role),
    Disable,
    Enable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdminRuleViolation {
    #[error("admins cannot change their own role; ask another admin")]
    OwnRole,
    #[error("admins cannot disable their own account")]
    DisableSelf,
}

/// Admins may not demote or disable themselves: that is how the last admin
/// locks everybody out. Another admin can always do it for them.
pub fn check_admin_change(
    actor: &User,
    target: &User,
    change: AdminChange,
) -> Result<(), AdminRuleViolation> {
    if actor.id != target.id {
        return Ok(());
    }
    match change {
        AdminChange::SetRole(role) if role != target.role => Err(AdminRuleViolation::OwnRole),
        AdminChange::Disable => Err(AdminRuleViolation::DisableSelf),
        AdminChange::SetRole(_) | AdminChange::Enable => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{DisplayName, EmailAddress, UserId};
    use chrono::Utc;

    fn user(role: Role) -> User {
        User {
            id: UserId::new(),
            email: EmailAddress::parse("a@example.org").unwrap(),
            display_name: DisplayName::parse("A").unwrap(),
            full_name: None,
            bio: None,
            role,
            disabled_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            deletion_due_at: None,
            email_verified_at: None,
        }
    }

    #[test]
    fn admins_cannot_lock_themselves_out() {
        let admin = user(Role::Admin);
        assert_eq!(
            check_admin_change(&admin, &admin, AdminChange::SetRole(Role::Member)),
            Err(AdminRuleViolation::OwnRole)
        );
        assert_eq!(
            check_admin_change(&admin, &admin, AdminChange::Disable),
            Err(AdminRuleViolation::DisableSelf)
        );
        assert_eq!(
            check_admin_change(&admin, &admin, AdminChange::SetRole(Role::Admin)),
            Ok(())
        );
    }

    #[test]
    fn admins_may_change_other_members() {
        let admin = user(Role::Admin);
        let other = user(Role::Admin);
        for change in [
            AdminChange::SetRole(Role::Member),
            AdminChange::Disable,
            AdminChange::Enable,
        ] {
            assert_eq!(check_admin_change(&admin, &other, change), Ok(()));
        }
    }
}
