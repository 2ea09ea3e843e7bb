//! Watching the Rust sources for changes: `crates/`, `apps/`, `Cargo.toml`
//! and `Cargo.lock`, never `target/`, editor droppings or hidden files.

use std::path::{Component, Path};
use std::sync::mpsc::Sender;

use anyhow::{Context, Result};
use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::Event;

/// Starts watching `root`; each relevant change sends [`Event::Changed`].
/// Watching stops when the returned watcher is dropped.
pub(crate) fn watch(root: &Path, events: Sender<Event>) -> Result<RecommendedWatcher> {
    let root_for_filter = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        if !is_content_change(&event.kind) {
            return;
        }
        if let Some(path) = event
            .paths
            .iter()
            .find(|path| is_source(&root_for_filter, path))
        {
            let _ = events.send(Event::Changed(path.clone()));
        }
    })
    .context("could not start watching files")?;
    for dir in ["crates", "apps"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("could not watch {}", path.display()))?;
        }
    }
    // The root itself, not its files: Cargo.lock is replaced by renaming.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("could not watch {}", root.display()))?;
    Ok(watcher)
}

fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        _ => false,
    }
}

/// Whether a change to `path` should rebuild the server.
pub(crate) fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let names: Vec<&str> = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let Some(file_name) = names.last() else {
        return false;
    };
    let noise = file_name.starts_with('.')
        || file_name.ends_with('~')
        || file_name.ends_with(".swp")
        || file_name.ends_with(".swx")
        || *file_name == "4913";
    if noise
        || names
            .iter()
            .any(|name| *name == "target" || *name == "node_modules")
    {
        return false;
    }
    match names.as_slice() {
        ["Cargo.toml" | "Cargo.lock"] => true,
        [first, _, ..] => *first == "crates" || *first == "apps",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_a_rebuild() {
        let root = Path::new("/w");
        let yes = [
            "/w/Cargo.toml",
            "/w/Cargo.lock",
            "/w/crates/shoebox-domain/src/lib.rs",
            "/w/apps/shoebox-server/Cargo.toml",
            "/w/crates/adapters/shoebox-postgres/migrations/1/up.sql",
        ];
        let no = [
            "/w/target/debug/shoebox",
            "/w/crates/x/target/foo.rs",
            "/w/crates/x/src/.lib.rs.swp",
            "/w/crates/x/src/lib.rs~",
            "/w/crates/x/src/4913",
            "/w/README.md",
            "/w/web/src/main.tsx",
            "/w/crates",
            "/elsewhere/Cargo.toml",
        ];
        for path in yes {
            assert!(is_source(root, Path::new(path)), "{path} should count");
        }
        for path in no {
            assert!(!is_source(root, Path::new(path)), "{path} should not count");
        }
    }
}
