#!/usr/bin/env bash
# The public record under load, measured from outside the server: a release
# `tribune serve` on the demo council (file-backed SQLite) in its own
# process, 50 concurrent clients from `wrk` (Debian's, one event-loop thread,
# kept-alive connections, gzip asked for as browsers do), and the same pages'
# bytes served by nginx (pre-gzipped, `gzip_static`) on the same machine as
# the static-file baseline. Prints one line per page and a summary row each
# (`summary: | … |`, read by scripts/bench.sh).
#
#   scripts/load-public.sh [SECONDS]     each measurement lasts SECONDS (default 15)
#
# Everything listens on loopback only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=tribune

seconds="${1:-15}"
clients=50
pages=("/decisions/1" "/decisions" "/decisions?outcome=carried&q=harbour")

scripts/ensure-tools.sh --bench >/dev/null
cargo build --release --quiet -p server --bin tribune
tribune="$PWD/target/release/tribune"

work="$(mktemp -d)"
# nginx's worker runs as an unprivileged user: it must be able to read the files.
chmod 755 "$work"
server_pid=""
nginx_conf=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n "$nginx_conf" ]] && nginx -c "$nginx_conf" -p "$work/nginx" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# free_port, wait_for, ms.
source scripts/load-lib.sh

# measure LABEL URL: one wrk run; prints its line and its summary row, and
# leaves the throughput in $rate.
measure() {
  local label="$1" url="$2" out
  # A short warm-up first (connections, caches, SQLite's page cache).
  wrk -t1 -c"$clients" -d2s -H 'Accept-Encoding: gzip' "$url" >/dev/null
  out="$(wrk -t1 -c"$clients" -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' "$url")"
  local requests errors p50 p99
  requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
  rate="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
  p50="$(ms 50% <<<"$out")"
  p99="$(ms 99% <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  echo "$label: $requests requests in ${seconds} s, $rate req/s, p50 $p50 ms, p99 $p99 ms${errors:+ ($errors)}"
  if [[ -n "$errors" ]]; then
    echo "load: $label answered errors" >&2
    exit 1
  fi
  row="| $label | $requests | $rate | $p50 ms | $p99 ms |"
}

# The server: the demo council in a new SQLite file.
port="$(free_port)"
export TRIBUNE_DATABASE_URL="sqlite://$work/tribune.db"
export TRIBUNE_LOG_KEY_FILE="$work/log.key"
export TRIBUNE_LOG=warn
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$PWD/target/site"
export LEPTOS_ENV=PROD
"$tribune" demo >/dev/null
"$tribune" serve >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/healthz"

# The baseline: the same pages' bytes as files, gzipped beforehand, by nginx.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
static_port="$(free_port)"
n=0
declare -A files
for page in "${pages[@]}"; do
  n=$((n + 1))
  curl -fsS "http://127.0.0.1:$port$page" -o "$work/nginx/html/page$n.html"
  gzip -9 -k "$work/nginx/html/page$n.html"
  files["$page"]="page$n.html"
done
nginx_conf="$work/nginx/nginx.conf"
cat >"$nginx_conf" <<EOF
daemon on;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  gzip_static on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$static_port;
    root $work/nginx/html;
  }
}
EOF
nginx -c "$nginx_conf" -p "$work/nginx"
wait_for "http://127.0.0.1:$static_port/page1.html"

echo "$clients concurrent clients (wrk, one thread), ${seconds} s per page, $(nproc) cores, release server in its own process:"
for page in "${pages[@]}"; do
  measure "GET $page" "http://127.0.0.1:$port$page"
  page_rate="$rate"
  echo "summary: $row target p99 < 50 ms |"
  measure "$page, its bytes as a static file (nginx)" "http://127.0.0.1:$static_port/${files[$page]}"
  ratio="$(awk -v a="$page_rate" -v b="$rate" 'BEGIN { printf "%.2f", a / b }')"
  echo "summary: $row the page answers ${ratio}x the static file's throughput |"
done
