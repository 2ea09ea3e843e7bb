//! Staging files a killed process left in a local store.
//!
//! `object_store` stages a streamed write as `<key>#<n>` beside its
//! destination and renames it into place when the write finishes; a process
//! killed mid-write leaves the staging file, which no listing shows. This
//! walks the directory for such files older than a cutoff.

use std::{io, path::Path, time::SystemTime};

/// Whether `name` is a staging file's: `<something>#<digits>`.
pub(crate) fn is_staging_name(name: &str) -> bool {
    match name.rsplit_once('#') {
        Some((stem, suffix)) => {
            !stem.is_empty() && !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Removes staging files under `root` last modified before `cutoff`.
pub(crate) fn remove_staging_files(root: &Path, cutoff: SystemTime) -> io::Result<u64> {
    let mut removed = 0;
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = match std::fs::read_dir(&directory) {
            Ok(entries) => entries,
            // Removed meanwhile (automatic clean-up of empty directories).
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
                continue;
            }
            let name = entry.file_name();
            let stale = entry.metadata()?.modified()? < cutoff;
            if kind.is_file() && stale && name.to_str().is_some_and(is_staging_name) {
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => removed += 1,
                    Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                    Err(error) => return Err(error),
                }
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn only_old_staging_files_are_removed() {
        assert!(is_staging_name("original#3"));
        assert!(!is_staging_name("original"));
        assert!(!is_staging_name("original#x"));
        assert!(!is_staging_name("#12"));

        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("users/u/photos/p");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("original#1"), b"partial").unwrap();
        std::fs::write(nested.join("preview"), b"done").unwrap();
        let before = SystemTime::now() - Duration::from_secs(3600);
        assert_eq!(
            remove_staging_files(root.path(), before).unwrap(),
            0,
            "too recent"
        );
        let after = SystemTime::now() + Duration::from_secs(1);
        assert_eq!(remove_staging_files(root.path(), after).unwrap(), 1);
        assert!(!nested.join("original#1").exists());
        assert!(nested.join("preview").exists());
    }
}
