//! Load: 50 concurrent readers of the public record over real HTTP (a TCP
//! listener, one client thread per reader on a kept-alive connection) against
//! the demo council in a file-backed SQLite database: the decision page, the
//! decision log (plain and filtered), a decision's JSON record and the feed.
//! Prints, per path, requests, throughput and p50/p99/max latency; the log's
//! checkpoint and tiles; and the same pages' bytes, gzipped beforehand and
//! served from memory on the same machine, as the static-file baseline the
//! pages are compared with.
//!
//! Ignored by `cargo test` (it measures rather than checks behaviour);
//! `make bench` runs it: `cargo test --release -p server --test public_load
//! -- --ignored --nocapture`.

#![expect(
    clippy::unwrap_used,
    reason = "a load test fails loudly on any error, in its helpers too"
)]

mod support;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use support::TestApp;

/// Concurrent readers.
const CLIENTS: usize = 50;
/// Requests each reader makes per path (after one warm-up request).
const REQUESTS: usize = 40;
const PATHS: [&str; 5] = [
    "/decisions/1",
    "/decisions",
    "/decisions?outcome=carried&q=harbour",
    "/api/v1/decisions/1",
    "/decisions.atom",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test: run by `make bench`"]
async fn fifty_readers_of_the_public_record() {
    let (dir, url) = support::demo_database("public-load");
    let app = TestApp::build(&url, None, 1_000_000).await;
    let address = app.serve_tcp().await;

    println!(
        "{CLIENTS} concurrent readers, {REQUESTS} requests each per path, {} cores:",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // The log as a verifier or witness reads it: the checkpoint, the first
    // level-0 hash tile and entry bundle (partial while the log is short).
    let checkpoint = fetch(address, "/log/checkpoint");
    let size: u64 = checkpoint.lines().nth(1).unwrap().parse().unwrap();
    let tile = if size >= 256 {
        "000".to_owned()
    } else {
        format!("000.p/{size}")
    };
    let log_paths = [
        "/log/checkpoint".to_owned(),
        format!("/log/tile/0/{tile}"),
        format!("/log/tile/entries/{tile}"),
    ];
    let mut figures = Vec::new();
    for path in PATHS.iter().map(|p| (*p).to_owned()).chain(log_paths) {
        figures.push((path.clone(), measure(address, &path, true)));
    }

    // The baseline: the decision page and the log list, as files.
    let files = dir.join("static");
    std::fs::create_dir_all(&files).unwrap();
    let baseline = [
        ("/decisions/1", "decision.html"),
        ("/decisions", "log.html"),
    ];
    for (path, file) in baseline {
        std::fs::write(files.join(file), fetch(address, path)).unwrap();
        // Compressed beforehand, as a static server keeps its files.
        let gzipped = std::process::Command::new("gzip")
            .args(["-9", "-k", "-f"])
            .arg(files.join(file))
            .status()
            .unwrap();
        assert!(gzipped.success());
    }
    let static_address = serve_static(&files).await;
    for (path, file) in baseline {
        let (requests, per_second, p50, p99) = measure(static_address, &format!("/{file}"), false);
        let page = &figures.iter().find(|(p, _)| p == path).unwrap().1;
        println!(
            "summary: | {path}, its bytes as a static file (baseline) | {requests} | {per_second:.0} | {p50:.1} ms | {p99:.1} ms | the page answers {:.2}x the static file's throughput ({:.1}x fewer requests/s) |",
            page.1 / per_second,
            per_second / page.1,
        );
    }
    drop(app);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Measures `path` with `readers`, prints its line (and, if `summary`, its
/// summary row): (requests, requests per second, p50 ms, p99 ms).
fn measure(address: std::net::SocketAddr, path: &str, summary: bool) -> (usize, f64, f64, f64) {
    let (latencies, elapsed) = readers(address, path);
    let (p50, p99, max) = percentiles(&latencies);
    let per_second = latencies.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{path}: {} requests, {per_second:.0} req/s, p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms",
        latencies.len(),
    );
    if summary {
        println!(
            "summary: | GET {path}, {CLIENTS} readers | {} | {per_second:.0} | {p50:.1} ms | {p99:.1} ms | |",
            latencies.len()
        );
    }
    (latencies.len(), per_second, p50, p99)
}

/// The body of `path`.
fn fetch(address: std::net::SocketAddr, path: &str) -> String {
    let mut response = ureq::get(format!("http://{address}{path}")).call().unwrap();
    response.body_mut().read_to_string().unwrap()
}

/// Serves each `.gz` file of `dir` at `/{name}` from memory, as
/// `Content-Encoding: gzip` (the client asks for gzip, as browsers do): the
/// least a server can do to send those bytes.
async fn serve_static(dir: &std::path::Path) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut router = axum::Router::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(name) = name.strip_suffix(".gz") else {
            continue;
        };
        let bytes = axum::body::Bytes::from(std::fs::read(&path).unwrap());
        router = router.route(
            &format!("/{name}"),
            axum::routing::get(move || {
                let bytes = bytes.clone();
                async move {
                    (
                        [
                            (http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
                            (http::header::CONTENT_ENCODING, "gzip"),
                        ],
                        bytes,
                    )
                }
            }),
        );
    }
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

/// `CLIENTS` threads each GET `path` `REQUESTS` times, all starting together
/// on warmed connections; every answer must be 200.
fn readers(address: std::net::SocketAddr, path: &str) -> (Vec<Duration>, Duration) {
    let start = Arc::new(Barrier::new(CLIENTS + 1));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let start = Arc::clone(&start);
            let url = format!("http://{address}{path}");
            std::thread::spawn(move || {
                let agent = support::http_agent(Duration::from_secs(60));
                let get = |agent: &ureq::Agent| {
                    let mut response = agent.get(&url).call().unwrap();
                    assert_eq!(response.status(), 200, "{url}");
                    let _ = response.body_mut().read_to_vec().unwrap();
                };
                get(&agent);
                start.wait();
                (0..REQUESTS)
                    .map(|_| {
                        let began = Instant::now();
                        get(&agent);
                        began.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    (latencies, began.elapsed())
}

/// p50, p99 and max of `latencies`, in milliseconds.
fn percentiles(latencies: &[Duration]) -> (f64, f64, f64) {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(at(0.50)), ms(at(0.99)), ms(*sorted.last().unwrap()))
}
