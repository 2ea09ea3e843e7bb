//! Photo rows and their translation into domain photos.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{pg::Pg, prelude::*};
use shoebox_domain::{
    accounts::UserId,
    imaging::{GeoLocation, ImageFormat, Orientation, VariantKind},
    photos::{
        Caption, NewPhoto, OriginalName, Photo, PhotoId, PhotoStatus, PhotoVariant, Sha256Digest,
        SharedOriginal,
    },
};
use uuid::Uuid;

use crate::schema::{photo_variants, photos};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = photos, check_for_backend(Pg))]
pub(crate) struct PhotoRow {
    id: Uuid,
    owner_id: Uuid,
    status: String,
    failure_reason: Option<String>,
    format: String,
    size_bytes: i64,
    sha256: Vec<u8>,
    width: i32,
    height: i32,
    orientation: i16,
    taken_at: Option<NaiveDateTime>,
    camera: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    altitude_m: Option<f64>,
    caption: Option<String>,
    original_name: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    shared_original: String,
    shared_original_size: Option<i64>,
    shared_original_sha256: Option<Vec<u8>>,
}

impl PhotoRow {
    pub(crate) fn id(&self) -> Uuid {
        self.id
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = photo_variants, check_for_backend(Pg))]
pub(crate) struct VariantRow {
    pub photo_id: Uuid,
    pub kind: String,
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub size_bytes: i64,
    pub sha256: Vec<u8>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = photos)]
pub(crate) struct NewPhotoRow {
    id: Uuid,
    owner_id: Uuid,
    status: &'static str,
    format: &'static str,
    size_bytes: i64,
    sha256: Vec<u8>,
    width: i32,
    height: i32,
    orientation: i16,
    taken_at: Option<NaiveDateTime>,
    camera: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    altitude_m: Option<f64>,
    original_name: Option<String>,
    sort_at: NaiveDateTime,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn to_i32(value: u32, what: &str) -> anyhow::Result<i32> {
    i32::try_from(value).with_context(|| format!("{what} {value} does not fit the database"))
}

impl NewPhotoRow {
    pub(crate) fn from_new(photo: &NewPhoto) -> anyhow::Result<Self> {
        let facts = &photo.facts;
        let (width, height) = facts.displayed_dimensions();
        Ok(Self {
            id: photo.id.as_uuid(),
            owner_id: photo.owner_id.as_uuid(),
            status: "processing",
            format: facts.format.as_str(),
            size_bytes: i64::try_from(photo.size_bytes).context("photo size")?,
            sha256: photo.sha256.as_bytes().to_vec(),
            width: to_i32(width, "width")?,
            height: to_i32(height, "height")?,
            orientation: i16::try_from(facts.orientation.to_exif()).unwrap_or(1),
            taken_at: facts.taken_at,
            camera: facts.camera.clone(),
            latitude: facts.location.map(|l| l.latitude),
            longitude: facts.location.map(|l| l.longitude),
            altitude_m: facts.location.and_then(|l| l.altitude_m),
            original_name: photo.original_name.as_ref().map(|n| n.as_str().to_owned()),
            sort_at: facts.taken_at.unwrap_or(photo.created_at.naive_utc()),
            created_at: photo.created_at,
            updated_at: photo.created_at,
        })
    }
}

impl VariantRow {
    pub(crate) fn from_variant(photo: PhotoId, variant: &PhotoVariant) -> anyhow::Result<Self> {
        Ok(Self {
            photo_id: photo.as_uuid(),
            kind: variant.kind.as_str().to_owned(),
            format: variant.format.as_str().to_owned(),
            width: to_i32(variant.width, "width")?,
            height: to_i32(variant.height, "height")?,
            size_bytes: i64::try_from(variant.size_bytes).context("variant size")?,
            sha256: variant.sha256.as_bytes().to_vec(),
        })
    }

