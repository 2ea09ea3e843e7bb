//! The demo library `shoebox seed` gives each demo member: generated photos
//! (with camera metadata, no location) in two albums, one shared with every
//! member. Made through the same use cases as a browser upload, so the
//! variant jobs are queued like any other.

use anyhow::Context;
use bytes::Bytes;
use chrono::{Days, NaiveDate};
use shoebox_domain::{
    accounts::User,
    albums::{AlbumTitle, Visibility},
    auth::{Actor, Credential},
    page::PageRequest,
    photos::PhotoOrder,
};
use shoebox_imaging::samples::{self, SampleExif};
use shoebox_ports::inbound::{CreateAlbum, UploadedPhoto};

use crate::wiring::Application;

/// Photos per demo member.
const PHOTOS: u64 = 6;
/// Upload chunk size, as a browser would stream it.
const CHUNK: usize = 64 * 1024;

/// Gives `user` the demo library unless they already have photos.
/// Returns how many photos were added.
pub async fn give_library(application: &Application, user: User, seed: u64) -> anyhow::Result<u64> {
    let actor = Actor {
        user,
        credential: Credential::Operator,
    };
    let photos = &application.use_cases.photos;
    let existing = photos
        .list(
            actor.clone(),
            PhotoOrder::Newest,
            PageRequest::new(Some(1), None),
        )
        .await?;
    if !existing.items.is_empty() {
        return Ok(0);
    }
    let mut ids = Vec::new();
    let start = NaiveDate::from_ymd_opt(2024, 6, 1).context("a valid date")?;
    for index in 0..PHOTOS {
        let taken_at = start
            .checked_add_days(Days::new(index * 3 + seed))
            .and_then(|day| day.and_hms_opt(9 + (index as u32 % 8), 15, 0));
        let exif = SampleExif {
            taken_at,
            make: Some(["Fujifilm", "Canon", "Nikon"][(index % 3) as usize].to_owned()),
            model: Some(["X-T4", "EOS R6", "Z 6II"][(index % 3) as usize].to_owned()),
            ..SampleExif::default()
        };
        let bytes = samples::jpeg_seeded(1600, 1067, seed * 100 + index, &exif);
        let name = format!("demo-{}.jpg", index + 1);
        let mut upload = photos.begin_upload(actor.clone(), Some(name)).await?;
        for chunk in bytes.chunks(CHUNK) {
            if let Err(error) = upload.write(Bytes::copy_from_slice(chunk)).await {
                upload.abort().await;
                return Err(error.into());
            }
        }
        let staged = upload.finish().await?;
        for uploaded in photos.complete_upload(actor.clone(), vec![staged]).await? {
            let (UploadedPhoto::Created(photo) | UploadedPhoto::Duplicate(photo)) = uploaded;
            ids.push(photo.id);
        }
    }
    let albums = &application.use_cases.albums;
    let shared = albums
        .create(
            actor.clone(),
            CreateAlbum {
                title: AlbumTitle::parse("Club outing")?,
                description: None,
                visibility: Visibility::Members,
            },
        )
        .await?;
    albums
        .add_photos(actor.clone(), shared.id, ids[..4].to_vec())
        .await?;
    let private = albums
        .create(
            actor.clone(),
            CreateAlbum {
                title: AlbumTitle::parse("Garden")?,
                description: None,
                visibility: Visibility::Private,
            },
        )
        .await?;
    albums
        .add_photos(actor, private.id, ids[3..].to_vec())
        .await?;
    Ok(PHOTOS)
}
