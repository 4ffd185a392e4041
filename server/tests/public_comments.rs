//! The public comment form through the real router: only in the comment
//! period, every field checked, size- and rate-limited, and a page that works
//! without an account.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use axum::body::Body;
use domain::cases::{CaseId, CaseStatus};
use domain::members::Role;
use http::{Request, StatusCode, header};
use storage::Transition;
use support::TestApp;

async fn case(app: &TestApp, accepted: bool) -> CaseId {
    let clerk = app
        .member("Independent Experts", Role::Clerk, "Cleo Clerk", 3)
        .await;
    let id = app.case(clerk.id).await;
    if accepted {
        app.storage
            .move_case(
                &Transition {
                    case: id,
                    from: CaseStatus::Intake,
                    to: CaseStatus::Accepted,
                    by: clerk.id,
                    reason: None,
                },
                storage::now(),
            )
            .await
            .unwrap();
    }
    id
}

fn form(case: CaseId, name: &str, text: &str, json: bool) -> Request<Body> {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let mut request = Request::post("/public-comments")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if json {
        request = request.header(header::ACCEPT, "application/json");
    }
    request
        .body(Body::from(format!(
            "case={}&name={}&affiliation=&text={}",
            case.0,
            encode(name),
            encode(text)
        )))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_comments_are_taken_only_in_the_comment_period_and_checked() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let closed = case(&app, false).await;
    let (status, _, body) = app.request(form(closed, "Sam", "Too early", true)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("\"error\":\"closed\""), "{body}");
    let (status, _, _) = app.get(&format!("/comment/{}", closed.0)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let open = CaseId(closed.0);
    app.storage
        .move_case(
            &Transition {
                case: open,
                from: CaseStatus::Intake,
                to: CaseStatus::Accepted,
                by: domain::statement::MemberId(1),
                reason: None,
            },
            storage::now(),
        )
        .await
        .unwrap();
    // The page works without an account.
    let (status, _, page) = app.get(&format!("/comment/{}", open.0)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("action=\"/public-comments\""), "{page}");
    let (status, _, body) = app.request(form(open, " ", "No name", true)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("invalid_name"), "{body}");
    let (status, _, body) = app
        .request(form(open, "Sam", &"x".repeat(40 * 1024), true))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(app.storage.public_comments(open).await.unwrap().is_empty());

    let (status, headers, _) = app
        .request(form(
            open,
            "Sam Reyes",
            "<script>alert(1)</script> context",
            false,
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/comment/{}?result=received#comment-form", open.0).as_str()
    );
    let stored = app.storage.public_comments(open).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, "pending");

    // The page puts the question, and how many statements the clerk
    // approved and rejected, before anyone who writes.
    let (_, _, page) = app.get(&format!("/comment/{}", open.0)).await;
    assert!(page.contains("id=\"comment-question\""), "{page}");
    assert!(
        page.contains("Statements approved so far: 0; rejected by the clerk: 0."),
        "{page}"
    );
    app.storage
        .decide_public_comment(
            stored[0].id,
            false,
            Some("Not about the case."),
            domain::statement::MemberId(1),
            storage::now(),
        )
        .await
        .unwrap();
    let (_, _, page) = app.get(&format!("/comment/{}", open.0)).await;
    assert!(
        page.contains("Statements approved so far: 0; rejected by the clerk: 1."),
        "{page}"
    );
    assert!(
        page.contains(&format!("href=\"/docket/{}\"", open.0)),
        "{page}"
    );

    // In French, the result and the form read in French (no JavaScript).
    let french = http::Request::get(format!("/comment/{}?result=received", open.0))
        .header(header::COOKIE, "tribune_lang=fr")
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, page) = app.request(french).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("votre déclaration a bien été reçue"),
        "{page}"
    );
    assert!(page.contains(">Envoyer la déclaration<"), "{page}");
    assert!(
        page.contains("Votre nom ou un pseudonyme (publié)"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_form_is_rate_limited_per_address() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 3).await;
    let open = case(&app, true).await;
    for _ in 0..3 {
        let (status, _, _) = app.request(form(open, "Sam", "Statement", true)).await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let (status, headers, body) = app.request(form(open, "Sam", "Statement", true)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.contains_key(header::RETRY_AFTER));
}
