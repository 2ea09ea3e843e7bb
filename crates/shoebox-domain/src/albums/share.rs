//! Share links: unguessable URLs that open one album, read-only, to anyone.
//!
//! Like every secret handed to clients, only the SHA-256 of a link's token is
//! stored ([`crate::auth::SecretToken`]); the full link is shown once, when it
//! is created.

use std::fmt;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::AlbumId;
use crate::auth::TokenHash;

/// Prefix of share-link tokens, so a leaked one can be recognised.
pub const SHARE_TOKEN_PREFIX: &str = "sbs_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShareLinkId(Uuid);

impl ShareLinkId {
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

impl Default for ShareLinkId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ShareLinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// When a new link stops working: never, or at a time in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareExpiry(Option<DateTime<Utc>>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a share link's expiry must be in the future")]
pub struct ExpiryInPast;

impl ShareExpiry {
    pub const NEVER: ShareExpiry = ShareExpiry(None);

    pub fn at(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, ExpiryInPast> {
        if expires_at <= now {
            return Err(ExpiryInPast);
        }
        Ok(Self(Some(expires_at)))
    }

    /// Expiry at `expires_at`, checked against the clock by the use case.
    pub fn until(expires_at: DateTime<Utc>) -> Self {
        Self(Some(expires_at))
    }

    pub fn as_option(&self) -> Option<DateTime<Utc>> {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareLink {
    pub id: ShareLinkId,
    pub album_id: AlbumId,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ShareLink {
    /// A link works until it is revoked or expires.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expiry| now < expiry)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShareLink {
    pub id: ShareLinkId,
    pub album_id: AlbumId,
    pub token_hash: TokenHash,
    pub created_at: DateTime<Utc>,
    pub expires_at: ShareExpiry,
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn links_work_until_revoked_or_expired() {
        let now = Utc::now();
        let mut link = ShareLink {
            id: ShareLinkId::new(),
            album_id: AlbumId::new(),
            created_at: now,
            expires_at: Some(now + Duration::hours(1)),
            revoked_at: None,
        };
        assert!(link.is_active(now));
        assert!(!link.is_active(now + Duration::hours(1)));
        link.expires_at = None;
        assert!(link.is_active(now + Duration::days(9999)));
        link.revoked_at = Some(now);
        assert!(!link.is_active(now));
    }

    #[test]
    fn expiry_must_be_in_the_future() {
        let now = Utc::now();
        assert!(ShareExpiry::at(now, now).is_err());
        let later = now + Duration::minutes(1);
        assert_eq!(
            ShareExpiry::at(later, now).unwrap().as_option(),
            Some(later)
        );
    }
}
