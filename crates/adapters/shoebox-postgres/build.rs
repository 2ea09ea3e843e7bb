//! Makes the crate rebuild when a migration changes (`embed_migrations!`
//! cannot tell cargo itself) and computes a fingerprint of every migration's
//! text, so that test templates built from an edited migration are not reused.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let mut files = Vec::new();
    collect_files(Path::new("migrations"), &mut files);
    files.sort();
    let mut hash = Fnv1a::new();
    for file in &files {
        let relative = file.strip_prefix("migrations").unwrap_or(file);
        hash.write(relative.to_string_lossy().as_bytes());
        hash.write(&[0]);
        match fs::read(file) {
            Ok(contents) => hash.write(&contents),
            Err(error) => panic!("could not read {}: {error}", file.display()),
        }
        hash.write(&[0]);
    }
    println!(
        "cargo:rustc-env=SHOEBOX_MIGRATIONS_FINGERPRINT={:016x}",
        hash.finish()
    );
}

/// Every file below the migration directories (not the README beside them).
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => panic!("could not list {}: {error}", dir.display()),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if dir != Path::new("migrations") {
            files.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
