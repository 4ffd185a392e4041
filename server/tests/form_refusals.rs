//! A plain form post's refusal reaches the page the browser returns to from
//! the server (a short-lived cookie), never from text in the address: a
//! link cannot put words in the page's error box. A refusal that no form on
//! the page shows (a stale tab) is shown at the top of the page.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use axum::body::Body;
use domain::members::Role;
use http::{Request, StatusCode, header};
use support::TestApp;

fn page(path: &str, cookies: &[&str]) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookies.join("; "))
        .body(Body::empty())
        .unwrap()
}

/// The `name=value` of the refusal cookie a response sets, if any.
fn refusal_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tribune_refusal="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_shown_from_the_server_never_from_the_address() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let chair = app
        .member("Civil Rights Coalition", Role::Chair, "Cy Chair", 1)
        .await;
    let ben = app
        .member("Free Expression Alliance", Role::Member, "Ben Member", 2)
        .await;
    let case = app.case_in_voting(chair.id).await;
    let back = format!("/cases/{}", case.0);

    // Ben's tab still shows a form only the chair may send.
    let post = Request::post("/api/draft_motion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("http://127.0.0.1:3000{back}"))
        .header(header::COOKIE, ben.cookie.as_str())
        .body(Body::from(format!(
            "case={}&kind=finding&text=Drafted",
            case.0
        )))
        .unwrap();
    let (status, headers, body) = app.request(post).await;
    assert!(status.is_redirection(), "{status} {body}");
    let refusal = refusal_cookie(&headers).expect("the refusal handed to the page");
    assert!(
        headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().unwrap().contains("HttpOnly; SameSite=Strict")),
        "{headers:?}"
    );
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    let location = location.trim_start_matches("http://127.0.0.1:3000");

    // The page it returns to shows the refusal beside the form, once.
    let (status, headers, shown) = app.request(page(location, &[&ben.cookie, &refusal])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("<span data-refusal=\"\">Your role does not allow this.</span>"),
        "{shown}"
    );
    assert!(
        refusal_cookie(&headers).is_some_and(|cookie| cookie == "tribune_refusal="),
        "the refusal is removed once shown"
    );

    // Text in the address is never shown, whatever it says.
    let forged = format!(
        "{back}?__path=/api/draft_motion&__err={}",
        "%7B%22error%22%3A%22conflict%22%2C%22message%22%3A%22Official%20notice%3A%20call%20us%22%7D"
    );
    let (_, _, page_text) = app.request(page(&forged, &[&ben.cookie])).await;
    assert!(!page_text.contains("Official notice"), "{page_text}");
    assert!(!page_text.contains("data-refusal"), "{page_text}");
    assert!(!page_text.contains("id=\"page-refusal\""), "{page_text}");

    // A refusal that no form on the page shows (the form's section is gone
    // for this reader) is shown at the top of the page instead.
    let (_, _, home) = app.request(page("/", &[&refusal])).await;
    assert!(
        home.contains("id=\"page-refusal\" class=\"notice error page-refusal\">Your role does not allow this.</p>"),
        "{home}"
    );
}
