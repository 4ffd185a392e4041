#!/usr/bin/env bash
# `make bench`: the ledger benchmarks, the list queries at scale (SQLite and,
# through a throwaway cluster, PostgreSQL), the load tests and the wasm
# bundle's size; each one's full output goes to target/bench/, and a summary
# table of the headline figures is printed at the end. What each figure
# means: docs/benchmarks.md. Run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=tribune
out=target/bench
mkdir -p "$out"

run() {
  local name="$1"; shift
  echo
  echo "==> $name: $*"
  "$@" 2>&1 | tee "$out/$name.txt"
}

run ledger cargo bench -p domain --bench ledger
run lists scripts/with-postgres.sh cargo bench -p storage --bench lists
run vote_load cargo test --release -p server --test vote_load -- --ignored --nocapture
run public_load cargo test --release -p server --test public_load -- --ignored --nocapture
run public_wrk scripts/load-public.sh
run wasm_size scripts/wasm-size.sh

echo
echo "== Summary ($(nproc) cores, $(date -u +%F)); full outputs in $out/"
echo
echo "Ledger (divan, median):"
echo
echo "| benchmark | median |"
echo "|---|---|"
# divan's rows: "├─ name  fastest │ slowest │ median │ mean │ samples │ iters".
awk -F'│' '/(├─|╰─) [a-z_0-9]+ / {
  split($1, first, " "); gsub(/^ +| +$/, "", $3);
  printf "| %s | %s |\n", first[2], $3 }' "$out/ledger.txt"
echo
echo "Lists at scale (median, p95):"
grep -E '^\||seeded' "$out/lists.txt" || true
echo
echo "Load and size:"
echo
echo "| what | requests | per second | p50 | p99 | note |"
echo "|---|---|---|---|---|---|"
grep -h '^summary: ' "$out/vote_load.txt" "$out/public_load.txt" "$out/public_wrk.txt" | sed 's/^summary: //'
echo
echo "| bundle | size | budget | verdict |"
echo "|---|---|---|---|"
grep -h '^summary: ' "$out/wasm_size.txt" | sed 's/^summary: //'
