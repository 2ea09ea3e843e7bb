//! The album entity.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    accounts::UserId,
    photos::{PhotoId, TextError},
};

/// Identifies an album. UUIDv7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlbumId(Uuid);

impl AlbumId {
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

impl Default for AlbumId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for AlbumId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An album's title: 1–200 characters on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumTitle(String);

impl AlbumTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let text = crate::photos::text_clean(raw, "title", Self::MAX_CHARS, false)?;
        if text.is_empty() {
            return Err(TextError::Empty { field: "title" });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An album's description: up to 5000 characters, newlines allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumDescription(String);

impl AlbumDescription {
    pub const MAX_CHARS: usize = 5000;

    /// A blank description means "no description".
    pub fn parse(raw: &str) -> Result<Option<Self>, TextError> {
        let text = crate::photos::text_clean(raw, "description", Self::MAX_CHARS, true)?;
        Ok((!text.is_empty()).then_some(Self(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who may see an album besides its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Visibility {
    /// Its owner only.
    #[default]
    Private,
    /// Every signed-in member of the instance.
    Members,
    /// Its owner, and anyone holding one of its active share links. Not listed
    /// to other members.
    Link,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown visibility {0:?}; expected \"private\", \"members\" or \"link\"")]
pub struct VisibilityError(pub String);

impl Visibility {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Members => "members",
            Self::Link => "link",
        }
    }
}

impl FromStr for Visibility {
    type Err = VisibilityError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "private" => Ok(Self::Private),
            "members" => Ok(Self::Members),
            "link" => Ok(Self::Link),
            other => Err(VisibilityError(other.to_owned())),
        }
    }
}

/// An album as stored, with the figures its listings show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Album {
    pub id: AlbumId,
    pub owner_id: UserId,
    pub title: AlbumTitle,
    pub description: Option<AlbumDescription>,
    pub visibility: Visibility,
    /// The chosen cover, or else the album's first photo; `None` when empty.
    pub cover_photo_id: Option<PhotoId>,
    pub photo_count: u64,
    /// Moves whenever anything the album's listings show changes: the album
    /// itself, which photos it holds and in which order, those photos and
    /// their variants. What was read at one revision stays true until the
    /// next, so caches and ETags key on it.
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlbum {
    pub id: AlbumId,
    pub owner_id: UserId,
    pub title: AlbumTitle,
    pub description: Option<AlbumDescription>,
    pub visibility: Visibility,
    pub created_at: DateTime<Utc>,
}

/// A partial change to an album. `None` leaves a field alone; for the
/// optional fields `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlbumUpdate {
    pub title: Option<AlbumTitle>,
    pub description: Option<Option<AlbumDescription>>,
    pub visibility: Option<Visibility>,
    pub cover_photo_id: Option<Option<PhotoId>>,
}

impl AlbumUpdate {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_required_single_line_and_bounded() {
        assert_eq!(AlbumTitle::parse("  Summer  ").unwrap().as_str(), "Summer");
        assert!(matches!(
            AlbumTitle::parse(" "),
            Err(TextError::Empty { .. })
        ));
        assert!(AlbumTitle::parse("a\nb").is_err());
        assert!(AlbumTitle::parse(&"t".repeat(201)).is_err());
    }

    #[test]
    fn visibility_round_trips_and_rejects_unknown_values() {
        for visibility in [Visibility::Private, Visibility::Members, Visibility::Link] {
            assert_eq!(
                visibility.as_str().parse::<Visibility>().unwrap(),
                visibility
            );
        }
        assert!("public".parse::<Visibility>().is_err());
    }
}
