//! Albums: list, create, read, change, delete, and their photos.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use bytes::Bytes;
use shoebox_domain::{
    albums::{
        AlbumDescription, AlbumError, AlbumId, AlbumPage, AlbumPageTag, AlbumPhotosError,
        AlbumTitle, AlbumUpdate,
    },
    page::PageRequest,
    photos::PhotoId,
};
use shoebox_ports::inbound::CreateAlbum;
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    dto::PageQuery,
    listings,
    photo_dto::{
        AlbumListQuery, AlbumPhotosBody, AlbumResponse, AlbumsPage, CreateAlbumBody, PhotosPage,
        UpdateAlbumBody,
    },
    problem::{Problem, ProblemDetails},
};

pub(crate) fn album_problem(error: AlbumError) -> Problem {
    match error {
        AlbumError::NotFound => Problem::not_found("album"),
        AlbumError::NotOwner => Problem::forbidden("only the album's owner may change it"),
        AlbumError::CoverNotInAlbum => {
            Problem::validation([("cover_photo_id", Some(error.to_string()))])
        }
        AlbumError::NothingToChange => {
            Problem::validation([("body", Some("name at least one field to change".to_owned()))])
        }
        AlbumError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn album_photos_problem(error: AlbumPhotosError) -> Problem {
    match error {
        AlbumPhotosError::NotFound => Problem::not_found("album"),
        AlbumPhotosError::NotOwner => Problem::forbidden("only the album's owner may change it"),
        error @ (AlbumPhotosError::UnknownPhotos(_)
        | AlbumPhotosError::OrderMismatch
        | AlbumPhotosError::TooManyPhotos { .. }) => {
            Problem::validation([("photo_ids", Some(error.to_string()))])
        }
        AlbumPhotosError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn photo_ids(body: &AlbumPhotosBody) -> Vec<PhotoId> {
    body.photo_ids
        .iter()
        .copied()
        .map(PhotoId::from_uuid)
        .collect()
}

#[utoipa::path(
    get,
    operation_id = "list_albums", path = "/api/v1/albums", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(AlbumListQuery),
    responses((status = 200, body = AlbumsPage), (status = 401, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    query: web::Query<AlbumListQuery>,
) -> Result<web::Json<AlbumsPage>, Problem> {
    let page = PageRequest::new(query.limit, query.cursor);
    let albums = state
        .use_cases
        .albums
        .list(actor, query.owned, page)
        .await?;
    Ok(web::Json(AlbumsPage {
        items: albums.items.into_iter().map(Into::into).collect(),
        next_cursor: albums.next_cursor,
    }))
}

#[utoipa::path(
    post,
    operation_id = "create_album", path = "/api/v1/albums", tag = "albums", security(("session" = []), ("bearer" = [])),
    request_body = CreateAlbumBody,
    responses((status = 201, body = AlbumResponse), (status = 422, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn create(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    body: web::Json<CreateAlbumBody>,
) -> Result<HttpResponse, Problem> {
    let title = AlbumTitle::parse(&body.title);
    let description = body
        .description
        .as_deref()
        .map(AlbumDescription::parse)
        .transpose();
    let (Ok(title), Ok(description)) = (&title, &description) else {
        return Err(Problem::validation([
            ("title", title.err().map(|e| e.to_string())),
            ("description", description.err().map(|e| e.to_string())),
        ]));
    };
    let command = CreateAlbum {
        title: title.clone(),
        description: description.clone().flatten(),
        visibility: body.visibility.map(Into::into).unwrap_or_default(),
    };
    let album = state.use_cases.albums.create(actor, command).await?;
    Ok(HttpResponse::Created().json(AlbumResponse::from(album)))
}

#[utoipa::path(
    get,
    operation_id = "get_album", path = "/api/v1/albums/{id}", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")),
    responses((status = 200, body = AlbumResponse), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn get(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let album = state
        .use_cases
        .albums
        .get(actor, id)
        .await
        .map_err(album_problem)?;
    Ok(web::Json(album.into()))
}

#[utoipa::path(
    patch,
    operation_id = "update_album", path = "/api/v1/albums/{id}", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")), request_body = UpdateAlbumBody,
    responses((status = 200, body = AlbumResponse), (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"), (status = 422, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn update(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<UpdateAlbumBody>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let title = body.title.as_deref().map(AlbumTitle::parse).transpose();
    let description = match &body.description {
        Some(Some(raw)) => AlbumDescription::parse(raw).map(Some),
        Some(None) => Ok(Some(None)),
        None => Ok(None),
    };
    let (Ok(title), Ok(description)) = (&title, &description) else {
        return Err(Problem::validation([
            ("title", title.err().map(|e| e.to_string())),
            ("description", description.err().map(|e| e.to_string())),
        ]));
    };
    let update = AlbumUpdate {
        title: title.clone(),
        description: description.clone(),
        visibility: body.visibility.map(Into::into),
        cover_photo_id: body
            .cover_photo_id
            .map(|cover| cover.map(PhotoId::from_uuid)),
    };
    let id = AlbumId::from_uuid(id.into_inner());
    let album = state
        .use_cases
        .albums
        .update(actor, id, update)
        .await
        .map_err(album_problem)?;
    Ok(web::Json(album.into()))
}

#[utoipa::path(
    delete,
    operation_id = "delete_album", path = "/api/v1/albums/{id}", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")),
    responses((status = 204, description = "Deleted; its photos stay"), (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn delete(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    state
        .use_cases
        .albums
        .delete(actor, id)
        .await
        .map_err(album_problem)?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/albums/{id}/photos", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id"), PageQuery,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy of this page held")),
    responses((status = 200, description = "In album order; with an `ETag`", body = PhotosPage),
        (status = 304, description = "The copy named by `If-None-Match` is current"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn photos(
    Authenticated(actor): Authenticated,
    request: HttpRequest,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let page = PageRequest::new(query.limit, query.cursor);
    let held = state.listings.held(id, page);
    let from_client = listings::client_tags(&request, id, page);
    let known = held
        .iter()
        .map(|(tag, _)| *tag)
        .chain(from_client.iter().copied())
        .collect();
    let answer = state
        .use_cases
        .albums
        .photos(actor, id, page, known)
        .await
        .map_err(album_problem)?;
    let (tag, body) = match answer {
        AlbumPage::Unchanged(tag) if from_client.contains(&tag) => {
            return Ok(listing_response(HttpResponse::NotModified(), &tag).finish());
        }
        AlbumPage::Unchanged(tag) => {
            let body = held
                .into_iter()
                .find_map(|(held, body)| (held == tag).then_some(body))
                .ok_or_else(|| Problem::internal(anyhow::anyhow!("an album page held vanished")))?;
            (tag, body)
        }
        AlbumPage::Changed(tag, photos) => {
            let page = PhotosPage {
                items: photos.items.into_iter().map(Into::into).collect(),
                next_cursor: photos.next_cursor,
            };
            let body = Bytes::from(serde_json::to_vec(&page).map_err(anyhow::Error::new)?);
            state.listings.keep(tag, body.clone());
            (tag, body)
        }
    };
    Ok(listing_response(HttpResponse::Ok(), &tag)
        .content_type("application/json")
        .body(body))
}

/// Every answer about a page names its tag; browsers keep the page but ask
/// again each time (`no-cache`), and get a 304 while it is current.
fn listing_response(
    mut builder: actix_web::HttpResponseBuilder,
    tag: &AlbumPageTag,
) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header((header::ETAG, listings::etag(tag)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    builder
}

#[utoipa::path(post, path = "/api/v1/albums/{id}/photos", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")), request_body = AlbumPhotosBody,
    responses((status = 200, description = "Added at the end, in the given order", body = AlbumResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"), (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Unknown photos", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn add_photos(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<AlbumPhotosBody>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let album = state
        .use_cases
        .albums
        .add_photos(actor, id, photo_ids(&body))
        .await
        .map_err(album_photos_problem)?;
    Ok(web::Json(album.into()))
}

#[utoipa::path(delete, path = "/api/v1/albums/{id}/photos", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")), request_body = AlbumPhotosBody,
    responses((status = 200, description = "Removed (the photos themselves stay)", body = AlbumResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"), (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn remove_photos(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<AlbumPhotosBody>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let album = state
        .use_cases
        .albums
        .remove_photos(actor, id, photo_ids(&body))
        .await
        .map_err(album_photos_problem)?;
    Ok(web::Json(album.into()))
}

#[utoipa::path(put, path = "/api/v1/albums/{id}/order", tag = "albums", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Album id")), request_body = AlbumPhotosBody,
    responses((status = 200, description = "Every photo of the album, in the new order", body = AlbumResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"), (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly the album's photos", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn reorder(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
    body: web::Json<AlbumPhotosBody>,
) -> Result<web::Json<AlbumResponse>, Problem> {
    let id = AlbumId::from_uuid(id.into_inner());
    let album = state
        .use_cases
        .albums
        .reorder(actor, id, photo_ids(&body))
        .await
        .map_err(album_photos_problem)?;
    Ok(web::Json(album.into()))
}
