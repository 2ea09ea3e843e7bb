//! The `Sharing` use cases: share links, and the anonymous view they open.

use async_trait::async_trait;
use shoebox_domain::{
    albums::{
        Album, AlbumError, AlbumId, CreateShareLinkError, NewShareLink, SHARE_TOKEN_PREFIX,
        ShareExpiry, ShareLink, ShareLinkId, SharedAccessError, Viewer, can_manage_album,
        can_view_album,
    },
    auth::{Actor, RevokeError, SecretToken},
    page::{Page, PageRequest},
    photos::{Photo, PhotoFile, PhotoId},
};
use shoebox_ports::inbound::{CreatedShareLink, FileDescriptor, Sharing};

use super::{PhotoStores, service::describe};

#[derive(Debug, Clone)]
pub struct SharingService {
    stores: PhotoStores,
}

impl SharingService {
    pub fn new(stores: PhotoStores) -> Self {
        Self { stores }
    }

    /// The actor's own album, or `None`.
    async fn owned(&self, actor: &Actor, id: AlbumId) -> anyhow::Result<Option<Album>> {
        Ok(self
            .stores
            .albums
            .find(id)
            .await?
            .filter(|album| can_manage_album(album, actor.user.id)))
    }

    /// The album a token opens, if the link is active and the album still
    /// shared by link.
    async fn open(&self, token: &SecretToken) -> Result<Album, SharedAccessError> {
        let now = self.stores.clock.now();
        match self.stores.links.resolve(token.hash()).await? {
            Some((link, album))
                if link.is_active(now)
                    && can_view_album(&album, Viewer::LinkHolder(link.album_id)) =>
            {
                Ok(album)
            }
            _ => Err(SharedAccessError::LinkInvalid),
        }
    }

    async fn photo_in(&self, album: &Album, id: PhotoId) -> Result<Photo, SharedAccessError> {
        self.stores
            .photos
            .find_in_album(album.id, id)
            .await?
            .map(|photo| photo.as_seen_by(None))
            .ok_or(SharedAccessError::PhotoNotFound)
    }
}

#[async_trait]
impl Sharing for SharingService {
    async fn create_link(
        &self,
        actor: Actor,
        album: AlbumId,
        expiry: ShareExpiry,
    ) -> Result<CreatedShareLink, CreateShareLinkError> {
        let now = self.stores.clock.now();
        if expiry.as_option().is_some_and(|at| at <= now) {
            return Err(CreateShareLinkError::ExpiryInPast);
        }
        let Some(found) = self.stores.albums.find(album).await? else {
            return Err(CreateShareLinkError::NotFound);
        };
        if !can_view_album(&found, Viewer::Member(actor.user.id)) {
            return Err(CreateShareLinkError::NotFound);
        }
        if !can_manage_album(&found, actor.user.id) {
            return Err(CreateShareLinkError::NotOwner);
        }
        let token = SecretToken::generate(SHARE_TOKEN_PREFIX);
        let link = self
            .stores
            .links
            .insert(NewShareLink {
                id: ShareLinkId::new(),
                album_id: album,
                token_hash: token.hash(),
                created_at: now,
                expires_at: expiry,
            })
            .await?;
        Ok(CreatedShareLink { link, token })
    }

    async fn links(&self, actor: Actor, album: AlbumId) -> Result<Vec<ShareLink>, AlbumError> {
        if self.owned(&actor, album).await?.is_none() {
            return Err(AlbumError::NotFound);
        }
        Ok(self.stores.links.list(album).await?)
    }

    async fn revoke_link(
        &self,
        actor: Actor,
        album: AlbumId,
        link: ShareLinkId,
    ) -> Result<(), RevokeError> {
        if self.owned(&actor, album).await?.is_none() {
            return Err(RevokeError::NotFound);
        }
        let now = self.stores.clock.now();
        if self.stores.links.revoke(album, link, now).await? {
            Ok(())
        } else {
            Err(RevokeError::NotFound)
        }
    }

    async fn album(&self, token: SecretToken) -> Result<Album, SharedAccessError> {
        self.open(&token).await
    }

    async fn photos(
        &self,
        token: SecretToken,
        page: PageRequest,
    ) -> Result<Page<Photo>, SharedAccessError> {
        let album = self.open(&token).await?;
        let mut page = self.stores.albums.photos(&album, page).await?;
        page.items = page
            .items
            .into_iter()
            .map(|photo| photo.as_seen_by(None))
            .collect();
        Ok(page)
    }

    async fn photo(&self, token: SecretToken, id: PhotoId) -> Result<Photo, SharedAccessError> {
        let album = self.open(&token).await?;
        self.photo_in(&album, id).await
    }

    async fn file(
        &self,
        token: SecretToken,
        id: PhotoId,
        file: PhotoFile,
    ) -> Result<FileDescriptor, SharedAccessError> {
        let album = self.open(&token).await?;
        // Link holders are never owners: they get the original without location.
        let photo = self
            .stores
            .photos
            .find_in_album(album.id, id)
            .await?
            .ok_or(SharedAccessError::PhotoNotFound)?;
        let file = match file {
            PhotoFile::Original => photo
                .original_for(None)
                .ok_or(SharedAccessError::OriginalWithheld)?,
            other => other,
        };
        describe(&photo, file).ok_or(SharedAccessError::PhotoNotFound)
    }
}
