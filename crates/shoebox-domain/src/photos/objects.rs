//! Where a photo's files live in object storage.
//!
//! Every object a member owns sits under `users/<user id>/`, so deleting a
//! member's data is one prefix; every file of a photo sits under
//! `users/<user id>/photos/<photo id>/`, so the orphan sweeper can tell from a
//! key alone which photo row it belongs to.

use crate::{
    accounts::UserId,
    imaging::VariantKind,
    storage::{ObjectKey, ObjectPrefix},
};

use super::PhotoId;

/// One of a photo's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhotoFile {
    Original,
    /// The original without its location, for everyone but the owner;
    /// stored only when the original holds a location.
    SharedOriginal,
    Variant(VariantKind),
}

impl PhotoFile {
    pub const ALL: [PhotoFile; 4] = [
        PhotoFile::Original,
        PhotoFile::SharedOriginal,
        PhotoFile::Variant(VariantKind::Thumbnail),
        PhotoFile::Variant(VariantKind::Preview),
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::SharedOriginal => "original-shared",
            Self::Variant(kind) => kind.as_str(),
        }
    }
}

pub fn photo_object_key(owner: UserId, photo: PhotoId, file: PhotoFile) -> ObjectKey {
    let raw = format!("users/{owner}/photos/{photo}/{}", file.as_str());
    ObjectKey::parse(&raw).unwrap_or_else(|_| unreachable!("UUIDs and fixed names form valid keys"))
}

/// The prefix under which all photos of `owner` live.
pub fn photos_prefix_of(owner: UserId) -> ObjectPrefix {
    let raw = format!("users/{owner}/photos");
    ObjectPrefix::parse(&raw).unwrap_or_else(|_| unreachable!("a UUID forms a valid prefix"))
}

/// The photo a key belongs to, when it is a photo file's key.
pub fn photo_of_key(key: &ObjectKey) -> Option<(UserId, PhotoId)> {
    let mut parts = key.as_str().split('/');
    let (Some("users"), Some(user), Some("photos"), Some(photo), Some(_file), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let user = uuid::Uuid::parse_str(user).ok()?;
    let photo = uuid::Uuid::parse_str(photo).ok()?;
    Some((UserId::from_uuid(user), PhotoId::from_uuid(photo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_owner_photo_and_file_and_parse_back() {
        let owner = UserId::new();
        let photo = PhotoId::new();
        for file in PhotoFile::ALL {
            let key = photo_object_key(owner, photo, file);
            assert!(key.as_str().starts_with(photos_prefix_of(owner).as_str()));
            assert!(key.as_str().ends_with(file.as_str()));
            assert_eq!(photo_of_key(&key), Some((owner, photo)));
        }
        let other = ObjectKey::parse("backups/2026/11/23/x.dump").unwrap();
        assert_eq!(photo_of_key(&other), None);
    }
}
