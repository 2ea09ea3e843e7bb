//! The data of the album listing scenario: [`PHOTOS`] small JPEGs of the
//! bench user, ready (their variants made by a `shoebox worker` run only for
//! this, so the listing returns what a real one does), in one album.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::api_session::{self as api, Session};
use crate::process::run_step;
use crate::server::terminate_child;
use crate::ui::Step;

/// Photos in the album, all listed by one page.
pub(crate) const PHOTOS: usize = 100;
/// Files per upload request.
const BATCH: usize = 20;
/// Long side of the small photos, in pixels.
const SIZE: &str = "800";
/// How long the worker gets to make every variant.
const READY_TIMEOUT: Duration = Duration::from_secs(300);

/// A `shoebox worker` child, stopped when dropped.
struct Worker(Child);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = terminate_child(&mut self.0);
    }
}

/// Uploads [`PHOTOS`] small photos made from `sample` with `vipsthumbnail`,
/// waits until a worker has made their variants, and puts them in a new
/// album; returns the album's id.
pub(crate) fn seed(
    binary: &Path,
    env: &[(String, String)],
    session: &Session,
    vipsthumbnail: &Path,
    sample: &Path,
    work_dir: &Path,
) -> Result<String> {
    let small = work_dir.join("small.jpg");
    run_step(
        &format!("making a {SIZE}-pixel JPEG for the album"),
        Command::new(vipsthumbnail)
            .arg(sample)
            .args(["-s", SIZE, "-o"])
            .arg(&small),
    )?;
    let step = Step::start(format!("uploading {PHOTOS} photos into an album"));
    let album = upload_into_album(session, &small, work_dir);
    finish(step, &album);
    let album = album?;

    let step = Step::start("shoebox worker: making their variants");
    let ready = make_variants(binary, env, session, &album);
    finish(step, &ready);
    ready?;
    Ok(album)
}

fn finish<T>(step: Step, outcome: &Result<T>) {
    match outcome {
        Ok(_) => step.done(),
        Err(_) => step.failed(),
    }
}

fn upload_into_album(session: &Session, small: &Path, work_dir: &Path) -> Result<String> {
    let bytes =
        std::fs::read(small).with_context(|| format!("could not read {}", small.display()))?;
    let dir = work_dir.join("album-photos");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let files = (0..PHOTOS)
        .map(|index| {
            let file = dir.join(format!("photo-{index:03}.jpg"));
            api::write_padded(&file, &bytes, index)?;
            Ok(file)
        })
        .collect::<Result<Vec<PathBuf>>>()?;
    let mut ids = Vec::with_capacity(PHOTOS);
    for batch in files.chunks(BATCH) {
        ids.extend(session.upload(batch)?);
    }

    let album = session
        .send_json(
            "POST",
            "/api/v1/albums",
            &json!({"title": "Bench", "visibility": "private"}),
        )?
        .json(201, "POST /api/v1/albums")?;
    let album = album["id"]
        .as_str()
        .context("the new album has no id")?
        .to_owned();
    session
        .send_json(
            "POST",
            &format!("/api/v1/albums/{album}/photos"),
            &json!({ "photo_ids": ids }),
        )?
        .json(200, "POST /api/v1/albums/{id}/photos")?;
    Ok(album)
}

/// Runs a worker until every photo of `album` is ready.
fn make_variants(
    binary: &Path,
    env: &[(String, String)],
    session: &Session,
    album: &str,
) -> Result<()> {
    let child = Command::new(binary)
        .arg("worker")
        .envs(env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("could not start `{} worker`", binary.display()))?;
    let mut worker = Worker(child);
    let path = listing_path(album);
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        let page = session.get(&path)?.json(200, "the album's photos")?;
        match settled(&page)? {
            Settled::Ready => break,
            Settled::Failed(count) => bail!("the worker failed on {count} of the album's photos"),
            Settled::Processing(count) if Instant::now() >= deadline => bail!(
                "{count} photos were still processing after {}s",
                READY_TIMEOUT.as_secs()
            ),
            Settled::Processing(_) => {}
        }
        if let Some(status) = worker.0.try_wait()? {
            bail!("the worker exited before the photos were ready ({status})");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    terminate_child(&mut worker.0)
}

/// The listing the scenario measures.
pub(crate) fn listing_path(album: &str) -> String {
    format!("/api/v1/albums/{album}/photos?limit={PHOTOS}")
}

#[derive(Debug, PartialEq)]
enum Settled {
    Ready,
    Processing(usize),
    Failed(usize),
}

fn settled(page: &Value) -> Result<Settled> {
    let items = page["items"]
        .as_array()
        .context("the album's photos are not a page")?;
    if items.len() != PHOTOS {
        bail!("the album lists {} photos, not {PHOTOS}", items.len());
    }
    let count = |status: &str| items.iter().filter(|item| item["status"] == status).count();
    let ready = count("ready");
    Ok(match count("failed") {
        0 if ready == PHOTOS => Settled::Ready,
        0 => Settled::Processing(PHOTOS - ready),
        failed => Settled::Failed(failed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ready: usize, failed: usize) -> Value {
        let status = |index: usize| match index {
            _ if index < ready => "ready",
            _ if index < ready + failed => "failed",
            _ => "processing",
        };
        let items: Vec<Value> = (0..PHOTOS)
            .map(|index| json!({ "status": status(index) }))
            .collect();
        json!({ "items": items })
    }

    #[test]
    fn the_album_is_settled_when_every_photo_is_ready() {
        assert_eq!(settled(&page(PHOTOS, 0)).unwrap(), Settled::Ready);
        assert_eq!(settled(&page(90, 0)).unwrap(), Settled::Processing(10));
        assert_eq!(settled(&page(90, 1)).unwrap(), Settled::Failed(1));
        assert!(settled(&json!({ "items": [] })).is_err());
    }

    #[test]
    fn the_listing_asks_for_every_photo_in_one_page() {
        assert_eq!(listing_path("a1"), "/api/v1/albums/a1/photos?limit=100");
    }
}
