//! Load: 50 concurrent readers of the public record over real HTTP (a TCP
//! listener, one client thread per reader on a kept-alive connection) against
//! the demo council in a file-backed SQLite database: the decision page, the
//! decision log (plain and filtered), a decision's JSON record and the feed.
//! Prints, per path, requests, throughput and p50/p99/max latency.
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
    for path in PATHS {
        let (latencies, elapsed) = readers(address, path);
        let (p50, p99, max) = percentiles(&latencies);
        println!(
            "{path}: {} requests, {:.0} req/s, p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms",
            latencies.len(),
            latencies.len() as f64 / elapsed.as_secs_f64()
        );
    }
    drop(app);
    std::fs::remove_dir_all(&dir).unwrap();
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
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(60)))
                    .build()
                    .into();
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
