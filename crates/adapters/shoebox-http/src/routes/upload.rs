//! Reading a multipart upload field by field and chunk by chunk, handing each
//! chunk to the upload use case as it arrives: nothing is buffered whole.

use actix_multipart::Multipart;
use futures_util::StreamExt;
use shoebox_domain::{
    auth::Actor,
    photos::{MAX_FILES_PER_UPLOAD, UploadError},
};
use shoebox_ports::inbound::{PhotoUpload, Photos, StagedPhoto, UploadedPhoto};

/// Receives every `file` field, then records them all; on any error every
/// file of the request is discarded.
pub async fn receive(
    actor: Actor,
    photos: &dyn Photos,
    mut multipart: Multipart,
) -> Result<Vec<UploadedPhoto>, UploadError> {
    let mut staged = Vec::new();
    if let Err(error) = receive_fields(&actor, photos, &mut multipart, &mut staged).await {
        photos.discard(staged).await;
        drain(&mut multipart).await;
        return Err(error);
    }
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
async fn drain(multipart: &mut Multipart) {
    let mut drained = 0u64;
    while let Some(Ok(mut field)) = multipart.next().await {
        while let Some(Ok(chunk)) = field.next().await {
            drained += chunk.len() as u64;
            if drained > DRAIN_LIMIT {
                return;
            }
        }
    }
}
