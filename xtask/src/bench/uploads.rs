//! The upload scenario: [`UPLOADS`] concurrent 20 MB JPEG uploads
//! (`POST /api/v1/photos`, streaming multipart from `curl`) to the server
//! with its default settings (the object store fsyncs every object), next to
//! copies of the same bytes to a directory on the same filesystem as the
//! object store, [`UPLOADS`] at once, measured in the same run (median of
//! three): a plain copy (the target's reference) and a copy with fsync (what
//! the store does).
//!
//! The files are the 12-megapixel bench JPEG zero-padded to 20 MB (zeros
//! after the end of image are accepted; each file gets a different length so
//! the per-user de-duplication keeps all of them). Targets: throughput at
//! least half of the plain copy's, server RSS growth under 64 MiB.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::copies;
use super::report::Verdict;
use super::rss;
use crate::api_session::{self as api, Session};
use crate::ui::Step;

/// Uploads (and copies) at once.
pub(crate) const UPLOADS: usize = 8;
/// Bytes of each file (plus its index, so that every file differs).
const FILE_BYTES: usize = 20_000_000;
/// The target: upload throughput at least this fraction of the plain copy's.
const TARGET_RATIO: f64 = 0.5;
const RSS_LIMIT_MIB: f64 = 64.0;

/// What the scenario measured.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UploadFigures {
    pub(crate) bytes: u64,
    pub(crate) upload: Duration,
    pub(crate) copy: Duration,
    pub(crate) copy_fsync: Duration,
    pub(crate) rss_growth_kib: u64,
}

impl UploadFigures {
    fn rate(&self, took: Duration) -> f64 {
        // Byte counts of a few files fit f64's mantissa exactly.
        let seconds = took.as_secs_f64();
        if seconds > 0.0 {
            self.bytes as f64 / seconds / 1e6
        } else {
            0.0
        }
    }

    fn ratio(&self, reference: Duration) -> f64 {
        match self.rate(reference) {
            rate if rate > 0.0 => self.rate(self.upload) / rate,
            _ => 0.0,
        }
    }

    fn growth_mib(&self) -> f64 {
        self.rss_growth_kib as f64 / 1024.0
    }

    /// The line of the report.
    pub(crate) fn line(&self) -> String {
        format!(
            "uploads {UPLOADS} × 20 MB JPEG at once: {:.1} MB/s, server RSS +{:.1} MiB; \
             plain copy {:.1} MB/s ({:.2}×), copy+fsync {:.1} MB/s ({:.2}×)\n",
            self.rate(self.upload),
            self.growth_mib(),
            self.rate(self.copy),
            self.ratio(self.copy),
            self.rate(self.copy_fsync),
            self.ratio(self.copy_fsync),
        )
    }

    pub(crate) fn verdicts(&self) -> Vec<Verdict> {
        let ratio = self.ratio(self.copy);
        vec![
            Verdict {
                target: format!("uploads {UPLOADS}×20 MB: MB/s ≥ {TARGET_RATIO} × plain copy"),
                measured: format!(
                    "{ratio:.2}× (vs copy+fsync {:.2}×)",
                    self.ratio(self.copy_fsync)
                ),
                passed: ratio >= TARGET_RATIO,
            },
            Verdict {
                target: format!("uploads {UPLOADS}×20 MB: RSS growth < {RSS_LIMIT_MIB} MiB"),
                measured: format!("{:.1} MiB", self.growth_mib()),
                passed: self.growth_mib() < RSS_LIMIT_MIB,
            },
        ]
    }
}

/// Writes the [`UPLOADS`] files from `sample` into `work_dir`.
pub(crate) fn prepare(sample: &Path, work_dir: &Path) -> Result<Vec<PathBuf>> {
    prepare_sized(sample, work_dir, FILE_BYTES)
}

