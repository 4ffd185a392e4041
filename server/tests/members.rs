//! Members over HTTP, through the real router: who may call which
//! state-changing server function (every role and the public), forged and
//! malformed enrollments, sign-in replay and wrong keys, key rotation, and
//! that no secret reaches the database or the logs.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::members::Role;
use domain::statement::MemberId;
use ed25519_dalek::SigningKey;
use http::StatusCode;
use support::{Signed, TestApp, session_cookie};

const GROUP: &str = "Independent Experts";

/// A server function's form fields.
type Fields = Vec<(&'static str, String)>;

fn hex(bytes: &[u8]) -> String {
    domain::hex::encode(bytes)
}

/// Everything the app's tables and log hold that a refused call must leave
/// as it was.
async fn snapshot(app: &TestApp) -> String {
    let storage = &app.storage;
    // Motions (drafts are not logged) and their votes, on every case of the test.
    let mut motions = Vec::new();
    for case in 1..=20 {
        for motion in storage.motions(domain::cases::CaseId(case)).await.unwrap() {
            let votes = storage.votes(motion.id).await.unwrap();
            motions.push(format!("{motion:?} {votes:?}"));
        }
    }
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{motions:?}\n{:?}",
        storage.log_size().await.unwrap(),
        storage.groups().await.unwrap(),
        storage.invitations(1000).await.unwrap(),
        storage.members().await.unwrap(),
        storage.clauses().await.unwrap(),
        storage.intake_tokens().await.unwrap(),
        storage
            .cases(&storage::CaseFilter {
                limit: 200,
                ..storage::CaseFilter::default()
            })
            .await
            .unwrap(),
        storage.rules_history().await.unwrap(),
    )
}

/// The stored log verifies as `tribune verify` would check it.
async fn assert_log_verifies(app: &TestApp) -> domain::verify::LogSummary {
    app.verified().await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    Member,
    Clerk,
    Chair,
    Admin,
}

/// Who a server function is for.
#[derive(Debug, Clone, Copy)]
enum Needs {
    Anyone,
    SignedIn,
    /// Clerks, chairs and admins (case intake and screening).
    Clerk,
    /// The chair alone (motions and voting).
    Chair,
    /// Every role but the clerk (votes).
    Voter,
    Admin,
}

