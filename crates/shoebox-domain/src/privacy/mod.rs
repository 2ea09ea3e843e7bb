//! Privacy (SPEC §8): the deletion ledger.
//!
//! Each erased member leaves one object in the store, outside the database,
//! holding only their id and the time: a restore of an older backup replays
//! the ledger, so a restore never brings a deleted person back.

mod export;

pub use export::{
    DataExport, EXPORT_LIFETIME, ExportError, ExportId, ExportStatus, export_object_key,
    export_of_key, layout,
};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    accounts::UserId,
    storage::{ObjectKey, ObjectPrefix},
};

/// Where the ledger's objects live.
pub const DELETION_LEDGER_PREFIX: &str = "ledger/deletions";

/// One erased member: their id and when they were erased, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRecord {
    pub user_id: Uuid,
    pub deleted_at: DateTime<Utc>,
}

impl DeletionRecord {
    pub fn new(user: UserId, deleted_at: DateTime<Utc>) -> Self {
        Self {
            user_id: user.as_uuid(),
            deleted_at,
        }
    }

    pub fn user(&self) -> UserId {
        UserId::from_uuid(self.user_id)
    }

    /// `ledger/deletions/<user id>.json`: one object per member, written
    /// once.
    pub fn key_of(user: UserId) -> ObjectKey {
        let raw = format!("{DELETION_LEDGER_PREFIX}/{}.json", user.as_uuid());
        ObjectKey::parse(&raw).unwrap_or_else(|_| unreachable!("a UUID forms a valid key"))
    }

    /// The member a ledger key names.
    pub fn user_of_key(key: &ObjectKey) -> Option<UserId> {
        let name = key
            .as_str()
            .strip_prefix(DELETION_LEDGER_PREFIX)?
            .strip_prefix('/')?
            .strip_suffix(".json")?;
        Uuid::parse_str(name).ok().map(UserId::from_uuid)
    }

    pub fn prefix() -> ObjectPrefix {
        ObjectPrefix::parse(DELETION_LEDGER_PREFIX)
            .unwrap_or_else(|_| unreachable!("a fixed, valid prefix"))
    }

    pub fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| unreachable!("plain fields serialise"))
    }

    pub fn from_json_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// How long a requested deletion waits before the member is erased (SPEC §8:
/// seven days by default; zero erases at once). The member may cancel
/// meanwhile; an admin may erase at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeletionPolicy {
    pub grace: TimeDelta,
}

impl DeletionPolicy {
    pub fn with_grace_days(days: u32) -> Self {
        Self {
            grace: TimeDelta::days(i64::from(days)),
        }
    }

    /// The grace period in whole days.
    pub fn grace_days(&self) -> u32 {
        u32::try_from(self.grace.num_days()).unwrap_or(0)
    }

    /// When a deletion requested at `now` comes due; `None`: at once.
    pub fn due_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (self.grace > TimeDelta::zero()).then(|| now + self.grace)
    }
}

/// What a deletion request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionOutcome {
    /// The member will be erased at this time unless the deletion is
    /// cancelled; their sessions and tokens are already revoked.
    Scheduled { due_at: DateTime<Utc> },
    /// The member is erased.
    Erased,
}

/// Why a deletion request or its cancellation was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error("only admins may do this")]
    Forbidden,
    #[error("no such member")]
    NotFound,
    #[error("the password is incorrect")]
    WrongPassword,
    #[error("admins delete their own account from their profile, with their password")]
    OwnAccount,
    #[error("no deletion of this account is pending")]
    NotPending,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Everything a member owns in the store sits under this prefix.
pub fn objects_prefix_of(user: UserId) -> ObjectPrefix {
    let raw = format!("users/{}", user.as_uuid());
    ObjectPrefix::parse(&raw).unwrap_or_else(|_| unreachable!("a UUID forms a valid prefix"))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_record_holds_the_id_and_the_time_and_nothing_else() {
        let user = UserId::from_uuid(Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001));
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 6, 30, 0).unwrap();
        let record = DeletionRecord::new(user, at);
        let json: serde_json::Value = serde_json::from_slice(&record.to_json_bytes()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"user_id": user.as_uuid().to_string(), "deleted_at": "2026-12-04T06:30:00Z"})
        );
        assert_eq!(
            DeletionRecord::from_json_bytes(&record.to_json_bytes()).unwrap(),
            record
        );
        let key = DeletionRecord::key_of(user);
        assert_eq!(
            key.as_str(),
            format!("ledger/deletions/{}.json", user.as_uuid())
        );
        assert_eq!(DeletionRecord::user_of_key(&key), Some(user));
        assert!(DeletionRecord::prefix().covers(&key));
    }

    #[test]
    fn other_keys_name_no_member() {
        for raw in [
            "ledger/deletions/not-a-uuid.json",
            "ledger/deletions/0193a000-0000-7000-8000-000000000001.txt",
            "users/0193a000-0000-7000-8000-000000000001/photos/x/original",
            "ledger/deletionsX/0193a000-0000-7000-8000-000000000001.json",
        ] {
            let key = ObjectKey::parse(raw).unwrap();
            assert_eq!(DeletionRecord::user_of_key(&key), None, "{raw}");
        }
    }

    #[test]
    fn a_grace_period_sets_the_due_time_and_zero_means_at_once() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 6, 30, 0).unwrap();
        assert_eq!(
            DeletionPolicy::with_grace_days(7).due_at(now),
            Some(Utc.with_ymd_and_hms(2026, 12, 11, 6, 30, 0).unwrap())
        );
        assert_eq!(DeletionPolicy::with_grace_days(0).due_at(now), None);
        assert_eq!(DeletionPolicy::with_grace_days(30).grace_days(), 30);
    }

    #[test]
    fn a_members_objects_share_one_prefix() {
        let user = UserId::from_uuid(Uuid::from_u128(7));
        let photo = crate::photos::PhotoId::from_uuid(Uuid::from_u128(9));
        let key = crate::photos::photo_object_key(user, photo, crate::photos::PhotoFile::Original);
        assert!(objects_prefix_of(user).covers(&key));
        let other = UserId::from_uuid(Uuid::from_u128(8));
        assert!(!objects_prefix_of(other).covers(&key));
    }
}
