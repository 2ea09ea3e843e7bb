//! Data exports (SPEC §8): a member asks; a job writes a ZIP of their
//! profile, albums and original photos into the store (streamed, bounded
//! memory); they download it for seven days; the hourly sweeper removes it.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, stream};
use serde::Serialize;
use shoebox_domain::{
    albums::Album,
    audit::AuditAction,
    auth::Actor,
    jobs::{ClaimedJob, JobKind, NewJob, Schedule},
    page::PageRequest,
    photos::{Photo, PhotoFile, PhotoOrder, photo_object_key},
    privacy::{
        DataExport, EXPORT_LIFETIME, ExportError, ExportId, ExportStatus, export_of_key, layout,
    },
    storage::ObjectPrefix,
};
use shoebox_ports::{
    inbound::{DataExports, ExportArchive},
    outbound::{BlobError, ByteStream, ExportRepository, InsertExportError, ZipBuilder, ZipPacker},
};
use uuid::Uuid;

use crate::{
    AccountStores, Auditor, PhotoStores,
    jobs::{JobFailure, JobHandler, ScheduledTask},
    mail::{Message, Postman},
};

/// Kind of the job that builds one export.
pub const BUILD_EXPORT_JOB: &str = "privacy.build_export";
/// Kind of the hourly job that removes expired exports.
pub const SWEEP_EXPORTS_JOB: &str = "privacy.sweep_exports";

/// Expired exports removed per sweep run.
const SWEEP_BATCH: i64 = 500;

fn kind(raw: &'static str) -> JobKind {
    match JobKind::parse(raw) {
        Ok(kind) => kind,
        Err(error) => unreachable!("{error}"),
    }
}

/// The job that builds `export`.
pub fn build_export_job(export: ExportId, now: DateTime<Utc>) -> NewJob {
    NewJob::new(
        kind(BUILD_EXPORT_JOB),
        serde_json::json!({ "export_id": export.as_uuid() }),
        now,
    )
    .with_max_attempts(3)
}

fn export_of_job(payload: &serde_json::Value) -> Option<ExportId> {
    let raw = payload.get("export_id")?.as_str()?;
    Uuid::parse_str(raw).ok().map(ExportId::from_uuid)
}

#[derive(Clone)]
pub struct ExportService {
    exports: Arc<dyn ExportRepository>,
    accounts: AccountStores,
    photos: PhotoStores,
    packer: Arc<dyn ZipPacker>,
    audit: Auditor,
    postman: Postman,
}

impl fmt::Debug for ExportService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportService").finish_non_exhaustive()
    }
}

/// What a built export held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltExport {
    pub size_bytes: u64,
    pub photo_count: u64,
}

