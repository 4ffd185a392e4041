//! Motions and votes through the server functions: who may draft, open,
//! vote and close; signatures checked before anything is stored; sealed
//! choices invisible to everyone (admins included) until the close; the
//! deadline closer closes once. Then the decision: authors, a signed
//! rationale and dissent, publication, and the platform's answer.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::decisions::{OpinionBody, OpinionKind, opinion_statement};
use domain::members::Role;
use domain::statement::{MemberId, MotionId};
use domain::voting::{self, CommitmentBody, VoteBody};
use ed25519_dalek::SigningKey;
use http::StatusCode;
use serde_json::Value;
use support::{Signed, TestApp};

/// A sealed vote's fields as the browser sends them, signed by `key`.
fn sealed_vote(
    app: &TestApp,
    case: u64,
    motion: u64,
    member: MemberId,
    key: &SigningKey,
    choice: &str,
    sequence: u32,
) -> Vec<(&'static str, String)> {
    let body = VoteBody {
        choice: choice.to_owned(),
        reason: Some("Context matters.".to_owned()),
        sequence,
        salt: Some(domain::hex::encode(&[7 + sequence as u8; 32])),
    };
    let (case_id, motion_id) = (domain::cases::CaseId(case), MotionId(motion));
    let vote = voting::vote_statement(app.origin(), case_id, motion_id, member, &body)
        .sign(key)
        .unwrap();
    let commitment = voting::commitment_statement(
        app.origin(),
        case_id,
        motion_id,
        member,
        &CommitmentBody {
            commitment: voting::commitment(&vote.to_entry().unwrap()),
            sequence,
        },
    )
    .sign(key)
    .unwrap();
    vec![
        ("motion", motion.to_string()),
        ("choice", choice.to_owned()),
        ("reason", "Context matters.".to_owned()),
        ("sequence", sequence.to_string()),
        ("salt", body.salt.unwrap()),
        ("signature", domain::hex::encode(&vote.signature)),
        (
            "commitment_signature",
            domain::hex::encode(&commitment.signature),
        ),
    ]
}

async fn call(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, String)],
    who: Option<&Signed>,
) -> (StatusCode, String) {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = app
        .call(endpoint, &fields, who.map(|w| w.cookie.as_str()))
        .await;
    (status, body)
}

/// A chair's act as the browser makes it: `prepare` gives the statement,
/// `who`'s key signs it, `submit` logs it.
async fn act(
    app: &TestApp,
    prepare: &str,
    fields: &[(&str, String)],
    submit: &str,
    who: &Signed,
) -> (StatusCode, String) {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.chair_act(prepare, &fields, submit, &who.cookie, &who.key)
        .await
}

async fn log_size(app: &TestApp) -> u64 {
    app.storage.log_size().await.unwrap()
}

/// A council with a chair, a member and an admin in three groups, and a clerk.
async fn council_of_four() -> (TestApp, [Signed; 4]) {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let members = [
        app.member("Civil Rights Coalition", Role::Chair, "Cy Chair", 1)
            .await,
        app.member("Free Expression Alliance", Role::Member, "Ben Member", 2)
            .await,
        app.member("Trust & Safety", Role::Admin, "Ada Admin", 3)
            .await,
        app.member("Civil Rights Coalition", Role::Clerk, "Cleo Clerk", 4)
            .await,
    ];
    (app, members)
}

