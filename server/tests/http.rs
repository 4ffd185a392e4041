//! HTTP tests through the real router (pages, server functions, 404,
//! `/healthz`) on a real SQLite database.

mod support;

use axum::body::Body;
use domain::LogOrigin;
use domain::note::NoteVerifier;
use http::{Request, StatusCode, header};
use support::TestApp;

// The server runs on a multi-thread runtime; so do these tests (Leptos
// streams the page body, and a current-thread runtime once stalled here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_shows_the_council_and_an_empty_decision_log() {
    let app =
        TestApp::with_council("Harbour <Content> </title><script>alert(1)</script> Council").await;
    let (status, headers, body) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // The name is escaped everywhere (heading, <title>, hydration data), never
    // injected as markup.
    assert!(
        body.contains("<h1 id=\"council-name\">Harbour &lt;Content&gt; &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Council</h1>"),
        "{body}"
    );
    assert!(
        body.contains("<title>Harbour &lt;Content&gt; &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Council · Tribune</title>"),
        "{body}"
    );
    assert!(!body.contains("<Content>"), "{body}");
    assert!(!body.contains("<script>alert(1)"), "{body}");
    assert!(body.contains("tribune/harbour-content-title-script-alert-1-script-council"));
    assert!(body.contains("21 November 2026"));
    assert!(body.contains("No decisions have been published yet."));
    // Rendered for hydration: the bundle is referenced.
    assert!(body.contains("/pkg/tribune.js"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uninitialised_database_says_how_to_found_the_council() {
    let app = TestApp::new().await;
    let (status, _, body) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("This Tribune has no council yet"), "{body}");
    assert!(body.contains("tribune init --name"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_path_is_a_404_page() {
    let app = TestApp::with_council("Harbour Council").await;
    let (status, headers, body) = app.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("Page not found"), "{body}");
    assert!(body.contains("/no/such/page"));
}

#[tokio::test]
async fn members_only_pages_answer_401_to_a_visitor() {
    let app = TestApp::with_council("Harbour Content Council").await;
    for (path, words) in [
        ("/cases", "Cases are for council members."),
        ("/cases/1", "Cases are for council members."),
        ("/dashboard", "Your dashboard is for council members."),
        ("/admin", "This page is for the council"),
    ] {
        let (status, _, page) = app.get(path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(page.contains(words), "{path}");
        assert!(page.contains("href=\"/sign-in\""), "{path}");
    }
    // Public pages stay public, and their header offers the public's
    // pages and the way in, not a member's pages.
    for path in ["/", "/decisions", "/members", "/rules", "/comment"] {
        let (status, _, page) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains("id=\"sign-in-link\""), "{path}");
        for members_only in [
            "href=\"/dashboard\"",
            "href=\"/account\"",
            "href=\"/cases\"",
        ] {
            assert!(!page.contains(members_only), "{path}: {members_only}");
        }
    }
}

/// A member's header names them and offers their own pages, not "Sign in".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_knows_who_is_reading() {
    let app = TestApp::with_council("Harbour Content Council").await;
    let chair = app
        .member(
            "Civil Rights Coalition",
            domain::members::Role::Chair,
            "Cy Chair",
            7,
        )
        .await;
    let (status, _, page) = app
        .request(
            Request::get("/decisions")
                .header(header::COOKIE, &chair.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"header-member\""), "{page}");
    assert!(page.contains("Your account (Cy Chair)"));
    assert!(page.contains("href=\"/dashboard\""));
    assert!(!page.contains("id=\"sign-in-link\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_version_and_database() {
    let app = TestApp::new().await;
    let (status, headers, body) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["database"]["backend"], "sqlite");
    assert_eq!(json["database"]["status"], "ok");
    assert_eq!(json["database"]["reads"], "ok");
    assert_eq!(json["database"]["writes"], "ok");
}

/// The health check tells the truth about writes: while another process
/// holds the SQLite file's write lock (as a stuck writer would), reads
/// answer but writes cannot begin, and `/healthz` says 503; once the lock is
/// let go it says 200 again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_while_writes_are_blocked() {
    use sqlx::Connection as _;
    let dir = std::env::temp_dir().join(format!("tribune-health-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let app = TestApp::build(&url, Some("Harbour Council"), 3).await;
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    let (status, _, body) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "unavailable");
    assert_eq!(json["database"]["reads"], "ok");
    assert_eq!(json["database"]["writes"], "unavailable");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    let (status, _, body) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    other.close().await.unwrap();
    app.storage.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.storage.close().await;
    let (status, _, body) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "unavailable");
    assert_eq!(json["database"]["status"], "unavailable");
    assert_eq!(json["database"]["reads"], "unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_says_so_when_the_database_is_gone() {
    let app = TestApp::with_council("Harbour Council").await;
    app.storage.close().await;
    let (status, _, body) = app.get("/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("could not be loaded"), "{body}");
    assert!(body.contains("data-error-code=\"unavailable\""), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_when_asked() {
    let app = TestApp::with_council("Harbour Council").await;
    let (status, headers, _) = app
        .request(
            Request::get("/")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_key_and_checkpoint_are_published_as_text() {
    let app = TestApp::with_council("Harbour Council").await;
    let expected = domain::note::NoteSigner::from_seed("tribune/harbour-council", &[5; 32])
        .unwrap()
        .verifier();

    let (status, headers, body) = app.get("/log/key").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age=86400")
    );
    let key = NoteVerifier::from_vkey(body.trim_end()).unwrap();
    assert_eq!(key, expected);

    let (status, headers, body) = app.get("/log/checkpoint").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age=5")
    );
    let origin = LogOrigin::parse("tribune/harbour-council").unwrap();
    let (checkpoint, _) =
        domain::checkpoint::Checkpoint::open(body.as_bytes(), &origin, &key).unwrap();
    assert_eq!(checkpoint.size, 1);

    // And the home page shows the same key.
    let (_, _, home) = app.get("/").await;
    assert!(home.contains(&key.to_vkey()), "{home}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_endpoints_say_when_there_is_no_council() {
    let app = TestApp::new().await;
    for path in ["/log/key", "/log/checkpoint"] {
        let (status, headers, body) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert!(body.contains("no council has been founded yet"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tiles_entries_and_proofs_are_served() {
    let app = TestApp::with_council("Harbour Council").await;

    let (status, headers, _) = app.get("/log/tile/0/000.p/1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    let (status, _, body) = app.get("/log/entry/0").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["entry"]["kind"], "council-founding");
    assert_eq!(json["index"], 0);

    let (status, _, body) = app.get("/log/proof/inclusion?index=0").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["size"], 1);
    assert_eq!(json["root"], json["leaf_hash"]);
    assert_eq!(json["proof"], serde_json::json!([]));

    let (status, _, body) = app.get("/log/proof/consistency?from=1").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Beyond the log, or not a tile: JSON errors with a code.
    for (path, code) in [
        ("/log/tile/0/000", "beyond_the_log"),
        ("/log/tile/0/0", "not_a_tile"),
        ("/log/entry/1", "no_such_entry"),
        ("/log/proof/inclusion?index=1", "out_of_range"),
        ("/log/proof/consistency?from=2", "out_of_range"),
    ] {
        let (status, _, body) = app.get(path).await;
        assert!(status.is_client_error(), "{path}: {status}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"], code, "{path}");
        assert!(json["message"].is_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::with_council("Harbour Council").await;
    let (_, headers, body) = app.get("/").await;
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    // The page's scripts carry the nonce the policy names.
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "{body}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
    let (_, headers, _) = app.get("/log/checkpoint").await;
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    // A second page gets a fresh nonce.
    let (_, again, _) = app.get("/").await;
    assert_ne!(
        again[header::CONTENT_SECURITY_POLICY],
        headers[header::CONTENT_SECURITY_POLICY]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused_before_anything_runs() {
    let app = TestApp::with_council("Harbour Council").await;
    let post_to = |host: &str, origin: Option<&str>, site: Option<&str>| {
        let mut request = Request::post("/api/sign_in_challenge")
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(Body::empty()).unwrap()
    };
    let post = |origin: Option<&str>, site: Option<&str>| post_to("127.0.0.1:3000", origin, site);
    let (status, _, body) = app.request(post(Some("https://evil.example"), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("\"error\":\"cross_site_request\""), "{body}");
    let (status, _, _) = app.request(post(None, Some("cross-site"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An opaque origin (a sandboxed frame, a `data:` page) is not ours either.
    let (status, _, _) = app.request(post(Some("null"), Some("same-origin"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // DNS rebinding: a page on another name that resolves to this server
    // sends its own name as Host and Origin; only the public URL counts.
    let (status, _, _) = app
        .request(post_to(
            "evil.example",
            Some("http://evil.example"),
            Some("same-origin"),
        ))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The public URL's host over another scheme is another origin.
    let (status, _, _) = app
        .request(post(Some("https://127.0.0.1:3000"), Some("same-origin")))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Same origin, or no Origin at all (a non-browser client): allowed.
    let (status, _, body) = app
        .request(post(Some("http://127.0.0.1:3000"), Some("same-origin")))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = app.request(post(None, None)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_beyond_the_limit_get_429() {
    let app = TestApp::with_council("Harbour Council").await;
    let challenge = || {
        Request::post("/api/sign_in_challenge")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..3 {
        let (status, _, _) = app.request(challenge()).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = app.request(challenge()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
    assert!(body.contains("rate_limited"), "{body}");
    // Other endpoints are not limited.
    let (status, _, _) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_pages_are_never_cached() {
    let app = TestApp::with_council("Harbour Council").await;
    for path in ["/cases", "/cases/1", "/account", "/admin", "/dashboard"] {
        let (_, headers, _) = app.get(path).await;
        assert_eq!(
            headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}"
        );
    }
    let (_, headers, _) = app.get("/decisions").await;
    assert_ne!(
        headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    // Served over plain HTTP: no Strict-Transport-Security.
    assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_has_its_own_endpoint() {
    let app = TestApp::with_council("Harbour Council").await;
    // The public catalogue (with decision counts) and the members' one for
    // the intake form once shared `/api/clauses`: only one was reachable.
    let (status, _, body) = app.call("public_clauses", &[], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.starts_with('['), "{body}");
    let (status, _, body) = app.call("clause_catalogue", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _, _) = app.call("clauses", &[], None).await;
    assert!(status.is_client_error(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_arguments_answer_400_with_a_code() {
    let app = TestApp::with_council("Harbour Council").await;
    // `case` must be a number; `id` is missing altogether.
    for (endpoint, fields) in [
        ("comment_case", vec![("id", "not-a-number")]),
        ("comment_case", vec![]),
    ] {
        let (status, _, body) = app.call(endpoint, &fields, None).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{endpoint} {fields:?}: {body}"
        );
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"], "bad_request", "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_invitation_links_is_stopped_whatever_the_next_guess() {
    // Three attempts a minute on limited paths (TestApp::with_council).
    let app = TestApp::with_council("Harbour Council").await;
    for guess in 0..4 {
        let (status, _, _) = app.get(&format!("/invite/{guess:064x}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "guess {guess}");
    }
    // Out of failed lookups: even a right guess is answered 429, so the
    // answer tells nothing.
    let group = app.group("Independent Experts").await;
    let token = app
        .invitation(group, domain::members::Role::Member, "Bo Lind", None)
        .await;
    let (status, headers, _) = app.get(&format!("/invite/{token}")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
    // Other paths are not affected.
    let (status, _, _) = app.get("/decisions").await;
    assert_eq!(status, StatusCode::OK);
}
