//! The audit log (SPEC §8): who did what to which record, and when — for
//! admin and privacy actions. An entry holds identifiers and a fixed action
//! name only, never personal data (no address, name or free text), so it can
//! outlive the member it names: once a member is erased their id points at
//! nothing.

use std::fmt;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::accounts::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuditEntryId(Uuid);

impl AuditEntryId {
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

impl Default for AuditEntryId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for AuditEntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditActor {
    /// A signed-in member (an admin, or the member themselves).
    Member(UserId),
    /// Someone with shell access, through the `shoebox` command line.
    Operator,
    /// Shoebox itself: a scheduled job.
    System,
}

impl AuditActor {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Member(_) => "member",
            Self::Operator => "operator",
            Self::System => "system",
        }
    }

    pub fn member(&self) -> Option<UserId> {
        match self {
            Self::Member(id) => Some(*id),
            Self::Operator | Self::System => None,
        }
    }

    /// Back from the stored kind and id; `None` for an unknown kind.
    pub fn from_parts(kind: &str, member: Option<UserId>) -> Option<Self> {
        match (kind, member) {
            ("member", Some(id)) => Some(Self::Member(id)),
            ("operator", None) => Some(Self::Operator),
            ("system", None) => Some(Self::System),
            _ => None,
        }
    }
}

macro_rules! audit_actions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// What was done. The names are stable: dashboards and auditors
        /// filter on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $(#[doc = $doc] $variant,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(Self::$variant,)*];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

audit_actions! {
    AccountDeletionRequested => "account.deletion_requested", "A member asked for their account to be deleted (target: the member).";
    AccountDeletionCancelled => "account.deletion_cancelled", "A pending deletion was cancelled (target: the member).";
    AccountErased => "account.erased", "A member and everything they owned were erased (target: the member).";
    MemberUpdated => "admin.member_updated", "An admin changed a member's role or access (target: the member).";
    InvitationCreated => "admin.invitation_created", "An admin invited someone (target: the invitation).";
    InvitationRevoked => "admin.invitation_revoked", "An admin revoked an invitation (target: the invitation).";
    InvitationResent => "admin.invitation_resent", "An admin mailed an invitation again with a fresh link (target: the invitation).";
    JobRetried => "admin.job_retried", "An admin retried a background job (target: the job).";
    JobCancelled => "admin.job_cancelled", "An admin cancelled a background job (target: the job).";
    BackupRequested => "admin.backup_requested", "An admin asked for a backup now (target: the job).";
    BackupRestored => "backup.restored", "The operator restored the database from a backup (no target; entries after the backup was taken are gone with the rest).";
    ExportRequested => "export.requested", "A member asked for an export of their data (target: the export).";
    ExportDownloaded => "export.downloaded", "A member downloaded their export (target: the export).";
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub occurred_at: DateTime<Utc>,
    pub actor: AuditActor,
    pub action: AuditAction,
    /// The record acted on (a member, an invitation, a job, an export).
    pub target_id: Option<Uuid>,
}

impl AuditEntry {
    pub fn new(
        occurred_at: DateTime<Utc>,
        actor: AuditActor,
        action: AuditAction,
        target_id: Option<Uuid>,
    ) -> Self {
        Self {
            id: AuditEntryId::new(),
            occurred_at,
            actor,
            action,
            target_id,
        }
    }
}

/// Why the log could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("only admins may read the audit log")]
    Forbidden,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_unique_and_parse_back() {
        let mut names = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert!(names.insert(action.as_str()), "{action} twice");
            assert_eq!(AuditAction::parse(action.as_str()), Some(*action));
            assert!(
                action
                    .as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'),
                "{action}"
            );
        }
        assert_eq!(AuditAction::parse("account.nonsense"), None);
    }

    #[test]
    fn actors_round_trip_through_their_stored_parts() {
        let member = UserId::from_uuid(Uuid::from_u128(5));
        for actor in [
            AuditActor::Member(member),
            AuditActor::Operator,
            AuditActor::System,
        ] {
            assert_eq!(
                AuditActor::from_parts(actor.kind(), actor.member()),
                Some(actor)
            );
        }
        assert_eq!(AuditActor::from_parts("member", None), None);
        assert_eq!(AuditActor::from_parts("system", Some(member)), None);
        assert_eq!(AuditActor::from_parts("robot", None), None);
    }
}
