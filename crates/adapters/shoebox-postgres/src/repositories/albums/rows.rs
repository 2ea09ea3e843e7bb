//! Album rows, with the figures their listings show (photo count and first
//! photo, kept by triggers, see migration `000004_album_revisions`), and their
//! translation into domain albums.

use anyhow::Context;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{
    accounts::UserId,
    albums::{Album, AlbumDescription, AlbumId, AlbumTitle, Visibility},
    photos::PhotoId,
};
use uuid::Uuid;

use crate::schema::albums;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = albums, check_for_backend(diesel::pg::Pg))]
pub(super) struct AlbumRow {
    id: Uuid,
    owner_id: Uuid,
    title: String,
    description: Option<String>,
    visibility: String,
    cover_photo_id: Option<Uuid>,
    first_photo_id: Option<Uuid>,
    photo_count: i64,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl AlbumRow {
    pub(super) fn into_album(self) -> anyhow::Result<Album> {
        let id = self.id;
        let context = move || format!("album {id}");
        let description = match self.description {
            Some(raw) => AlbumDescription::parse(&raw).with_context(context)?,
            None => None,
        };
        Ok(Album {
            id: AlbumId::from_uuid(self.id),
            owner_id: UserId::from_uuid(self.owner_id),
            title: AlbumTitle::parse(&self.title).with_context(context)?,
            description,
            visibility: self
                .visibility
                .parse::<Visibility>()
                .with_context(context)?,
            cover_photo_id: self
                .cover_photo_id
                .or(self.first_photo_id)
                .map(PhotoId::from_uuid),
            photo_count: u64::try_from(self.photo_count).with_context(context)?,
            revision: u64::try_from(self.revision).with_context(context)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The album with this id, with its figures.
pub(super) fn load_album(connection: &mut PgConnection, id: Uuid) -> QueryResult<Option<AlbumRow>> {
    albums::table
        .find(id)
        .select(AlbumRow::as_select())
        .first(connection)
        .optional()
}

/// The revision of the album with this id.
pub(super) fn album_revision(connection: &mut PgConnection, id: Uuid) -> QueryResult<Option<i64>> {
    albums::table
        .find(id)
        .select(albums::revision)
        .first(connection)
        .optional()
}

/// A page of albums `viewer` may list, newest first.
pub(super) fn list_albums(
    connection: &mut PgConnection,
    viewer: Uuid,
    owned_only: bool,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<AlbumRow>> {
    let mut query = albums::table
        .select(AlbumRow::as_select())
        .order(albums::id.desc())
        .limit(limit)
        .into_boxed();
    query = if owned_only {
        query.filter(albums::owner_id.eq(viewer))
    } else {
        query.filter(
            albums::owner_id
                .eq(viewer)
                .or(albums::visibility.eq("members")),
        )
    };
    if let Some(after) = after {
        query = query.filter(albums::id.lt(after));
    }
    query.load(connection)
}
