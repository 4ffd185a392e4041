//! Cases on SQLite and PostgreSQL: the policy catalogue, intake tokens,
//! idempotent escalation, the lifecycle's history and the filtered, paginated
//! case list.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::cases::{CaseDraft, CaseKind, CaseStatus, ClauseCode, Tier};
use domain::genesis::genesis;
use domain::members::{DisplayName, GroupName, Role, enrollment_statement};
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use ed25519_dalek::SigningKey;
use storage::{
    Actor, CaseFilter, Clause, Idempotency, Intake, NewInvitation, StorageError, Transition,
};
use support::TestDb;

const NOW: Timestamp = Timestamp(1_800_000_000);

fn origin() -> LogOrigin {
    LogOrigin::parse("tribune.example/harbour").unwrap()
}

fn log_key() -> NoteSigner {
    NoteSigner::from_seed(origin().as_str(), &[1; 32]).unwrap()
}

/// A council with its catalogue (HS-2, V-1) and one enrolled clerk.
async fn setup(db: &TestDb) -> MemberId {
    let council = Council {
        name: CouncilName::parse("Harbour Content Council").unwrap(),
        log_origin: origin(),
        founded_at: NOW,
    };
    let s = &db.storage;
    s.found_council(&genesis(&council, &log_key()).unwrap())
        .await
        .unwrap();
    for (code, title) in [("HS-2", "Hateful conduct"), ("V-1", "Violent threats")] {
        let clause = Clause {
            code: ClauseCode::parse(code).unwrap(),
            title: title.to_owned(),
        };
        assert!(s.add_clause(&clause, NOW).await.unwrap());
    }
    let group = s
        .create_group(&GroupName::parse("Independent Experts").unwrap())
        .await
        .unwrap();
    let invitation = s
        .create_invitation(
            &NewInvitation {
                token_hash: [1; 32],
                member: None,
                name: DisplayName::parse("Cleo Clerk").unwrap(),
                group,
                role: Role::Clerk,
                expires_at: Timestamp(NOW.0 + 3600),
                created_by: None,
            },
            &log_key(),
        )
        .await
        .unwrap();
    let signed = enrollment_statement(&origin(), &invitation.terms, &invitation.signature)
        .sign(&SigningKey::from_bytes(&[7; 32]))
        .unwrap();
    s.enroll(&[1; 32], &signed, &log_key(), NOW).await.unwrap()
}

fn draft(handle: &str, kind: &str, clause: &str, audience: u64) -> CaseDraft {
    CaseDraft {
        kind: kind.to_owned(),
        subject_handle: handle.to_owned(),
        subject_link: "https://social.example/p/1".to_owned(),
        excerpt: "an excerpt".to_owned(),
        audience: Some(audience),
        tier: String::new(),
        original_action: "removed".to_owned(),
        clauses: vec![clause.to_owned()],
        reason: "the author appealed".to_owned(),
    }
}

async fn known(db: &TestDb) -> Vec<ClauseCode> {
    db.storage
        .clauses()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect()
}

backend_tests!(
    the_policy_catalogue_keeps_each_code_once,
    a_case_is_created_with_its_clauses_and_first_event,
    a_retried_escalation_never_makes_a_second_case,
    transitions_are_recorded_and_a_stale_one_changes_nothing,
    the_case_list_filters_searches_and_pages,
    intake_tokens_are_found_by_hash_until_revoked,
);

async fn the_policy_catalogue_keeps_each_code_once(db: &TestDb) {
    setup(db).await;
    let again = Clause {
        code: ClauseCode::parse("HS-2").unwrap(),
        title: "Another title".to_owned(),
    };
    assert!(!db.storage.add_clause(&again, NOW).await.unwrap());
    let clauses = db.storage.clauses().await.unwrap();
    assert_eq!(clauses.len(), 2);
    assert_eq!(clauses[0].title, "Hateful conduct");
}

async fn a_case_is_created_with_its_clauses_and_first_event(db: &TestDb) {
    let clerk = setup(db).await;
    let fields = draft("@harbour_news", "content", "HS-2", 25_000)
        .validate(&known(db).await)
        .unwrap();
    let intake = db
        .storage
        .create_case(&fields, Actor::Member(clerk), None, NOW)
        .await
        .unwrap();
    let Intake::Created(id) = intake else {
        panic!("{intake:?}")
    };
    let case = db.storage.case(id).await.unwrap().unwrap();
    assert_eq!(case.fields, fields);
    assert_eq!(case.status, CaseStatus::Intake);
    assert_eq!(case.stage_deadline, Some(Timestamp(NOW.0 + 7 * 86_400)));
    assert_eq!(case.events.len(), 1);
    assert_eq!(case.events[0].from, None);
    assert_eq!(case.events[0].actor, Actor::Member(clerk));
    assert_eq!(case.events[0].actor_name, "Cleo Clerk");
    assert_eq!(
        db.storage.case(domain::cases::CaseId(999)).await.unwrap(),
        None
    );
    // The stage alone, as the checks that need no more read it.
    assert_eq!(
        db.storage.case_status(id).await.unwrap(),
        Some(CaseStatus::Intake)
    );
    assert_eq!(
        db.storage
            .case_status(domain::cases::CaseId(999))
            .await
            .unwrap(),
        None
    );
}

