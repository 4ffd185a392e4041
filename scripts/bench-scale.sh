#!/usr/bin/env bash
# `make bench-scale`: Tribune at the size of a council that has decided for
# years. For each log size asked for (default: 10,000 and 1,000,000
# entries), a release `tribune demo` builds a council of that many entries
# in a new SQLite file through the server's own write path (how long, and
# entries per second), then a release `tribune serve` on it is measured
# from outside, uncached, page by page: one request at a time (the median
# of 5, after one to warm the connection) and 50 concurrent connections
# (wrk, 10 s after a 2 s warm-up: requests per second and p99); then
# `tribune export` and `tribune verify` of the export (time, peak memory).
# Member pages are asked as the demo's chair, signed in with the demo key.
#
#   scripts/bench-scale.sh [ENTRIES ...]
#
# Rows for docs/benchmarks.md are printed as `summary: | … |` lines; the
# full output is in target/bench/scale-ENTRIES.txt. Loopback only; stops by
# itself. A million entries take about ten minutes to build on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=tribune

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 1000000)
clients=50
seconds=10

scripts/ensure-tools.sh --bench >/dev/null
cargo build --release --quiet -p server --bin tribune
tribune="$PWD/target/release/tribune"
mkdir -p target/bench

work=""
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n "$work" ]] && rm -rf "$work"
}

# free_port, wait_for, ms.
source scripts/load-lib.sh

# One request at a time: the median of 5 (after one warm-up), in ms.
single() {
  local url="$1" cookie="$2"
  curl -fsS -o /dev/null -H "Cookie: $cookie" "$url"
  for _ in 1 2 3 4 5; do
    curl -fsS -o /dev/null -H "Cookie: $cookie" -H 'Accept-Encoding: gzip' -w '%{time_total}\n' "$url"
  done | sort -n | awk 'NR == 3 { printf "%.1f", $1 * 1000 }'
}

# 50 connections: "requests/s p99-ms".
loaded() {
  local url="$1" cookie="$2" out
  wrk -t1 -c"$clients" -d2s -H "Cookie: $cookie" -H 'Accept-Encoding: gzip' "$url" >/dev/null
  out="$(wrk -t1 -c"$clients" -d"${seconds}s" --latency -H "Cookie: $cookie" -H 'Accept-Encoding: gzip' "$url")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "bench-scale: $url answered errors: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2
    exit 1
  fi
  printf '%s %s' "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")" "$(ms 99% <<<"$out")"
}

# Signs in as demo member 0 (the chair; demo keys are public): prints the
# session cookie. The challenge is signed by node's Ed25519 with the demo
# key's seed, SHA-256("tribune-demo-key/v1\n0").
sign_in() {
  local base="$1" origin="$2" challenge nonce signed
  challenge="$(curl -fsS -X POST -H 'Accept: application/json' "$base/api/sign_in_challenge")"
  nonce="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["nonce"])' <<<"$challenge")"
  signed="$(ORIGIN="$origin" NONCE="$nonce" node -e '
    const c = require("crypto");
    const seed = c.createHash("sha256").update("tribune-demo-key/v1\n0").digest();
    const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
    const key = c.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    const pub = c.createPublicKey(key).export({ format: "der", type: "spki" }).subarray(12);
    const text = `tribune-sign-in/v1\norigin ${process.env.ORIGIN}\nnonce ${process.env.NONCE}\n`;
    const sig = c.sign(null, Buffer.from(text), key);
    console.log(`nonce=${process.env.NONCE}&public_key=${pub.toString("hex")}&signature=${sig.toString("hex")}`);
  ')"
  curl -fsS -o /dev/null -D - -X POST -H 'Accept: application/json' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$signed" "$base/api/sign_in" |
    awk 'tolower($1) == "set-cookie:" { sub(/;.*/, "", $2); print $2; exit }'
}

