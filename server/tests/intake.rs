//! The platform's intake API through the real router: bearer tokens, size
//! limit, field validation naming each field, idempotent retries, the case
//! status endpoint.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use axum::body::Body;
use domain::cases::ClauseCode;
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use storage::{CaseFilter, Clause};
use support::TestApp;

const TOKEN: &str = "platform-secret-token-0123456789abcdef";

async fn app() -> TestApp {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    for (code, title) in [("HS-2", "Hateful conduct"), ("V-1", "Violent threats")] {
        app.storage
            .add_clause(
                &Clause {
                    code: ClauseCode::parse(code).unwrap(),
                    title: title.to_owned(),
                },
                storage::now(),
            )
            .await
            .unwrap();
    }
    app.storage
        .create_intake_token(
            "Platform",
            &app::functions::ssr::sha256(TOKEN.as_bytes()),
            None,
            storage::now(),
        )
        .await
        .unwrap();
    app
}

fn escalation() -> Value {
    json!({
        "kind": "reinstatement",
        "subject_handle": "@famous_account",
        "subject_link": "https://social.example/@famous_account",
        "excerpt": "Banned after a series of posts.",
        "audience": 48_000_000,
        "original_action": "account_banned",
        "clauses": ["HS-2", "V-1"],
        "reason": "The account holder asks to come back."
    })
}

async fn post(
    app: &TestApp,
    token: Option<&str>,
    key: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, http::HeaderMap, Value) {
    let mut request =
        Request::post("/api/v1/cases").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let (status, headers, body) = app.request(request.body(body.into()).unwrap()).await;
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    (status, headers, json)
}

async fn case_count(app: &TestApp) -> usize {
    app.storage
        .cases(&CaseFilter {
            limit: 200,
            ..CaseFilter::default()
        })
        .await
        .unwrap()
        .cases
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_needs_a_valid_token() {
    let app = app().await;
    let body = escalation().to_string();
    for token in [None, Some("not-the-token"), Some("")] {
        let (status, headers, json) = post(&app, token, Some("k1"), body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(json["error"], "unauthenticated");
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    }
    // A revoked token no longer works.
    let tokens = app.storage.intake_tokens().await.unwrap();
    app.storage
        .revoke_intake_token(tokens[0].id, storage::now())
        .await
        .unwrap();
    let (status, _, _) = post(&app, Some(TOKEN), Some("k1"), body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(case_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_escalations_are_refused_naming_each_field_and_nothing_is_written() {
    let app = app().await;
    // Too large.
    let mut huge = escalation();
    huge["excerpt"] = json!("x".repeat(70 * 1024));
    let (status, _, json) = post(&app, Some(TOKEN), Some("k1"), huge.to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["error"], "body_too_large");
    // Not JSON.
    let (status, _, json) = post(&app, Some(TOKEN), Some("k1"), "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["error"], "invalid_json");
    // Invalid fields, and no idempotency key: each named.
    let mut bad = escalation();
    bad["kind"] = json!("meme");
    bad["audience"] = json!("lots");
    bad["clauses"] = json!(["HS-9"]);
    bad["subject_link"] = json!("javascript:alert(1)");
    bad["extra"] = json!(true);
    let (status, _, json) = post(&app, Some(TOKEN), None, bad.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(json["error"], "invalid_fields");
    let mut fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["Idempotency-Key", "audience", "extra"]);
    // Types right, values wrong: named too.
    bad["audience"] = json!(5);
    bad.as_object_mut().unwrap().remove("extra");
    let (status, _, json) = post(&app, Some(TOKEN), Some("k1"), bad.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "subject_link", "clauses"]);
    assert!(json["message"].as_str().unwrap().contains("HS-9"), "{json}");
    // Each with the code of what is wrong, what explains it, and a message.
    assert_eq!(json["fields"][0]["code"], "not_one_of", "{json}");
    assert!(
        json["fields"][0]["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("content"))
    );
    assert_eq!(json["fields"][1]["code"], "not_a_link");
    assert_eq!(json["fields"][1]["max"], 2000);
    assert_eq!(json["fields"][2]["code"], "not_in_catalogue");
    assert_eq!(json["fields"][2]["clause"], "HS-9");
    assert_eq!(
        json["fields"][2]["message"],
        "HS-9 is not in the council's policy catalogue"
    );
    assert_eq!(case_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_escalation_returns_the_same_case() {
    let app = app().await;
    let body = escalation().to_string();
    let (status, headers, created) = post(&app, Some(TOKEN), Some("esc-1"), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_u64().unwrap();
    assert_eq!(created["status"], "intake");
    assert_eq!(
        headers[header::LOCATION],
        format!("http://127.0.0.1:3000/cases/{id}").as_str()
    );
    // The same request again (a retry after a timeout): the same case.
    let (status, _, again) = post(&app, Some(TOKEN), Some("esc-1"), body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], id);
    // The same key for a different escalation: refused.
    let mut other = escalation();
    other["subject_handle"] = json!("@someone_else");
    let (status, _, json) = post(&app, Some(TOKEN), Some("esc-1"), other.to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(json["error"], "idempotency_key_reused");
    assert_eq!(case_count(&app).await, 1);
    let case = app
        .storage
        .case(domain::cases::CaseId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.fields.tier, domain::cases::Tier::VeryProminent);
    assert_eq!(case.fields.clauses.len(), 2);

    // The platform can follow the case.
    let status_of = |path: String, token: Option<&'static str>| {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(Body::empty()).unwrap()
    };
    let (status, _, body) = app
        .request(status_of(format!("/api/v1/cases/{id}"), Some(TOKEN)))
        .await;
    assert_eq!(status, StatusCode::OK);
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "intake");
    assert_eq!(json["history"][0]["to"], "intake");
    let (status, _, _) = app
        .request(status_of(format!("/api/v1/cases/{id}"), None))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = app
        .request(status_of("/api/v1/cases/999".to_owned(), Some(TOKEN)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The clerk's intake form (`create_case`) refused: every invalid field with
/// its code, the English message, and the sentence the page shows in the
/// reader's language, said by the server from the codes; nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_form_names_each_invalid_field_in_the_readers_language() {
    let app = app().await;
    let clerk = app
        .member(
            "Civic Watchers",
            domain::members::Role::Clerk,
            "Cleo Clerk",
            3,
        )
        .await;
    let fields = [
        ("kind", "content"),
        ("subject_handle", " "),
        ("subject_link", "javascript:alert(1)"),
        ("excerpt", ""),
        ("audience", "lots"),
        ("tier", ""),
        ("original_action", "account_banned"),
        ("clauses", "HS-9"),
        ("reason", "Escalated."),
    ];
    let french = format!("{}; tribune_lang=fr", clerk.cookie);
    let (status, _, body) = app.call("create_case", &fields, Some(&french)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "invalid_fields");
    let codes: Vec<(&str, &str)> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("audience", "wrong_type"),
            ("subject_handle", "required"),
            ("subject_link", "not_a_link"),
            ("clauses", "not_in_catalogue"),
        ]
    );
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .starts_with("audience: must be a whole number"),
        "{json}"
    );
    let shown = json["shown"].as_str().unwrap();
    assert!(
        shown.starts_with("Audience : doit être un nombre entier"),
        "{shown}"
    );
    assert!(shown.contains("Compte : obligatoire."), "{shown}");
    assert!(
        shown.contains("HS-9 n'est pas dans le catalogue de la politique du conseil"),
        "{shown}"
    );
    assert_eq!(case_count(&app).await, 0);
}
