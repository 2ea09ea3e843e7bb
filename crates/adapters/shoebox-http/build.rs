//! Embeds the built web app (`web/dist`) into the binary when it exists.
//!
//! Generates `$OUT_DIR/web_app_files.rs`: one `include_bytes!` per file, so
//! the bytes live in the binary's read-only data and serving them copies
//! nothing. Without `web/dist` (a clean clone, `cargo test`) the list is
//! empty and the server answers with a page saying how to build the app.

use std::{
    env,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

fn main() {
    println!("cargo:rerun-if-env-changed=SHOEBOX_WEB_DIST");
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let web_dir = manifest_dir.join("../../../web");
    let dist = env::var_os("SHOEBOX_WEB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| web_dir.join("dist"));

    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        // A directory is scanned recursively: any rebuilt asset re-embeds.
        println!("cargo:rerun-if-changed={}", dist.display());
        collect(&dist, &dist, &mut files);
        files.sort();
    } else {
        // Watching a missing path would rerun this script on every build;
        // `web/` exists in every checkout and changes when dist/ appears.
        println!("cargo:rerun-if-changed={}", web_dir.display());
        if env::var("PROFILE").as_deref() == Ok("release") {
            println!(
                "cargo:warning=web/dist is missing: this release build serves no web app \
                 (run `npm ci && npm run build` in web/ first)"
            );
        }
    }

    let mut code = String::from("pub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        writeln!(code, "    ({relative:?}, include_bytes!({absolute:?})),").expect("a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    fs::write(out.join("web_app_files.rs"), code).expect("OUT_DIR is writable");
}

/// Every file under `dir` as (path relative to `root` with `/`, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("under root");
            let relative = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let absolute = path.canonicalize().expect("an existing file");
            files.push((relative, absolute.to_string_lossy().into_owned()));
        }
    }
}
