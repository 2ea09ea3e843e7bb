//! Reading a multipart upload field by field and chunk by chunk, handing each
//! chunk to the upload use case as it arrives: nothing is buffered whole.

use std::{
    cell::RefCell,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll},
};

use actix_multipart::Multipart;
use actix_web::{http::header::HeaderMap, web};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use shoebox_domain::{
    auth::Actor,
    photos::{MAX_FILES_PER_UPLOAD, UploadError},
};
use shoebox_ports::inbound::{PhotoUpload, Photos, StagedPhoto, UploadedPhoto};

/// The request body, shared between the multipart parser and the final
/// drain: whatever the parser leaves unread (after a refusal, or the bytes
/// after the closing boundary) is read and thrown away before answering, so
/// that the connection is not reset under a client still sending.
#[derive(Clone)]
struct SharedPayload(Rc<RefCell<web::Payload>>);

impl Stream for SharedPayload {
    type Item = Result<Bytes, actix_web::error::PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut payload = self.0.borrow_mut();
        Pin::new(&mut *payload).poll_next(cx)
    }
}

/// Receives every `file` field, then records them all; on any error every
/// file of the request is discarded.
pub async fn receive(
    actor: Actor,
    photos: &dyn Photos,
    headers: &HeaderMap,
    payload: web::Payload,
) -> Result<Vec<UploadedPhoto>, UploadError> {
    let body = SharedPayload(Rc::new(RefCell::new(payload)));
    let mut multipart = Multipart::new(headers, body.clone());
    let mut staged = Vec::new();
    let received = receive_fields(&actor, photos, &mut multipart, &mut staged).await;
    drop(multipart);
    if let Err(error) = received {
        photos.discard(staged).await;
        drain(body).await;
        return Err(error);
    }
    drain(body).await;
    photos.complete_upload(actor, staged).await
}

async fn receive_fields(
    actor: &Actor,
    photos: &dyn Photos,
    multipart: &mut Multipart,
    staged: &mut Vec<StagedPhoto>,
) -> Result<(), UploadError> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|error| UploadError::Interrupted(error.to_string()))?;
        if field.name() != Some("file") {
            // Other form fields are drained and ignored.
            while let Some(chunk) = field.next().await {
                chunk.map_err(|error| UploadError::Interrupted(error.to_string()))?;
            }
            continue;
        }
        if staged.len() >= MAX_FILES_PER_UPLOAD {
            return Err(UploadError::TooManyFiles {
                max: MAX_FILES_PER_UPLOAD,
            });
        }
        let name = field
            .content_disposition()
            .and_then(|disposition| disposition.get_filename())
            .map(str::to_owned);
        let mut upload = photos.begin_upload(actor.clone(), name).await?;
        if let Err(error) = copy(&mut field, upload.as_mut()).await {
            upload.abort().await;
            return Err(error);
        }
        staged.push(upload.finish().await?);
    }
    Ok(())
}

async fn copy(
    field: &mut actix_multipart::Field,
    upload: &mut dyn PhotoUpload,
) -> Result<(), UploadError> {
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|error| UploadError::Interrupted(error.to_string()))?;
        upload.write(chunk).await?;
    }
    Ok(())
}

/// Most bytes read and thrown away after a refusal so that the client, still
/// sending, gets to read the answer; past this the connection is closed.
const DRAIN_LIMIT: u64 = 256 * 1024 * 1024;

/// Reads and discards what is left of the body.
async fn drain(mut body: SharedPayload) {
    let mut drained = 0u64;
    while let Some(Ok(chunk)) = body.next().await {
        drained += chunk.len() as u64;
        if drained > DRAIN_LIMIT {
            return;
        }
    }
}
