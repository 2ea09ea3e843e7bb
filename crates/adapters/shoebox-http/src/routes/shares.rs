//! Share links, and the read-only view they open to anyone holding one.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use shoebox_domain::{
    albums::{AlbumId, CreateShareLinkError, ShareExpiry, ShareLinkId, SharedAccessError},
    auth::{RevokeError, SecretToken},
    imaging::VariantKind,
    page::PageRequest,
    photos::{PhotoFile, PhotoId},
};
use uuid::Uuid;

use super::{
    albums::album_problem,
    files::{CachePolicy, respond},
    photos::DownloadQuery,
};
use crate::{
    HttpState,
    auth::Authenticated,
    dto::PageQuery,
    photo_dto::{
        AlbumResponse, CreateShareLinkBody, CreatedShareLinkResponse, PhotoResponse, PhotosPage,
        ShareLinkResponse,
    },
    problem::{Problem, ProblemDetails},
};

fn shared_problem(error: SharedAccessError) -> Problem {
    match error {
        SharedAccessError::LinkInvalid => Problem::new(
            StatusCode::NOT_FOUND,
            "share-link-invalid",
            "Link not valid",
        )
        .with_detail("this link does not exist or no longer works"),
        SharedAccessError::PhotoNotFound => Problem::not_found("photo in this album"),
        error @ SharedAccessError::OriginalWithheld => Problem::new(
            StatusCode::FORBIDDEN,
            "original-withheld",
            "Original withheld",
        )
        .with_detail(error.to_string()),
        SharedAccessError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn token(raw: &str) -> Result<SecretToken, Problem> {
    SecretToken::parse(raw).map_err(|_| shared_problem(SharedAccessError::LinkInvalid))
}

#[utoipa::path(post, path = "/api/v1/albums/{id}/links", tag = "sharing", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")), request_body = CreateShareLinkBody,
    responses((status = 201, description = "Created; the token is shown only now", body = CreatedShareLinkResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"), (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn create_link(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<CreateShareLinkBody>,
) -> Result<HttpResponse, Problem> {
    let expiry = body
        .expires_at
        .map_or(ShareExpiry::NEVER, ShareExpiry::until);
    let id = AlbumId::from_uuid(id.into_inner());
    let created = state
        .use_cases
        .sharing
        .create_link(actor, id, expiry)
        .await
        .map_err(|error| match error {
            CreateShareLinkError::NotFound => Problem::not_found("album"),
            CreateShareLinkError::NotOwner => {
                Problem::forbidden("only the album's owner may share it")
            }
            error @ CreateShareLinkError::ExpiryInPast => {
                Problem::validation([("expires_at", Some(error.to_string()))])
            }
            CreateShareLinkError::Unexpected(cause) => Problem::internal(cause),
        })?;
    let token = created.token.expose().to_owned();
    let url = format!(
        "{}/shared/{token}",
        state.settings.public_url.trim_end_matches('/')
    );
    Ok(HttpResponse::Created().json(CreatedShareLinkResponse {
        link: created.link.into(),
        token,
        url,
    }))
}

#[utoipa::path(get, path = "/api/v1/albums/{id}/links", tag = "sharing", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")),
    responses((status = 200, description = "Every link, newest first", body = Vec<ShareLinkResponse>), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn links(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<ShareLinkResponse>>, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let links = state
        .use_cases
        .sharing
        .links(actor, id)
        .await
        .map_err(album_problem)?;
    Ok(web::Json(links.into_iter().map(Into::into).collect()))
}

#[utoipa::path(delete, path = "/api/v1/albums/{id}/links/{link_id}", tag = "sharing", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id"), ("link_id" = Uuid, Path, description = "Share link id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn revoke_link(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (album, link) = path.into_inner();
    state
        .use_cases
        .sharing
        .revoke_link(
            actor,
            AlbumId::from_uuid(album),
            ShareLinkId::from_uuid(link),
        )
        .await
        .map_err(|error| match error {
            RevokeError::NotFound => Problem::not_found("share link"),
            RevokeError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/shared/{token}", tag = "sharing",
    params(("token" = String, Path, description = "Share link token")),
    responses((status = 200, body = AlbumResponse), (status = 404, description = "Unknown, revoked or expired link", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn shared_album(
    state: web::Data<HttpState>,
    path: web::Path<String>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let album = state
        .use_cases
        .sharing
        .album(token(&path)?)
        .await
        .map_err(shared_problem)?;
    Ok(web::Json(album.into()))
}

#[utoipa::path(get, path = "/api/v1/shared/{token}/photos", tag = "sharing",
    params(("token" = String, Path, description = "Share link token"), PageQuery),
    responses((status = 200, description = "In album order; never with location", body = PhotosPage), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn shared_photos(
    state: web::Data<HttpState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PhotosPage>, Problem> {
    let page = PageRequest::new(query.limit, query.cursor);
    let photos = state
        .use_cases
        .sharing
        .photos(token(&path)?, page)
        .await
        .map_err(shared_problem)?;
    Ok(web::Json(PhotosPage {
        items: photos.items.into_iter().map(Into::into).collect(),
        next_cursor: photos.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/shared/{token}/photos/{id}", tag = "sharing",
    params(("token" = String, Path, description = "Share link token"), ("id" = Uuid, Path, description = "Photo id")),
    responses((status = 200, body = PhotoResponse), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn shared_photo(
    state: web::Data<HttpState>,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<PhotoResponse>, Problem> {
    let (raw, id) = path.into_inner();
    let photo = state
        .use_cases
        .sharing
        .photo(token(&raw)?, PhotoId::from_uuid(id))
        .await
        .map_err(shared_problem)?;
    Ok(web::Json(photo.into()))
}

#[utoipa::path(get, path = "/api/v1/shared/{token}/photos/{id}/{file}", tag = "sharing",
    params(("token" = String, Path, description = "Share link token"), ("id" = Uuid, Path, description = "Photo id"),
        ("file" = String, Path, description = "`original`, `preview` or `thumbnail`"), DownloadQuery),
    responses((status = 200, description = "The file"), (status = 206, description = "A byte range"), (status = 304, description = "Not modified"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn shared_file(
    request: HttpRequest,
    state: web::Data<HttpState>,
    path: web::Path<(String, Uuid, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, Problem> {
    let (raw, id, which) = path.into_inner();
    let which = match which.as_str() {
        "original" => PhotoFile::Original,
        "preview" => PhotoFile::Variant(VariantKind::Preview),
        "thumbnail" => PhotoFile::Variant(VariantKind::Thumbnail),
        _ => return Err(Problem::not_found("file")),
    };
    let descriptor = state
        .use_cases
        .sharing
        .file(token(&raw)?, PhotoId::from_uuid(id), which)
        .await
        .map_err(shared_problem)?;
    let photos = state.use_cases.photos.as_ref();
    respond(
        &request,
        photos,
        descriptor,
        CachePolicy::Shared,
        query.download,
    )
    .await
}
