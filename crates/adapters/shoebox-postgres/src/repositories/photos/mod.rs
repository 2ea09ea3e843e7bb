//! Photos: recording uploads with their variant jobs, access checks,
//! listings, and the variant job's results.

mod rows;
mod usage;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{dsl::exists, prelude::*};
use shoebox_domain::{
    accounts::UserId,
    albums::{AlbumId, Visibility},
    page::{Page, PageRequest},
    photos::{Photo, PhotoId, PhotoOrder, PhotoUpdate, PhotoVariant, SharedOriginal},
};
use shoebox_ports::outbound::{InsertPhotosError, InsertedPhoto, PhotoRepository, PhotoWithJob};
use uuid::Uuid;

use rows::{NewPhotoRow, VariantRow};
pub(crate) use rows::{PhotoRow, into_photos, with_variants};

use crate::{
    PostgresDatabase,
    schema::{album_photos, albums, photo_variants, photos},
};

/// [`PhotoRepository`] on the `photos` and `photo_variants` tables.
#[derive(Debug, Clone)]
pub struct PostgresPhotoRepository {
    database: PostgresDatabase,
}

impl PostgresPhotoRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }

    async fn load_one(
        &self,
        operation: &'static str,
        query: impl FnOnce(&mut PgConnection) -> QueryResult<Option<PhotoRow>> + Send + 'static,
    ) -> anyhow::Result<Option<Photo>> {
        let loaded = self
            .database
            .run(operation, move |connection| {
                let rows = query(connection)?.into_iter().collect();
                with_variants(connection, rows)
            })
            .await?;
        Ok(into_photos(loaded)?.pop())
    }
}

/// What the insert transaction decided.
enum Inserted {
    /// Per file: created (`Ok`) or a duplicate of (`Err`) this photo; and
    /// every photo named, read back in the same transaction.
    Done(Vec<Result<Uuid, Uuid>>, Vec<(PhotoRow, Vec<VariantRow>)>),
    OverQuota {
        used_bytes: u64,
        quota_bytes: u64,
    },
}

