//! Album rows, read with the figures their listings show (photo count and
//! effective cover), and their translation into domain albums.

use anyhow::Context;
use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid},
};
use shoebox_domain::{
    accounts::UserId,
    albums::{Album, AlbumDescription, AlbumId, AlbumTitle, Visibility},
    photos::PhotoId,
};
use uuid::Uuid;

/// The columns of [`AlbumRow`] for an `albums a` in the FROM clause.
pub(super) const ALBUM_COLUMNS: &str = "a.id, a.owner_id, a.title, a.description, a.visibility, \
     a.created_at, a.updated_at, \
     (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id) AS photo_count, \
     COALESCE(a.cover_photo_id, (SELECT ap.photo_id FROM album_photos ap WHERE ap.album_id = a.id \
         ORDER BY ap.position, ap.photo_id LIMIT 1)) AS cover_photo_id";

#[derive(Debug, QueryableByName)]
pub(super) struct AlbumRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    owner_id: Uuid,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<Text>)]
    description: Option<String>,
    #[diesel(sql_type = Text)]
    visibility: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    photo_count: i64,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    cover_photo_id: Option<Uuid>,
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
            cover_photo_id: self.cover_photo_id.map(PhotoId::from_uuid),
            photo_count: u64::try_from(self.photo_count).with_context(context)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The album with this id, with its figures.
pub(super) fn load_album(connection: &mut PgConnection, id: Uuid) -> QueryResult<Option<AlbumRow>> {
    diesel::sql_query(format!(
        "SELECT {ALBUM_COLUMNS} FROM albums a WHERE a.id = $1"
    ))
    .bind::<SqlUuid, _>(id)
    .get_result(connection)
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
    diesel::sql_query(format!(
        "SELECT {ALBUM_COLUMNS} FROM albums a \
         WHERE (a.owner_id = $1 OR (NOT $2 AND a.visibility = 'members')) \
           AND ($3::uuid IS NULL OR a.id < $3) \
         ORDER BY a.id DESC LIMIT $4"
    ))
    .bind::<SqlUuid, _>(viewer)
    .bind::<diesel::sql_types::Bool, _>(owned_only)
    .bind::<Nullable<SqlUuid>, _>(after)
    .bind::<BigInt, _>(limit)
    .load(connection)
}
