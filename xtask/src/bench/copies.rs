//! The reference of the upload scenario: the same files copied at once, each
//! on its own thread, into a directory on the object store's filesystem;
//! plainly, or with the file and the directory fsynced as the store does.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::ui::Step;

/// The copy's buffer: the bytes pass through a process, as they do through
/// the server (and no reflink or in-kernel copy can skip the work).
const COPY_BUFFER: usize = 128 * 1024;
/// Copies timed; an odd count has a median.
const ROUNDS: usize = 3;

/// Copies every file at once into a fresh `dir`, [`ROUNDS`] times; the
/// median time (one round of a plain copy is short enough to be noisy).
pub(crate) fn timed_copy(files: &[PathBuf], dir: &Path, fsync: bool) -> Result<Duration> {
    let title = if fsync { "copy+fsync" } else { "plain copy" };
    let step = Step::start(format!(
        "{title}: the same {} files at once, median of {ROUNDS}",
        files.len()
    ));
    let outcome = (0..ROUNDS)
        .map(|_| copy_round(files, dir, fsync))
        .collect::<Result<Vec<Duration>>>()
        .map(|mut rounds| {
            rounds.sort();
            rounds[ROUNDS / 2]
        });
    match &outcome {
        Ok(_) => step.done(),
        Err(_) => step.failed(),
    }
    outcome
}

/// One copy of every file, each on its own thread; flushes everything
/// written before and after so that neither this copy nor the next
/// measurement pays for the other's writes.
fn copy_round(files: &[PathBuf], dir: &Path, fsync: bool) -> Result<Duration> {
    flushed(|| {
        super::fresh_dir(dir)?;
        let started = Instant::now();
        std::thread::scope(|scope| {
            let copies: Vec<_> = files
                .iter()
                .enumerate()
                .map(|(index, file)| {
                    let target = dir.join(format!("copy-{index}.jpg"));
                    scope.spawn(move || copy_file(file, &target, fsync))
                })
                .collect();
            copies.into_iter().try_for_each(|copy| {
                copy.join()
                    .unwrap_or_else(|_| bail!("a copy thread panicked"))
            })
        })?;
        if fsync {
            File::open(dir)
                .and_then(|directory| directory.sync_all())
                .with_context(|| format!("could not fsync {}", dir.display()))?;
        }
        let took = started.elapsed();
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("could not remove {}", dir.display()))?;
        Ok(took)
    })
}

fn flushed<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    sync()?;
    let outcome = work()?;
    sync()?;
    Ok(outcome)
}

/// `sync`: every dirty page of the machine on disk.
fn sync() -> Result<()> {
    let status = Command::new("sync")
        .status()
        .context("could not run `sync`")?;
    if !status.success() {
        bail!("`sync` failed ({status})");
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path, fsync: bool) -> Result<()> {
    let copy = || -> std::io::Result<()> {
        let mut source = File::open(from)?;
        let mut target = File::create(to)?;
        let mut buffer = vec![0; COPY_BUFFER];
        loop {
            let read = source.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            target.write_all(&buffer[..read])?;
        }
        if fsync {
            target.sync_all()?;
        }
        Ok(())
    };
    copy().with_context(|| format!("could not copy {} to {}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_every_byte_and_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("xtask-copies-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bytes: Vec<u8> = (0..300_000_u32).map(|index| (index % 251) as u8).collect();
        let file = dir.join("source.bin");
        std::fs::write(&file, &bytes).unwrap();
        let copy = dir.join("copy.bin");
        copy_file(&file, &copy, true).unwrap();
        let copied = std::fs::read(&copy).unwrap();
        let timed = timed_copy(&[file.clone(), file], &dir.join("copies"), false);
        let left = dir.join("copies").exists();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(copied, bytes);
        assert!(timed.is_ok(), "{timed:?}");
        assert!(!left, "the copies are removed once timed");
    }
}
