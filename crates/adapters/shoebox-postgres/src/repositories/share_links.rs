//! Share links of albums.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{
    albums::{Album, AlbumId, NewShareLink, ShareLink, ShareLinkId},
    auth::TokenHash,
};
use shoebox_ports::outbound::{AlbumRepository, ShareLinkRepository};
use uuid::Uuid;

use super::albums::PostgresAlbumRepository;
use crate::{PostgresDatabase, rows::hash_bytes, schema::share_links};

/// [`ShareLinkRepository`] on the `share_links` table.
#[derive(Debug, Clone)]
pub struct PostgresShareLinkRepository {
    database: PostgresDatabase,
    albums: PostgresAlbumRepository,
}

impl PostgresShareLinkRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
            albums: PostgresAlbumRepository::new(database),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = share_links, check_for_backend(diesel::pg::Pg))]
struct ShareLinkRow {
    id: Uuid,
    album_id: Uuid,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<ShareLinkRow> for ShareLink {
    fn from(row: ShareLinkRow) -> Self {
        ShareLink {
            id: ShareLinkId::from_uuid(row.id),
            album_id: AlbumId::from_uuid(row.album_id),
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        }
    }
}

#[async_trait]
impl ShareLinkRepository for PostgresShareLinkRepository {
    async fn insert(&self, link: NewShareLink) -> anyhow::Result<ShareLink> {
        let values = (
            share_links::id.eq(link.id.as_uuid()),
            share_links::album_id.eq(link.album_id.as_uuid()),
            share_links::token_hash.eq(hash_bytes(&link.token_hash)),
            share_links::created_at.eq(link.created_at),
            share_links::expires_at.eq(link.expires_at.as_option()),
        );
        let row = self
            .database
            .run("creating a share link", move |connection| {
                diesel::insert_into(share_links::table)
                    .values(values)
                    .returning(ShareLinkRow::as_returning())
                    .get_result(connection)
            })
            .await?;
        Ok(row.into())
    }

    async fn list(&self, album: AlbumId) -> anyhow::Result<Vec<ShareLink>> {
        let album = album.as_uuid();
        let rows = self
            .database
            .run("listing share links", move |connection| {
                share_links::table
                    .filter(share_links::album_id.eq(album))
                    .order(share_links::id.desc())
                    .select(ShareLinkRow::as_select())
                    .load(connection)
            })
            .await?;
        Ok(rows.into_iter().map(ShareLink::from).collect())
    }

    async fn revoke(
        &self,
        album: AlbumId,
        id: ShareLinkId,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let (album, id) = (album.as_uuid(), id.as_uuid());
        let updated = self
            .database
            .run("revoking a share link", move |connection| {
                diesel::update(
                    share_links::table
                        .find(id)
                        .filter(share_links::album_id.eq(album))
                        .filter(share_links::revoked_at.is_null()),
                )
                .set(share_links::revoked_at.eq(now))
                .execute(connection)
            })
            .await?;
        Ok(updated == 1)
    }

    async fn resolve(&self, token: TokenHash) -> anyhow::Result<Option<(ShareLink, Album)>> {
        let token = hash_bytes(&token);
        let row = self
            .database
            .run("resolving a share link", move |connection| {
                share_links::table
                    .filter(share_links::token_hash.eq(token))
                    .select(ShareLinkRow::as_select())
                    .first(connection)
                    .optional()
            })
            .await?;
        let Some(row) = row else { return Ok(None) };
        let link = ShareLink::from(row);
        let album = self.albums.find(link.album_id).await?;
        Ok(album.map(|album| (link, album)))
    }
}
