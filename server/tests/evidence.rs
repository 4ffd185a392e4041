//! Evidence uploads and downloads through the real router: members only,
//! size limit, types found from the bytes, downloads that never render.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use axum::body::Body;
use domain::cases::{CaseId, MAX_EVIDENCE_BYTES};
use domain::members::Role;
use http::{Request, StatusCode, header};
use support::TestApp;

const BOUNDARY: &str = "tribune-test-boundary";

fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn setup() -> (TestApp, String, CaseId) {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let member = app
        .member("Independent Experts", Role::Member, "Ada Moreau", 7)
        .await;
    let case = app.case(member.id).await;
    (app, member.cookie, case)
}

async fn upload(
    app: &TestApp,
    case: CaseId,
    cookie: Option<&str>,
    json: bool,
    body: Vec<u8>,
) -> (StatusCode, http::HeaderMap, String) {
    let mut request = Request::post(format!("/cases/{}/evidence", case.0)).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if json {
        request = request.header(header::ACCEPT, "application/json");
    }
    app.request(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_for_members_and_checked_before_it_is_kept() {
    let (app, cookie, case) = setup().await;
    let pdf = b"%PDF-1.7\n% the platform's report\n".to_vec();
    let form = |kind: &str, file_name: &str, bytes: &[u8]| {
        multipart(&[
            ("kind", None, kind.as_bytes()),
            ("title", None, b"The report"),
            ("file", Some(file_name), bytes),
        ])
    };

    let (status, _, _) = upload(&app, case, None, true, form("file", "r.pdf", &pdf)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let huge = [b"%PDF-1.7".as_slice(), &vec![b'a'; MAX_EVIDENCE_BYTES]].concat();
    let (status, _, body) = upload(
        &app,
        case,
        Some(&cookie),
        true,
        form("file", "big.pdf", &huge),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("\"error\":\"too_large\""), "{body}");

    // An HTML page named like a PDF: refused by its bytes.
    let (status, _, body) = upload(
        &app,
        case,
        Some(&cookie),
        true,
        form(
            "file",
            "report.pdf",
            b"<html><script>alert(1)</script></html>",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    // The same from a browser's form: back to the case page, which says why.
    let (status, headers, _) = upload(
        &app,
        case,
        Some(&cookie),
        false,
        form("file", "page.html", b"<html></html>"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/cases/{}?evidence_error=file_type#evidence", case.0).as_str()
    );
    let (status, _, body) = upload(
        &app,
        case,
        Some(&cookie),
        true,
        multipart(&[
            ("kind", None, b"link"),
            ("title", None, b"Bad"),
            ("url", None, b"javascript:alert(1)"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(app.storage.evidence(case).await.unwrap().is_empty());

    // A real PDF: kept, and served only as a download.
    let (status, headers, _) = upload(
        &app,
        case,
        Some(&cookie),
        false,
        form("file", "report.pdf", &pdf),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/cases/{}#evidence", case.0).as_str()
    );
    let stored = app.storage.evidence(case).await.unwrap();
    assert_eq!(stored.len(), 1);
    let path = format!("/cases/{}/evidence/{}", case.0, stored[0].id);
    let (status, _, _) = app.get(&path).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, headers, body) = app
        .request(
            Request::get(&path)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_bytes(), pdf.as_slice());
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"report.pdf\""
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers["x-content-sha256"],
        domain::hex::encode(&stored[0].sha256.unwrap()).as_str()
    );
    // The case page lists it.
    let (_, _, page) = app
        .request(
            Request::get(format!("/cases/{}", case.0))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.contains(&path), "the case page links the file");
}
