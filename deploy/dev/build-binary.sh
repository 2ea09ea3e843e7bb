#!/bin/sh
# Builds the `shoebox` binary of the development image (deploy/dev/image/Containerfile)
# into deploy/dev/image/bin/shoebox: the web app first (the binary embeds
# web/dist), then a debug build of the server, stripped of its debug
# information (about 70 MB instead of 500) so that a live update copies it
# into the pods quickly. Tilt runs it on every Rust or web change; with
# Skaffold, run it yourself (first, then after each change) and Skaffold
# syncs the new binary into the pods.
#
# The binary runs on the image's Debian 12: build it on Debian 12 (or a
# system whose glibc is no newer than 2.36), x86_64, like the cluster's nodes.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out="$root/deploy/dev/image/bin"

cd "$root/web"
if [ ! -d node_modules ]; then
    npm ci --no-audit --no-fund
fi
npm run build

cd "$root"
cargo build --locked -p shoebox-server --bin shoebox
mkdir -p "$out"
strip --strip-debug -o "$out/shoebox.new" "$target/debug/shoebox"
# One rename, so that a watcher never sees half a binary.
mv -f "$out/shoebox.new" "$out/shoebox"
echo "built $out/shoebox"