/// Takes `case`, in its voting stage, to `decided`: the chair drafts a
/// finding and opens it, `votes` are cast (sealed), the chair closes it and
/// records the case as decided. Returns the motion's id.
async fn decide(
    app: &TestApp,
    case: domain::cases::CaseId,
    chair: &Signed,
    votes: &[(&Signed, &str)],
) -> u64 {
    let draft = [
        ("case", case.0.to_string()),
        ("kind", "finding".to_owned()),
        ("text", "The post broke clause HS-2.".to_owned()),
    ];
    let (_, body) = call(app, "draft_motion", &draft, Some(chair)).await;
    let motion: u64 = body.trim().parse().unwrap();
    let open = [
        ("motion", motion.to_string()),
        ("window_minutes", "60".to_owned()),
    ];
    assert_eq!(
        act(app, "prepare_opening", &open, "open_voting", chair)
            .await
            .0,
        StatusCode::OK
    );
    for (who, choice) in votes {
        let vote = sealed_vote(app, case.0, motion, who.id, &who.key, choice, 1);
        assert_eq!(
            call(app, "cast_vote", &vote, Some(who)).await.0,
            StatusCode::OK
        );
    }
    let close = [("motion", motion.to_string())];
    assert_eq!(
        call(app, "close_voting", &close, Some(chair)).await.0,
        StatusCode::OK
    );
    let decided = [
        ("case", case.0.to_string()),
        ("from", "voting".to_owned()),
        ("to", "decided".to_owned()),
        ("reason", String::new()),
    ];
    let (code, body) = call(app, "move_case", &decided, Some(chair)).await;
    assert!(code.is_success() || code.is_redirection(), "{code} {body}");
    motion
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_motion_from_draft_to_close() {
    let (app, [chair, ben, admin, clerk]) = council_of_four().await;
    let case = app.case_in_voting(chair.id).await;
    let draft = [
        ("case", case.0.to_string()),
        ("kind", "finding".to_owned()),
        ("text", "The post broke clause HS-2.".to_owned()),
    ];
    // Only the chair drafts, opens and closes.
    assert_eq!(
        call(&app, "draft_motion", &draft, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    for who in [&ben, &admin, &clerk] {
        assert_eq!(
            call(&app, "draft_motion", &draft, Some(who)).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let bad = [
        ("case", case.0.to_string()),
        ("kind", "choice".to_owned()),
        ("text", "Which remedy?".to_owned()),
        ("remedies", "Only one".to_owned()),
    ];
    let (code, body) = call(&app, "draft_motion", &bad, Some(&chair)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // An effect that is not one of the protocol's, or one on a choice
    // motion (whose remedies say it), is refused too.
    let mut unknown_effect = draft.to_vec();
    unknown_effect.push(("effect", "ban-forever".to_owned()));
    let (code, body) = call(&app, "draft_motion", &unknown_effect, Some(&chair)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let choice_with_effect = [
        ("case", case.0.to_string()),
        ("kind", "choice".to_owned()),
        ("text", "Which remedy?".to_owned()),
        ("remedies", "Restore\nLabel".to_owned()),
        ("effect", "overturn".to_owned()),
    ];
    let (code, body) = call(&app, "draft_motion", &choice_with_effect, Some(&chair)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(app.storage.motions(case).await.unwrap().is_empty());
    let (code, body) = call(&app, "draft_motion", &draft, Some(&chair)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let motion: u64 = body.trim().parse().unwrap();

    let open = |minutes: &str| {
        vec![
            ("motion", motion.to_string()),
            ("window_minutes", minutes.to_owned()),
        ]
    };
    assert_eq!(
        act(&app, "prepare_opening", &open("60"), "open_voting", &ben)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let size = log_size(&app).await;
    let (code, body) = act(&app, "prepare_opening", &open("0"), "open_voting", &chair).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(log_size(&app).await, size);
    // A statement that is not one, or a signature that is not hex: refused.
    for fields in [
        [
            ("statement", "{not json".to_owned()),
            ("signature", "00".repeat(64)),
        ],
        [
            ("statement", "{}".to_owned()),
            ("signature", "zz".to_owned()),
        ],
    ] {
        let (code, body) = call(&app, "open_voting", &fields, Some(&chair)).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // Signed by a key other than the chair's: refused, nothing logged.
    let sixty = open("60");
    let fields: Vec<(&str, &str)> = sixty.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, _, prepared) = app
        .call("prepare_opening", &fields, Some(&chair.cookie))
        .await;
    let (statement, forged) = support::sign_prepared(&prepared, &ben.key);
    let (code, body) = call(
        &app,
        "open_voting",
        &[("statement", statement), ("signature", forged)],
        Some(&chair),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(log_size(&app).await, size);
    let (code, body) = act(&app, "prepare_opening", &open("60"), "open_voting", &chair).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    // The opening in the log is the chair's, signed with the chair's key.
    let entry = app.storage.log_entries(size, size + 1).await.unwrap();
    let opening = domain::statement::SignedStatement::from_entry(&entry[0]).unwrap();
    assert_eq!(
        opening.statement.kind,
        domain::statement::StatementKind::MotionOpening
    );
    assert_eq!(opening.signer, chair.key.verifying_key().to_bytes());
    assert_eq!(opening.statement.body["by"], chair.id.0);

    // The clerk may not vote; a vote signed by another key is refused.
    let clerk_vote = sealed_vote(&app, case.0, motion, clerk.id, &clerk.key, "support", 1);
    assert_eq!(
        call(&app, "cast_vote", &clerk_vote, Some(&clerk)).await.0,
        StatusCode::FORBIDDEN
    );
    let forged = sealed_vote(&app, case.0, motion, ben.id, &admin.key, "oppose", 1);
    let size = log_size(&app).await;
    let (code, body) = call(&app, "cast_vote", &forged, Some(&ben)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("bad_signature"), "{body}");
    assert_eq!(log_size(&app).await, size);
    assert!(
        app.storage
            .votes(MotionId(motion))
            .await
            .unwrap()
            .is_empty()
    );

    let first = sealed_vote(&app, case.0, motion, ben.id, &ben.key, "oppose", 1);
    let (code, body) = call(&app, "cast_vote", &first, Some(&ben)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let second = sealed_vote(&app, case.0, motion, ben.id, &ben.key, "support", 2);
    assert_eq!(
        call(&app, "cast_vote", &second, Some(&ben)).await.0,
        StatusCode::OK
    );
    // The first vote, replayed after it was replaced.
    let (code, body) = call(&app, "cast_vote", &first, Some(&ben)).await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");

    // Before the close nobody sees a choice or a tally, the admin included.
    let (code, body) = call(
        &app,
        "voting",
        &[("case", case.0.to_string())],
        Some(&admin),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let view: Value = serde_json::from_str(&body).unwrap();
    let shown = &view["motions"][0];
    assert_eq!(shown["sealed"], true);
    assert_eq!(shown["votes"].as_array().unwrap().len(), 2);
    assert!(
        shown["votes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["choice"].is_null() && v["reason"].is_null())
    );
    assert!(shown["tally"].is_null());

    // Not everyone voted: the chair cannot close early.
    let close = [("motion", motion.to_string())];
    assert_eq!(
        call(&app, "close_voting", &close, Some(&chair)).await.0,
        StatusCode::CONFLICT
    );
    for (who, choice) in [(&chair, "support"), (&admin, "oppose")] {
        let vote = sealed_vote(&app, case.0, motion, who.id, &who.key, choice, 1);
        assert_eq!(
            call(&app, "cast_vote", &vote, Some(who)).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        call(&app, "close_voting", &close, Some(&ben)).await.0,
        StatusCode::FORBIDDEN
    );
    let (code, body) = call(&app, "close_voting", &close, Some(&chair)).await;
    assert_eq!(code, StatusCode::OK, "{body}");

    let (_, body) = call(&app, "voting", &[("case", case.0.to_string())], Some(&ben)).await;
    let view: Value = serde_json::from_str(&body).unwrap();
    let shown = &view["motions"][0];
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["votes"][0]["choice"], "oppose");
    assert_eq!(shown["votes"][0]["replaced"], true);
    assert_eq!(shown["tally"]["counts"]["support"], 2);
    // Two supports of three, but none in Trust & Safety: bridging fails.
    assert_eq!(shown["tally"]["bridging_met"], false);
    assert_eq!(shown["tally"]["outcome"], "not-carried");
    let summary = app.verified().await;
    assert!(
        summary
            .ballots
            .motion(MotionId(motion))
            .unwrap()
            .closing
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_closer_closes_due_motions_once() {
    let app = TestApp::with_council("Harbour Council").await;
    let chair = app
        .member("Civil Rights Coalition", Role::Chair, "Cy Chair", 1)
        .await;
    let case = app.case_in_voting(chair.id).await;
    let draft =
        voting::MotionDraft::new(voting::MotionKind::Remedy, "Restore the post.", &[]).unwrap();
    let now = storage::now();
    let (due, later) = (
        app.storage
            .draft_motion(case, &draft, chair.id, now)
            .await
            .unwrap(),
        app.storage
            .draft_motion(case, &draft, chair.id, now)
            .await
            .unwrap(),
    );
    let key = app.log_key();
    // One opened two hours ago for an hour; one open for another hour.
    let past = domain::Timestamp(now.0 - 7200);
    app.open_as(due, &chair, domain::Timestamp(now.0 - 3600), past)
        .await;
    app.open_as(later, &chair, domain::Timestamp(now.0 + 3600), now)
        .await;
    let shared = app.storage.clone();
    let (a, b) = tokio::join!(
        server::closer::close_due(&shared, &key),
        server::closer::close_due(&shared, &key),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "closed exactly once");
    assert_eq!(server::closer::close_due(&shared, &key).await.unwrap(), 0);
    let closed = app.storage.motion(due).await.unwrap().unwrap();
    let (_, closing) = closed.closed.unwrap();
    assert_eq!(closing.reason, voting::CloseReason::Deadline);
    assert_eq!(closing.tally.outcome, voting::Outcome::NoDecision);
    assert!(app.storage.motion(later).await.unwrap().unwrap().is_open());
    app.verified().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_signs_a_rules_change() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let admin = app
        .member("Trust & Safety", Role::Admin, "Ada Admin", 3)
        .await;
    let chair = app
        .member("Civil Rights Coalition", Role::Chair, "Cy Chair", 1)
        .await;
    let next = voting::Rules {
        version: 2,
        window_hours: 24,
        sealed: false,
        ..voting::Rules::initial()
    };
    let signed = |key: &SigningKey| {
        let statement = voting::rules_change_statement(
            app.origin(),
            &voting::RulesChangeBody {
                rules: next,
                reason: "Shorter, open votes.".to_owned(),
            },
        );
        vec![
            ("rules", serde_json::to_string(&next).unwrap()),
            ("reason", "Shorter, open votes.".to_owned()),
            (
                "signature",
                domain::hex::encode(&statement.sign(key).unwrap().signature),
            ),
        ]
    };
    let size = log_size(&app).await;
    assert_eq!(
        call(&app, "change_rules", &signed(&chair.key), Some(&chair))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (code, body) = call(&app, "change_rules", &signed(&chair.key), Some(&admin)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(log_size(&app).await, size);
    let (code, body) = call(&app, "change_rules", &signed(&admin.key), Some(&admin)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    // The same change again is not the next version.
    let (code, body) = call(&app, "change_rules", &signed(&admin.key), Some(&admin)).await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    let (code, body) = call(&app, "rules_history", &[], None).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let history: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["rules"]["window_hours"], 24);
    // Voting opens under the new rules: at most 24 hours.
    let case = app.case_in_voting(chair.id).await;
    let draft = [
        ("case", case.0.to_string()),
        ("kind", "finding".to_owned()),
        ("text", "A finding.".to_owned()),
    ];
    let (_, motion) = call(&app, "draft_motion", &draft, Some(&chair)).await;
    let open = |minutes: &str| {
        vec![
            ("motion", motion.trim().to_owned()),
            ("window_minutes", minutes.to_owned()),
        ]
    };
    assert_eq!(
        act(
            &app,
            "prepare_opening",
            &open("1441"),
            "open_voting",
            &chair
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act(
            &app,
            "prepare_opening",
            &open("1440"),
            "open_voting",
            &chair
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(app.verified().await.ballots.rules(), next);
}

/// An opinion's fields as the browser sends them, signed by `key`.
fn opinion(
    app: &TestApp,
    case: u64,
    member: MemberId,
    key: &SigningKey,
    kind: OpinionKind,
    text: &str,
    authors: &[MemberId],
) -> Vec<(&'static str, String)> {
    let body = OpinionBody::new(kind, text, authors).unwrap();
    let signed = opinion_statement(app.origin(), domain::cases::CaseId(case), member, &body)
        .sign(key)
        .unwrap();
    let mut fields = vec![
        ("case", case.to_string()),
        ("opinion", kind.as_str().to_owned()),
        ("text", text.to_owned()),
        ("signature", domain::hex::encode(&signed.signature)),
    ];
    if !authors.is_empty() {
        let ids: Vec<String> = authors.iter().map(ToString::to_string).collect();
        fields.push(("authors", ids.join(",")));
    }
    fields
}

async fn answer(
    app: &TestApp,
    token: Option<&str>,
    case: u64,
    number: u32,
    body: &Value,
) -> (StatusCode, Value) {
    answer_with_key(app, token, Some("answer-1"), case, number, body).await
}

/// An answer with its `Idempotency-Key` (or none).
async fn answer_with_key(
    app: &TestApp,
    token: Option<&str>,
    key: Option<&str>,
    case: u64,
    number: u32,
    body: &Value,
) -> (StatusCode, Value) {
    let mut request = http::Request::post(format!(
        "/api/v1/cases/{case}/recommendations/{number}/answers"
    ))
    .header(http::header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    if let Some(token) = token {
        request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let (status, _, body) = app
        .request(
            request
                .body(axum::body::Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_from_rationale_to_publication_and_the_platforms_answer() {
    let (app, [chair, ben, admin, clerk]) = council_of_four().await;
    let case = app.case_in_voting(chair.id).await;
    decide(
        &app,
        case,
        &chair,
        &[(&chair, "support"), (&ben, "support"), (&admin, "oppose")],
    )
    .await;

    // The chair alone assigns the rationale's author.
    let assign = [
        ("case", case.0.to_string()),
        ("authors[0]", ben.id.0.to_string()),
    ];
    assert_eq!(
        call(&app, "assign_authors", &assign, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    for who in [&ben, &admin, &clerk] {
        assert_eq!(
            call(&app, "assign_authors", &assign, Some(who)).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let (code, body) = call(&app, "assign_authors", &assign, Some(&chair)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let text = "Quoting a slur to condemn it is counter-speech.";
    let save = |text: &str| vec![("case", case.0.to_string()), ("text", text.to_owned())];
    assert_eq!(
        call(&app, "save_rationale", &save(text), Some(&admin))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "only an author edits the rationale"
    );
    let (code, body) = call(&app, "save_rationale", &save(text), Some(&ben)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let record = |precedents: &str| {
        vec![
            ("case", case.0.to_string()),
            ("clauses", "HS-2".to_owned()),
            ("precedents", precedents.to_owned()),
            (
                "recommendations",
                "Publish the counter-speech exception.\nTell users which clause applied."
                    .to_owned(),
            ),
        ]
    };
    let (code, body) = call(
        &app,
        "save_decision_record",
        &record("99 overrules"),
        Some(&chair),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (code, body) = call(&app, "save_decision_record", &record(""), Some(&chair)).await;
    assert_eq!(code, StatusCode::OK, "{body}");

    // Not published before the rationale is signed; signatures are checked.
    let publish = [("case", case.0.to_string())];
    let (code, body) = act(
        &app,
        "prepare_decision",
        &publish,
        "publish_decision",
        &chair,
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    let size = log_size(&app).await;
    let forged = opinion(
        &app,
        case.0,
        ben.id,
        &admin.key,
        OpinionKind::Majority,
        text,
        &[ben.id],
    );
    let (code, body) = call(&app, "sign_opinion", &forged, Some(&ben)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let clerk_dissent = opinion(
        &app,
        case.0,
        clerk.id,
        &clerk.key,
        OpinionKind::Dissent,
        "No.",
        &[],
    );
    assert_eq!(
        call(&app, "sign_opinion", &clerk_dissent, Some(&clerk))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(log_size(&app).await, size, "refusals log nothing");
    let rationale = opinion(
        &app,
        case.0,
        ben.id,
        &ben.key,
        OpinionKind::Majority,
        text,
        &[ben.id],
    );
    let (code, body) = call(&app, "sign_opinion", &rationale, Some(&ben)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let dissent = opinion(
        &app,
        case.0,
        admin.id,
        &admin.key,
        OpinionKind::Dissent,
        "The quote reached the people it hurts.",
        &[],
    );
    let (code, body) = call(&app, "sign_opinion", &dissent, Some(&admin)).await;
    assert_eq!(code, StatusCode::OK, "{body}");

    assert_eq!(
        act(&app, "prepare_decision", &publish, "publish_decision", &ben)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (code, body) = act(
        &app,
        "prepare_decision",
        &publish,
        "publish_decision",
        &chair,
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let (_, body) = call(
        &app,
        "decision",
        &[("case", case.0.to_string())],
        Some(&clerk),
    )
    .await;
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["preparing"], false);
    assert!(view["published_index"].is_u64(), "{view}");
    // The clerk still sees the public comments but no longer screens them.
    let (code, body) = call(
        &app,
        "public_comments",
        &[("case", case.0.to_string())],
        Some(&clerk),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let comments: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(comments["screener"], true, "{comments}");
    assert_eq!(comments["may_screen"], false, "{comments}");
    assert_eq!(view["opinions"].as_array().unwrap().len(), 2);
    assert_eq!(view["recommendations"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.storage.case(case).await.unwrap().unwrap().status,
        domain::cases::CaseStatus::Published
    );

    // The platform answers through its API, with its intake token.
    const TOKEN: &str = "platform-token-for-answers";
    app.storage
        .create_intake_token(
            "Platform",
            &app::functions::ssr::sha256(TOKEN.as_bytes()),
            None,
            storage::now(),
        )
        .await
        .unwrap();
    let good = serde_json::json!({"status": "assessing", "text": "We are assessing it."});
    assert_eq!(
        answer(&app, None, case.0, 1, &good).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        answer(&app, Some(TOKEN), case.0, 3, &good).await.0,
        StatusCode::NOT_FOUND
    );
    let (code, body) = answer(
        &app,
        Some(TOKEN),
        case.0,
        1,
        &serde_json::json!({"status": "maybe", "text": " "}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"].as_array().unwrap().len(), 2, "{body}");
    // Without an Idempotency-Key: refused, nothing logged.
    let size = log_size(&app).await;
    let (code, body) = answer_with_key(&app, Some(TOKEN), None, case.0, 1, &good).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "Idempotency-Key", "{body}");
    assert_eq!(log_size(&app).await, size);
    let (code, body) = answer(&app, Some(TOKEN), case.0, 1, &good).await;
    assert_eq!(code, StatusCode::CREATED, "{body}");
    let index = body["log_index"].as_u64().unwrap();
    // A retry (the same key, the same answer) is given the same entry; the
    // log holds the answer once (issue 28, fault 7). The same key with
    // another answer is refused.
    let (code, again) = answer(&app, Some(TOKEN), case.0, 1, &good).await;
    assert_eq!(code, StatusCode::OK, "{again}");
    assert_eq!(again["log_index"], index);
    assert_eq!(log_size(&app).await, size + 1);
    let other = serde_json::json!({"status": "implemented", "text": "Done."});
    let (code, body) = answer(&app, Some(TOKEN), case.0, 1, &other).await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "idempotency_key_reused");
    assert_eq!(log_size(&app).await, size + 1);

    let summary = app.verified().await;
    let record = summary.ballots.case(case).unwrap();
    assert!(record.decision.is_some());
    assert_eq!(record.opinions.len(), 2);
    assert_eq!(record.answers.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_chair_assigns_a_panel_and_it_must_cover_every_group() {
    let (app, [chair, ben, admin, clerk]) = council_of_four().await;
    let case = app.case_in_voting(chair.id).await;
    let panel = |members: &[&Signed]| {
        let mut fields = vec![("case", case.0.to_string())];
        let keys = ["members[0]", "members[1]", "members[2]", "members[3]"];
        for (key, member) in keys.into_iter().zip(members) {
            fields.push((key, member.id.0.to_string()));
        }
        fields
    };
    let whole = panel(&[&chair, &ben, &admin]);
    let size = log_size(&app).await;
    assert_eq!(
        call(&app, "prepare_panel", &whole, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    for who in [&ben, &admin, &clerk] {
        assert_eq!(
            act(&app, "prepare_panel", &whole, "assign_panel", who)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
    }
    // Trust & Safety missing; the clerk does not vote.
    for bad in [
        panel(&[&chair, &ben]),
        panel(&[&chair, &ben, &admin, &clerk]),
    ] {
        let (code, body) = act(&app, "prepare_panel", &bad, "assign_panel", &chair).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    assert_eq!(log_size(&app).await, size, "refusals log nothing");
    assert!(app.storage.panel(case).await.unwrap().is_none());
    let (code, body) = act(&app, "prepare_panel", &whole, "assign_panel", &chair).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(app.storage.panel(case).await.unwrap().unwrap().len(), 3);
    app.verified().await;
}

/// Saved text is shown back in the editing fields of whoever edits it next
/// (the rationale to its co-authors, the decision record to the chair, a
/// comment to its author): text that closes the `<textarea>` must stay text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_text_cannot_break_out_of_its_editing_field() {
    let (app, [chair, ben, admin, _clerk]) = council_of_four().await;
    let case = app.case_in_voting(chair.id).await;
    let payload = |field: &str| format!("Fine.</textarea><b id=injected-{field}>x</b><textarea>");
    // A comment, while the case is open (its author may edit it later).
    let comment = [("case", case.0.to_string()), ("body", payload("comment"))];
    let (code, body) = call(&app, "post_comment", &comment, Some(&ben)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let page_as = |who: &Signed| {
        http::Request::get(format!("/cases/{}", case.0))
            .header(http::header::COOKIE, who.cookie.as_str())
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (_, _, page) = app.request(page_as(&ben)).await;
    assert!(
        !page.contains("<b id=injected"),
        "markup from a comment: {page}"
    );
    assert!(
        page.contains("Fine.&lt;/textarea&gt;&lt;b id=injected-comment&gt;x&lt;/b&gt;"),
        "the comment's edit field holds its text: {page}"
    );
    decide(
        &app,
        case,
        &chair,
        &[(&chair, "support"), (&ben, "support"), (&admin, "support")],
    )
    .await;
    let assign = [
        ("case", case.0.to_string()),
        ("authors[0]", ben.id.0.to_string()),
    ];
    assert_eq!(
        call(&app, "assign_authors", &assign, Some(&chair)).await.0,
        StatusCode::OK
    );

    let saves = [
        (
            "save_rationale",
            vec![("case", case.0.to_string()), ("text", payload("rationale"))],
            &ben,
        ),
        (
            "save_decision_record",
            vec![
                ("case", case.0.to_string()),
                ("clauses", "HS-2".to_owned()),
                ("precedents", String::new()),
                ("recommendations", payload("recommendations")),
            ],
            &chair,
        ),
    ];
    for (endpoint, fields, who) in &saves {
        let (code, body) = call(&app, endpoint, fields, Some(who)).await;
        assert_eq!(code, StatusCode::OK, "{endpoint}: {body}");
    }
    for (who, field) in [(&ben, "rationale"), (&chair, "recommendations")] {
        let (status, _, page) = app.request(page_as(who)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !page.contains("<b id=injected"),
            "markup from saved text: {page}"
        );
        assert!(
            !page.contains("</textarea><b id"),
            "saved text closed its field: {page}"
        );
        // The field does hold the text, escaped: the browser shows it as typed.
        let escaped = format!("Fine.&lt;/textarea&gt;&lt;b id=injected-{field}&gt;x&lt;/b&gt;");
        assert!(page.contains(&escaped), "no {escaped:?} in the page");
    }
}
