//! The image's root filesystem as a list of entries, gathered from this
//! machine: the binaries, the shared libraries `ldd` says they load (with
//! the host's symbolic links, so merged-/usr layouts resolve the same way),
//! the CA bundle and a few generated files.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// One entry of the root filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    /// A directory with its mode and owner.
    Dir { mode: u32, owner: u32 },
    /// A file copied from this machine.
    HostFile { source: PathBuf, mode: u32 },
    /// A file with generated content.
    Bytes { content: Vec<u8>, mode: u32 },
    /// A symbolic link.
    Symlink { target: PathBuf },
}

/// Entries by absolute path inside the image (sorted: parents first).
#[derive(Debug, Default, Clone)]
pub(crate) struct RootFs {
    entries: BTreeMap<PathBuf, Entry>,
}

impl RootFs {
    /// The entries in path order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&Path, &Entry)> {
        self.entries
            .iter()
            .map(|(path, entry)| (path.as_path(), entry))
    }

    /// The entry at `path`, if any.
    #[cfg(test)]
    pub(crate) fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(Path::new(path))
    }

    /// A directory (and its parents, root-owned 0755 unless already there).
    pub(crate) fn dir(&mut self, path: &str, mode: u32, owner: u32) {
        let path = PathBuf::from(path);
        self.parents(&path);
        self.entries.insert(path, Entry::Dir { mode, owner });
    }

    /// A generated file.
    pub(crate) fn bytes(&mut self, path: &str, content: impl Into<Vec<u8>>, mode: u32) {
        let path = PathBuf::from(path);
        self.parents(&path);
        let content = content.into();
        self.entries.insert(path, Entry::Bytes { content, mode });
    }

    /// A file of this machine placed at `path` in the image (its mode kept).
    pub(crate) fn copy(&mut self, source: &Path, path: &str) -> Result<()> {
        let metadata = std::fs::metadata(source)
            .with_context(|| format!("{} is missing", source.display()))?;
        let path = PathBuf::from(path);
        self.parents(&path);
        self.entries.insert(
            path,
            Entry::HostFile {
                source: source.to_path_buf(),
                mode: metadata.permissions().mode() & 0o7777,
            },
        );
        Ok(())
    }

    /// The host file at `path`, at the same path in the image, with every
    /// symbolic link met on the way recreated (so `/lib64/ld-linux…` or a
    /// merged `/lib → usr/lib` resolve inside the image as they do here).
    pub(crate) fn host_path(&mut self, path: &Path) -> Result<()> {
        self.host_path_within(path, 0)
    }

    fn host_path_within(&mut self, path: &Path, depth: usize) -> Result<()> {
        if depth > 40 {
            bail!("too many symbolic links resolving {}", path.display());
        }
        let path = normalize(path);
        let mut current = PathBuf::from("/");
        let parts: Vec<Component<'_>> = path.components().skip(1).collect();
        for (index, part) in parts.iter().enumerate() {
            current.push(part);
            let metadata = std::fs::symlink_metadata(&current)
                .with_context(|| format!("{} is missing", current.display()))?;
            if metadata.file_type().is_symlink() {
                let target = std::fs::read_link(&current)
                    .with_context(|| format!("could not read the link {}", current.display()))?;
                self.parents(&current);
                self.entries.insert(
                    current.clone(),
                    Entry::Symlink {
                        target: target.clone(),
                    },
                );
                let base = current.parent().unwrap_or(Path::new("/"));
                let mut resolved = if target.is_absolute() {
                    target
                } else {
                    base.join(target)
                };
                for rest in &parts[index + 1..] {
                    resolved.push(rest);
                }
                return self.host_path_within(&resolved, depth + 1);
            }
            if index + 1 < parts.len() {
                if !metadata.is_dir() {
                    bail!("{} is not a directory", current.display());
                }
                self.entries.entry(current.clone()).or_insert(Entry::Dir {
                    mode: 0o755,
                    owner: 0,
                });
            } else if metadata.is_file() {
                self.entries.insert(
                    current.clone(),
                    Entry::HostFile {
                        source: current.clone(),
                        mode: metadata.permissions().mode() & 0o7777,
                    },
                );
            } else {
                bail!("{} is neither a file nor a link", current.display());
            }
        }
        Ok(())
    }

    /// Root-owned 0755 directories for every missing parent of `path`.
    fn parents(&mut self, path: &Path) {
        let mut parents: Vec<&Path> = path.ancestors().skip(1).collect();
        parents.reverse();
        for parent in parents {
            if parent == Path::new("/") || parent.as_os_str().is_empty() {
                continue;
            }
            self.entries
                .entry(parent.to_path_buf())
                .or_insert(Entry::Dir {
                    mode: 0o755,
                    owner: 0,
                });
        }
    }
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::from("/");
    for part in path.components() {
        match part {
            Component::ParentDir => {
                normal.pop();
            }
            Component::Normal(name) => normal.push(name),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    normal
}

/// The shared libraries (and the dynamic loader) `binary` loads, as `ldd`
/// reports them on this machine.
pub(crate) fn shared_libraries(binary: &Path) -> Result<Vec<PathBuf>> {
    let output = Command::new("ldd")
        .arg(binary)
        .output()
        .context("could not run `ldd` (Debian package libc-bin)")?;
    if !output.status.success() {
        bail!(
            "`ldd {}` failed: {}",
            binary.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    parse_ldd(&String::from_utf8_lossy(&output.stdout))
        .with_context(|| format!("`ldd {}`", binary.display()))
}

/// The library paths in `ldd` output; an unresolved library is an error.
fn parse_ldd(output: &str) -> Result<Vec<PathBuf>> {
    let mut libraries = Vec::new();
    for line in output
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        let path = match line.split_once("=>") {
            Some((name, resolved)) => {
                let resolved = resolved.trim();
                if resolved.starts_with("not found") {
                    bail!("{} is not installed", name.trim());
                }
                resolved.split_whitespace().next().unwrap_or_default()
            }
            // The loader, or the kernel's vDSO (no file).
            None => line.split_whitespace().next().unwrap_or_default(),
        };
        if path.starts_with('/') {
            libraries.push(PathBuf::from(path));
        }
    }
    Ok(libraries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldd_output_is_parsed_into_paths() {
        let output = "\tlinux-vdso.so.1 (0x00007ffd)\n\
             \tlibpq.so.5 => /lib/x86_64-linux-gnu/libpq.so.5 (0x00007f77)\n\
             \t/lib64/ld-linux-x86-64.so.2 (0x00007f77)\n";
        assert_eq!(
            parse_ldd(output).unwrap(),
            [
                PathBuf::from("/lib/x86_64-linux-gnu/libpq.so.5"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2")
            ]
        );
        let missing = "\tlibfoo.so.1 => not found\n";
        let error = parse_ldd(missing).unwrap_err().to_string();
        assert!(error.contains("libfoo.so.1"), "{error}");
    }

    #[test]
    fn host_paths_keep_their_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("lib.so.1.2"), b"library").unwrap();
        std::os::unix::fs::symlink("lib.so.1.2", real.join("lib.so.1")).unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("alias")).unwrap();

        let mut rootfs = RootFs::default();
        rootfs
            .host_path(&dir.path().join("alias/lib.so.1"))
            .unwrap();
        let alias = dir.path().join("alias");
        assert_eq!(
            rootfs.get(alias.to_str().unwrap()),
            Some(&Entry::Symlink {
                target: PathBuf::from("real")
            })
        );
        let link = real.join("lib.so.1");
        assert_eq!(
            rootfs.get(link.to_str().unwrap()),
            Some(&Entry::Symlink {
                target: PathBuf::from("lib.so.1.2")
            })
        );
        let file = real.join("lib.so.1.2");
        assert!(matches!(
            rootfs.get(file.to_str().unwrap()),
            Some(Entry::HostFile { .. })
        ));
        assert!(matches!(
            rootfs.get(dir.path().to_str().unwrap()),
            Some(Entry::Dir {
                mode: 0o755,
                owner: 0
            })
        ));
    }

    #[test]
    fn generated_files_get_parent_directories() {
        let mut rootfs = RootFs::default();
        rootfs.bytes("/etc/ssl/x", "y", 0o644);
        rootfs.dir("/var/lib/shoebox", 0o750, 10001);
        let paths: Vec<_> = rootfs.entries().map(|(path, _)| path.to_owned()).collect();
        assert_eq!(
            paths,
            [
                "/etc",
                "/etc/ssl",
                "/etc/ssl/x",
                "/var",
                "/var/lib",
                "/var/lib/shoebox"
            ]
            .map(PathBuf::from)
        );
    }
}
