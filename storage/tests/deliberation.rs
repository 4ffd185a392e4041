//! Recusals and discussion on SQLite and PostgreSQL: a recusal is a signed
//! log entry that the verifier accepts; recused members and closed cases
//! take no comments; edits keep every version; read markers only move on.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::cases::{CaseDraft, CaseId, CaseStatus, ClauseCode, recusal_statement};
use domain::genesis::genesis;
use domain::members::{DisplayName, GroupName, Role, enrollment_statement};
use domain::note::NoteSigner;
use domain::statement::MemberId;
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use ed25519_dalek::SigningKey;
use storage::{Actor, Clause, CommentId, NewInvitation, StorageError, Transition};
use support::TestDb;

const NOW: Timestamp = Timestamp(1_800_000_000);

fn origin() -> LogOrigin {
    LogOrigin::parse("tribune.example/harbour").unwrap()
}

fn log_key() -> NoteSigner {
    NoteSigner::from_seed(origin().as_str(), &[1; 32]).unwrap()
}

struct Setup {
    ada: (MemberId, SigningKey),
    bo: (MemberId, SigningKey),
    case: CaseId,
}

async fn setup(db: &TestDb) -> Setup {
    let s = &db.storage;
    let council = Council {
        name: CouncilName::parse("Harbour Content Council").unwrap(),
        log_origin: origin(),
        founded_at: NOW,
    };
    s.found_council(&genesis(&council, &log_key()).unwrap())
        .await
        .unwrap();
    let group = s
        .create_group(&GroupName::parse("Independent Experts").unwrap())
        .await
        .unwrap();
    let mut members = Vec::new();
    for (n, name) in [(1u8, "Ada Moreau"), (2, "Bo Lind")] {
        let invitation = s
            .create_invitation(
                &NewInvitation {
                    token_hash: [n; 32],
                    member: None,
                    name: DisplayName::parse(name).unwrap(),
                    group,
                    role: Role::Clerk,
                    expires_at: Timestamp(NOW.0 + 3600),
                    created_by: None,
                },
                &log_key(),
            )
            .await
            .unwrap();
        let key = SigningKey::from_bytes(&[n + 10; 32]);
        let signed = enrollment_statement(&origin(), &invitation.terms, &invitation.signature)
            .sign(&key)
            .unwrap();
        let id = s.enroll(&[n; 32], &signed, &log_key(), NOW).await.unwrap();
        members.push((id, key));
    }
    let code = ClauseCode::parse("HS-2").unwrap();
    s.add_clause(
        &Clause {
            code: code.clone(),
            title: "Hateful conduct".to_owned(),
        },
        NOW,
    )
    .await
    .unwrap();
    let mut case = None;
    for handle in ["@subject", "@other"] {
        let fields = CaseDraft {
            kind: "content".to_owned(),
            subject_handle: handle.to_owned(),
            audience: Some(10),
            original_action: "removed".to_owned(),
            clauses: vec!["HS-2".to_owned()],
            reason: "appeal".to_owned(),
            ..CaseDraft::default()
        }
        .validate(std::slice::from_ref(&code))
        .unwrap();
        let id = s
            .create_case(&fields, Actor::Member(members[0].0), None, NOW)
            .await
            .unwrap()
            .case();
        case.get_or_insert(id);
    }
    let bo = members.pop().unwrap();
    let ada = members.pop().unwrap();
    Setup {
        ada,
        bo,
        case: case.unwrap(),
    }
}

async fn assert_log_verifies(db: &TestDb) {
    let size = db.storage.log_size().await.unwrap();
    let entries = db.storage.log_entries(0, size).await.unwrap();
    let checkpoint = db.storage.latest_checkpoint().await.unwrap().unwrap();
    domain::verify::verify_log(
        &origin(),
        &log_key().verifier(),
        checkpoint.as_bytes(),
        &entries,
        |_| {},
    )
    .unwrap();
}

backend_tests!(
    a_recusal_is_logged_and_silences_the_member_on_that_case,
    comments_reply_edit_and_keep_every_version,
    a_closed_case_takes_no_comments_or_recusals,
    evidence_is_kept_with_its_hash_and_only_while_the_case_is_open,
    public_comments_come_in_the_comment_period_and_are_screened_once,
);

