//! The thumbnail bench behind the hidden `shoebox bench-thumbnail` command:
//! how many 400-pixel thumbnails of one photo this adapter makes per second
//! on one thread, to compare with `vipsthumbnail` on the same file.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use shoebox_domain::imaging::{ImageLimits, Orientation, VariantKind};

use crate::{
    inspect,
    process::render::render,
    samples::{self, SampleExif},
};

/// Thumbnails of `original` made per second, sequentially, for at least
/// `duration` (and at least one).
pub fn thumbnails_per_second(original: &[u8], duration: Duration) -> anyhow::Result<f64> {
    let limits = ImageLimits::default();
    let facts = inspect(original, limits).map_err(|rejection| anyhow!("{rejection}"))?;
    let started = Instant::now();
    let mut made = 0u32;
    loop {
        render(original, &facts, &[VariantKind::Thumbnail], limits)
            .map_err(|error| anyhow!("{error}"))
            .context("could not make a thumbnail")?;
        made += 1;
        if started.elapsed() >= duration {
            break;
        }
    }
    Ok(f64::from(made) / started.elapsed().as_secs_f64())
}

/// The bench photo: a 12-megapixel (4000×3000) landscape JPEG with the EXIF
/// of a real camera.
pub fn twelve_megapixel_jpeg() -> Vec<u8> {
    samples::jpeg(
        4000,
        3000,
        SampleExif {
            orientation: Some(Orientation::Normal),
            taken_at: NaiveDate::from_ymd_opt(2024, 5, 18)
                .and_then(|day| day.and_hms_opt(9, 30, 0)),
            make: Some("Shoebox".to_owned()),
            model: Some("Bench Camera".to_owned()),
            gps: None,
        },
    )
}
