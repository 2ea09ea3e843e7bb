//! Albums and their ordered photos.

mod pages;
mod rows;

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{Array, BigInt, Uuid as SqlUuid},
};
use shoebox_domain::{
    albums::{Album, AlbumId, AlbumUpdate, NewAlbum},
    page::{Page, PageRequest},
    photos::{Photo, PhotoId},
};
use shoebox_ports::outbound::{AlbumRepository, ChangeAlbumPhotosError, UpdateAlbumRowError};
use uuid::Uuid;

pub(crate) use pages::AlbumPageCache;
use pages::PageKey;
use rows::{AlbumRow, album_revision, list_albums, load_album};

use super::photos::{PhotoRow, into_photos, with_variants};
use crate::{
    PostgresDatabase,
    schema::{album_photos, albums, photos},
};

/// [`AlbumRepository`] on the `albums` and `album_photos` tables.
#[derive(Debug, Clone)]
pub struct PostgresAlbumRepository {
    database: PostgresDatabase,
    pages: AlbumPageCache,
}

impl PostgresAlbumRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
            pages: database.album_pages().clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = albums)]
struct NewAlbumRow {
    id: Uuid,
    owner_id: Uuid,
    title: String,
    description: Option<String>,
    visibility: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(AsChangeset)]
#[diesel(table_name = albums)]
struct AlbumChanges {
    title: Option<String>,
    description: Option<Option<String>>,
    visibility: Option<&'static str>,
    cover_photo_id: Option<Option<Uuid>>,
    updated_at: DateTime<Utc>,
}

/// A business outcome decided inside a transaction.
enum Decided<T> {
    Done(T),
    Refused(ChangeAlbumPhotosError),
}

fn touch(connection: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(albums::table.find(id))
        .set(albums::updated_at.eq(now))
        .execute(connection)
}

fn finish(decided: Decided<Option<AlbumRow>>) -> Result<Album, ChangeAlbumPhotosError> {
    match decided {
        Decided::Done(Some(row)) => Ok(row.into_album()?),
        Decided::Done(None) => Err(anyhow::anyhow!("the album vanished").into()),
        Decided::Refused(error) => Err(error),
    }
}

#[async_trait]
impl AlbumRepository for PostgresAlbumRepository {
    async fn insert(&self, album: NewAlbum) -> anyhow::Result<Album> {
        let id = album.id.as_uuid();
        let row = NewAlbumRow {
            id,
            owner_id: album.owner_id.as_uuid(),
            title: album.title.as_str().to_owned(),
            description: album.description.map(|d| d.as_str().to_owned()),
            visibility: album.visibility.as_str(),
            created_at: album.created_at,
            updated_at: album.created_at,
        };
        let row = self
            .database
            .run("creating an album", move |connection| {
                diesel::insert_into(albums::table)
                    .values(row)
                    .execute(connection)?;
                load_album(connection, id)
            })
            .await?;
        row.ok_or_else(|| anyhow::anyhow!("album {id} vanished after insert"))?
            .into_album()
    }

