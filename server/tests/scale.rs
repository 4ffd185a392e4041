//! A request costs what it shows, not the size of the log (issue 30).
//!
//! Two demo councils, one ten times the other, are each served by a fresh
//! app (empty SQLite page caches), and every page and endpoint below is
//! asked once. What it reads from the database is measured as the bytes
//! this process reads through system calls (`rchar` in `/proc/self/io`):
//! SQLite reads every page a query touches with `pread`, so a query that
//! counts, scans or groups a whole table reads ten times as much on the
//! larger council, while one that follows an index to what the page shows
//! reads about the same (a B-tree one level deeper at most). This file
//! holds one test, so nothing else in the process reads meanwhile.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use axum::body::Body;
use http::{Request, StatusCode, header};
use support::TestApp;

/// The bytes this process has read through system calls so far.
fn bytes_read() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap();
    io.lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Signs in as demo member `n` (the demo's keys are public); the session
/// cookie.
async fn sign_in(app: &TestApp, n: u32) -> String {
    let key = domain::demo::demo_key(n);
    let (status, _, body) = app.call("sign_in_challenge", &[], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let challenge: serde_json::Value = serde_json::from_str(&body).unwrap();
    let nonce_hex = challenge["nonce"].as_str().unwrap().to_owned();
    let nonce = <[u8; 32]>::try_from(domain::hex::decode(&nonce_hex).unwrap()).unwrap();
    let council = app.storage.council().await.unwrap().unwrap();
    let signature = domain::signin::sign_challenge(&council.log_origin, &nonce, &key);
    let public_key = domain::hex::encode(key.verifying_key().as_bytes());
    let signature = domain::hex::encode(&signature);
    let (status, headers, body) = app
        .call(
            "sign_in",
            &[
                ("nonce", &nonce_hex),
                ("public_key", &public_key),
                ("signature", &signature),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    support::session_cookie(&headers).unwrap()
}

/// What asking `path` once reads, on a freshly opened app over `url`.
async fn cost(url: &str, path: &str, cookie: Option<&str>) -> u64 {
    let app = TestApp::build(url, None, 1000).await;
    // Every read connection opened, and the schema read, before measuring.
    let warm: Vec<_> = (0..8).map(|_| app.get("/log/key")).collect();
    for (status, _, _) in futures_util::future::join_all(warm).await {
        assert_eq!(status, StatusCode::OK);
    }
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let before = bytes_read();
    let (status, _, body) = app.request(request.body(Body::empty()).unwrap()).await;
    let read = bytes_read() - before;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    app.storage.close().await;
    read
}

/// The pages and endpoints measured; `{case}` is the newest published
/// decision's case, `{index}` an entry in the middle of the log. Not yet
/// here: a clause's consistency report (`/clauses/{code}`), which still
/// folds every decision under the clause on each request.
const PUBLIC: [&str; 15] = [
    "/",
    "/docket?stage=voting",
    "/decisions",
    "/decisions?outcome=carried",
    "/decisions/{case}",
    "/docket",
    "/docket/{case}",
    "/clauses",
    "/api/v1/decisions",
    "/api/v1/decisions/{case}",
    "/decisions.atom",
    "/decisions.json",
    "/log/checkpoint",
    "/log/proof/inclusion?index={index}",
    "/log/entry/{index}",
];

/// Member pages, as the demo's chair (demo key 0).
const MEMBER: [&str; 3] = ["/dashboard", "/cases", "/cases/{case}"];

struct Council {
    url: String,
    case: u64,
    index: u64,
    cookie: String,
    _dir: std::path::PathBuf,
}

async fn council(name: &str, cases: u32) -> Council {
    let (dir, url) = support::demo_database_of(name, cases);
    let app = TestApp::build(&url, None, 1000).await;
    let case = app.storage.recent_decisions(1).await.unwrap()[0].case.0;
    let index = app.storage.latest_checkpoint_size().await.unwrap() / 2;
    let cookie = sign_in(&app, 0).await;
    app.storage.close().await;
    Council {
        url,
        case,
        index,
        cookie,
        _dir: dir,
    }
}

fn fill(path: &str, council: &Council) -> String {
    path.replace("{case}", &council.case.to_string())
        .replace("{index}", &council.index.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_page_reads_does_not_grow_with_the_log() {
    let small = council("scale-small", 40).await;
    let large = council("scale-large", 400).await;
    let pages = PUBLIC
        .iter()
        .map(|p| (*p, false))
        .chain(MEMBER.iter().map(|p| (*p, true)));
    let mut report = Vec::new();
    let mut grew = Vec::new();
    for (page, member) in pages {
        let mut read = [0; 2];
        for (n, council) in [&small, &large].into_iter().enumerate() {
            let cookie = member.then_some(council.cookie.as_str());
            // The least of two fresh apps: a read connection the warm-up
            // did not open reads the schema first.
            let path = fill(page, council);
            read[n] = cost(&council.url, &path, cookie)
                .await
                .min(cost(&council.url, &path, cookie).await);
        }
        report.push(format!("{page}: {} B → {} B", read[0], read[1]));
        // A B-tree a level deeper on each index followed, and the rows of a
        // page spread over more of its pages (a filtered page's probes land
        // on as many pages as rows once the table outgrows them): some
        // growth, up to about twice, far from tenfold.
        if read[1] > 2 * read[0] + 32 * 1024 {
            grew.push(page);
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        grew.is_empty(),
        "these read more on a log ten times larger: {grew:?}\n{}",
        report.join("\n")
    );
}
