//! A member's photos: list, upload, details, caption, delete, files.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use shoebox_domain::{
    imaging::{ImageRejection, VariantKind},
    page::PageRequest,
    photos::{
        Caption, DeletePhotoError, PhotoFile, PhotoId, PhotoNotFound, PhotoOrder, PhotoUpdate,
        UpdatePhotoError, UploadError,
    },
};
use uuid::Uuid;

use super::files::{CachePolicy, respond};
use crate::{
    HttpState,
    auth::Authenticated,
    photo_dto::{
        PhotoListQuery, PhotoOrderDto, PhotoResponse, PhotosPage, StorageUsageResponse,
        UpdatePhotoBody, UploadedPhotoResponse,
    },
    problem::{Problem, ProblemDetails},
};

/// The problem for a refused upload. Every variant names the file.
pub(crate) fn upload_problem(error: UploadError) -> Problem {
    match error {
        UploadError::NoFile => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no-file",
            "No file in the upload",
        )
        .with_detail("send one or more multipart fields named `file`"),
        UploadError::Rejected { name, rejection } => {
            let (status, slug, title) = match rejection {
                ImageRejection::TooLarge { .. } => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "file-too-large",
                    "File too large",
                ),
                ImageRejection::UnsupportedFormat | ImageRejection::Empty => (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-image",
                    "Not a supported image",
                ),
                ImageRejection::TooManyPixels { .. } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "image-too-large",
                    "Image has too many pixels",
                ),
                ImageRejection::Truncated
                | ImageRejection::Corrupt { .. }
                | ImageRejection::TrailingData => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-image",
                    "Invalid image file",
                ),
            };
            Problem::new(status, slug, title).with_detail(format!("{name}: {rejection}"))
        }
        error @ UploadError::QuotaExceeded { .. } => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "quota-exceeded",
            "Storage quota exceeded",
        )
        .with_detail(error.to_string()),
        error @ UploadError::TooManyFiles { .. } => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-many-files",
            "Too many files",
        )
        .with_detail(error.to_string()),
        UploadError::Interrupted(reason) => Problem::new(
            StatusCode::BAD_REQUEST,
            "upload-interrupted",
            "Upload incomplete",
        )
        .with_detail(format!("the multipart body could not be read: {reason}")),
        UploadError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn photo_not_found(error: PhotoNotFound) -> Problem {
    match error {
        PhotoNotFound::NotFound => Problem::not_found("photo"),
        error @ PhotoNotFound::OriginalWithheld => Problem::new(
            StatusCode::FORBIDDEN,
            "original-withheld",
            "Original withheld",
        )
        .with_detail(error.to_string()),
        PhotoNotFound::Unexpected(cause) => Problem::internal(cause),
    }
}

#[utoipa::path(
    get,
    operation_id = "list_photos", path = "/api/v1/photos", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(PhotoListQuery),
    responses((status = 200, body = PhotosPage), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    query: web::Query<PhotoListQuery>,
) -> Result<web::Json<PhotosPage>, Problem> {
    let order = match query.order.unwrap_or_default() {
        PhotoOrderDto::Newest => PhotoOrder::Newest,
        PhotoOrderDto::TakenAt => PhotoOrder::TakenAt,
    };
    let page = PageRequest::new(query.limit, query.cursor);
    let photos = state.use_cases.photos.list(actor, order, page).await?;
    Ok(web::Json(PhotosPage {
        items: photos.items.into_iter().map(Into::into).collect(),
        next_cursor: photos.next_cursor,
    }))
}

/// The multipart form of an upload, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the multipart body; handlers stream it instead"
)]
pub struct UploadForm {
    /// One or more image files (JPEG, PNG, WebP, GIF); repeat the field.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: Vec<String>,
}

#[utoipa::path(
    post,
    operation_id = "upload_photos", path = "/api/v1/photos", tag = "photos", security(("session" = []), ("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored; variants are being made", body = Vec<UploadedPhotoResponse>),
        (status = 413, description = "File or quota too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not a JPEG, PNG, WebP or GIF", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid image", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    request: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let photos = state.use_cases.photos.as_ref();
    let uploaded = super::upload::receive(actor, photos, request.headers(), payload)
        .await
        .map_err(upload_problem)?;
    let body: Vec<UploadedPhotoResponse> = uploaded.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Created().json(body))
}