    fn into_variant(self) -> anyhow::Result<PhotoVariant> {
        let context = || format!("variant {} of photo {}", self.kind, self.photo_id);
        let kind = match self.kind.as_str() {
            "thumbnail" => VariantKind::Thumbnail,
            "preview" => VariantKind::Preview,
            other => return Err(anyhow!("unknown kind {other:?}")).with_context(context),
        };
        Ok(PhotoVariant {
            kind,
            format: parse_format(&self.format).with_context(context)?,
            width: u32::try_from(self.width).with_context(context)?,
            height: u32::try_from(self.height).with_context(context)?,
            size_bytes: u64::try_from(self.size_bytes).with_context(context)?,
            sha256: parse_digest(&self.sha256).with_context(context)?,
        })
    }
}

fn parse_format(raw: &str) -> anyhow::Result<ImageFormat> {
    ImageFormat::parse(raw).map_err(|_| anyhow!("unknown format {raw:?}"))
}

fn parse_digest(raw: &[u8]) -> anyhow::Result<Sha256Digest> {
    let bytes: [u8; 32] = raw
        .try_into()
        .map_err(|_| anyhow!("sha256 is not 32 bytes"))?;
    Ok(Sha256Digest::from_bytes(bytes))
}

impl PhotoRow {
    pub(crate) fn into_photo(self, variants: Vec<VariantRow>) -> anyhow::Result<Photo> {
        let id = self.id;
        let context = move || format!("photo {id}");
        let status = match (self.status.as_str(), self.failure_reason) {
            ("processing", _) => PhotoStatus::Processing,
            ("ready", _) => PhotoStatus::Ready,
            ("failed", Some(reason)) => PhotoStatus::Failed { reason },
            (other, _) => return Err(anyhow!("unknown status {other:?}")).with_context(context),
        };
        let location = match (self.latitude, self.longitude) {
            (Some(latitude), Some(longitude)) => Some(GeoLocation {
                latitude,
                longitude,
                altitude_m: self.altitude_m,
            }),
            _ => None,
        };
        let orientation = u16::try_from(self.orientation)
            .ok()
            .and_then(Orientation::from_exif)
            .ok_or_else(|| anyhow!("invalid orientation"))
            .with_context(context)?;
        let caption = match self.caption {
            Some(raw) => Caption::parse(&raw).with_context(context)?,
            None => None,
        };
        let shared_original = match (
            self.shared_original.as_str(),
            self.shared_original_size,
            self.shared_original_sha256,
        ) {
            ("unchecked", _, _) => SharedOriginal::Unchecked,
            ("same", _, _) => SharedOriginal::Same,
            ("scrubbed", Some(size), Some(sha256)) => SharedOriginal::Scrubbed {
                size_bytes: u64::try_from(size).with_context(context)?,
                sha256: parse_digest(&sha256).with_context(context)?,
            },
            (other, _, _) => {
                return Err(anyhow!("invalid shared original {other:?}")).with_context(context);
            }
        };
        Ok(Photo {
            id: PhotoId::from_uuid(self.id),
            owner_id: UserId::from_uuid(self.owner_id),
            status,
            format: parse_format(&self.format).with_context(context)?,
            size_bytes: u64::try_from(self.size_bytes).with_context(context)?,
            sha256: parse_digest(&self.sha256).with_context(context)?,
            width: u32::try_from(self.width).with_context(context)?,
            height: u32::try_from(self.height).with_context(context)?,
            orientation,
            taken_at: self.taken_at,
            camera: self.camera,
            location,
            caption,
            original_name: self
                .original_name
                .as_deref()
                .and_then(OriginalName::from_stored),
            variants: variants
                .into_iter()
                .map(VariantRow::into_variant)
                .collect::<anyhow::Result<_>>()?,
            shared_original,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The variants of `ids`, by photo.
pub(crate) fn load_variants(
    connection: &mut PgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<VariantRow>>> {
    let rows: Vec<VariantRow> = photo_variants::table
        .filter(photo_variants::photo_id.eq_any(ids))
        .select(VariantRow::as_select())
        .load(connection)?;
    let mut by_photo: HashMap<Uuid, Vec<VariantRow>> = HashMap::new();
    for row in rows {
        by_photo.entry(row.photo_id).or_default().push(row);
    }
    Ok(by_photo)
}

/// Loads the variants of `rows` and builds the photos, in order.
pub(crate) fn with_variants(
    connection: &mut PgConnection,
    rows: Vec<PhotoRow>,
) -> QueryResult<Vec<(PhotoRow, Vec<VariantRow>)>> {
    let ids: Vec<Uuid> = rows.iter().map(PhotoRow::id).collect();
    let mut variants = if ids.is_empty() {
        HashMap::new()
    } else {
        load_variants(connection, &ids)?
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let own = variants.remove(&row.id).unwrap_or_default();
            (row, own)
        })
        .collect())
}

/// Turns loaded rows into photos.
pub(crate) fn into_photos(rows: Vec<(PhotoRow, Vec<VariantRow>)>) -> anyhow::Result<Vec<Photo>> {
    rows.into_iter()
        .map(|(row, variants)| row.into_photo(variants))
        .collect()
}
