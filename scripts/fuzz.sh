#!/usr/bin/env bash
# Fuzz every parser of untrusted input for SECONDS each (default 60):
# seeds the corpora from a fresh demo council's export, then runs the
# cargo-fuzz targets in fuzz/ (nightly; cargo-fuzz installed if missing).
# A crash stops the run; its input is in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

export LEPTOS_OUTPUT_NAME=tribune
cargo build -q -p server --bin tribune
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
./target/debug/tribune --database-url "sqlite://$seed/t.db" --log-key-file "$seed/log.key" demo >/dev/null
./target/debug/tribune --database-url "sqlite://$seed/t.db" --log-key-file "$seed/log.key" export "$seed/export" >/dev/null

python3 - "$seed/export" fuzz/corpus <<'PY'
import os, pathlib, sys
export, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for target in ["statement_entry", "signed_note", "tiles", "merkle_proofs", "api_bodies", "whole_log"]:
    (corpus / target).mkdir(parents=True, exist_ok=True)
n = 0
for bundle in sorted((export / "tile" / "entries").rglob("*")):
    if not bundle.is_file():
        continue
    data = bundle.read_bytes()
    (corpus / "tiles" / f"bundle{n}").write_bytes(data)
    i = 0
    while i < len(data):
        length = int.from_bytes(data[i:i + 2], "big")
        (corpus / "statement_entry" / f"entry{n}").write_bytes(data[i + 2:i + 2 + length])
        i += 2 + length
        n += 1
# The whole log as one bundle (bundles are entries with their lengths, so
# they concatenate), for whole_log.
whole = b"".join(b.read_bytes() for b in sorted((export / "tile" / "entries").rglob("*")) if b.is_file())
(corpus / "whole_log" / "demo").write_bytes(whole)
(corpus / "signed_note" / "checkpoint").write_bytes((export / "checkpoint").read_bytes())
(corpus / "tiles" / "path").write_bytes(b"tile/1/x001/x234/067.p/12")
(corpus / "api_bodies" / "case").write_bytes(
    b'{"kind":"content","subject_handle":"@a","audience":10,'
    b'"original_action":"removed","clauses":["HS-2"],"reason":"r"}')
PY

# whole_log signs each fuzzed log with the demo council's log key.
mkdir -p fuzz/keys
cp "$seed/log.key" fuzz/keys/whole_log.key
export TRIBUNE_FUZZ_LOG_KEY="$PWD/fuzz/keys/whole_log.key"

cd fuzz
for target in statement_entry signed_note tiles merkle_proofs api_bodies whole_log; do
  echo "== $target ($seconds s)"
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 |
    grep -E '^Done|stat::average_exec_per_sec|DONE' | tail -3
done