async fn a_recusal_is_logged_and_silences_the_member_on_that_case(db: &TestDb) {
    let setup = setup(db).await;
    let (ada, ada_key) = &setup.ada;
    let recusal = recusal_statement(&origin(), setup.case, *ada, "I advised the subject.")
        .sign(ada_key)
        .unwrap();
    // Signed by another member's key: refused, nothing logged.
    let size = db.storage.log_size().await.unwrap();
    let forged = recusal_statement(&origin(), setup.case, *ada, "I advised the subject.")
        .sign(&setup.bo.1)
        .unwrap();
    assert!(matches!(
        db.storage.recuse(&forged, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "not_signed_by_valid_key"
    ));
    assert_eq!(db.storage.log_size().await.unwrap(), size);

    let index = db.storage.recuse(&recusal, &log_key(), NOW).await.unwrap();
    assert_eq!(index, size);
    assert_eq!(
        db.storage.member_activity(*ada, NOW).await.unwrap().recused,
        [setup.case]
    );
    let recusals = db.storage.recusals(setup.case).await.unwrap();
    assert_eq!(recusals.len(), 1);
    assert_eq!(recusals[0].member_name, "Ada Moreau");
    assert_eq!(recusals[0].log_index, index);
    assert!(matches!(
        db.storage.recuse(&recusal, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "already_recused"
    ));
    assert!(matches!(
        db.storage
            .add_comment(setup.case, None, *ada, "On the merits…", NOW)
            .await,
        Err(StorageError::Recused)
    ));
    assert!(db.storage.comments(setup.case).await.unwrap().is_empty());
    // Recused from one case only.
    db.storage
        .add_comment(CaseId(setup.case.0 + 1), None, *ada, "Elsewhere", NOW)
        .await
        .unwrap();
    assert_log_verifies(db).await;
    assert!(
        db.raw_execute("DELETE FROM recusals").await.is_err(),
        "recusals are append-only"
    );
}

async fn comments_reply_edit_and_keep_every_version(db: &TestDb) {
    let setup = setup(db).await;
    let (ada, bo) = (setup.ada.0, setup.bo.0);
    let first = db
        .storage
        .add_comment(setup.case, None, ada, "First thought", NOW)
        .await
        .unwrap();
    let reply = db
        .storage
        .add_comment(setup.case, Some(first), bo, "A reply", NOW)
        .await
        .unwrap();
    // A reply to a comment on another case: refused.
    let elsewhere = db
        .storage
        .add_comment(CaseId(setup.case.0 + 1), None, bo, "Other case", NOW)
        .await
        .unwrap();
    assert!(matches!(
        db.storage
            .add_comment(setup.case, Some(elsewhere), bo, "Wrong thread", NOW)
            .await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        db.storage.edit_comment(first, bo, "Not mine", NOW).await,
        Err(StorageError::NotTheAuthor)
    ));
    let later = Timestamp(NOW.0 + 60);
    db.storage
        .edit_comment(first, ada, "First thought, refined", later)
        .await
        .unwrap();
    let comments = db.storage.comments(setup.case).await.unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].body, "First thought, refined");
    assert_eq!(comments[0].versions, 2);
    assert_eq!(comments[0].edited_at, Some(later));
    assert_eq!(comments[1].parent, Some(first));
    assert_eq!(comments[1].edited_at, None);
    let versions = db.storage.comment_versions(first).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.body.as_str()).collect::<Vec<_>>(),
        ["First thought", "First thought, refined"]
    );
    assert!(
        db.raw_execute("UPDATE comment_versions SET body = 'rewritten'")
            .await
            .is_err()
    );
    // Bo has not read Ada's comment; Ada has read neither Bo's reply nor
    // his comment on the other case.
    let activity = db.storage.member_activity(bo, NOW).await.unwrap();
    assert_eq!(activity.unread, [(setup.case, 1)]);
    assert_eq!(
        db.storage.member_activity(ada, NOW).await.unwrap().unread,
        [(setup.case, 1), (CaseId(setup.case.0 + 1), 1)]
    );
    // Read markers only move forward.
    assert_eq!(db.storage.last_read(bo, setup.case).await.unwrap(), None);
    db.storage.mark_read(bo, setup.case, reply).await.unwrap();
    db.storage.mark_read(bo, setup.case, first).await.unwrap();
    assert_eq!(
        db.storage.last_read(bo, setup.case).await.unwrap(),
        Some(reply)
    );
    assert!(
        db.storage
            .member_activity(bo, NOW)
            .await
            .unwrap()
            .unread
            .is_empty()
    );
    assert_eq!(
        db.storage
            .last_read(bo, CaseId(setup.case.0 + 1))
            .await
            .unwrap(),
        None::<CommentId>
    );
}

