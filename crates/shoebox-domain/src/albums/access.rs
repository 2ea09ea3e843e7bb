//! Who may see and change an album: the rules, in one place.

use super::{Album, AlbumId, Visibility};
use crate::accounts::UserId;

/// Someone looking at an album.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// A signed-in, active member.
    Member(UserId),
    /// Anyone presenting an active share link of this album.
    LinkHolder(AlbumId),
}

/// Owners see their albums; members see `members` albums; link holders see
/// the album of their link while it is a `link` album. Admins get no special
/// view of other members' albums: administration is not a licence to browse.
pub fn can_view_album(album: &Album, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Member(user) => album.owner_id == user || album.visibility == Visibility::Members,
        Viewer::LinkHolder(album_id) => {
            album.id == album_id && album.visibility == Visibility::Link
        }
    }
}

/// Only the owner changes an album, its photos and its links.
pub fn can_manage_album(album: &Album, user: UserId) -> bool {
    album.owner_id == user
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::albums::AlbumTitle;

    fn album(visibility: Visibility) -> Album {
        Album {
            id: AlbumId::new(),
            owner_id: UserId::new(),
            title: AlbumTitle::parse("Trip").unwrap(),
            description: None,
            visibility,
            cover_photo_id: None,
            photo_count: 0,
            revision: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn the_visibility_matrix_holds() {
        let stranger = Viewer::Member(UserId::new());
        for visibility in [Visibility::Private, Visibility::Members, Visibility::Link] {
            let album = album(visibility);
            let owner = Viewer::Member(album.owner_id);
            let holder = Viewer::LinkHolder(album.id);
            let other_holder = Viewer::LinkHolder(AlbumId::new());
            assert!(can_view_album(&album, owner));
            assert_eq!(
                can_view_album(&album, stranger),
                visibility == Visibility::Members
            );
            assert_eq!(
                can_view_album(&album, holder),
                visibility == Visibility::Link
            );
            assert!(!can_view_album(&album, other_holder));
            assert!(can_manage_album(&album, album.owner_id));
            assert!(!can_manage_album(&album, UserId::new()));
        }
    }
}