#[async_trait]
impl PhotoRepository for PostgresPhotoRepository {
    async fn insert_uploaded(
        &self,
        owner: UserId,
        photos_with_jobs: Vec<PhotoWithJob>,
        quota_bytes: Option<u64>,
    ) -> Result<Vec<InsertedPhoto>, InsertPhotosError> {
        let owner = owner.as_uuid();
        let rows = photos_with_jobs
            .iter()
            .map(|item| NewPhotoRow::from_new(&item.photo))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let decided = self
            .database
            .run("recording uploaded photos", move |connection| {
                connection.transaction(|connection| {
                    usage::lock_owner(connection, owner)?;
                    let mut outcomes = Vec::with_capacity(rows.len());
                    let mut fresh = Vec::new();
                    let mut added_bytes = 0u64;
                    for (row, item) in rows.into_iter().zip(photos_with_jobs) {
                        let digest = item.photo.sha256.as_bytes().to_vec();
                        let existing = photos::table
                            .filter(photos::owner_id.eq(owner))
                            .filter(photos::sha256.eq(digest))
                            .select(photos::id)
                            .first::<Uuid>(connection)
                            .optional()?;
                        let duplicate_in_batch = fresh
                            .iter()
                            .find(|(_, other): &&(NewPhotoRow, PhotoWithJob)| {
                                other.photo.sha256 == item.photo.sha256
                            })
                            .map(|(_, other)| other.photo.id.as_uuid());
                        match existing.or(duplicate_in_batch) {
                            Some(id) => outcomes.push(Err(id)),
                            None => {
                                added_bytes += item.photo.size_bytes;
                                outcomes.push(Ok(item.photo.id.as_uuid()));
                                fresh.push((row, item));
                            }
                        }
                    }
                    if let Some(quota_bytes) = quota_bytes {
                        let used_bytes = usage::used_bytes(connection, owner)?;
                        if !fresh.is_empty() && used_bytes + added_bytes > quota_bytes {
                            return Ok(Inserted::OverQuota {
                                used_bytes,
                                quota_bytes,
                            });
                        }
                    }
                    for (row, item) in fresh {
                        diesel::insert_into(photos::table)
                            .values(row)
                            .execute(connection)?;
                        super::jobs::insert_job(connection, &item.job)?;
                    }
                    let ids: Vec<Uuid> = outcomes.iter().map(|(Ok(id) | Err(id))| *id).collect();
                    let rows = photos::table
                        .filter(photos::id.eq_any(&ids))
                        .select(PhotoRow::as_select())
                        .load(connection)?;
                    let loaded = with_variants(connection, rows)?;
                    Ok(Inserted::Done(outcomes, loaded))
                })
            })
            .await?;
        let (outcomes, loaded) = match decided {
            Inserted::Done(outcomes, loaded) => (outcomes, loaded),
            Inserted::OverQuota {
                used_bytes,
                quota_bytes,
            } => {
                return Err(InsertPhotosError::QuotaExceeded {
                    used_bytes,
                    quota_bytes,
                });
            }
        };
        let by_id: std::collections::HashMap<PhotoId, Photo> = into_photos(loaded)?
            .into_iter()
            .map(|photo| (photo.id, photo))
            .collect();
        let mut results = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            let (Ok(id) | Err(id)) = outcome;
            let photo = by_id
                .get(&PhotoId::from_uuid(id))
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("photo {id} missing right after its upload"))?;
            results.push(match outcome {
                Ok(_) => InsertedPhoto::Created(photo),
                Err(_) => InsertedPhoto::Duplicate(photo),
            });
        }
        Ok(results)
    }

    async fn find(&self, id: PhotoId) -> anyhow::Result<Option<Photo>> {
        let id = id.as_uuid();
        self.load_one("finding a photo", move |connection| {
            photos::table
                .find(id)
                .select(PhotoRow::as_select())
                .first(connection)
                .optional()
        })
        .await
    }

    async fn find_visible(&self, id: PhotoId, viewer: UserId) -> anyhow::Result<Option<Photo>> {
        let (id, viewer) = (id.as_uuid(), viewer.as_uuid());
        self.load_one("finding a visible photo", move |connection| {
            let in_members_album = exists(
                album_photos::table
                    .inner_join(albums::table)
                    .filter(album_photos::photo_id.eq(photos::id))
                    .filter(albums::visibility.eq(Visibility::Members.as_str())),
            );
            photos::table
                .find(id)
                .filter(photos::owner_id.eq(viewer).or(in_members_album))
                .select(PhotoRow::as_select())
                .first(connection)
                .optional()
        })
        .await
    }

    async fn find_in_album(&self, album: AlbumId, id: PhotoId) -> anyhow::Result<Option<Photo>> {
        let (album, id) = (album.as_uuid(), id.as_uuid());
        self.load_one("finding a photo in an album", move |connection| {
            photos::table
                .inner_join(album_photos::table)
                .filter(album_photos::album_id.eq(album))
                .filter(photos::id.eq(id))
                .select(PhotoRow::as_select())
                .first(connection)
                .optional()
        })
        .await
    }

    async fn list_owned(
        &self,
        owner: UserId,
        order: PhotoOrder,
        page: PageRequest,
    ) -> anyhow::Result<Page<Photo>> {
        let owner = owner.as_uuid();
        let limit = i64::from(page.limit()) + 1;
        let after = page.after();
        let loaded = self
            .database
            .run("listing photos", move |connection| {
                let mut query = photos::table
                    .filter(photos::owner_id.eq(owner))
                    .select(PhotoRow::as_select())
                    .limit(limit)
                    .into_boxed();
                query = match order {
                    PhotoOrder::Newest => {
                        if let Some(after) = after {
                            query = query.filter(photos::id.lt(after));
                        }
                        query.order(photos::id.desc())
                    }
                    PhotoOrder::TakenAt => {
                        let cursor = match after {
                            Some(after) => photos::table
                                .find(after)
                                .filter(photos::owner_id.eq(owner))
                                .select(photos::sort_at)
                                .first::<chrono::NaiveDateTime>(connection)
                                .optional()?
                                .map(|sort_at| (sort_at, after)),
                            None => None,
                        };
                        if let Some((sort_at, after)) = cursor {
                            query = query.filter(
                                photos::sort_at
                                    .lt(sort_at)
                                    .or(photos::sort_at.eq(sort_at).and(photos::id.lt(after))),
                            );
                        }
                        query.order((photos::sort_at.desc(), photos::id.desc()))
                    }
                };
                let rows = query.load(connection)?;
                with_variants(connection, rows)
            })
            .await?;
        Ok(Page::from_overfetched(into_photos(loaded)?, page, |p| {
            p.id.as_uuid()
        }))
    }

    async fn update(
        &self,
        id: PhotoId,
        owner: UserId,
        update: PhotoUpdate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Photo>> {
        let (id, owner) = (id.as_uuid(), owner.as_uuid());
        let caption = update
            .caption
            .map(|caption| caption.map(|c| c.as_str().to_owned()));
        self.load_one("updating a photo", move |connection| {
            let target = photos::table.find(id).filter(photos::owner_id.eq(owner));
            match caption {
                Some(caption) => diesel::update(target)
                    .set((photos::caption.eq(caption), photos::updated_at.eq(now)))
                    .returning(PhotoRow::as_returning())
                    .get_result(connection)
                    .optional(),
                None => target
                    .select(PhotoRow::as_select())
                    .first(connection)
                    .optional(),
            }
        })
        .await
    }

    async fn delete(&self, id: PhotoId, owner: UserId) -> anyhow::Result<Option<Photo>> {
        let (id, owner) = (id.as_uuid(), owner.as_uuid());
        let loaded = self
            .database
            .run("deleting a photo", move |connection| {
                connection.transaction(|connection| {
                    let variants = rows::load_variants(connection, &[id])?;
                    let row =
                        diesel::delete(photos::table.find(id).filter(photos::owner_id.eq(owner)))
                            .returning(PhotoRow::as_returning())
                            .get_result(connection)
                            .optional()?;
                    Ok(row.map(|row| {
                        let own = variants.into_values().flatten().collect();
                        (row, own)
                    }))
                })
            })
            .await?;
        loaded
            .map(|(row, variants)| row.into_photo(variants))
            .transpose()
    }

    async fn mark_ready(
        &self,
        id: PhotoId,
        variants: Vec<PhotoVariant>,
        shared_original: SharedOriginal,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let (shared, shared_size, shared_sha256) = match shared_original {
            SharedOriginal::Unchecked => ("unchecked", None, None),
            SharedOriginal::Same => ("same", None, None),
            SharedOriginal::Scrubbed { size_bytes, sha256 } => (
                "scrubbed",
                Some(i64::try_from(size_bytes)?),
                Some(sha256.as_bytes().to_vec()),
            ),
        };
        let rows = variants
            .iter()
            .map(|variant| VariantRow::from_variant(id, variant))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let id = id.as_uuid();
        let updated = self
            .database
            .run("recording a photo's variants", move |connection| {
                connection.transaction(|connection| {
                    let updated = diesel::update(photos::table.find(id))
                        .set((
                            photos::status.eq("ready"),
                            photos::failure_reason.eq(None::<String>),
                            photos::shared_original.eq(shared),
                            photos::shared_original_size.eq(shared_size),
                            photos::shared_original_sha256.eq(shared_sha256),
                            photos::updated_at.eq(now),
                        ))
                        .execute(connection)?;
                    if updated == 0 {
                        return Ok(0);
                    }
                    diesel::delete(photo_variants::table.filter(photo_variants::photo_id.eq(id)))
                        .execute(connection)?;
                    diesel::insert_into(photo_variants::table)
                        .values(rows)
                        .execute(connection)?;
                    Ok(updated)
                })
            })
            .await?;
        Ok(updated == 1)
    }

    async fn mark_failed(
        &self,
        id: PhotoId,
        reason: String,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let id = id.as_uuid();
        let updated = self
            .database
            .run("marking a photo failed", move |connection| {
                diesel::update(photos::table.find(id))
                    .set((
                        photos::status.eq("failed"),
                        photos::failure_reason.eq(Some(reason)),
                        photos::updated_at.eq(now),
                    ))
                    .execute(connection)
            })
            .await?;
        Ok(updated == 1)
    }

    async fn storage_used(&self, owner: UserId) -> anyhow::Result<u64> {
        let owner = owner.as_uuid();
        self.database
            .run("measuring storage use", move |connection| {
                usage::used_bytes(connection, owner)
            })
            .await
    }

    async fn existing(&self, ids: Vec<PhotoId>) -> anyhow::Result<Vec<PhotoId>> {
        let ids: Vec<Uuid> = ids.iter().map(PhotoId::as_uuid).collect();
        let found = self
            .database
            .run("checking photo ids", move |connection| {
                photos::table
                    .filter(photos::id.eq_any(ids))
                    .select(photos::id)
                    .load::<Uuid>(connection)
            })
            .await?;
        Ok(found.into_iter().map(PhotoId::from_uuid).collect())
    }
}