fn prepare_sized(sample: &Path, work_dir: &Path, file_bytes: usize) -> Result<Vec<PathBuf>> {
    let bytes =
        std::fs::read(sample).with_context(|| format!("could not read {}", sample.display()))?;
    if bytes.len() >= file_bytes {
        bail!(
            "{} is already larger than {file_bytes} bytes",
            sample.display()
        );
    }
    let dir = work_dir.join("uploads");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    (0..UPLOADS)
        .map(|index| {
            let file = dir.join(format!("upload-{index}.jpg"));
            api::write_padded(&file, &bytes, file_bytes + index - bytes.len())?;
            Ok(file)
        })
        .collect()
}

/// Measures both copies into `copy_dir` (on the object store's filesystem),
/// then the uploads while sampling the server's (`pid`) memory.
pub(crate) fn measure(
    session: &Session,
    pid: u32,
    files: &[PathBuf],
    copy_dir: &Path,
) -> Result<UploadFigures> {
    let bytes = files
        .iter()
        .map(|file| std::fs::metadata(file).map(|metadata| metadata.len()))
        .sum::<std::io::Result<u64>>()
        .context("could not read the size of the upload files")?;
    let copy = copies::timed_copy(files, copy_dir, false)?;
    let copy_fsync = copies::timed_copy(files, copy_dir, true)?;

    let step = Step::start(format!("uploads: {UPLOADS} × 20 MB at once"));
    let baseline = rss::rss_kib(pid).context("could not read the server's memory")?;
    let sampler = rss::RssSampler::start(pid);
    let started = Instant::now();
    let answers: Vec<Result<api::Answer>> = std::thread::scope(|scope| {
        let uploads: Vec<_> = files
            .iter()
            .map(|file| {
                scope.spawn(move || {
                    api::run(&mut session.upload_command(std::slice::from_ref(file)))
                })
            })
            .collect();
        uploads
            .into_iter()
            .map(|upload| {
                upload
                    .join()
                    .unwrap_or_else(|_| bail!("an upload thread panicked"))
            })
            .collect()
    });
    let upload = started.elapsed();
    let peak = sampler.finish();
    let checked = answers
        .into_iter()
        .try_for_each(|answer| api::created_ids(&answer?, 1).map(drop));
    match checked {
        Ok(()) => step.done(),
        Err(error) => {
            step.failed();
            return Err(error);
        }
    }
    Ok(UploadFigures {
        bytes,
        upload,
        copy,
        copy_fsync,
        rss_growth_kib: peak.saturating_sub(baseline),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(upload_ms: u64, rss_mib: u64) -> UploadFigures {
        UploadFigures {
            bytes: 160_000_000,
            upload: Duration::from_millis(upload_ms),
            copy: Duration::from_millis(1_000),
            copy_fsync: Duration::from_millis(4_000),
            rss_growth_kib: rss_mib * 1024,
        }
    }

    #[test]
    fn the_targets_are_half_the_plain_copy_and_64_mib() {
        let met = figures(2_000, 63);
        assert!(met.verdicts().iter().all(|verdict| verdict.passed));
        assert!(met.line().contains("160.0 MB/s (0.50×)"), "{}", met.line());
        assert!(met.line().contains("40.0 MB/s (2.00×)"), "{}", met.line());
        let missed = figures(2_001, 64);
        assert!(missed.verdicts().iter().all(|verdict| !verdict.passed));
    }

    #[test]
    fn prepared_files_are_padded_and_distinct() {
        let dir = std::env::temp_dir().join(format!("xtask-uploads-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sample = dir.join("sample.jpg");
        std::fs::write(&sample, [0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
        let files = prepare_sized(&sample, &dir, 1_000).unwrap();
        let sizes: Vec<u64> = files
            .iter()
            .map(|file| std::fs::metadata(file).unwrap().len())
            .collect();
        let head = std::fs::read(&files[0]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(sizes.len(), UPLOADS);
        assert_eq!(sizes[0], 1_000);
        assert_eq!(sizes[UPLOADS - 1], 1_007);
        assert_eq!(&head[..4], [0xFF, 0xD8, 0xFF, 0xD9]);
        assert!(head[4..].iter().all(|&byte| byte == 0));
    }
}