impl ExportService {
    pub fn new(
        exports: Arc<dyn ExportRepository>,
        accounts: AccountStores,
        photos: PhotoStores,
        packer: Arc<dyn ZipPacker>,
        audit: Auditor,
        postman: Postman,
    ) -> Self {
        Self {
            exports,
            accounts,
            photos,
            packer,
            audit,
            postman,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.photos.clock.now()
    }

    async fn owned(&self, actor: &Actor, id: ExportId) -> Result<DataExport, ExportError> {
        match self.exports.find(id).await? {
            Some(export) if export.owner_id == actor.user.id => Ok(export),
            _ => Err(ExportError::NotFound),
        }
    }

    /// Builds the export's ZIP (the job). `None` when there is nothing to
    /// do: the export is not pending any more, or gone with its owner.
    pub async fn build(&self, id: ExportId) -> anyhow::Result<Option<BuiltExport>> {
        let Some(export) = self.exports.find(id).await? else {
            return Ok(None);
        };
        if export.status != ExportStatus::Pending {
            return Ok(None);
        }
        let sink = self.photos.blobs.create(&export.object_key()).await?;
        let mut zip = self.packer.start(sink);
        let photo_count = match self.fill(&export, zip.as_mut()).await {
            Ok(Some(count)) => count,
            Ok(None) => {
                zip.abort().await?;
                return Ok(None);
            }
            Err(error) => {
                if let Err(abort) = zip.abort().await {
                    tracing::warn!(
                        error = format!("{abort:#}"),
                        "could not discard a failed export"
                    );
                }
                return Err(error);
            }
        };
        let meta = zip.finish().await?;
        let finished_at = self.now();
        let ready = self
            .exports
            .mark_ready(
                id,
                finished_at,
                finished_at + EXPORT_LIFETIME,
                meta.size,
                photo_count,
            )
            .await?;
        if !ready {
            if self.exports.find(id).await?.is_none() {
                // The owner was erased while we wrote: take the ZIP away again.
                self.photos.blobs.delete(&export.object_key()).await?;
            }
            return Ok(None);
        }
        tracing::info!(export_id = %id, size_bytes = meta.size, photo_count, "export ready");
        if let Some(owner) = self.accounts.users.find(export.owner_id).await? {
            self.postman
                .send(
                    owner.email,
                    Message::ExportReady {
                        settings_link: self.postman.link("/settings"),
                        size_bytes: meta.size,
                        expires_at: finished_at + EXPORT_LIFETIME,
                    },
                )
                .await?;
        }
        Ok(Some(BuiltExport {
            size_bytes: meta.size,
            photo_count,
        }))
    }

    /// Writes every entry; the number of photos, or `None` when the owner
    /// is gone.
    async fn fill(
        &self,
        export: &DataExport,
        zip: &mut dyn ZipBuilder,
    ) -> anyhow::Result<Option<u64>> {
        let owner = export.owner_id;
        let Some(user) = self.accounts.users.find(owner).await? else {
            return Ok(None);
        };
        let now = self.now();
        let sessions = self.accounts.sessions.list(owner, now).await?;
        let tokens = self.accounts.api_tokens.list(owner, now).await?;
        let profile = ProfileDoc {
            id: user.id.as_uuid(),
            email: user.email.as_str().to_owned(),
            display_name: user.display_name.as_str().to_owned(),
            full_name: user.full_name.as_ref().map(|name| name.as_str().to_owned()),
            bio: user.bio.as_ref().map(|bio| bio.as_str().to_owned()),
            role: user.role.as_str(),
            created_at: user.created_at,
            updated_at: user.updated_at,
            deletion_due_at: user.deletion_due_at,
            sessions: sessions
                .into_iter()
                .map(|session| SessionDoc {
                    created_at: session.created_at,
                    last_seen_at: session.last_seen_at,
                    expires_at: session.expires_at,
                    user_agent: session.client.user_agent,
                    ip: session.client.ip.map(|ip| ip.to_string()),
                })
                .collect(),
            api_tokens: tokens
                .into_iter()
                .map(|token| TokenDoc {
                    name: token.name.as_str().to_owned(),
                    created_at: token.created_at,
                    last_used_at: token.last_used_at,
                    expires_at: token.expires_at,
                })
                .collect(),
            exported_at: now,
        };
        add_json(zip, layout::PROFILE, now, &profile).await?;

        let photos = self.all_photos(owner).await?;
        let photo_docs: Vec<PhotoDoc> = photos.iter().map(PhotoDoc::from).collect();
        add_json(zip, layout::PHOTOS, now, &photo_docs).await?;
        let albums = self.album_docs(owner).await?;
        add_json(zip, layout::ALBUMS, now, &albums).await?;
        add_bytes(
            zip,
            layout::README,
            now,
            readme(&profile, photos.len(), albums.len()),
        )
        .await?;

        let mut count = 0;
        for photo in &photos {
            let key = photo_object_key(owner, photo.id, PhotoFile::Original);
            let read = match self.photos.blobs.get(&key, None).await {
                Ok(read) => read,
                Err(BlobError::NotFound) => {
                    // Deleted while we wrote: it simply is not in the export.
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            zip.add(&PhotoDoc::file_of(photo), photo.created_at, read.body)
                .await?;
            count += 1;
        }
        Ok(Some(count))
    }

    async fn all_photos(
        &self,
        owner: shoebox_domain::accounts::UserId,
    ) -> anyhow::Result<Vec<Photo>> {
        let mut photos = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .photos
                .photos
                .list_owned(
                    owner,
                    PhotoOrder::Newest,
                    PageRequest::new(Some(200), after),
                )
                .await?;
            photos.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        Ok(photos)
    }

    async fn album_docs(
        &self,
        owner: shoebox_domain::accounts::UserId,
    ) -> anyhow::Result<Vec<AlbumDoc>> {
        let mut albums: Vec<Album> = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .photos
                .albums
                .list_visible(owner, true, PageRequest::new(Some(200), after))
                .await?;
            albums.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        let mut docs = Vec::with_capacity(albums.len());
        for album in albums {
            let mut photo_ids = Vec::new();
            let mut after = None;
            loop {
                let page = self
                    .photos
                    .albums
                    .photos(&album, PageRequest::new(Some(200), after))
                    .await?;
                photo_ids.extend(page.items.iter().map(|photo| photo.id.as_uuid()));
                match page.next_cursor {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
            let links = self.photos.links.list(album.id).await?;
            docs.push(AlbumDoc {
                id: album.id.as_uuid(),
                title: album.title.as_str().to_owned(),
                description: album.description.as_ref().map(|d| d.as_str().to_owned()),
                visibility: album.visibility.as_str(),
                cover_photo_id: album.cover_photo_id.map(|id| id.as_uuid()),
                created_at: album.created_at,
                updated_at: album.updated_at,
                photo_ids,
                share_links: links
                    .into_iter()
                    .map(|link| LinkDoc {
                        created_at: link.created_at,
                        expires_at: link.expires_at,
                        revoked_at: link.revoked_at,
                    })
                    .collect(),
            });
        }
        Ok(docs)
    }

    /// Removes expired exports (object first, then record) and failed ones;
    /// how many.
    pub async fn sweep(&self) -> anyhow::Result<usize> {
        let expired = self.exports.expired(self.now(), SWEEP_BATCH).await?;
        for export in &expired {
            self.photos.blobs.delete(&export.object_key()).await?;
            self.exports.delete(export.id).await?;
        }
        if !expired.is_empty() {
            tracing::info!(removed = expired.len(), "expired exports removed");
        }
        Ok(expired.len())
    }

    /// Removes every export ZIP the database has no record of: after a
    /// restore of an older backup, those made since (and swept since) are
    /// unknown to it and nothing else would ever remove them. How many.
    pub async fn remove_unrecorded(&self) -> anyhow::Result<usize> {
        let mut keys = Vec::new();
        let mut listing = self.photos.blobs.list(&ObjectPrefix::parse("users")?);
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if let Some((_, id)) = export_of_key(&meta.key) {
                keys.push((id, meta.key));
            }
        }
        drop(listing);
        let mut removed = 0;
        for (id, key) in keys {
            if self.exports.find(id).await?.is_none() {
                self.photos.blobs.delete(&key).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The job gave up: the member sees a failed export and may ask again.
    pub async fn give_up(&self, id: ExportId) -> anyhow::Result<()> {
        let now = self.now();
        self.exports
            .mark_failed(id, now, now + EXPORT_LIFETIME)
            .await
    }
}

async fn add_json<T: Serialize + ?Sized>(
    zip: &mut dyn ZipBuilder,
    name: &str,
    modified: DateTime<Utc>,
    value: &T,
) -> anyhow::Result<()> {
    let bytes = serde_json::to_vec_pretty(value)?;
    add_bytes(zip, name, modified, bytes).await
}

async fn add_bytes(
    zip: &mut dyn ZipBuilder,
    name: &str,
    modified: DateTime<Utc>,
    bytes: impl Into<Bytes>,
) -> anyhow::Result<()> {
    let bytes: Bytes = bytes.into();
    let body: ByteStream = Box::pin(stream::once(async move { Ok(bytes) }));
    zip.add(name, modified, body).await?;
    Ok(())
}

fn readme(profile: &ProfileDoc, photos: usize, albums: usize) -> String {
    format!(
        "Your Shoebox data, exported {exported} for {name}.\n\
         \n\
         {profile_file}  your profile, sessions and API tokens (their names; never their secrets)\n\
         {albums_file}   your {albums} album(s): titles, descriptions, photo order, share links\n\
         {photos_file}   details of your {photos} photo(s): file in {dir}/, original name, caption, date, camera, place\n\
         {dir}/          your original photos, byte for byte as you uploaded them\n\
         \n\
         This archive can be downloaded for 7 days after it was made; then it is deleted.\n",
        exported = profile.exported_at.to_rfc3339(),
        name = profile.display_name,
        profile_file = layout::PROFILE,
        albums_file = layout::ALBUMS,
        photos_file = layout::PHOTOS,
        dir = layout::PHOTOS_DIR,
    )
}

#[derive(Debug, Serialize)]
struct ProfileDoc {
    id: Uuid,
    email: String,
    display_name: String,
    full_name: Option<String>,
    bio: Option<String>,
    role: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deletion_due_at: Option<DateTime<Utc>>,
    sessions: Vec<SessionDoc>,
    api_tokens: Vec<TokenDoc>,
    exported_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
struct SessionDoc {
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: Option<String>,
    ip: Option<String>,
}

#[derive(Debug, Serialize)]
struct TokenDoc {
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
struct AlbumDoc {
    id: Uuid,
    title: String,
    description: Option<String>,
    visibility: &'static str,
    cover_photo_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// In the album's order.
    photo_ids: Vec<Uuid>,
    share_links: Vec<LinkDoc>,
}

#[derive(Debug, Serialize)]
struct LinkDoc {
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
struct PlaceDoc {
    latitude: f64,
    longitude: f64,
    altitude_m: Option<f64>,
}

#[derive(Debug, Serialize)]
struct PhotoDoc {
    id: Uuid,
    /// Path of the original within the archive.
    file: String,
    original_name: Option<String>,
    caption: Option<String>,
    media_type: &'static str,
    size_bytes: u64,
    width: u32,
    height: u32,
    taken_at: Option<chrono::NaiveDateTime>,
    camera: Option<String>,
    location: Option<PlaceDoc>,
    uploaded_at: DateTime<Utc>,
}

impl PhotoDoc {
    /// `photos/<id>.<ext>`: the archive never uses the uploaded name as a
    /// path (it is in `photos.json`), so no name can escape the folder.
    fn file_of(photo: &Photo) -> String {
        format!(
            "{}/{}.{}",
            layout::PHOTOS_DIR,
            photo.id.as_uuid(),
            photo.format.extension()
        )
    }
}

impl From<&Photo> for PhotoDoc {
    fn from(photo: &Photo) -> Self {
        Self {
            id: photo.id.as_uuid(),
            file: Self::file_of(photo),
            original_name: photo.original_name.as_ref().map(|n| n.as_str().to_owned()),
            caption: photo.caption.as_ref().map(|c| c.as_str().to_owned()),
            media_type: photo.format.media_type(),
            size_bytes: photo.size_bytes,
            width: photo.width,
            height: photo.height,
            taken_at: photo.taken_at,
            camera: photo.camera.clone(),
            location: photo.location.as_ref().map(|place| PlaceDoc {
                latitude: place.latitude,
                longitude: place.longitude,
                altitude_m: place.altitude_m,
            }),
            uploaded_at: photo.created_at,
        }
    }
}

#[async_trait]
impl DataExports for ExportService {
    async fn request(&self, actor: Actor) -> Result<DataExport, ExportError> {
        let now = self.now();
        let export = DataExport::requested(actor.user.id, now);
        match self
            .exports
            .insert(export.clone(), build_export_job(export.id, now))
            .await
        {
            Ok(()) => {}
            Err(InsertExportError::AlreadyPending) => return Err(ExportError::AlreadyPending),
            Err(InsertExportError::Unexpected(error)) => return Err(error.into()),
        }
        tracing::info!(user_id = %actor.user.id, export_id = %export.id, "export requested");
        self.audit
            .by(
                &actor,
                AuditAction::ExportRequested,
                Some(export.id.as_uuid()),
            )
            .await;
        Ok(export)
    }

    async fn list(&self, actor: Actor) -> Result<Vec<DataExport>, ExportError> {
        Ok(self.exports.list(actor.user.id).await?)
    }

    async fn get(&self, actor: Actor, id: ExportId) -> Result<DataExport, ExportError> {
        self.owned(&actor, id).await
    }

    async fn download(&self, actor: Actor, id: ExportId) -> Result<ExportArchive, ExportError> {
        let export = self.owned(&actor, id).await?;
        export.downloadable(self.now())?;
        let read = match self.photos.blobs.get(&export.object_key(), None).await {
            Ok(read) => read,
            // Swept between the check and the read.
            Err(BlobError::NotFound) => return Err(ExportError::Expired),
            Err(BlobError::Unexpected(error)) => return Err(error.into()),
        };
        self.audit
            .by(&actor, AuditAction::ExportDownloaded, Some(id.as_uuid()))
            .await;
        Ok(ExportArchive {
            export,
            size: read.meta.size,
            body: read.body,
        })
    }
}

/// The job that builds one export.
#[derive(Debug, Clone)]
pub struct BuildExportJob {
    exports: ExportService,
}

impl BuildExportJob {
    pub fn new(exports: ExportService) -> Self {
        Self { exports }
    }
}

#[async_trait]
impl JobHandler for BuildExportJob {
    fn kind(&self) -> JobKind {
        kind(BUILD_EXPORT_JOB)
    }

    /// Idempotent: a rebuilt export replaces the half-written one, and a
    /// ready one is left alone.
    async fn handle(&self, claimed: &ClaimedJob) -> Result<(), JobFailure> {
        let Some(id) = export_of_job(&claimed.job.payload) else {
            return Err(JobFailure::Permanent(
                "the payload names no export".to_owned(),
            ));
        };
        match self.exports.build(id).await {
            Ok(_) => Ok(()),
            Err(error) if claimed.job.attempts >= claimed.job.max_attempts => {
                tracing::error!(export_id = %id, error = format!("{error:#}"), "export failed");
                self.exports.give_up(id).await?;
                Err(JobFailure::Permanent(format!("{error:#}")))
            }
            Err(error) => Err(JobFailure::Retry(error)),
        }
    }
}

/// The hourly job that removes expired exports.
#[derive(Debug, Clone)]
pub struct SweepExportsJob {
    exports: ExportService,
}

impl SweepExportsJob {
    pub fn new(exports: ExportService) -> Self {
        Self { exports }
    }

    /// Hourly at :45.
    pub fn scheduled_task() -> ScheduledTask {
        ScheduledTask {
            name: SWEEP_EXPORTS_JOB.to_owned(),
            schedule: Schedule::parse("45 * * * *").unwrap_or_else(|error| unreachable!("{error}")),
            job: NewJob::new(
                kind(SWEEP_EXPORTS_JOB),
                serde_json::json!({}),
                DateTime::UNIX_EPOCH,
            )
            .with_max_attempts(5),
        }
    }
}

#[async_trait]
impl JobHandler for SweepExportsJob {
    fn kind(&self) -> JobKind {
        kind(SWEEP_EXPORTS_JOB)
    }

    async fn handle(&self, _claimed: &ClaimedJob) -> Result<(), JobFailure> {
        self.exports.sweep().await?;
        Ok(())
    }
}
