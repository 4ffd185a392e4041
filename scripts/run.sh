#!/usr/bin/env bash
# `make run`: build, found the demo council if the database is new, serve.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-tools.sh
cargo leptos build --split
./target/debug/tribune demo
echo "Tribune: serving on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec ./target/debug/tribune serve