for entries in "${sizes[@]}"; do
  out="target/bench/scale-$entries.txt"
  (
    # Each size in a subshell of its own (its output goes through tee):
    # its server and files go with it, whatever happens.
    trap cleanup EXIT
    work="$(mktemp -d)"
    # The demo makes about 15.5 entries per case.
    cases=$(( entries * 10 / 155 ))
    (( cases >= 9 )) || cases=9
    port="$(free_port)"
    export TRIBUNE_DATABASE_URL="sqlite://$work/tribune.db"
    export TRIBUNE_LOG_KEY_FILE="$work/log.key"
    export TRIBUNE_LOG=warn
    export LEPTOS_SITE_ADDR="127.0.0.1:$port"
    export LEPTOS_SITE_ROOT="$PWD/target/site"
    export LEPTOS_ENV=PROD
    started=$(date +%s.%N)
    "$tribune" demo --cases "$cases" >/dev/null
    built=$(date +%s.%N)
    TRIBUNE_LOG=info "$tribune" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    base="http://127.0.0.1:$port"
    wait_for "$base/healthz"
    # The server replays the log at start, in the background (15 s of one
    # core at a million entries): measure once it is done.
    for _ in $(seq 1 1200); do
      grep -q "log replayed for writing" "$work/server.log" && break
      sleep 0.1
    done
    size="$(curl -fsS "$base/log/checkpoint" | sed -n 2p)"
    origin="$(curl -fsS "$base/log/checkpoint" | sed -n 1p)"
    build_s="$(awk -v a="$started" -v b="$built" 'BEGIN { printf "%.0f", b - a }')"
    rate="$(awk -v n="$size" -v a="$started" -v b="$built" 'BEGIN { printf "%.0f", n / (b - a) }')"
    echo "log of $size entries ($cases cases) built in $build_s s: $rate entries/s; database $(du -h "$work/tribune.db" | cut -f1)"
    echo "summary: | $size | tribune demo --cases $cases | $build_s s | $rate entries/s | |"

    case_id="$(curl -fsS "$base/api/v1/decisions?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["decisions"][0]["case"])')"
    cookie="$(sign_in "$base" "$origin")"
    [[ -n "$cookie" ]] || { echo "bench-scale: sign-in failed" >&2; exit 1; }
    pages=(
      "/" "/decisions" "/decisions?outcome=carried" "/decisions?q=harbour" "/decisions/$case_id"
      "/docket" "/docket?stage=voting" "/docket/$case_id" "/clauses" "/clauses/HS-2"
      "/api/v1/decisions" "/api/v1/decisions/$case_id" "/decisions.atom"
      "/log/checkpoint" "/log/tile/0/000" "/log/proof/inclusion?index=$((size / 2))"
      "member:/dashboard" "member:/cases" "member:/cases/$case_id"
    )
    for page in "${pages[@]}"; do
      jar=""
      path="$page"
      if [[ "$page" == member:* ]]; then
        path="${page#member:}"
        jar="$cookie"
      fi
      one="$(single "$base$path" "$jar")"
      read -r per_second p99 <<<"$(loaded "$base$path" "$jar")"
      echo "GET $path: one request $one ms; $clients connections: $per_second req/s, p99 $p99 ms"
      echo "summary: | $size | GET $path | $one ms | $per_second req/s | $p99 ms |"
    done
    # A reader of the home page while 16 clients fetch inclusion proofs.
    wrk -t1 -c16 -d13s "$base/log/proof/inclusion?index=$((size / 3))" >"$work/proofs.txt" &
    proofs=$!
    sleep 1
    home="$(wrk -t1 -c1 -d10s --latency -H 'Accept-Encoding: gzip' "$base/")"
    wait "$proofs"
    proof_rate="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/proofs.txt")"
    home_p99="$(ms 99% <<<"$home")"
    home_p50="$(ms 50% <<<"$home")"
    echo "GET / by one reader while 16 clients fetch proofs ($proof_rate proofs/s): p50 $home_p50 ms, p99 $home_p99 ms"
    echo "summary: | $size | GET / while 16 clients fetch proofs ($proof_rate proofs/s) | p50 $home_p50 ms | | $home_p99 ms |"
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=""

    /usr/bin/time -f '%e %M' -o "$work/export.time" "$tribune" export "$work/copy" >/dev/null
    read -r export_s export_kb <"$work/export.time"
    echo "tribune export: $export_s s, peak $((export_kb / 1024)) MB resident"
    echo "summary: | $size | tribune export | $export_s s | | peak $((export_kb / 1024)) MB |"
    /usr/bin/time -f '%e %M %P' -o "$work/verify.time" "$tribune" verify "$work/copy" >"$work/verify.out" 2>&1 \
      || { cat "$work/verify.out" >&2; exit 1; }
    read -r verify_s verify_kb verify_cpu <"$work/verify.time"
    echo "tribune verify: $verify_s s at $verify_cpu CPU, peak $((verify_kb / 1024)) MB resident"
    echo "summary: | $size | tribune verify (export) | $verify_s s | $verify_cpu CPU | peak $((verify_kb / 1024)) MB |"
  ) 2>&1 | tee "$out"
done

echo
echo "== Summary ($(nproc) cores, $(date -u +%F)); full outputs in target/bench/scale-*.txt"
echo
echo "| entries | what | one request (median of 5) | 50 connections | p99 / peak memory |"
echo "|---|---|---|---|---|"
for entries in "${sizes[@]}"; do
  grep -h '^summary: ' "target/bench/scale-$entries.txt" | sed 's/^summary: //'
done
