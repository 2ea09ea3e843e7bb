//! `shoebox bench-thumbnail` (hidden): the thumbnail throughput of the
//! imaging adapter on one file, for `cargo xtask bench` to compare with
//! `vipsthumbnail` on the same file.

use std::time::Duration;

use anyhow::Context;

use super::blocking;
use crate::cli::{BenchThumbnailArgs, say};

pub async fn bench_thumbnail(args: BenchThumbnailArgs) -> anyhow::Result<()> {
    if let Some(path) = args.generate_sample {
        let photo = blocking(|| Ok(shoebox_imaging::bench::twelve_megapixel_jpeg())).await?;
        return std::fs::write(&path, photo)
            .with_context(|| format!("could not write {}", path.display()));
    }
    let file = args.file.context("a photo to measure is required")?;
    let photo =
        std::fs::read(&file).with_context(|| format!("could not read {}", file.display()))?;
    let seconds = Duration::from_secs(args.seconds.max(1));
    let rate = blocking(move || shoebox_imaging::bench::thumbnails_per_second(&photo, seconds))
        .await
        .with_context(|| format!("could not make thumbnails of {}", file.display()))?;
    say(serde_json::json!({ "photos_per_second": rate }).to_string());
    Ok(())
}