    async fn find(&self, id: AlbumId) -> anyhow::Result<Option<Album>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("finding an album", move |connection| {
                load_album(connection, id)
            })
            .await?;
        row.map(AlbumRow::into_album).transpose()
    }

    async fn list_visible(
        &self,
        viewer: shoebox_domain::accounts::UserId,
        owned_only: bool,
        page: PageRequest,
    ) -> anyhow::Result<Page<Album>> {
        let viewer = viewer.as_uuid();
        let (after, limit) = (page.after(), i64::from(page.limit()) + 1);
        let rows = self
            .database
            .run("listing albums", move |connection| {
                list_albums(connection, viewer, owned_only, after, limit)
            })
            .await?;
        let albums = rows
            .into_iter()
            .map(AlbumRow::into_album)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Page::from_overfetched(albums, page, |a| a.id.as_uuid()))
    }

    async fn update(
        &self,
        id: AlbumId,
        update: AlbumUpdate,
        now: DateTime<Utc>,
    ) -> Result<Option<Album>, UpdateAlbumRowError> {
        let id = id.as_uuid();
        let cover = update
            .cover_photo_id
            .map(|cover| cover.map(|photo| photo.as_uuid()));
        let changes = AlbumChanges {
            title: update.title.map(|t| t.as_str().to_owned()),
            description: update.description.map(|d| d.map(|d| d.as_str().to_owned())),
            visibility: update.visibility.map(|v| v.as_str()),
            cover_photo_id: cover,
            updated_at: now,
        };
        let decided = self
            .database
            .run("updating an album", move |connection| {
                connection.transaction(|connection| {
                    if let Some(Some(photo)) = cover {
                        let in_album = diesel::select(diesel::dsl::exists(
                            album_photos::table
                                .filter(album_photos::album_id.eq(id))
                                .filter(album_photos::photo_id.eq(photo)),
                        ))
                        .get_result::<bool>(connection)?;
                        if !in_album {
                            return Ok(Err(()));
                        }
                    }
                    diesel::update(albums::table.find(id))
                        .set(changes)
                        .execute(connection)?;
                    load_album(connection, id).map(Ok)
                })
            })
            .await?;
        match decided {
            Ok(row) => Ok(row.map(AlbumRow::into_album).transpose()?),
            Err(()) => Err(UpdateAlbumRowError::CoverNotInAlbum),
        }
    }

    async fn delete(&self, id: AlbumId) -> anyhow::Result<bool> {
        let id = id.as_uuid();
        let deleted = self
            .database
            .run("deleting an album", move |connection| {
                diesel::delete(albums::table.find(id)).execute(connection)
            })
            .await?;
        Ok(deleted == 1)
    }

    async fn add_photos(
        &self,
        id: AlbumId,
        photo_ids: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> Result<Album, ChangeAlbumPhotosError> {
        let id = id.as_uuid();
        let mut seen = HashSet::new();
        let requested: Vec<Uuid> = photo_ids
            .iter()
            .map(PhotoId::as_uuid)
            .filter(|photo| seen.insert(*photo))
            .collect();
        let decided = self
            .database
            .run("adding photos to an album", move |connection| {
                connection.transaction(|connection| {
                    let owner: Uuid = albums::table
                        .find(id)
                        .select(albums::owner_id)
                        .for_update()
                        .first(connection)?;
                    let owned: HashSet<Uuid> = photos::table
                        .filter(photos::id.eq_any(&requested))
                        .filter(photos::owner_id.eq(owner))
                        .select(photos::id)
                        .load::<Uuid>(connection)?
                        .into_iter()
                        .collect();
                    let unknown: Vec<PhotoId> = requested
                        .iter()
                        .filter(|photo| !owned.contains(photo))
                        .map(|photo| PhotoId::from_uuid(*photo))
                        .collect();
                    if !unknown.is_empty() {
                        return Ok(Decided::Refused(ChangeAlbumPhotosError::UnknownPhotos(
                            unknown,
                        )));
                    }
                    let last: Option<i64> = album_photos::table
                        .filter(album_photos::album_id.eq(id))
                        .select(diesel::dsl::max(album_photos::position))
                        .first(connection)?;
                    // One statement, so that the album's figures are
                    // recounted once (see the migration's triggers).
                    let rows: Vec<_> = requested
                        .iter()
                        .zip(last.unwrap_or(0) + 1..)
                        .map(|(photo, position)| {
                            (
                                album_photos::album_id.eq(id),
                                album_photos::photo_id.eq(*photo),
                                album_photos::position.eq(position),
                                album_photos::added_at.eq(now),
                            )
                        })
                        .collect();
                    if !rows.is_empty() {
                        diesel::insert_into(album_photos::table)
                            .values(rows)
                            .on_conflict_do_nothing()
                            .execute(connection)?;
                    }
                    touch(connection, id, now)?;
                    load_album(connection, id).map(Decided::Done)
                })
            })
            .await?;
        finish(decided)
    }

    async fn remove_photos(
        &self,
        id: AlbumId,
        photo_ids: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Album> {
        let id = id.as_uuid();
        let removed: Vec<Uuid> = photo_ids.iter().map(PhotoId::as_uuid).collect();
        let row = self
            .database
            .run("removing photos from an album", move |connection| {
                connection.transaction(|connection| {
                    diesel::delete(
                        album_photos::table
                            .filter(album_photos::album_id.eq(id))
                            .filter(album_photos::photo_id.eq_any(&removed)),
                    )
                    .execute(connection)?;
                    // A cover that left the album falls back to the first photo.
                    diesel::update(
                        albums::table
                            .find(id)
                            .filter(albums::cover_photo_id.eq_any(&removed)),
                    )
                    .set(albums::cover_photo_id.eq(None::<Uuid>))
                    .execute(connection)?;
                    touch(connection, id, now)?;
                    load_album(connection, id)
                })
            })
            .await?;
        row.ok_or_else(|| anyhow::anyhow!("album {id} vanished"))?
            .into_album()
    }

    async fn reorder(
        &self,
        id: AlbumId,
        photo_ids: Vec<PhotoId>,
        now: DateTime<Utc>,
    ) -> Result<Album, ChangeAlbumPhotosError> {
        let id = id.as_uuid();
        let order: Vec<Uuid> = photo_ids.iter().map(PhotoId::as_uuid).collect();
        let decided = self
            .database
            .run("reordering an album", move |connection| {
                connection.transaction(|connection| {
                    albums::table
                        .find(id)
                        .select(albums::id)
                        .for_update()
                        .first::<Uuid>(connection)?;
                    let current: HashSet<Uuid> = album_photos::table
                        .filter(album_photos::album_id.eq(id))
                        .select(album_photos::photo_id)
                        .load::<Uuid>(connection)?
                        .into_iter()
                        .collect();
                    let requested: HashSet<Uuid> = order.iter().copied().collect();
                    if requested.len() != order.len() || requested != current {
                        return Ok(Decided::Refused(ChangeAlbumPhotosError::OrderMismatch));
                    }
                    let positions: Vec<i64> = (1..).take(order.len()).collect();
                    diesel::sql_query(
                        "UPDATE album_photos SET position = v.position \
                         FROM unnest($2::uuid[], $3::bigint[]) AS v(photo_id, position) \
                         WHERE album_photos.album_id = $1 AND album_photos.photo_id = v.photo_id",
                    )
                    .bind::<SqlUuid, _>(id)
                    .bind::<Array<SqlUuid>, _>(&order)
                    .bind::<Array<BigInt>, _>(&positions)
                    .execute(connection)?;
                    touch(connection, id, now)?;
                    load_album(connection, id).map(Decided::Done)
                })
            })
            .await?;
        finish(decided)
    }

    async fn photos(&self, album: &Album, page: PageRequest) -> anyhow::Result<Page<Photo>> {
        let id = album.id.as_uuid();
        let (after, limit) = (page.after(), page.limit());
        let key = |revision| PageKey {
            album: id,
            revision,
            after,
            limit,
        };
        if let Some(cached) = self.pages.get(&key(album.revision)) {
            return Ok(cached);
        }
        let (revision, loaded) = self
            .database
            .run("listing an album's photos", move |connection| {
                // The revision and the page from one snapshot: the page is
                // what the album showed at that revision.
                connection
                    .build_transaction()
                    .repeatable_read()
                    .read_only()
                    .run(|connection| {
                        let revision = album_revision(connection, id)?;
                        let rows = page_rows(connection, id, after, i64::from(limit) + 1)?;
                        Ok((revision, with_variants(connection, rows)?))
                    })
            })
            .await?;
        let photos = Page::from_overfetched(into_photos(loaded)?, page, |p| p.id.as_uuid());
        if let Some(revision) = revision.and_then(|revision| u64::try_from(revision).ok()) {
            self.pages.insert(key(revision), &photos);
        }
        Ok(photos)
    }
}

/// Up to `limit` photos of the album in its order, after the photo `after`.
fn page_rows(
    connection: &mut PgConnection,
    id: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<PhotoRow>> {
    let mut query = photos::table
        .inner_join(album_photos::table)
        .filter(album_photos::album_id.eq(id))
        .select(PhotoRow::as_select())
        .order((album_photos::position.asc(), album_photos::photo_id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        let position: Option<i64> = album_photos::table
            .find((id, after))
            .select(album_photos::position)
            .first(connection)
            .optional()?;
        if let Some(position) = position {
            query = query.filter(
                album_photos::position
                    .gt(position)
                    .or(album_photos::position
                        .eq(position)
                        .and(album_photos::photo_id.gt(after))),
            );
        }
    }
    query.load(connection)
}
