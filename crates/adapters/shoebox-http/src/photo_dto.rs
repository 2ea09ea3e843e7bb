//! Request and response bodies of photos, albums and share links.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use shoebox_domain::{
    albums::{Album, ShareLink, Visibility},
    photos::{Photo, PhotoStatus, StorageUsage},
};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::dto::double_option;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VisibilityDto {
    /// The owner only.
    Private,
    /// Every signed-in member.
    Members,
    /// The owner and holders of an active share link.
    Link,
}

impl From<Visibility> for VisibilityDto {
    fn from(visibility: Visibility) -> Self {
        match visibility {
            Visibility::Private => Self::Private,
            Visibility::Members => Self::Members,
            Visibility::Link => Self::Link,
        }
    }
}

impl From<VisibilityDto> for Visibility {
    fn from(visibility: VisibilityDto) -> Self {
        match visibility {
            VisibilityDto::Private => Self::Private,
            VisibilityDto::Members => Self::Members,
            VisibilityDto::Link => Self::Link,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationResponse {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude_m: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VariantResponse {
    /// `thumbnail` (~400 px) or `preview` (~1600 px).
    pub kind: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub size_bytes: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoResponse {
    pub id: Uuid,
    pub owner_id: Uuid,
    /// `processing`, `ready` or `failed`.
    pub status: String,
    /// Why the photo failed, for its owner.
    pub failure_reason: Option<String>,
    pub media_type: String,
    pub size_bytes: u64,
    /// Displayed width and height (orientation applied).
    pub width: u32,
    pub height: u32,
    /// As recorded by the camera, in its local time.
    pub taken_at: Option<NaiveDateTime>,
    pub camera: Option<String>,
    /// Only ever present for the photo's owner.
    pub location: Option<LocationResponse>,
    pub caption: Option<String>,
    pub original_name: Option<String>,
    pub variants: Vec<VariantResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Photo> for PhotoResponse {
    fn from(photo: Photo) -> Self {
        let failure_reason = match &photo.status {
            PhotoStatus::Failed { reason } => Some(reason.clone()),
            _ => None,
        };
        Self {
            id: photo.id.as_uuid(),
            owner_id: photo.owner_id.as_uuid(),
            status: photo.status.as_str().to_owned(),
            failure_reason,
            media_type: photo.format.media_type().to_owned(),
            size_bytes: photo.size_bytes,
            width: photo.width,
            height: photo.height,
            taken_at: photo.taken_at,
            camera: photo.camera,
            location: photo.location.map(|location| LocationResponse {
                latitude: location.latitude,
                longitude: location.longitude,
                altitude_m: location.altitude_m,
            }),
            caption: photo.caption.map(|c| c.as_str().to_owned()),
            original_name: photo.original_name.map(|n| n.as_str().to_owned()),
            variants: photo
                .variants
                .into_iter()
                .map(|variant| VariantResponse {
                    kind: variant.kind.as_str().to_owned(),
                    media_type: variant.format.media_type().to_owned(),
                    width: variant.width,
                    height: variant.height,
                    size_bytes: variant.size_bytes,
                })
                .collect(),
            created_at: photo.created_at,
            updated_at: photo.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhotosPage {
    pub items: Vec<PhotoResponse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoOrderDto {
    /// Most recently uploaded first.
    #[default]
    Newest,
    /// Most recently taken first.
    TakenAt,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoListQuery {
    /// Page size (1–200, default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// `newest` (default) or `taken_at`.
    pub order: Option<PhotoOrderDto>,
}

/// The outcome for one uploaded file.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedPhotoResponse {
    /// `created`, or `duplicate` when you already had this exact file.
    pub outcome: String,
    pub photo: PhotoResponse,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePhotoBody {
    /// A caption, or `null` to remove it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub caption: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StorageUsageResponse {
    pub used_bytes: u64,
    /// Absent when there is no quota.
    pub quota_bytes: Option<u64>,
}

impl From<StorageUsage> for StorageUsageResponse {
    fn from(usage: StorageUsage) -> Self {
        Self {
            used_bytes: usage.used_bytes,
            quota_bytes: usage.quota_bytes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlbumResponse {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub visibility: VisibilityDto,
    /// The chosen cover, or else the first photo.
    pub cover_photo_id: Option<Uuid>,
    pub photo_count: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Album> for AlbumResponse {
    fn from(album: Album) -> Self {
        Self {
            id: album.id.as_uuid(),
            owner_id: album.owner_id.as_uuid(),
            title: album.title.as_str().to_owned(),
            description: album.description.map(|d| d.as_str().to_owned()),
            visibility: album.visibility.into(),
            cover_photo_id: album.cover_photo_id.map(|id| id.as_uuid()),
            photo_count: album.photo_count,
            created_at: album.created_at,
            updated_at: album.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlbumsPage {
    pub items: Vec<AlbumResponse>,
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlbumListQuery {
    pub limit: Option<u32>,
    pub cursor: Option<Uuid>,
    /// Only your own albums (default: yours and other members' shared ones).
    #[serde(default)]
    pub owned: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAlbumBody {
    pub title: String,
    pub description: Option<String>,
    /// Default `private`.
    pub visibility: Option<VisibilityDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAlbumBody {
    pub title: Option<String>,
    /// A description, or `null` to remove it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub visibility: Option<VisibilityDto>,
    /// A photo of the album, or `null` for the default (its first photo).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub cover_photo_id: Option<Option<Uuid>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlbumPhotosBody {
    pub photo_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShareLinkBody {
    /// When the link stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareLinkResponse {
    pub id: Uuid,
    pub album_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ShareLink> for ShareLinkResponse {
    fn from(link: ShareLink) -> Self {
        Self {
            id: link.id.as_uuid(),
            album_id: link.album_id.as_uuid(),
            created_at: link.created_at,
            expires_at: link.expires_at,
            revoked_at: link.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShareLinkResponse {
    pub link: ShareLinkResponse,
    /// The token; shown only now.
    pub token: String,
    /// The page to hand out: `{public_url}/shared/{token}`.
    pub url: String,
}

impl From<shoebox_ports::inbound::UploadedPhoto> for UploadedPhotoResponse {
    fn from(uploaded: shoebox_ports::inbound::UploadedPhoto) -> Self {
        use shoebox_ports::inbound::UploadedPhoto;
        match uploaded {
            UploadedPhoto::Created(photo) => Self {
                outcome: "created".to_owned(),
                photo: photo.into(),
            },
            UploadedPhoto::Duplicate(photo) => Self {
                outcome: "duplicate".to_owned(),
                photo: photo.into(),
            },
        }
    }
}
