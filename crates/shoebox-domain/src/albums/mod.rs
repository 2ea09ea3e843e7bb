//! Albums, their visibility, and the share links that open them to people
//! without an account.

mod access;
mod album;
mod errors;
mod listing;
mod share;

pub use access::{Viewer, can_manage_album, can_view_album};
pub use album::{
    Album, AlbumDescription, AlbumId, AlbumTitle, AlbumUpdate, NewAlbum, Visibility,
    VisibilityError,
};
pub use errors::{AlbumError, AlbumPhotosError, CreateShareLinkError, SharedAccessError};
pub use listing::{AlbumPage, AlbumPageTag};
pub use share::{
    ExpiryInPast, NewShareLink, SHARE_TOKEN_PREFIX, ShareExpiry, ShareLink, ShareLinkId,
};