async fn a_closed_case_takes_no_comments_or_recusals(db: &TestDb) {
    let setup = setup(db).await;
    let (ada, bo) = (setup.ada.0, setup.bo.0);
    let comment = db
        .storage
        .add_comment(setup.case, None, ada, "Before closing", NOW)
        .await
        .unwrap();
    db.storage
        .move_case(
            &Transition {
                case: setup.case,
                from: CaseStatus::Intake,
                to: CaseStatus::Declined,
                by: ada,
                reason: Some("out of scope".to_owned()),
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(matches!(
        db.storage
            .add_comment(setup.case, None, bo, "Too late", NOW)
            .await,
        Err(StorageError::CaseClosed)
    ));
    assert!(matches!(
        db.storage
            .edit_comment(comment, ada, "Rewritten after closing", NOW)
            .await,
        Err(StorageError::CaseClosed)
    ));
    let recusal = recusal_statement(&origin(), setup.case, bo, "late conflict")
        .sign(&setup.bo.1)
        .unwrap();
    let size = db.storage.log_size().await.unwrap();
    assert!(matches!(
        db.storage.recuse(&recusal, &log_key(), NOW).await,
        Err(StorageError::CaseClosed)
    ));
    assert_eq!(db.storage.log_size().await.unwrap(), size);
    assert_eq!(
        db.storage.comments(setup.case).await.unwrap()[0].body,
        "Before closing"
    );
}

async fn evidence_is_kept_with_its_hash_and_only_while_the_case_is_open(db: &TestDb) {
    use domain::cases::EvidenceContent;
    let setup = setup(db).await;
    let ada = setup.ada.0;
    let s = &db.storage;
    let pdf = b"%PDF-1.7 the platform's report".to_vec();
    s.add_evidence(
        setup.case,
        ada,
        "Note",
        &EvidenceContent::text("Context").unwrap(),
        NOW,
    )
    .await
    .unwrap();
    s.add_evidence(
        setup.case,
        ada,
        "Archive",
        &EvidenceContent::link("https://archive.example/p/1").unwrap(),
        NOW,
    )
    .await
    .unwrap();
    let file = s
        .add_evidence(
            setup.case,
            ada,
            "Report",
            &EvidenceContent::file("report.pdf", pdf.clone()).unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let listed = s.evidence(setup.case).await.unwrap();
    assert_eq!(
        listed.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["text", "link", "file"]
    );
    assert_eq!(listed[2].size, Some(pdf.len() as u64));
    assert_eq!(listed[0].member_name, "Ada Moreau");
    let stored = s.evidence_file(setup.case, file).await.unwrap().unwrap();
    assert_eq!(stored.data, pdf);
    assert_eq!(stored.content_type, "application/pdf");
    assert_eq!(Some(stored.sha256), listed[2].sha256);
    // Not a file, or another case's: nothing.
    assert_eq!(
        s.evidence_file(setup.case, listed[0].id).await.unwrap(),
        None
    );
    assert_eq!(
        s.evidence_file(CaseId(setup.case.0 + 1), file)
            .await
            .unwrap(),
        None
    );
    assert!(db.raw_execute("DELETE FROM evidence").await.is_err());
    s.move_case(
        &Transition {
            case: setup.case,
            from: CaseStatus::Intake,
            to: CaseStatus::Withdrawn,
            by: ada,
            reason: Some("withdrawn by the platform".to_owned()),
        },
        NOW,
    )
    .await
    .unwrap();
    assert!(matches!(
        s.add_evidence(
            setup.case,
            ada,
            "Late",
            &EvidenceContent::text("x").unwrap(),
            NOW
        )
        .await,
        Err(StorageError::CaseClosed)
    ));
    assert_eq!(s.evidence(setup.case).await.unwrap().len(), 3);
}

async fn public_comments_come_in_the_comment_period_and_are_screened_once(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let ada = setup.ada.0;
    // Still in intake: not open for comment.
    assert!(matches!(
        s.add_public_comment(setup.case, "Sam", None, "Too early", NOW)
            .await,
        Err(StorageError::CommentPeriodClosed)
    ));
    s.move_case(
        &Transition {
            case: setup.case,
            from: CaseStatus::Intake,
            to: CaseStatus::Accepted,
            by: ada,
            reason: None,
        },
        NOW,
    )
    .await
    .unwrap();
    let good = s
        .add_public_comment(
            setup.case,
            "Sam Reyes",
            Some("Harbour Law Clinic"),
            "Context.",
            NOW,
        )
        .await
        .unwrap();
    let spam = s
        .add_public_comment(setup.case, "Spammer", None, "Buy now", NOW)
        .await
        .unwrap();
    s.decide_public_comment(good, true, None, ada, NOW)
        .await
        .unwrap();
    s.decide_public_comment(spam, false, Some("advertising"), ada, NOW)
        .await
        .unwrap();
    assert!(matches!(
        s.decide_public_comment(good, false, Some("changed my mind"), ada, NOW)
            .await,
        Err(StorageError::AlreadyDecided)
    ));
    assert!(matches!(
        s.decide_public_comment(999, true, None, ada, NOW).await,
        Err(StorageError::NotFound)
    ));
    let comments = s.public_comments(setup.case).await.unwrap();
    assert_eq!(
        comments
            .iter()
            .map(|c| (c.name.as_str(), c.status.as_str(), c.reason.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("Sam Reyes", "approved", None),
            ("Spammer", "rejected", Some("advertising"))
        ]
    );
    assert_eq!(
        comments[0].affiliation.as_deref(),
        Some("Harbour Law Clinic")
    );
}
