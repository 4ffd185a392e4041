#!/usr/bin/env bash
# The hydrated bundle against issue 8's budget: every page fetches at most
# 600 KB raw and 250 KB gzip -9 of WebAssembly to hydrate.
#
# Builds the release wasm the way `make release` does (`cargo leptos build
# --release --frontend-only --split`, wasm-opt -Oz from npm's binaryen) into
# target/site-release, so the debug site the browser tests use is left alone,
# then adds up, for each kind of page, what it fetches to hydrate:
#
# - `tribune.wasm`, the main module, which every page loads (the layout's
#   HydrationMark island is on every page; the case page's, the decision's
#   and the home page's islands are in it too);
# - the modules of the page's lazy islands (`#[island(lazy)]`: the sign-in,
#   enrollment, backup and rules-editor forms), each with the shared chunks
#   it needs, from the split manifest. Each module is a response of its own,
#   so each is compressed on its own.
#
# The lazy functions (`#[lazy]`: the verifier, the key's unlocking and
# signing) are fetched when a reader first clicks Verify or a member first
# signs, not to hydrate; they are reported beside.
#
#   scripts/wasm-size.sh           print the sizes (exit 0)
#   scripts/wasm-size.sh --check   and exit 1 if a page is over the budget
#                                  (`make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

RAW_BUDGET=600000
GZIP_BUDGET=250000

scripts/ensure-tools.sh --release
export LEPTOS_OUTPUT_NAME=tribune
site=target/site-release
rm -rf "$site/pkg"
LEPTOS_SITE_ROOT="$site" PATH="$PWD/.tools/node_modules/.bin:$PATH" \
  cargo leptos build --release --frontend-only --split

# The lazy islands of each kind of page (the snake_case names of the
# islands). A lazy island that no page lists fails the check: add it here.
python3 - "$site/pkg" "$RAW_BUDGET" "$GZIP_BUDGET" "${1:-}" <<'PY'
import gzip, json, os, sys

pkg, raw_budget, gzip_budget, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
PAGES = [
    ("any other page (the main module alone)", []),
    ("sign-in", ["sign_in", "demo_sign_in"]),
    ("invitation (enrollment)", ["enroll"]),
    ("account (key backup)", ["backup"]),
    ("rules (an admin's editor)", ["rules_editor"]),
]

def size(module):
    data = open(os.path.join(pkg, module + ".wasm"), "rb").read()
    return len(data), len(gzip.compress(data, 9))

def total(modules):
    sizes = [size(m) for m in modules]
    return sum(s[0] for s in sizes), sum(s[1] for s in sizes), len(sizes)

manifest = json.load(open(os.path.join(pkg, "__wasm_split_manifest.json")))
islands = {key.split("_loader_")[0]: deps for key, deps in manifest.items() if "_loader_" in key}
listed = {name for _, names in PAGES for name in names}
unlisted = sorted(set(islands) - listed)
missing = sorted(listed - set(islands))
if unlisted or missing:
    sys.exit(f"wasm-size: the lazy islands and the pages disagree: not listed {unlisted}, not built {missing}")

def verdict(value, budget):
    return "within" if value <= budget else f"OVER by {(value - budget) // 1000} KB"

over = False
main_raw, main_gzip, _ = total(["tribune"])
print(f"summary: | main module (tribune.wasm), every page | {main_raw} bytes raw | {main_gzip} bytes gzip -9 | | |")
for page, names in PAGES:
    modules = {"tribune"}
    for name in names:
        modules.update(islands[name])
    raw, gz, files = total(sorted(modules))
    over |= raw > raw_budget or gz > gzip_budget
    print(f"summary: | hydrating: {page} | {raw} bytes raw ({verdict(raw, raw_budget)}) | {gz} bytes gzip -9 ({verdict(gz, gzip_budget)}) | {files} files | budget {raw_budget} / {gzip_budget} |")

lazy = [k for k in manifest if "_loader_" not in k]
on_use = set()
for key in lazy:
    on_use.update(manifest[key])
raw, gz, files = total(sorted(on_use))
print(f"summary: | lazy functions ({len(lazy)}: verify, unlock and sign), fetched on first use | {raw} bytes raw | {gz} bytes gzip -9 | {files} files | |")
js = os.path.getsize(os.path.join(pkg, "tribune.js"))
print(f"summary: | release JS glue | {js} bytes raw | | | |")
if mode == "--check" and over:
    sys.exit("wasm-size: a page's hydration is over the budget")
PY
