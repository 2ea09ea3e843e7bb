//! The `Albums` use cases.

use async_trait::async_trait;
use shoebox_domain::{
    albums::{
        Album, AlbumError, AlbumId, AlbumPage, AlbumPageTag, AlbumPhotosError, AlbumUpdate,
        NewAlbum, Viewer, can_manage_album, can_view_album,
    },
    auth::Actor,
    page::{Page, PageRequest},
    photos::{Photo, PhotoId},
};
use shoebox_ports::{
    inbound::{Albums, CreateAlbum},
    outbound::{ChangeAlbumPhotosError, UpdateAlbumRowError},
};

use super::PhotoStores;

/// Most photos one add, remove or reorder request may name.
pub const MAX_PHOTOS_PER_CHANGE: usize = 10_000;

#[derive(Debug, Clone)]
pub struct AlbumService {
    stores: PhotoStores,
}

impl AlbumService {
    pub fn new(stores: PhotoStores) -> Self {
        Self { stores }
    }

    /// The album when the actor may see it.
    async fn visible(&self, actor: &Actor, id: AlbumId) -> Result<Album, AlbumError> {
        match self.stores.albums.find(id).await? {
            Some(album) if can_view_album(&album, Viewer::Member(actor.user.id)) => Ok(album),
            _ => Err(AlbumError::NotFound),
        }
    }

    /// The album when the actor may change it; `NotOwner` when they only see it.
    async fn managed(&self, actor: &Actor, id: AlbumId) -> Result<Album, AlbumError> {
        let album = self.visible(actor, id).await?;
        if can_manage_album(&album, actor.user.id) {
            Ok(album)
        } else {
            Err(AlbumError::NotOwner)
        }
    }

    async fn managed_for_photos(
        &self,
        actor: &Actor,
        id: AlbumId,
        photos: &[PhotoId],
    ) -> Result<Album, AlbumPhotosError> {
        if photos.len() > MAX_PHOTOS_PER_CHANGE {
            return Err(AlbumPhotosError::TooManyPhotos {
                max: MAX_PHOTOS_PER_CHANGE,
            });
        }
        self.managed(actor, id).await.map_err(|error| match error {
            AlbumError::NotOwner => AlbumPhotosError::NotOwner,
            AlbumError::Unexpected(error) => AlbumPhotosError::Unexpected(error),
            _ => AlbumPhotosError::NotFound,
        })
    }
}

fn photos_error(error: ChangeAlbumPhotosError) -> AlbumPhotosError {
    match error {
        ChangeAlbumPhotosError::UnknownPhotos(ids) => AlbumPhotosError::UnknownPhotos(ids),
        ChangeAlbumPhotosError::OrderMismatch => AlbumPhotosError::OrderMismatch,
        ChangeAlbumPhotosError::Unexpected(error) => AlbumPhotosError::Unexpected(error),
    }
}

#[async_trait]
impl Albums for AlbumService {
    async fn create(&self, actor: Actor, command: CreateAlbum) -> anyhow::Result<Album> {
        let album = NewAlbum {
            id: AlbumId::new(),
            owner_id: actor.user.id,
            title: command.title,
            description: command.description,
            visibility: command.visibility,
            created_at: self.stores.clock.now(),
        };
        self.stores.albums.insert(album).await
    }

    async fn list(
        &self,
        actor: Actor,
        owned_only: bool,
        page: PageRequest,
    ) -> anyhow::Result<Page<Album>> {
        self.stores
            .albums
            .list_visible(actor.user.id, owned_only, page)
            .await
    }

    async fn get(&self, actor: Actor, id: AlbumId) -> Result<Album, AlbumError> {
        self.visible(&actor, id).await
    }

    async fn update(
        &self,
        actor: Actor,
        id: AlbumId,
        update: AlbumUpdate,
    ) -> Result<Album, AlbumError> {
        if update.is_empty() {
            return Err(AlbumError::NothingToChange);
        }
        self.managed(&actor, id).await?;
        let now = self.stores.clock.now();
        match self.stores.albums.update(id, update, now).await {
            Ok(Some(album)) => Ok(album),
            Ok(None) => Err(AlbumError::NotFound),
            Err(UpdateAlbumRowError::CoverNotInAlbum) => Err(AlbumError::CoverNotInAlbum),
            Err(UpdateAlbumRowError::Unexpected(error)) => Err(AlbumError::Unexpected(error)),
        }
    }

    async fn delete(&self, actor: Actor, id: AlbumId) -> Result<(), AlbumError> {
        self.managed(&actor, id).await?;
        if self.stores.albums.delete(id).await? {
            Ok(())
        } else {
            Err(AlbumError::NotFound)
        }
    }

    async fn photos(
        &self,
        actor: Actor,
        id: AlbumId,
        page: PageRequest,
        known: Vec<AlbumPageTag>,
    ) -> Result<AlbumPage<Photo>, AlbumError> {
        let album = self.visible(&actor, id).await?;
        let viewer = Some(actor.user.id);
        let tag = AlbumPageTag::of(&album, page, viewer);
        if known.contains(&tag) {
            return Ok(AlbumPage::Unchanged(tag));
        }
        let mut page = self.stores.albums.photos(&album, page).await?;
        page.items = page
            .items
            .into_iter()
            .map(|photo| photo.as_seen_by(viewer))
            .collect();
        Ok(AlbumPage::Changed(tag, page))
    }

    async fn add_photos(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError> {
        self.managed_for_photos(&actor, id, &photos).await?;
        let now = self.stores.clock.now();
        self.stores
            .albums
            .add_photos(id, photos, now)
            .await
            .map_err(photos_error)
    }

    async fn remove_photos(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError> {
        self.managed_for_photos(&actor, id, &photos).await?;
        let now = self.stores.clock.now();
        Ok(self.stores.albums.remove_photos(id, photos, now).await?)
    }

    async fn reorder(
        &self,
        actor: Actor,
        id: AlbumId,
        photos: Vec<PhotoId>,
    ) -> Result<Album, AlbumPhotosError> {
        self.managed_for_photos(&actor, id, &photos).await?;
        let now = self.stores.clock.now();
        self.stores
            .albums
            .reorder(id, photos, now)
            .await
            .map_err(photos_error)
    }
}
