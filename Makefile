# Tribune's two commands: `make run` and `make test`. Both install what is missing.
.PHONY: run test bench bench-scale build release tools fmt clean

# Leptos compiles LEPTOS_OUTPUT_NAME in (cargo-leptos sets it). Setting it for
# every cargo command keeps `cargo test`, `cargo clippy` and `cargo leptos
# build` on the same fingerprints, so they share the one target/ directory
# instead of rebuilding Leptos for each.
export LEPTOS_OUTPUT_NAME = tribune

## Build, found a demo council in a new database, serve on http://127.0.0.1:3000.
run:
	scripts/run.sh

## Format check, clippy (ssr and wasm32 hydrate), all Rust tests (PostgreSQL too), browser tests.
test:
	scripts/test.sh

## Benchmarks, load tests and the wasm bundle's size, then a summary table
## (figures in docs/benchmarks.md; full outputs in target/bench/).
bench:
	scripts/bench.sh

## Tribune at 10,000 and 1,000,000 log entries: every page, one request and
## 50 connections, and tribune verify's time and memory (docs/benchmarks.md).
bench-scale:
	scripts/bench-scale.sh

## Debug build of the server and the site.
build: tools
	cargo leptos build --split

## Release build: target/release/tribune and target/site (wasm optimised by npm's wasm-opt).
release:
	scripts/ensure-tools.sh --release
	PATH="$(CURDIR)/.tools/node_modules/.bin:$$PATH" cargo leptos build --release --split

tools:
	scripts/ensure-tools.sh

fmt:
	cargo fmt --all

clean:
	cargo clean