impl Needs {
    /// The status a refused caller gets, or `None` when `who` may call.
    fn refusal(self, who: Who) -> Option<StatusCode> {
        match (self, who) {
            (Self::Anyone, _) => None,
            (_, Who::Public) => Some(StatusCode::UNAUTHORIZED),
            (Self::SignedIn, _) | (Self::Admin, Who::Admin) => None,
            (Self::Clerk, Who::Clerk | Who::Chair | Who::Admin) => None,
            (Self::Chair, Who::Chair) => None,
            (Self::Voter, Who::Member | Who::Chair | Who::Admin) => None,
            (Self::Admin | Self::Clerk | Self::Chair | Self::Voter, _) => {
                Some(StatusCode::FORBIDDEN)
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_function_checks_the_callers_role() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let mut signed = vec![
        (
            Who::Admin,
            app.member(GROUP, Role::Admin, "Ada Admin", 1).await,
        ),
        (
            Who::Chair,
            app.member(GROUP, Role::Chair, "Cy Chair", 2).await,
        ),
        (
            Who::Clerk,
            app.member(GROUP, Role::Clerk, "Cleo Clerk", 3).await,
        ),
        (
            Who::Member,
            app.member(GROUP, Role::Member, "Mo Member", 4).await,
        ),
    ];
    let target = app.member(GROUP, Role::Member, "Tess Target", 9).await;
    let empty_group = app.group("Empty Group").await;
    let group = app.group(GROUP).await;
    let open_invitation = {
        app.invitation(group, Role::Member, "Not Yet", None).await;
        app.storage.invitations(1000).await.unwrap()[0].id
    };
    assert_eq!(
        app.storage.invitations(1000).await.unwrap()[0]
            .terms
            .name
            .as_str(),
        "Not Yet"
    );

    app.storage
        .add_clause(
            &storage::Clause {
                code: domain::cases::ClauseCode::parse("HS-2").unwrap(),
                title: "Hateful conduct".to_owned(),
            },
            storage::now(),
        )
        .await
        .unwrap();
    let token = app
        .storage
        .create_intake_token("Platform", &[42; 32], None, storage::now())
        .await
        .unwrap();
    // One case in intake for each caller to try to accept.
    let mut cases = Vec::new();
    for n in 0..5 {
        let fields = domain::cases::CaseDraft {
            kind: "content".to_owned(),
            subject_handle: format!("@subject_{n}"),
            audience: Some(10),
            original_action: "removed".to_owned(),
            clauses: vec!["HS-2".to_owned()],
            reason: "appeal".to_owned(),
            ..domain::cases::CaseDraft::default()
        }
        .validate(&[domain::cases::ClauseCode::parse("HS-2").unwrap()])
        .unwrap();
        cases.push(
            app.storage
                .create_case(&fields, storage::Actor::Token(token), None, storage::now())
                .await
                .unwrap()
                .case(),
        );
    }

    // A case open for public comment, with one pending comment per caller.
    let commented = cases[0];
    app.storage
        .move_case(
            &storage::Transition {
                case: commented,
                from: domain::cases::CaseStatus::Intake,
                to: domain::cases::CaseStatus::Accepted,
                by: target.id,
                reason: None,
            },
            storage::now(),
        )
        .await
        .unwrap();
    let mut public_comments = Vec::new();
    for n in 0..5 {
        public_comments.push(
            app.storage
                .add_public_comment(
                    commented,
                    &format!("Citizen {n}"),
                    None,
                    "A view",
                    storage::now(),
                )
                .await
                .unwrap(),
        );
    }

    // A case in voting: one drafted motion for the chair to open, one open
    // (sealed) motion for each voter to vote on.
    let ballot_case = app.case_in_voting(target.id).await;
    let draft = domain::voting::MotionDraft::new(
        domain::voting::MotionKind::Finding,
        "A finding for the matrix.",
        &[],
    )
    .unwrap();
    let now = storage::now();
    let to_open = app
        .storage
        .draft_motion(ballot_case, &draft, target.id, now)
        .await
        .unwrap();
    let ballot = app
        .storage
        .draft_motion(ballot_case, &draft, target.id, now)
        .await
        .unwrap();
    let chair = signed
        .iter()
        .find(|(w, _)| *w == Who::Chair)
        .map(|(_, s)| s.clone())
        .unwrap();
    app.open_as(ballot, &chair, domain::Timestamp(now.0 + 3600), now)
        .await;
    // The opening of the other, as the chair's browser signs it.
    let prepared = app
        .storage
        .prepare_opening(
            to_open,
            chair.id,
            domain::Timestamp(now.0 + 3600),
            &domain::voting::Rules::initial(),
            now,
        )
        .await
        .unwrap();
    let opening = serde_json::to_string(&prepared).unwrap();
    let opening_signature = domain::hex::encode(&prepared.sign(&chair.key).unwrap().signature);

    // The public first, the admin last (their calls succeed and change things).
    let order = [Who::Public, Who::Member, Who::Clerk, Who::Chair, Who::Admin];
    for (n, who) in order.into_iter().enumerate() {
        let caller: Option<Signed> = signed
            .iter()
            .position(|(w, _)| *w == who)
            .map(|i| signed.remove(i).1);
        let cookie = caller.as_ref().map(|c| c.cookie.clone());
        // A second session of the caller, to end by its id.
        let second = match &caller {
            Some(c) => {
                let now = storage::now();
                app.storage
                    .create_session(
                        &[u8::try_from(n).unwrap(); 32],
                        c.id,
                        now,
                        domain::Timestamp(now.0 + 600),
                        "second browser",
                    )
                    .await
                    .unwrap();
                app.storage
                    .sessions(c.id, now)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|s| s.user_agent == "second browser")
                    .unwrap()
                    .id
                    .0
                    .to_string()
            }
            None => "1".to_owned(),
        };
        // A rotation the caller's own key signs (or, for the public, a
        // well-formed one by nobody).
        let new_key = SigningKey::from_bytes(&[100 + u8::try_from(n).unwrap(); 32]);
        let rotation_signer = caller
            .as_ref()
            .map_or_else(|| SigningKey::from_bytes(&[99; 32]), |c| c.key.clone());
        let rotation = domain::members::rotation_statement(
            app.origin(),
            caller.as_ref().map_or(MemberId(1), |c| c.id),
            new_key.verifying_key().as_bytes(),
        )
        .sign(&rotation_signer)
        .unwrap();
        let label = format!("{who:?}");
        // A recusal from the caller's case, signed with their key (before
        // the rotation below replaces it).
        let recusal = domain::cases::recusal_statement(
            app.origin(),
            cases[n],
            caller.as_ref().map_or(MemberId(1), |c| c.id),
            "a conflict",
        )
        .sign(&rotation_signer)
        .unwrap();
        // A sealed vote and its commitment, and a rules change, signed with
        // the caller's key.
        let voter = caller.as_ref().map_or(MemberId(1), |c| c.id);
        let vote_body = domain::voting::VoteBody {
            choice: "support".to_owned(),
            reason: None,
            sequence: 1,
            salt: Some(hex(&[u8::try_from(n).unwrap(); 32])),
        };
        let vote =
            domain::voting::vote_statement(app.origin(), ballot_case, ballot, voter, &vote_body)
                .sign(&rotation_signer)
                .unwrap();
        let commitment = domain::voting::commitment_statement(
            app.origin(),
            ballot_case,
            ballot,
            voter,
            &domain::voting::CommitmentBody {
                commitment: domain::voting::commitment(&vote.to_entry().unwrap()),
                sequence: 1,
            },
        )
        .sign(&rotation_signer)
        .unwrap();
        let next_rules = domain::voting::Rules {
            version: 2,
            ..domain::voting::Rules::initial()
        };
        let rules_change = domain::voting::rules_change_statement(
            app.origin(),
            &domain::voting::RulesChangeBody {
                rules: next_rules,
                reason: format!("asked by {label}"),
            },
        )
        .sign(&rotation_signer)
        .unwrap();
        let calls: Vec<(&str, Fields, Needs)> = vec![
            (
                "voting",
                vec![("case", ballot_case.0.to_string())],
                Needs::SignedIn,
            ),
            ("rules_history", vec![], Needs::Anyone),
            (
                "draft_motion",
                vec![
                    ("case", cases[4].0.to_string()),
                    ("kind", "remedy".to_owned()),
                    ("text", format!("Drafted by {label}")),
                ],
                Needs::Chair,
            ),
            (
                "prepare_opening",
                vec![
                    ("motion", to_open.0.to_string()),
                    ("window_minutes", "60".to_owned()),
                ],
                Needs::Chair,
            ),
            (
                "open_voting",
                vec![
                    ("statement", opening.clone()),
                    ("signature", opening_signature.clone()),
                ],
                Needs::Chair,
            ),
            (
                "cast_vote",
                vec![
                    ("motion", ballot.0.to_string()),
                    ("choice", "support".to_owned()),
                    ("sequence", "1".to_owned()),
                    ("salt", vote_body.salt.clone().unwrap()),
                    ("signature", hex(&vote.signature)),
                    ("commitment_signature", hex(&commitment.signature)),
                ],
                Needs::Voter,
            ),
            (
                "change_rules",
                vec![
                    ("rules", serde_json::to_string(&next_rules).unwrap()),
                    ("reason", format!("asked by {label}")),
                    ("signature", hex(&rules_change.signature)),
                ],
                Needs::Admin,
            ),
            (
                "create_group",
                vec![("name", format!("Group by {label}"))],
                Needs::Admin,
            ),
            (
                "rename_group",
                vec![
                    ("group", empty_group.0.to_string()),
                    ("name", format!("Renamed by {label}")),
                ],
                Needs::Admin,
            ),
            (
                "invite",
                vec![
                    ("group", group.0.to_string()),
                    ("role", "member".to_owned()),
                    ("name", format!("Invited by {label}")),
                ],
                Needs::Admin,
            ),
            (
                "revoke_invitation",
                vec![("invitation", open_invitation.0.to_string())],
                Needs::Admin,
            ),
            (
                "change_role",
                vec![
                    ("member", target.id.0.to_string()),
                    ("role", "clerk".to_owned()),
                    ("status", "suspended".to_owned()),
                    ("reason", format!("asked by {label}")),
                ],
                Needs::Admin,
            ),
            (
                "revoke_key",
                vec![
                    ("member", target.id.0.to_string()),
                    ("reason", format!("asked by {label}")),
                ],
                Needs::Admin,
            ),
            (
                "post_comment",
                vec![
                    ("case", cases[4].0.to_string()),
                    ("body", format!("A comment by {label}")),
                ],
                Needs::SignedIn,
            ),
            (
                "discussion",
                vec![("case", cases[4].0.to_string())],
                Needs::SignedIn,
            ),
            (
                "public_comments",
                vec![("case", cases[4].0.to_string())],
                Needs::SignedIn,
            ),
            (
                "screen_public_comment",
                vec![
                    ("comment", public_comments[n].to_string()),
                    ("decision", "reject".to_owned()),
                    ("reason", format!("screened by {label}")),
                ],
                Needs::Clerk,
            ),
            ("dashboard", vec![], Needs::SignedIn),
            (
                "mark_read",
                vec![("case", cases[4].0.to_string()), ("last", "1".to_owned())],
                Needs::SignedIn,
            ),
            (
                "recuse",
                vec![
                    ("case", cases[n].0.to_string()),
                    ("reason", "a conflict".to_owned()),
                    ("signature", hex(&recusal.signature)),
                ],
                Needs::SignedIn,
            ),
            ("admin_overview", vec![], Needs::Admin),
            (
                "add_clause",
                vec![
                    ("code", format!("C-{n}")),
                    ("title", format!("Added by {label}")),
                ],
                Needs::Admin,
            ),
            (
                "create_intake_token",
                vec![("name", format!("Token by {label}"))],
                Needs::Admin,
            ),
            (
                "revoke_intake_token",
                vec![("token", token.0.to_string())],
                Needs::Admin,
            ),
            ("council_setup", vec![], Needs::Admin),
            (
                "create_case",
                vec![
                    ("kind", "policy".to_owned()),
                    ("subject_handle", format!("@filed_by_{label}")),
                    ("subject_link", String::new()),
                    ("excerpt", String::new()),
                    ("audience", "1200".to_owned()),
                    ("tier", String::new()),
                    ("original_action", "no_action".to_owned()),
                    ("clauses", "HS-2".to_owned()),
                    ("reason", "a policy question".to_owned()),
                ],
                Needs::Clerk,
            ),
            (
                "move_case",
                vec![
                    ("case", cases[n].0.to_string()),
                    ("from", "intake".to_owned()),
                    ("to", "accepted".to_owned()),
                    ("reason", String::new()),
                ],
                Needs::Clerk,
            ),
            ("cases", vec![("query[q]", String::new())], Needs::SignedIn),
            ("my_sessions", vec![], Needs::SignedIn),
            (
                "rotate_key",
                vec![
                    ("new_key", hex(new_key.verifying_key().as_bytes())),
                    ("signature", hex(&rotation.signature)),
                ],
                Needs::SignedIn,
            ),
            ("end_session", vec![("session", second)], Needs::SignedIn),
            ("sign_out_everywhere", vec![], Needs::SignedIn),
            ("sign_out", vec![], Needs::Anyone),
            ("sign_in_challenge", vec![], Needs::Anyone),
        ];
        for (endpoint, fields, needs) in calls {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = snapshot(&app).await;
            let (status, _, body) = app.call(endpoint, &fields, cookie.as_deref()).await;
            match needs.refusal(who) {
                Some(refused) => {
                    assert_eq!(status, refused, "{endpoint} as {label}: {body}");
                    assert_eq!(
                        snapshot(&app).await,
                        before,
                        "{endpoint} as {label} was refused but changed something"
                    );
                }
                None => assert!(
                    status.is_success() || status.is_redirection(),
                    "{endpoint} as {label} should be allowed: {status} {body}"
                ),
            }
        }
    }

    // The admin's calls took effect, and everything logged still verifies.
    let groups = app.storage.groups().await.unwrap();
    assert!(groups.iter().any(|g| g.name.as_str() == "Group by Admin"));
    assert!(groups.iter().any(|g| g.name.as_str() == "Renamed by Admin"));
    assert!(!groups.iter().any(|g| g.name.as_str().contains("Member")));
    let target = app.storage.member(target.id).await.unwrap().unwrap();
    assert_eq!(target.role, Role::Clerk);
    assert_eq!(target.active_key(), None);
    let summary = assert_log_verifies(&app).await;
    // Cases: filed by the clerk, chair and admin; accepted by them too.
    let filed = app
        .storage
        .cases(&storage::CaseFilter {
            kind: Some(domain::cases::CaseKind::Policy),
            limit: 50,
            ..storage::CaseFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(filed.cases.len(), 3);
    for (n, case) in cases.iter().enumerate() {
        let status = app.storage.case(*case).await.unwrap().unwrap().status;
        let expected = if n >= 2 || n == 0 {
            domain::cases::CaseStatus::Accepted
        } else {
            domain::cases::CaseStatus::Intake
        };
        assert_eq!(status, expected, "case {n}");
    }
    // Four rotations: one per signed-in role.
    assert_eq!(
        summary.roll.members().filter(|m| m.keys.len() == 2).count(),
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_malformed_enrollments_change_nothing() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let admin = app.member(GROUP, Role::Admin, "Ada Admin", 1).await;
    let group = app.group(GROUP).await;
    let token = app.invitation(group, Role::Member, "Bo Lind", None).await;
    let other = app.invitation(group, Role::Chair, "Cy Chair", None).await;
    let key = SigningKey::from_bytes(&[7; 32]);
    let thief = SigningKey::from_bytes(&[8; 32]);
    let invitation = app
        .storage
        .invitation_by_token(&app::functions::ssr::sha256(token.as_bytes()))
        .await
        .unwrap()
        .unwrap();
    let statement = domain::members::enrollment_statement(
        app.origin(),
        &invitation.terms,
        &invitation.signature,
    );
    let by_key = statement.clone().sign(&key).unwrap();
    let by_thief = statement.sign(&thief).unwrap();
    let other_invitation = app
        .storage
        .invitation_by_token(&app::functions::ssr::sha256(other.as_bytes()))
        .await
        .unwrap()
        .unwrap();
    // Signed for the other invitation's terms (a chair role), sent with this token.
    let other_terms = domain::members::enrollment_statement(
        app.origin(),
        &other_invitation.terms,
        &other_invitation.signature,
    )
    .sign(&key)
    .unwrap();

    let public_key = hex(key.verifying_key().as_bytes());
    let attempts: Vec<(&str, Fields, StatusCode, &str)> = vec![
        (
            "a signature by another key",
            vec![
                ("token", token.clone()),
                ("public_key", public_key.clone()),
                ("signature", hex(&by_thief.signature)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "\"bad_signature\"",
        ),
        (
            "a signature on another invitation's terms",
            vec![
                ("token", token.clone()),
                ("public_key", public_key.clone()),
                ("signature", hex(&other_terms.signature)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "\"bad_signature\"",
        ),
        (
            "a public key that is not hex",
            vec![
                ("token", token.clone()),
                ("public_key", "zz".repeat(32)),
                ("signature", hex(&by_key.signature)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "public key must be 32 bytes",
        ),
        (
            "a truncated signature",
            vec![
                ("token", token.clone()),
                ("public_key", public_key.clone()),
                ("signature", hex(&by_key.signature[..32])),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature must be 64 bytes",
        ),
        (
            "an unknown invitation",
            vec![
                ("token", "00".repeat(32)),
                ("public_key", public_key.clone()),
                ("signature", hex(&by_key.signature)),
            ],
            StatusCode::NOT_FOUND,
            "\"not_found\"",
        ),
    ];
    for (what, fields, expected, says) in attempts {
        let before = snapshot(&app).await;
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, headers, body) = app.call("enroll", &fields, None).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert!(body.contains(says), "{what}: {body}");
        assert_eq!(session_cookie(&headers), None, "{what}");
        assert_eq!(snapshot(&app).await, before, "{what} changed something");
    }

    // Over-long names are refused with the reason, and nothing is created.
    let before = snapshot(&app).await;
    let long_name = "N".repeat(81);
    let (status, _, body) = app
        .call(
            "invite",
            &[
                ("group", &group.0.to_string()),
                ("role", "member"),
                ("name", &long_name),
            ],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("80"), "{body}");
    let (status, _, body) = app
        .call(
            "create_group",
            &[("name", &"G".repeat(61))],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _, body) = app
        .call(
            "invite",
            &[("group", "9999"), ("role", "member"), ("name", "Nobody")],
            Some(&admin.cookie),
        )
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    let (status, _, body) = app
        .call(
            "invite",
            &[
                ("group", &group.0.to_string()),
                ("role", "emperor"),
                ("name", "Nobody"),
            ],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(snapshot(&app).await, before);

    // The genuine enrollment works, once.
    let genuine = [
        ("token", token.as_str()),
        ("public_key", public_key.as_str()),
        ("signature", &hex(&by_key.signature)),
    ];
    let (status, headers, body) = app.call("enroll", &genuine, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(session_cookie(&headers).is_some());
    let before = snapshot(&app).await;
    let (status, _, body) = app.call("enroll", &genuine, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(snapshot(&app).await, before);
    assert_log_verifies(&app).await;
}

/// Asks for a challenge and answers it with `signature_by` for `public_key`.
async fn sign_in(
    app: &TestApp,
    public_key: &SigningKey,
    signature_by: &SigningKey,
) -> (StatusCode, String, Option<String>, [String; 3]) {
    let (status, _, body) = app.call("sign_in_challenge", &[], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let challenge: serde_json::Value = serde_json::from_str(&body).unwrap();
    let nonce_hex = challenge["nonce"].as_str().unwrap().to_owned();
    let nonce = <[u8; 32]>::try_from(domain::hex::decode(&nonce_hex).unwrap()).unwrap();
    let signature = domain::signin::sign_challenge(app.origin(), &nonce, signature_by);
    let fields = [
        nonce_hex,
        hex(public_key.verifying_key().as_bytes()),
        hex(&signature),
    ];
    let (status, headers, body) = app
        .call(
            "sign_in",
            &[
                ("nonce", &fields[0]),
                ("public_key", &fields[1]),
                ("signature", &fields[2]),
            ],
            None,
        )
        .await;
    (status, body, session_cookie(&headers), fields)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_challenge_answers_once_and_only_to_the_members_key() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let member = app.member(GROUP, Role::Member, "Bo Lind", 7).await;
    let stranger = SigningKey::from_bytes(&[8; 32]);

    // The member's public key with another key's signature.
    let (status, body, cookie, _) = sign_in(&app, &member.key, &stranger).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"bad_signature\""), "{body}");
    assert_eq!(cookie, None);
    // A well-signed challenge by a key nobody enrolled.
    let (status, body, cookie, _) = sign_in(&app, &stranger, &stranger).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("\"unknown_key\""), "{body}");
    assert_eq!(cookie, None);
    // The member's own answer works, once: replayed, it is refused.
    let (status, body, cookie, fields) = sign_in(&app, &member.key, &member.key).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.unwrap();
    assert_ne!(cookie, member.cookie);
    let (status, headers, body) = app
        .call(
            "sign_in",
            &[
                ("nonce", &fields[0]),
                ("public_key", &fields[1]),
                ("signature", &fields[2]),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("\"challenge_used\""), "{body}");
    assert_eq!(session_cookie(&headers), None);
    // A nonce the server never issued.
    let forged = [7u8; 32];
    let signature = domain::signin::sign_challenge(app.origin(), &forged, &member.key);
    let (status, _, body) = app
        .call(
            "sign_in",
            &[
                ("nonce", &hex(&forged)),
                ("public_key", &fields[1]),
                ("signature", &hex(&signature)),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The session works; after sign-out it does not.
    let (status, _, body) = app.call("session", &[], Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bo Lind"), "{body}");
    app.call("sign_out", &[], Some(&cookie)).await;
    let (_, _, body) = app.call("session", &[], Some(&cookie)).await;
    assert_eq!(body, "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_replaces_the_old_one_for_signing_in() {
    let app = TestApp::build("sqlite::memory:", Some("Harbour Council"), 1000).await;
    let member = app.member(GROUP, Role::Member, "Bo Lind", 7).await;
    let new = SigningKey::from_bytes(&[8; 32]);
    let statement = domain::members::rotation_statement(
        app.origin(),
        member.id,
        new.verifying_key().as_bytes(),
    );
    let rotate = |signature: String| {
        let new_key = hex(new.verifying_key().as_bytes());
        let cookie = member.cookie.clone();
        let app = &app;
        async move {
            app.call(
                "rotate_key",
                &[("new_key", &new_key), ("signature", &signature)],
                Some(&cookie),
            )
            .await
        }
    };
    // Signed by the new key instead of the current one: refused.
    let before = snapshot(&app).await;
    let (status, _, body) = rotate(hex(&statement.clone().sign(&new).unwrap().signature)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(snapshot(&app).await, before);
    // A small-order (weak) new key: refused.
    let (status, _, body) = app
        .call(
            "rotate_key",
            &[("new_key", &hex(&[0; 32])), ("signature", &hex(&[0; 64]))],
            Some(&member.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(snapshot(&app).await, before);

    let (status, _, body) = rotate(hex(&statement.sign(&member.key).unwrap().signature)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body, _, _) = sign_in(&app, &member.key, &member.key).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the old key still signs in: {body}"
    );
    let (status, body, cookie, _) = sign_in(&app, &new, &new).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(cookie.is_some());
    let summary = assert_log_verifies(&app).await;
    assert_eq!(summary.roll.member(member.id).unwrap().keys.len(), 2);
}

/// Everything every test in this process logged, at every level.
fn captured_logs() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOGS: std::sync::OnceLock<std::sync::Mutex<Vec<u8>>> = std::sync::OnceLock::new();
    static INSTALL: std::sync::Once = std::sync::Once::new();
    struct Capture;
    impl std::io::Write for Capture {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            captured_logs().lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let logs = LOGS.get_or_init(|| std::sync::Mutex::new(Vec::new()));
    INSTALL.call_once(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| Capture)
            .try_init()
            .ok();
    });
    logs
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_database_or_the_logs() {
    captured_logs();
    let dir = std::env::temp_dir().join(format!(
        "tribune-secrets-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/tribune.db", dir.display());
    let app = TestApp::build(&url, Some("Harbour Council"), 1000).await;
    let group = app.group(GROUP).await;
    let token = app.invitation(group, Role::Member, "Bo Lind", None).await;
    // Fresh random keys, as the browser makes them.
    let key = app::keystore::generate_key().unwrap();
    let next = app::keystore::generate_key().unwrap();
    // The invitation page (its path holds the secret), enrollment, sign-in,
    // rotation, the account's sessions.
    let (status, _, _) = app.get(&format!("/invite/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = app.enroll(&token, &key).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let enrolled_cookie = session_cookie(&headers).unwrap();
    let (status, body, cookie, _) = sign_in(&app, &key, &key).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.unwrap();
    let member = MemberId(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
            .as_u64()
            .unwrap(),
    );
    let rotation =
        domain::members::rotation_statement(app.origin(), member, next.verifying_key().as_bytes())
            .sign(&key)
            .unwrap();
    let (status, _, body) = app
        .call(
            "rotate_key",
            &[
                ("new_key", &hex(next.verifying_key().as_bytes())),
                ("signature", &hex(&rotation.signature)),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = app.call("my_sessions", &[], Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    app.storage.close().await;
    drop(app);

    let mut stored = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let logs = captured_logs().lock().unwrap().clone();
    assert!(
        contains(&logs, b"enrolled") && contains(&logs, b"path=/invite/"),
        "the capture saw the requests"
    );
    // The public key is public: it is in the database (a sanity check that
    // the search looks at the right bytes).
    assert!(contains(&stored, key.verifying_key().as_bytes()));
    let secrets: [(&str, Vec<u8>); 7] = [
        ("the invitation link's secret", token.clone().into_bytes()),
        (
            "the enrollment session cookie",
            enrolled_cookie
                .split_once('=')
                .unwrap()
                .1
                .as_bytes()
                .to_vec(),
        ),
        (
            "the sign-in session cookie",
            cookie.split_once('=').unwrap().1.as_bytes().to_vec(),
        ),
        ("the private key", key.to_bytes().to_vec()),
        ("the private key, hex", hex(&key.to_bytes()).into_bytes()),
        ("the new private key", next.to_bytes().to_vec()),
        (
            "the new private key, hex",
            hex(&next.to_bytes()).into_bytes(),
        ),
    ];
    for (what, secret) in secrets {
        assert!(!contains(&stored, &secret), "{what} is in the database");
        assert!(!contains(&logs, &secret), "{what} is in the logs");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A refused plain form post (a browser without script, asking for HTML) is
/// sent back to the form's page with the reason in the query string, as a
/// redirect the browser follows; the same call from a script answers with the
/// error's status. Neither changes anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_plain_form_post_goes_back_to_its_page_with_the_reason() {
    use axum::body::Body;
    use http::{Request, header};
    let app = TestApp::with_council("Harbour Content Council").await;
    let before = snapshot(&app).await;

    let request = Request::post("/api/sign_out_everywhere")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::ACCEPT,
            "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
        )
        .header(header::REFERER, "http://localhost/account")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.request(request).await;
    assert_eq!(status, StatusCode::FOUND);
    let location = headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("http://localhost/account?"),
        "{location}"
    );
    assert!(
        location.contains("__path=") && location.contains("__err="),
        "{location}"
    );

    let (status, _, body) = app.call("sign_out_everywhere", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(snapshot(&app).await, before);
}

/// A successful plain form post goes back to its page with `done=` and the
/// function's name (an earlier refusal dropped from the address); an
/// invitation made by a plain form post reaches the admin page in a cookie
/// only the server reads, which the page shows once and removes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_form_post_comes_back_with_what_was_done_and_a_link_shown_once() {
    use axum::body::Body;
    use http::{Request, header};
    let app = TestApp::with_council("Harbour Content Council").await;
    let admin = app
        .member("Independent Experts", Role::Admin, "Pia Plain", 61)
        .await;
    let plain_post = |endpoint: &str, body: String| {
        Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,*/*;q=0.8")
            .header(
                header::REFERER,
                "http://localhost/admin?__path=%2Fapi%2Fcreate_group&__err=abc&done=x#groups",
            )
            .header(header::COOKIE, admin.cookie.clone())
            .body(Body::from(body))
            .unwrap()
    };

    let (status, headers, _) = app
        .request(plain_post("create_group", "name=Plain+Watch".into()))
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        headers[header::LOCATION].to_str().unwrap(),
        "http://localhost/admin?done=create_group"
    );
    assert!(headers.get(header::SET_COOKIE).is_none());

    let group = app.group("Plain Watch").await;
    let (status, headers, _) = app
        .request(plain_post(
            "invite",
            format!("group={}&role=member&name=Ray+Plain", group.0),
        ))
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        headers[header::LOCATION].to_str().unwrap(),
        "http://localhost/admin?done=invite"
    );
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("tribune_shown_once=")
            && cookie.contains("Path=/admin")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let once = cookie.split(';').next().unwrap().to_owned();

    let page = |cookies: String| {
        Request::get("/admin?done=invite")
            .header(header::COOKIE, cookies)
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, body) = app.request(page(format!("{}; {once}", admin.cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("id=\"invitation-url\""), "{body}");
    assert!(body.contains("/invite/"), "{body}");
    let cleared = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cleared.starts_with("tribune_shown_once=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    // A script calling the same function gets the link in the answer, and
    // no cookie.
    let (status, headers, body) = app
        .call(
            "invite",
            &[
                ("group", &group.0.to_string()),
                ("role", "member"),
                ("name", "Sol Script"),
            ],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("/invite/"), "{body}");
    assert!(headers.get(header::SET_COOKIE).is_none());
}