async fn a_retried_escalation_never_makes_a_second_case(db: &TestDb) {
    setup(db).await;
    let token = db
        .storage
        .create_intake_token("Platform", &[9; 32], None, NOW)
        .await
        .unwrap();
    let fields = draft("@famous", "reinstatement", "V-1", 12_000_000)
        .validate(&known(db).await)
        .unwrap();
    let key = |hash: u8| Idempotency {
        token,
        key: "escalation-41".to_owned(),
        request_hash: [hash; 32],
    };
    let first = db
        .storage
        .create_case(&fields, Actor::Token(token), Some(&key(1)), NOW)
        .await
        .unwrap();
    let again = db
        .storage
        .create_case(&fields, Actor::Token(token), Some(&key(1)), NOW)
        .await
        .unwrap();
    assert!(matches!(first, Intake::Created(_)));
    assert_eq!(again, Intake::Existing(first.case()));
    assert!(matches!(
        db.storage
            .create_case(&fields, Actor::Token(token), Some(&key(2)), NOW)
            .await,
        Err(StorageError::IdempotencyKeyReused)
    ));
    let page = db
        .storage
        .cases(&CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.cases.len(), 1);
    assert_eq!(page.cases[0].tier, Tier::VeryProminent);
    let case = db.storage.case(first.case()).await.unwrap().unwrap();
    assert_eq!(case.events[0].actor, Actor::Token(token));
    assert_eq!(case.events[0].actor_name, "Platform");
}

async fn transitions_are_recorded_and_a_stale_one_changes_nothing(db: &TestDb) {
    let clerk = setup(db).await;
    let fields = draft("@a", "content", "HS-2", 10)
        .validate(&known(db).await)
        .unwrap();
    let id = db
        .storage
        .create_case(&fields, Actor::Member(clerk), None, NOW)
        .await
        .unwrap()
        .case();
    let later = Timestamp(NOW.0 + 3600);
    db.storage
        .move_case(
            &Transition {
                case: id,
                from: CaseStatus::Intake,
                to: CaseStatus::Accepted,
                by: clerk,
                reason: Some("in scope".to_owned()),
            },
            later,
        )
        .await
        .unwrap();
    // Someone else declines it from the status they saw before: refused.
    assert!(matches!(
        db.storage
            .move_case(
                &Transition {
                    case: id,
                    from: CaseStatus::Intake,
                    to: CaseStatus::Declined,
                    by: clerk,
                    reason: Some("out of scope".to_owned()),
                },
                later,
            )
            .await,
        Err(StorageError::CaseMoved)
    ));
    let case = db.storage.case(id).await.unwrap().unwrap();
    assert_eq!(case.status, CaseStatus::Accepted);
    assert_eq!(case.stage_entered_at, later);
    assert_eq!(case.stage_deadline, Some(Timestamp(later.0 + 7 * 86_400)));
    assert_eq!(case.events.len(), 2);
    assert_eq!(case.events[1].from, Some(CaseStatus::Intake));
    assert_eq!(case.events[1].reason.as_deref(), Some("in scope"));
    // The history is append-only in the database itself.
    assert!(
        db.raw_execute("UPDATE case_events SET reason = 'rewritten'")
            .await
            .is_err()
    );
    assert!(db.raw_execute("DELETE FROM case_events").await.is_err());
}

async fn the_case_list_filters_searches_and_pages(db: &TestDb) {
    let clerk = setup(db).await;
    let known = known(db).await;
    for n in 0..25u64 {
        let (kind, clause) = if n % 5 == 0 {
            ("policy", "V-1")
        } else {
            ("content", "HS-2")
        };
        let fields = draft(&format!("@user_{n}"), kind, clause, n * 100_000)
            .validate(&known)
            .unwrap();
        db.storage
            .create_case(&fields, Actor::Member(clerk), None, NOW)
            .await
            .unwrap();
    }
    let list = |filter: CaseFilter| async move { db.storage.cases(&filter).await.unwrap() };
    // Pages of 10, newest first, no case twice.
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = list(CaseFilter {
            before,
            limit: 10,
            ..CaseFilter::default()
        })
        .await;
        seen.extend(page.cases.iter().map(|c| c.id.0));
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));

    let policy = list(CaseFilter {
        kind: Some(CaseKind::Policy),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    assert_eq!(policy.cases.len(), 5);
    let violent = list(CaseFilter {
        clause: Some(ClauseCode::parse("V-1").unwrap()),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    assert_eq!(violent.cases.len(), 5);
    assert!(violent.cases.iter().all(|c| c.clauses[0].as_str() == "V-1"));
    let prominent = list(CaseFilter {
        tier: Some(Tier::Prominent),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    // Audiences 1.0M to 2.4M.
    assert_eq!(prominent.cases.len(), 15);
    let found = list(CaseFilter {
        search: Some("USER_12".to_owned()),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    assert_eq!(found.cases.len(), 1);
    assert_eq!(found.cases[0].subject_handle, "@user_12");
    // LIKE's wildcards are searched for literally.
    let wildcard = list(CaseFilter {
        search: Some("%".to_owned()),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    assert!(wildcard.cases.is_empty());
    let none = list(CaseFilter {
        status: Some(CaseStatus::Published),
        limit: 50,
        ..CaseFilter::default()
    })
    .await;
    assert!(none.cases.is_empty());
    assert_eq!(none.next, None);
}

async fn intake_tokens_are_found_by_hash_until_revoked(db: &TestDb) {
    setup(db).await;
    let id = db
        .storage
        .create_intake_token("Platform", &[9; 32], None, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.storage.intake_token(&[9; 32]).await.unwrap().unwrap().id,
        id
    );
    assert_eq!(db.storage.intake_token(&[8; 32]).await.unwrap(), None);
    db.storage.revoke_intake_token(id, NOW).await.unwrap();
    assert_eq!(db.storage.intake_token(&[9; 32]).await.unwrap(), None);
    assert!(matches!(
        db.storage.revoke_intake_token(id, NOW).await,
        Err(StorageError::NotFound)
    ));
    let tokens = db.storage.intake_tokens().await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].revoked_at, Some(NOW));
}
