//! Browser sessions and their sliding expiry.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::{ClientInfo, TokenHash};
use crate::accounts::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(Uuid);

impl SessionId {
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

impl Default for SessionId {
    fn default() -> Self {
        Self::new()
    }
}

/// A session as listed to its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub csrf_token: String,
    pub client: ClientInfo,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A session to insert. Only the hash of the cookie value is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: SessionId,
    pub user_id: UserId,
    pub token_hash: TokenHash,
    pub csrf_token: String,
    pub client: ClientInfo,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// How long sessions live.
///
/// A session expires after `idle_timeout` without use, and in any case
/// `absolute_lifetime` after it was opened. Using a session pushes its expiry
/// forward, but at most once per `touch_interval`, so that busy clients do not
/// turn every read into a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout: Duration,
    pub absolute_lifetime: Duration,
    pub touch_interval: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(14 * 24 * 3600),
            absolute_lifetime: Duration::from_secs(90 * 24 * 3600),
            touch_interval: Duration::from_secs(60),
        }
    }
}

fn delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

impl SessionPolicy {
    /// Expiry of a session opened at `created_at` and last used at `now`.
    pub fn expiry(&self, created_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
        let idle = now
            .checked_add_signed(delta(self.idle_timeout))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let absolute = created_at
            .checked_add_signed(delta(self.absolute_lifetime))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        idle.min(absolute)
    }

    /// The new `(last_seen_at, expires_at)` to store when a session is used at
    /// `now`, or `None` when the stored values are recent enough.
    pub fn touch(
        &self,
        session: &Session,
        now: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let since_last = now.signed_duration_since(session.last_seen_at);
        (since_last >= delta(self.touch_interval))
            .then(|| (now, self.expiry(session.created_at, now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn session_at(
        created: DateTime<Utc>,
        last_seen: DateTime<Utc>,
        policy: &SessionPolicy,
    ) -> Session {
        Session {
            id: SessionId::new(),
            user_id: UserId::new(),
            csrf_token: "csrf".into(),
            client: ClientInfo::default(),
            created_at: created,
            last_seen_at: last_seen,
            expires_at: policy.expiry(created, last_seen),
        }
    }

    #[test]
    fn new_sessions_expire_after_the_idle_timeout() {
        let policy = SessionPolicy::default();
        let now = Utc::now();
        assert_eq!(policy.expiry(now, now), now + TimeDelta::days(14));
    }

    #[test]
    fn use_is_recorded_at_most_once_per_interval() {
        let policy = SessionPolicy::default();
        let created = Utc::now();
        let session = session_at(created, created, &policy);
        assert_eq!(
            policy.touch(&session, created + TimeDelta::seconds(59)),
            None
        );
        let later = created + TimeDelta::seconds(60);
        assert_eq!(
            policy.touch(&session, later),
            Some((later, later + TimeDelta::days(14)))
        );
    }

    proptest! {
        #[test]
        fn expiry_never_passes_the_absolute_lifetime(days_used in 0i64..200, idle in 1u64..60) {
            let policy = SessionPolicy { idle_timeout: Duration::from_secs(idle * 86_400), ..SessionPolicy::default() };
            let created = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
            let now = created + TimeDelta::days(days_used);
            let expiry = policy.expiry(created, now);
            prop_assert!(expiry <= created + TimeDelta::days(90));
            prop_assert!(expiry <= now + TimeDelta::days(idle as i64));
        }
    }
}
