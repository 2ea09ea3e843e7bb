//! What one page of an album's listing shows, named without reading it.

use uuid::Uuid;

use super::{Album, AlbumId};
use crate::{accounts::UserId, page::PageRequest};

/// One page of an album as one viewer sees it: the album at a revision, the
/// page's place, and whether locations are shown. Two equal tags name the
/// same answer, so a caller that holds the answer for a tag (a browser's
/// `If-None-Match`, a server's cache) need not have it read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AlbumPageTag {
    pub album: AlbumId,
    pub revision: u64,
    pub after: Option<Uuid>,
    pub limit: u32,
    /// Locations are the owner's alone; an album holds its owner's photos
    /// only, so the owner sees them all and everyone else none.
    pub with_location: bool,
}

impl AlbumPageTag {
    /// The tag of `page` of `album` (as read now) for `viewer`.
    pub fn of(album: &Album, page: PageRequest, viewer: Option<UserId>) -> Self {
        Self {
            album: album.id,
            revision: album.revision,
            after: page.after(),
            limit: page.limit(),
            with_location: viewer == Some(album.owner_id),
        }
    }
}

/// A page of an album's listing, or word that the caller's copy is current.
#[derive(Debug, Clone, PartialEq)]
pub enum AlbumPage<T> {
    /// The caller already holds the answer for this tag.
    Unchanged(AlbumPageTag),
    Changed(AlbumPageTag, crate::page::Page<T>),
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::albums::{AlbumTitle, Visibility};

    fn album(revision: u64) -> Album {
        Album {
            id: AlbumId::new(),
            owner_id: UserId::new(),
            title: AlbumTitle::parse("Trip").unwrap(),
            description: None,
            visibility: Visibility::Members,
            cover_photo_id: None,
            photo_count: 0,
            revision,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn only_the_owner_s_tag_shows_locations() {
        let album = album(3);
        let page = PageRequest::new(Some(10), None);
        let owner = AlbumPageTag::of(&album, page, Some(album.owner_id));
        let member = AlbumPageTag::of(&album, page, Some(UserId::new()));
        let anonymous = AlbumPageTag::of(&album, page, None);
        assert!(owner.with_location);
        assert!(!member.with_location);
        assert_eq!(member, anonymous);
        assert_ne!(owner, member);
    }

    #[test]
    fn a_new_revision_or_another_page_is_another_tag() {
        let mut album = album(3);
        let page = PageRequest::new(Some(10), None);
        let before = AlbumPageTag::of(&album, page, None);
        album.revision = 4;
        assert_ne!(AlbumPageTag::of(&album, page, None), before);
        let other_page = PageRequest::new(Some(20), None);
        album.revision = 3;
        assert_ne!(AlbumPageTag::of(&album, other_page, None), before);
        assert_eq!(AlbumPageTag::of(&album, page, None), before);
    }
}