#[utoipa::path(
    get,
    operation_id = "get_photo", path = "/api/v1/photos/{id}", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id")),
    responses((status = 200, body = PhotoResponse), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn get(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<PhotoResponse>, Problem> {
    let id = PhotoId::from_uuid(id.into_inner());
    let photo = state
        .use_cases
        .photos
        .get(actor, id)
        .await
        .map_err(photo_not_found)?;
    Ok(web::Json(photo.into()))
}

#[utoipa::path(
    patch,
    operation_id = "update_photo", path = "/api/v1/photos/{id}", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id")), request_body = UpdatePhotoBody,
    responses((status = 200, body = PhotoResponse), (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"), (status = 422, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn update(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePhotoBody>,
) -> Result<web::Json<PhotoResponse>, Problem> {
    let caption = match &body.caption {
        Some(Some(raw)) => Some(
            Caption::parse(raw)
                .map_err(|e| Problem::validation([("caption", Some(e.to_string()))]))?,
        ),
        Some(None) => Some(None),
        None => None,
    };
    let id = PhotoId::from_uuid(id.into_inner());
    let photo = state
        .use_cases
        .photos
        .update(actor, id, PhotoUpdate { caption })
        .await
        .map_err(|error| match error {
            UpdatePhotoError::NotFound => Problem::not_found("photo"),
            UpdatePhotoError::NotOwner => Problem::forbidden("only the owner may change a photo"),
            UpdatePhotoError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(photo.into()))
}

#[utoipa::path(
    delete,
    operation_id = "delete_photo", path = "/api/v1/photos/{id}", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id")),
    responses((status = 204, description = "Deleted with its files"), (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn delete(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let id = PhotoId::from_uuid(id.into_inner());
    state
        .use_cases
        .photos
        .delete(actor, id)
        .await
        .map_err(|error| match error {
            DeletePhotoError::NotFound => Problem::not_found("photo"),
            DeletePhotoError::NotOwner => Problem::forbidden("only the owner may delete a photo"),
            DeletePhotoError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// Ask the browser to save the file instead of showing it.
    #[serde(default)]
    pub download: bool,
}

async fn file(
    request: HttpRequest,
    actor: shoebox_domain::auth::Actor,
    state: &HttpState,
    id: Uuid,
    which: PhotoFile,
    download: bool,
) -> Result<HttpResponse, Problem> {
    let photos = state.use_cases.photos.as_ref();
    let descriptor = photos
        .file(actor, PhotoId::from_uuid(id), which)
        .await
        .map_err(photo_not_found)?;
    respond(&request, photos, descriptor, CachePolicy::Member, download).await
}

#[utoipa::path(get, path = "/api/v1/photos/{id}/original", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id"), DownloadQuery),
    responses((status = 200, description = "The file as uploaded"), (status = 206, description = "A byte range"), (status = 302, description = "Redirect to the store"),
        (status = 304, description = "Not modified"), (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 416, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn original(
    request: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, Problem> {
    file(
        request,
        actor,
        &state,
        id.into_inner(),
        PhotoFile::Original,
        query.download,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/photos/{id}/preview", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id")),
    responses((status = 200, description = "~1600 px, oriented, no metadata"), (status = 206, description = "A byte range"), (status = 304, description = "Not modified"),
        (status = 404, description = "No such photo, or still processing", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn preview(
    request: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let which = PhotoFile::Variant(VariantKind::Preview);
    file(request, actor, &state, id.into_inner(), which, false).await
}

#[utoipa::path(get, path = "/api/v1/photos/{id}/thumbnail", tag = "photos", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Photo id")),
    responses((status = 200, description = "~400 px, oriented, no metadata"), (status = 206, description = "A byte range"), (status = 304, description = "Not modified"),
        (status = 404, description = "No such photo, or still processing", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn thumbnail(
    request: HttpRequest,
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let which = PhotoFile::Variant(VariantKind::Thumbnail);
    file(request, actor, &state, id.into_inner(), which, false).await
}

#[utoipa::path(get, path = "/api/v1/me/storage", tag = "me", security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = StorageUsageResponse), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn storage(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
) -> Result<web::Json<StorageUsageResponse>, Problem> {
    let usage = state.use_cases.photos.storage_usage(actor).await?;
    Ok(web::Json(usage.into()))
}
