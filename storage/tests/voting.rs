//! Motions and signed votes on SQLite and PostgreSQL: the roll is fixed at
//! opening; votes are checked (window, roll, recusal, key, sequence) and
//! refused ones change nothing; sealed votes reach the log only at close;
//! the tally is logged and the whole log verifies. Decisions are drafted,
//! signed by their authors, published with every vote and opinion named,
//! and answered by the platform.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

mod support;

use domain::cases::{CaseDraft, CaseId, CaseStatus, ClauseCode, recusal_statement};
use domain::decisions::{
    AnswerStatus, DecisionRecord, OpinionBody, OpinionKind, Precedent, Relation, answers_due,
    opinion_statement,
};
use domain::genesis::genesis;
use domain::members::{DisplayName, GroupName, Role, enrollment_statement};
use domain::note::NoteSigner;
use domain::statement::{MemberId, MotionId, SignedStatement};
use domain::voting::{
    self, Bridging, CloseReason, CommitmentBody, MotionDraft, MotionKind, Outcome, Rules, VoteBody,
};
use domain::{Council, CouncilName, LogOrigin, Timestamp};
use ed25519_dalek::SigningKey;
use storage::{Actor, Clause, NewInvitation, StorageError, Transition};
use support::TestDb;

const NOW: Timestamp = Timestamp(1_800_000_000);
const CLOSES: Timestamp = Timestamp(1_800_000_000 + 3600);

fn origin() -> LogOrigin {
    LogOrigin::parse("tribune.example/harbour").unwrap()
}

fn log_key() -> NoteSigner {
    NoteSigner::from_seed(origin().as_str(), &[1; 32]).unwrap()
}

fn unsealed() -> Rules {
    Rules {
        sealed: false,
        bridging: Bridging::None,
        ..Rules::initial()
    }
}

/// A chair, two members in other groups, a clerk, and two cases: the first
/// in its voting stage with a drafted finding, the second in deliberation.
struct Setup {
    chair: (MemberId, SigningKey),
    ben: (MemberId, SigningKey),
    cleo: (MemberId, SigningKey),
    clerk: (MemberId, SigningKey),
    case: CaseId,
    other: CaseId,
    motion: MotionId,
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
    let mut members = Vec::new();
    for (n, name, group, role) in [
        // Ada chairs: she opens votes, assigns panels and publishes, each
        // signed with her own key; she is made admin for a moment to sign
        // a rules change (`adopt`).
        (1u8, "Ada Moreau", "Civil Rights Coalition", Role::Chair),
        (2, "Ben Okafor", "Free Expression Alliance", Role::Member),
        (3, "Cleo Varga", "Trust & Safety", Role::Member),
        (4, "Dee Clerk", "Civil Rights Coalition", Role::Clerk),
    ] {
        members.push(enroll_one(db, n, name, group, role).await);
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
    let chair = members[0].0;
    let mut cases = Vec::new();
    for (handle, stop) in [
        ("@subject", CaseStatus::Voting),
        ("@other", CaseStatus::Deliberation),
    ] {
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
            .create_case(&fields, Actor::Member(chair), None, NOW)
            .await
            .unwrap()
            .case();
        let mut status = CaseStatus::Intake;
        while status != stop {
            let next = status.next()[0];
            s.move_case(
                &Transition {
                    case: id,
                    from: status,
                    to: next,
                    by: chair,
                    reason: None,
                },
                NOW,
            )
            .await
            .unwrap();
            status = next;
        }
        cases.push(id);
    }
    // It says what carrying it means, which its opening logs.
    let draft = MotionDraft::new(MotionKind::Finding, "The post broke clause HS-2.", &[])
        .and_then(|d| d.with_effect(Some(domain::voting::Effect::Uphold)))
        .unwrap();
    let motion = s.draft_motion(cases[0], &draft, chair, NOW).await.unwrap();
    let mut members = members.into_iter();
    Setup {
        chair: members.next().unwrap(),
        ben: members.next().unwrap(),
        cleo: members.next().unwrap(),
        clerk: members.next().unwrap(),
        case: cases[0],
        other: cases[1],
        motion,
    }
}

fn vote(
    setup: &Setup,
    who: &(MemberId, SigningKey),
    choice: &str,
    sequence: u32,
) -> SignedStatement {
    let body = VoteBody {
        choice: choice.to_owned(),
        reason: Some("Read the thread.".to_owned()),
        sequence,
        salt: None,
    };
    voting::vote_statement(&origin(), setup.case, setup.motion, who.0, &body)
        .sign(&who.1)
        .unwrap()
}

/// A sealed vote and its commitment, both signed by `who`.
fn sealed_vote(
    setup: &Setup,
    who: &(MemberId, SigningKey),
    choice: &str,
    sequence: u32,
) -> (SignedStatement, SignedStatement) {
    let body = VoteBody {
        choice: choice.to_owned(),
        reason: None,
        sequence,
        salt: Some(domain::hex::encode(&[sequence as u8 ^ 0x5a; 32])),
    };
    let signed = voting::vote_statement(&origin(), setup.case, setup.motion, who.0, &body)
        .sign(&who.1)
        .unwrap();
    let commitment = voting::commitment_statement(
        &origin(),
        setup.case,
        setup.motion,
        who.0,
        &CommitmentBody {
            commitment: voting::commitment(&signed.to_entry().unwrap()),
            sequence,
        },
    )
    .sign(&who.1)
    .unwrap();
    (signed, commitment)
}

/// The chair records the setup's case, in its voting stage, as decided.
async fn decided(s: &storage::SharedStorage, setup: &Setup) {
    s.move_case(
        &Transition {
            case: setup.case,
            from: CaseStatus::Voting,
            to: CaseStatus::Decided,
            by: setup.chair.0,
            reason: None,
        },
        NOW,
    )
    .await
    .unwrap();
}

/// Opens the setup's motion under `rules` until `CLOSES`, as the chair.
async fn open(s: &storage::SharedStorage, setup: &Setup, rules: &Rules) {
    open_as(s, setup.motion, &setup.chair, CLOSES, rules)
        .await
        .unwrap();
}

/// The chair's acts as the browser makes them: the server prepares the
/// statement, the chair signs it with their own key, the server logs it.
async fn open_as(
    s: &storage::SharedStorage,
    motion: MotionId,
    chair: &(MemberId, SigningKey),
    closes_at: Timestamp,
    rules: &Rules,
) -> Result<u64, StorageError> {
    let statement = s
        .prepare_opening(motion, chair.0, closes_at, rules, NOW)
        .await?;
    s.open_motion(&statement.sign(&chair.1).unwrap(), &log_key(), NOW)
        .await
}

async fn panel_as(
    s: &storage::SharedStorage,
    case: CaseId,
    members: &[MemberId],
    chair: &(MemberId, SigningKey),
    now: Timestamp,
) -> Result<u64, StorageError> {
    let body = domain::panels::PanelBody::new(members, chair.0);
    let signed = domain::panels::panel_statement(&origin(), case, &body)
        .sign(&chair.1)
        .unwrap();
    s.assign_panel(&signed, &log_key(), now).await
}

async fn publish_as(
    s: &storage::SharedStorage,
    case: CaseId,
    chair: &(MemberId, SigningKey),
) -> Result<u64, StorageError> {
    let statement = s.prepare_decision(case, chair.0, NOW).await?;
    s.publish_decision(&statement.sign(&chair.1).unwrap(), &log_key(), NOW)
        .await
}

/// Makes `member` (the setup's chair) `role`, as the operator.
async fn make(s: &storage::SharedStorage, member: MemberId, role: Role) {
    s.change_role(
        &storage::RoleChange {
            member,
            role,
            status: domain::members::MemberStatus::Active,
            by: None,
            reason: "For this step of the test.".to_owned(),
        },
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
}

/// Ada, made admin for the moment, signs a change to `rules` (as the next
/// version), then chairs again; returns the rules now in force.
async fn adopt(db: &TestDb, setup: &Setup, rules: Rules) -> Rules {
    let current = db.storage.rules().await.unwrap();
    let rules = Rules {
        version: current.version + 1,
        ..rules
    };
    let change = voting::rules_change_statement(
        &origin(),
        &voting::RulesChangeBody {
            rules,
            reason: "Open votes for this trial.".to_owned(),
        },
    )
    .sign(&setup.chair.1)
    .unwrap();
    make(&db.storage, setup.chair.0, Role::Admin).await;
    db.storage
        .change_rules(&change, &log_key(), NOW)
        .await
        .unwrap();
    make(&db.storage, setup.chair.0, Role::Chair).await;
    assert_eq!(db.storage.rules().await.unwrap(), rules);
    rules
}

async fn verified(db: &TestDb) -> domain::verify::LogSummary {
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
    .unwrap()
}

backend_tests!(
    votes_are_logged_replaced_and_tallied_at_close,
    sealed_votes_reach_the_log_only_at_close,
    refused_votes_and_openings_change_nothing,
    two_closers_close_a_motion_once,
    votes_arriving_together_are_each_checked,
    a_writer_that_ends_mid_batch_loses_and_misreports_nothing,
    a_vote_whose_write_fails_leaves_the_others_written,
    a_fault_at_any_step_of_a_log_write_loses_nothing_and_a_retry_writes_once,
    rules_change_by_an_admin_and_bind_later_openings,
    decisions_are_drafted_signed_and_published,
    a_panel_is_the_roll_of_later_motions,
    a_recused_member_takes_no_further_part_and_is_not_waited_for,
    a_sealed_vote_is_revealed_after_its_member_changed_key,
    storage_accepts_an_act_exactly_when_replay_does,
    a_reopened_storage_replays_the_log_before_its_first_write,
    missing_subtree_heads_are_stored_again_at_start,
);

/// The start's check that every subtree head is stored looks at each
/// level's newest one (not a count of all of them): one missing there is
/// found, and the heads are stored again.
async fn missing_subtree_heads_are_stored_again_at_start(db: &TestDb) {
    let _setup = setup(db).await;
    let size = db.storage.latest_checkpoint_size().await.unwrap();
    assert!(size >= 4, "{size}");
    let drop_guard: &'static str = match db.backend() {
        storage::Backend::Sqlite => "DROP TRIGGER log_nodes_no_delete",
        storage::Backend::Postgres => "DROP TRIGGER log_nodes_append_only ON log_nodes",
    };
    db.raw_execute(drop_guard).await.unwrap();
    let newest: &'static str = Box::leak(
        format!(
            "DELETE FROM log_nodes WHERE level = 2 AND idx = {}",
            (size >> 2) - 1
        )
        .into_boxed_str(),
    );
    assert_eq!(db.raw_execute(newest).await.unwrap(), 1);
    db.storage.migrate().await.unwrap();
    // Stored again: deleting it again finds it.
    assert_eq!(db.raw_execute(newest).await.unwrap(), 1);
    db.storage.migrate().await.unwrap();
    // And the proofs read from the heads agree with the leaves.
    let leaves = db.storage.log_leaf_hashes(0, size).await.unwrap();
    let subtree = domain::merkle::Subtree {
        level: 2,
        index: (size >> 2) - 1,
    };
    let heads = db.storage.subtree_heads(&[subtree]).await.unwrap();
    let start = (((size >> 2) - 1) * 4) as usize;
    assert_eq!(
        heads.get(&subtree),
        Some(&domain::merkle::root(&leaves[start..start + 4]))
    );
}

/// After a start, the state that decides writes is replayed by reading
/// (`replay_log`, which `tribune serve` runs in the background), not by the
/// first write while it holds the write lock; writes go on from it, and the
/// log still verifies.
async fn a_reopened_storage_replays_the_log_before_its_first_write(db: &TestDb) {
    let setup = setup(db).await;
    let rules = adopt(db, &setup, unsealed()).await;
    open_as(&db.storage, setup.motion, &setup.chair, CLOSES, &rules)
        .await
        .unwrap();
    let size = db.storage.latest_checkpoint_size().await.unwrap();
    let reopened = storage::connect(&db.url).await.unwrap();
    assert_eq!(reopened.replay_log().await.unwrap(), size);
    // Kept: a second call has nothing to do.
    assert_eq!(reopened.replay_log().await.unwrap(), 0);
    reopened
        .cast_vote(
            &vote(&setup, &setup.ben, "oppose", 1),
            None,
            &log_key(),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(reopened.latest_checkpoint_size().await.unwrap(), size + 1);
    reopened.close().await;
    verified(db).await;
}

/// Ben commits a sealed vote, then replaces his key before the close: the
/// close reveals the vote signed by the key that committed it, and the log
/// still verifies (it once could not: the reveal was refused, and so was a
/// closing without it). His new key votes from then on.
async fn a_sealed_vote_is_revealed_after_its_member_changed_key(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    open(s, &setup, &Rules::initial()).await;
    let (vote, commitment) = sealed_vote(&setup, &setup.ben, "oppose", 1);
    s.cast_vote(&vote, Some(&commitment), &log_key(), NOW)
        .await
        .unwrap();
    let new_key = SigningKey::from_bytes(&[42; 32]);
    let rotation = domain::members::rotation_statement(
        &origin(),
        setup.ben.0,
        new_key.verifying_key().as_bytes(),
    )
    .sign(&setup.ben.1)
    .unwrap();
    s.rotate_key(&rotation, &log_key(), NOW).await.unwrap();
    // The old key votes no more.
    let (again, again_commitment) = sealed_vote(&setup, &setup.ben, "support", 2);
    assert!(matches!(
        s.cast_vote(&again, Some(&again_commitment), &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_signed_by_valid_key"
    ));
    let tally = s
        .close_motion(setup.motion, CloseReason::Deadline, &log_key(), CLOSES)
        .await
        .unwrap();
    assert_eq!(tally.counts["oppose"], 1);
    verified(db).await;
}

/// A recusal bars every further act on the case (a vote, evidence, an
/// opinion), and an early close as all-voted does not wait for the members
/// who recused; a close at the deadline waits for the deadline. Storage and
/// replay decide this with the same rules: the log still verifies.
async fn a_recused_member_takes_no_further_part_and_is_not_waited_for(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    for who in [&setup.chair, &setup.ben] {
        s.cast_vote(&vote(&setup, who, "support", 1), None, &log_key(), NOW)
            .await
            .unwrap();
    }
    // Ben (who voted) and Cleo (who did not) recuse while the motion is open.
    for (who, why) in [
        (&setup.ben, "A late conflict."),
        (&setup.cleo, "Former colleague."),
    ] {
        let recusal = recusal_statement(&origin(), setup.case, who.0, why)
            .sign(&who.1)
            .unwrap();
        s.recuse(&recusal, &log_key(), NOW).await.unwrap();
    }
    let size = s.log_size().await.unwrap();
    assert!(matches!(
        s.cast_vote(
            &vote(&setup, &setup.cleo, "oppose", 1),
            None,
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "recused"
    ));
    assert!(matches!(
        s.add_evidence(
            setup.case,
            setup.cleo.0,
            "Note",
            &domain::cases::EvidenceContent::text("Context").unwrap(),
            NOW,
        )
        .await,
        Err(StorageError::Recused)
    ));
    // At the deadline means once the window has ended.
    assert!(matches!(
        s.close_motion(setup.motion, CloseReason::Deadline, &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_yet_due"
    ));
    assert_eq!(s.log_size().await.unwrap(), size);
    // Everyone on the roll who has not recused has voted: closing early is fine.
    s.close_motion(setup.motion, CloseReason::AllVoted, &log_key(), NOW)
        .await
        .unwrap();
    decided(s, &setup).await;
    let size = s.log_size().await.unwrap();
    let dissent = opinion(&setup, &setup.ben, OpinionKind::Dissent, "I disagree.", &[]);
    assert!(matches!(
        s.sign_opinion(&dissent, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "recused"
    ));
    assert_eq!(s.log_size().await.unwrap(), size);
    verified(db).await;
}

async fn votes_are_logged_replaced_and_tallied_at_close(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    let opened = open_as(s, setup.motion, &setup.chair, CLOSES, &rules)
        .await
        .unwrap();
    let motion = s.motion(setup.motion).await.unwrap().unwrap();
    let (index, body) = motion.opened.clone().unwrap();
    assert_eq!(index, opened);
    // The clerk does not vote; everyone else is on the roll, by member id.
    let roll: Vec<MemberId> = body.roll.iter().map(|m| m.member).collect();
    assert_eq!(roll, [setup.chair.0, setup.ben.0, setup.cleo.0]);
    assert!(motion.is_open() && !motion.is_sealed_now());
    // Awaiting Ben's vote (on his dashboard) until he votes; never the clerk's.
    assert_eq!(
        s.member_activity(setup.ben.0, NOW)
            .await
            .unwrap()
            .awaiting_vote,
        [setup.case]
    );
    assert!(
        s.member_activity(setup.clerk.0, NOW)
            .await
            .unwrap()
            .awaiting_vote
            .is_empty()
    );

    s.cast_vote(
        &vote(&setup, &setup.ben, "oppose", 1),
        None,
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    s.cast_vote(
        &vote(&setup, &setup.ben, "support", 2),
        None,
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    assert!(
        s.member_activity(setup.ben.0, NOW)
            .await
            .unwrap()
            .awaiting_vote
            .is_empty()
    );
    // The first vote replayed after it was replaced: refused.
    let size = s.log_size().await.unwrap();
    assert!(matches!(
        s.cast_vote(
            &vote(&setup, &setup.ben, "oppose", 1),
            None,
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.expected_sequence() == Some(3)
    ));
    assert_eq!(s.log_size().await.unwrap(), size);
    // Not everyone voted: the chair cannot close early.
    assert!(matches!(
        s.close_motion(setup.motion, CloseReason::AllVoted, &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_all_voted"
    ));
    s.cast_vote(
        &vote(&setup, &setup.chair, "support", 1),
        None,
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    s.cast_vote(
        &vote(&setup, &setup.cleo, "abstain", 1),
        None,
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    let tally = s
        .close_motion(setup.motion, CloseReason::AllVoted, &log_key(), NOW)
        .await
        .unwrap();
    assert_eq!(tally.outcome, Outcome::Carried);
    assert_eq!(tally.counts["support"], 2);
    assert_eq!(tally.counts["oppose"], 0);
    assert_eq!(tally.supports_needed, 2);
    let votes = s.votes(setup.motion).await.unwrap();
    assert_eq!(votes.len(), 4, "replaced votes stay recorded");
    assert_eq!(votes[0].choice, "oppose");
    assert!(votes.iter().all(|v| v.revealed_index.is_none()));
    assert!(matches!(
        s.cast_vote(
            &vote(&setup, &setup.cleo, "support", 2),
            None,
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "voting_closed"
    ));
    let summary = verified(db).await;
    let record = summary.ballots.motion(setup.motion).unwrap();
    assert_eq!(record.closing.as_ref().unwrap().tally, tally);
    assert!(
        db.raw_execute("DELETE FROM votes").await.is_err(),
        "votes are append-only"
    );
}

async fn sealed_votes_reach_the_log_only_at_close(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    open(s, &setup, &Rules::initial()).await;
    assert!(
        s.motion(setup.motion)
            .await
            .unwrap()
            .unwrap()
            .is_sealed_now()
    );
    // Without its commitment, a sealed vote is refused.
    let (ben_vote, ben_commitment) = sealed_vote(&setup, &setup.ben, "support", 1);
    assert!(matches!(
        s.cast_vote(&ben_vote, None, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "no_commitment"
    ));
    // A commitment to another vote is refused.
    let (_, other_commitment) = sealed_vote(&setup, &setup.ben, "oppose", 1);
    assert!(matches!(
        s.cast_vote(&ben_vote, Some(&other_commitment), &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_the_committed_vote"
    ));
    let before = s.log_size().await.unwrap();
    s.cast_vote(&ben_vote, Some(&ben_commitment), &log_key(), NOW)
        .await
        .unwrap();
    for (who, choice) in [(&setup.chair, "support"), (&setup.cleo, "oppose")] {
        let (v, c) = sealed_vote(&setup, who, choice, 1);
        s.cast_vote(&v, Some(&c), &log_key(), NOW).await.unwrap();
    }
    // The log holds commitments, not choices.
    let size = s.log_size().await.unwrap();
    for entry in s.log_entries(before, size).await.unwrap() {
        let text = String::from_utf8(entry).unwrap();
        assert!(text.contains("vote-commitment"), "{text}");
        assert!(
            !text.contains("support") && !text.contains("oppose"),
            "{text}"
        );
    }
    assert!(matches!(
        s.close_motion(setup.motion, CloseReason::Deadline, &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_yet_due"
    ));
    assert!(s.due_motions(NOW).await.unwrap().is_empty());
    assert_eq!(s.due_motions(CLOSES).await.unwrap(), [setup.motion]);
    let tally = s
        .close_motion(setup.motion, CloseReason::Deadline, &log_key(), CLOSES)
        .await
        .unwrap();
    // Two supports of three, but none in Trust & Safety.
    assert!(tally.threshold_met);
    assert!(!tally.bridging_met);
    assert_eq!(tally.outcome, Outcome::NotCarried);
    let votes = s.votes(setup.motion).await.unwrap();
    assert!(votes.iter().all(|v| v.revealed_index.is_some()));
    assert!(s.due_motions(CLOSES).await.unwrap().is_empty());
    let summary = verified(db).await;
    let record = summary.ballots.motion(setup.motion).unwrap();
    assert_eq!(record.choices().len(), 3);
}

async fn refused_votes_and_openings_change_nothing(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    let size = s.log_size().await.unwrap();
    // Not yet opened.
    assert!(matches!(
        s.cast_vote(
            &vote(&setup, &setup.ben, "support", 1),
            None,
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "motion_not_open"
    ));
    // A motion on a case still in deliberation cannot open.
    let draft = MotionDraft::new(MotionKind::Remedy, "Restore the post.", &[]).unwrap();
    let early = s
        .draft_motion(setup.other, &draft, setup.chair.0, NOW)
        .await
        .unwrap();
    assert!(matches!(
        open_as(s, early, &setup.chair, CLOSES, &rules).await,
        Err(StorageError::CaseNotVoting)
    ));
    // Cleo recuses before voting opens: she is not on the roll.
    let recusal = recusal_statement(&origin(), setup.case, setup.cleo.0, "Former colleague.")
        .sign(&setup.cleo.1)
        .unwrap();
    s.recuse(&recusal, &log_key(), NOW).await.unwrap();
    open(s, &setup, &rules).await;
    assert!(matches!(
        open_as(s, setup.motion, &setup.chair, CLOSES, &rules).await,
        Err(StorageError::Refused(r)) if r.code() == "motion_reused"
    ));
    let size_open = s.log_size().await.unwrap();
    assert_eq!(size_open, size + 2);
    let refusals = [
        (vote(&setup, &setup.cleo, "support", 1), NOW, "recused"),
        (vote(&setup, &setup.clerk, "support", 1), NOW, "clerk"),
        (
            vote(&setup, &setup.ben, "support", 1),
            CLOSES,
            "after the window",
        ),
        (vote(&setup, &setup.ben, "maybe", 1), NOW, "unknown choice"),
        (
            vote(&setup, &setup.ben, "support", 2),
            NOW,
            "skipped sequence",
        ),
    ];
    for (signed, at, why) in &refusals {
        let result = s.cast_vote(signed, None, &log_key(), *at).await;
        assert!(result.is_err(), "{why}: {result:?}");
    }
    // Signed by another member's key.
    let mut forged = vote(&setup, &setup.ben, "support", 1);
    let chair_vote = vote(&setup, &setup.chair, "support", 1);
    forged.signer = chair_vote.signer;
    forged.signature = chair_vote.signature;
    assert!(matches!(
        s.cast_vote(&forged, None, &log_key(), NOW).await,
        Err(StorageError::BadSignature)
    ));
    // A vote naming this motion under another case.
    let body = VoteBody {
        choice: "support".to_owned(),
        reason: None,
        sequence: 1,
        salt: None,
    };
    let elsewhere =
        voting::vote_statement(&origin(), setup.other, setup.motion, setup.ben.0, &body)
            .sign(&setup.ben.1)
            .unwrap();
    assert!(matches!(
        s.cast_vote(&elsewhere, None, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "wrong_case"
    ));
    assert_eq!(s.log_size().await.unwrap(), size_open);
    assert!(s.votes(setup.motion).await.unwrap().is_empty());
    // The case cannot leave its voting stage while the motion is open.
    assert!(matches!(
        s.move_case(
            &Transition {
                case: setup.case,
                from: CaseStatus::Voting,
                to: CaseStatus::Decided,
                by: setup.chair.0,
                reason: None,
            },
            NOW,
        )
        .await,
        Err(StorageError::MotionsOpen)
    ));
    assert_eq!(
        s.case(setup.case).await.unwrap().unwrap().status,
        CaseStatus::Voting
    );
    verified(db).await;
}

async fn two_closers_close_a_motion_once(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    s.cast_vote(
        &vote(&setup, &setup.ben, "support", 1),
        None,
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    let key = log_key();
    let (a, b) = tokio::join!(
        s.close_motion(setup.motion, CloseReason::Deadline, &key, CLOSES),
        s.close_motion(setup.motion, CloseReason::Deadline, &key, CLOSES),
    );
    let closed = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(closed, 1, "{a:?} {b:?}");
    assert!(matches!(
        a.err().or(b.err()),
        Some(StorageError::Refused(r)) if r.code() == "voting_closed"
    ));
    // One vote of three: below quorum, no decision.
    let motion = s.motion(setup.motion).await.unwrap().unwrap();
    assert_eq!(motion.closed.unwrap().1.tally.outcome, Outcome::NoDecision);
    verified(db).await;
}

async fn votes_arriving_together_are_each_checked(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    let size = s.log_size().await.unwrap();
    let key = log_key();
    let ben_first = vote(&setup, &setup.ben, "oppose", 1);
    let ben_again = vote(&setup, &setup.ben, "support", 1);
    let clerk = vote(&setup, &setup.clerk, "support", 1);
    let chair = vote(&setup, &setup.chair, "support", 1);
    let cleo = vote(&setup, &setup.cleo, "abstain", 1);
    // Written together (one transaction), each checked on its own: Ben's
    // second vote with the same number and the clerk's are refused and
    // leave nothing behind.
    let (a, b, c, d, e) = tokio::join!(
        s.cast_vote(&ben_first, None, &key, NOW),
        s.cast_vote(&ben_again, None, &key, NOW),
        s.cast_vote(&clerk, None, &key, NOW),
        s.cast_vote(&chair, None, &key, NOW),
        s.cast_vote(&cleo, None, &key, NOW),
    );
    let bens = [a.is_ok(), b.is_ok()];
    assert_eq!(bens.iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    assert!(matches!(
        if a.is_ok() { b } else { a },
        Err(StorageError::Refused(r)) if r.expected_sequence() == Some(2)
    ));
    assert!(matches!(c, Err(StorageError::Refused(r)) if r.code() == "not_on_roll"));
    d.unwrap();
    e.unwrap();
    assert_eq!(s.log_size().await.unwrap(), size + 3);
    assert_eq!(s.votes(setup.motion).await.unwrap().len(), 3);
    let summary = verified(db).await;
    assert_eq!(summary.ballots.motion(setup.motion).unwrap().votes.len(), 3);

    // A member's replacements in one batch (the first vote holds the writer,
    // the next three queue behind it and are written together): each sees
    // the one before it, and a replay of the last is refused.
    let cleo_again = vote(&setup, &setup.cleo, "support", 2);
    let ben_2 = vote(&setup, &setup.ben, "abstain", 2);
    let ben_3 = vote(&setup, &setup.ben, "oppose", 3);
    let ben_3_again = vote(&setup, &setup.ben, "support", 3);
    let (f, g, h, i) = tokio::join!(
        s.cast_vote(&cleo_again, None, &key, NOW),
        s.cast_vote(&ben_2, None, &key, NOW),
        s.cast_vote(&ben_3, None, &key, NOW),
        s.cast_vote(&ben_3_again, None, &key, NOW),
    );
    f.unwrap();
    g.unwrap();
    h.unwrap();
    assert!(
        matches!(i, Err(StorageError::Refused(ref r)) if r.expected_sequence() == Some(4)),
        "{i:?}"
    );
    assert_eq!(s.log_size().await.unwrap(), size + 6);
    let votes = s.votes(setup.motion).await.unwrap();
    assert_eq!(votes.len(), 6);
    let summary = verified(db).await;
    // The last vote of each of the three members counts.
    let counted = summary.ballots.motion(setup.motion).unwrap();
    assert_eq!(counted.votes.len(), 3);
}

/// PostgreSQL with a default isolation of `repeatable read` (a database or
/// role setting an operator may make): two instances enrolling members at
/// once still write every entry once, in order (issue 28, fault 6: a third
/// of the writes failed on duplicate log keys, the transaction's snapshot
/// being taken before the council's write lock was granted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sequences_writes_whatever_its_default_isolation() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    db.raw_execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation \
         TO ''repeatable read''', current_database()); END $$",
    )
    .await
    .unwrap();
    let s = &db.storage;
    let council = Council {
        name: CouncilName::parse("Harbour Council").unwrap(),
        log_origin: origin(),
        founded_at: NOW,
    };
    s.found_council(&genesis(&council, &log_key()).unwrap())
        .await
        .unwrap();
    let group = s
        .create_group(&GroupName::parse("Civil Rights Coalition").unwrap())
        .await
        .unwrap();
    // Two instances, opened after the setting (it holds for new sessions).
    let first = storage::connect(&db.url).await.unwrap();
    let second = storage::connect(&db.url).await.unwrap();
    let mut writes = tokio::task::JoinSet::new();
    for n in 1..=12u8 {
        let invitation = s
            .create_invitation(
                &NewInvitation {
                    token_hash: [n; 32],
                    member: None,
                    name: DisplayName::parse(&format!("Member {n}")).unwrap(),
                    group,
                    role: Role::Member,
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
        let instance = if n % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        writes.spawn(async move { instance.enroll(&[n; 32], &signed, &log_key(), NOW).await });
    }
    while let Some(result) = writes.join_next().await {
        let result = result.unwrap();
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(s.log_size().await.unwrap(), 13);
    verified(&db).await;
    first.close().await;
    second.close().await;
}

/// The request that writes a batch of votes ends mid-write (its client went
/// away and its future was dropped with the batch's transaction): the other
/// vote of the batch is neither lost nor reported as failed, it is written
/// (issue 28, fault 4: it was answered "nothing was stored" while the
/// batch, on SQLite, had been committed).
async fn a_writer_that_ends_mid_batch_loses_and_misreports_nothing(db: &TestDb) {
    use std::future::Future;
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    let size = s.log_size().await.unwrap();
    let key = log_key();
    let chair = vote(&setup, &setup.chair, "support", 1);
    let ben = vote(&setup, &setup.ben, "oppose", 1);
    let cleo = vote(&setup, &setup.cleo, "abstain", 1);
    let mut first = Box::pin(s.cast_vote(&chair, None, &key, NOW));
    let mut writer = Box::pin(s.cast_vote(&ben, None, &key, NOW));
    let mut other = Box::pin(s.cast_vote(&cleo, None, &key, NOW));
    // The chair's vote holds the writer; Ben's and Cleo's queue behind it.
    let first_result = tokio::select! {
        biased;
        result = &mut first => result,
        _ = &mut writer => unreachable!("Ben's vote waits for the writer"),
        _ = &mut other => unreachable!("Cleo's vote waits for the writer"),
    };
    first_result.unwrap();
    // Ben's request takes the writer and both queued votes, begins their
    // transaction, and ends there.
    let polled = std::future::poll_fn(|cx| std::task::Poll::Ready(writer.as_mut().poll(cx))).await;
    assert!(polled.is_pending(), "the batch was still being written");
    drop(writer);
    // Cleo's vote is written all the same, and said to be.
    let index = other.await.unwrap();
    assert_eq!(s.log_size().await.unwrap(), size + 2);
    let votes = s.votes(setup.motion).await.unwrap();
    assert_eq!(votes.len(), 2, "{votes:?}");
    assert!(votes.iter().any(|v| v.log_index == index));
    verified(db).await;
}

/// A write that fails (a trigger refuses abstentions) in a batch: the batch
/// is written again vote by vote, the failing vote alone is refused, and no
/// log entry is left without its vote.
async fn a_vote_whose_write_fails_leaves_the_others_written(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    match db.backend() {
        storage::Backend::Sqlite => {
            db.raw_execute(
                "CREATE TRIGGER injected_fault BEFORE INSERT ON votes WHEN NEW.choice = 'abstain' \
                 BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
            )
            .await
            .unwrap();
        }
        storage::Backend::Postgres => {
            db.raw_execute(
                "CREATE FUNCTION injected_fault() RETURNS trigger AS $$ BEGIN \
                 IF NEW.choice = 'abstain' THEN RAISE EXCEPTION 'injected fault'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql",
            )
            .await
            .unwrap();
            db.raw_execute(
                "CREATE TRIGGER injected_fault BEFORE INSERT ON votes \
                 FOR EACH ROW EXECUTE FUNCTION injected_fault()",
            )
            .await
            .unwrap();
        }
    }
    let size = s.log_size().await.unwrap();
    let key = log_key();
    let (ben, chair, cleo) = (
        vote(&setup, &setup.ben, "oppose", 1),
        vote(&setup, &setup.chair, "support", 1),
        vote(&setup, &setup.cleo, "abstain", 1),
    );
    let (a, b, c) = tokio::join!(
        s.cast_vote(&ben, None, &key, NOW),
        s.cast_vote(&cleo, None, &key, NOW),
        s.cast_vote(&chair, None, &key, NOW),
    );
    a.unwrap();
    c.unwrap();
    assert!(matches!(b, Err(StorageError::Database(_))), "{b:?}");
    assert_eq!(s.log_size().await.unwrap(), size + 2);
    assert_eq!(s.votes(setup.motion).await.unwrap().len(), 2);
    verified(db).await;
}

/// Where a log write is made to fail: the SQL that installs the fault on
/// SQLite and on PostgreSQL (`injected_fault`, which the test drops again).
struct Fault {
    step: &'static str,
    sqlite: &'static [&'static str],
    postgres: &'static [&'static str],
}

const FAULTS: [Fault; 5] = [
    Fault {
        step: "before the entry is written",
        sqlite: &[
            "CREATE TRIGGER injected_fault BEFORE INSERT ON log_entries \
                   BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
        ],
        postgres: &[
            "CREATE TRIGGER injected_fault BEFORE INSERT ON log_entries \
                     FOR EACH ROW EXECUTE FUNCTION injected_fault()",
        ],
    },
    Fault {
        step: "after the entry is written",
        sqlite: &["CREATE TRIGGER injected_fault AFTER INSERT ON log_entries \
                   BEGIN SELECT RAISE(ABORT, 'injected fault'); END"],
        postgres: &["CREATE TRIGGER injected_fault AFTER INSERT ON log_entries \
                     FOR EACH ROW EXECUTE FUNCTION injected_fault()"],
    },
    Fault {
        step: "before the checkpoint is written",
        sqlite: &[
            "CREATE TRIGGER injected_fault BEFORE INSERT ON log_checkpoints \
                   BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
        ],
        postgres: &[
            "CREATE TRIGGER injected_fault BEFORE INSERT ON log_checkpoints \
                     FOR EACH ROW EXECUTE FUNCTION injected_fault()",
        ],
    },
    Fault {
        step: "after the checkpoint is written",
        sqlite: &[
            "CREATE TRIGGER injected_fault AFTER INSERT ON log_checkpoints \
                   BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
        ],
        postgres: &[
            "CREATE TRIGGER injected_fault AFTER INSERT ON log_checkpoints \
                     FOR EACH ROW EXECUTE FUNCTION injected_fault()",
        ],
    },
    // At COMMIT: SQLite checks deferred foreign keys there, PostgreSQL runs
    // deferred constraint triggers there.
    Fault {
        step: "at commit",
        sqlite: &[
            "CREATE TABLE injected_parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE injected_child (parent INTEGER \
             REFERENCES injected_parent (id) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE TRIGGER injected_fault AFTER INSERT ON log_checkpoints \
             BEGIN INSERT INTO injected_child VALUES (1); END",
        ],
        postgres: &[
            "CREATE CONSTRAINT TRIGGER injected_fault AFTER INSERT ON log_checkpoints \
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION injected_fault()",
        ],
    },
];

/// Issue 8's faults: each step of appending to the log and publishing its
/// checkpoint fails in turn (before and after its own write, and at
/// commit). The failed write leaves the log, the checkpoint and the votes
/// as they were; once the fault is gone the same vote is written once; a
/// client that retries it again, not having seen the answer, is refused and
/// changes nothing. Every checkpoint ever stored has its own size and the
/// root of the entries it covers, and the log verifies.
async fn a_fault_at_any_step_of_a_log_write_loses_nothing_and_a_retry_writes_once(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    if db.backend() == storage::Backend::Postgres {
        db.raw_execute(
            "CREATE FUNCTION injected_fault() RETURNS trigger AS $$ BEGIN \
             RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql",
        )
        .await
        .unwrap();
    }
    let key = log_key();
    let voters = [&setup.ben, &setup.cleo, &setup.chair];
    for (n, fault) in FAULTS.iter().enumerate() {
        // Each voter in turn, each vote replacing their last.
        let sequence = u32::try_from(n / voters.len()).unwrap() + 1;
        let who = voters[n % voters.len()];
        let ballot = vote(&setup, who, ["support", "oppose"][n % 2], sequence);
        let (size, checkpoint) = (
            s.log_size().await.unwrap(),
            s.latest_checkpoint().await.unwrap(),
        );
        let votes = s.votes(setup.motion).await.unwrap().len();
        let install = match db.backend() {
            storage::Backend::Sqlite => fault.sqlite,
            storage::Backend::Postgres => fault.postgres,
        };
        for sql in install {
            db.raw_execute(sql).await.unwrap();
        }

        let failed = s.cast_vote(&ballot, None, &key, NOW).await;
        assert!(
            matches!(
                failed,
                Err(StorageError::Database(_) | StorageError::WriteFailed(_))
            ),
            "{}: {failed:?}",
            fault.step
        );
        assert_eq!(s.log_size().await.unwrap(), size, "{}", fault.step);
        assert_eq!(
            s.latest_checkpoint().await.unwrap(),
            checkpoint,
            "{}",
            fault.step
        );
        assert_eq!(
            s.votes(setup.motion).await.unwrap().len(),
            votes,
            "{}",
            fault.step
        );

        let remove: &[&str] = match db.backend() {
            storage::Backend::Sqlite => &[
                "DROP TRIGGER injected_fault",
                "DROP TABLE IF EXISTS injected_child",
                "DROP TABLE IF EXISTS injected_parent",
            ],
            storage::Backend::Postgres => &["DROP TRIGGER injected_fault ON log_entries"],
        };
        for sql in remove {
            // On PostgreSQL the trigger is on one of the two tables.
            if db.raw_execute(sql).await.is_err() {
                db.raw_execute("DROP TRIGGER injected_fault ON log_checkpoints")
                    .await
                    .unwrap();
            }
        }
        s.cast_vote(&ballot, None, &key, NOW)
            .await
            .unwrap_or_else(|e| panic!("{}: the retry failed: {e}", fault.step));
        assert_eq!(s.log_size().await.unwrap(), size + 1, "{}", fault.step);
        assert_eq!(s.latest_checkpoint_size().await.unwrap(), size + 1);
        let again = s.cast_vote(&ballot, None, &key, NOW).await;
        assert!(again.is_err(), "{}: a second retry was written", fault.step);
        assert_eq!(s.log_size().await.unwrap(), size + 1, "{}", fault.step);
        assert_eq!(
            s.votes(setup.motion).await.unwrap().len(),
            votes + 1,
            "{}",
            fault.step
        );
    }

    let size = s.log_size().await.unwrap();
    let leaves = s.log_leaf_hashes(0, size).await.unwrap();
    let mut stored = 0;
    for checkpoint_size in 1..=size {
        if let Some(note) = s.checkpoint_note(checkpoint_size).await.unwrap() {
            let (text, _signatures) = note.split_once("\n\n").unwrap();
            let checkpoint =
                domain::checkpoint::Checkpoint::parse_text(&format!("{text}\n")).unwrap();
            assert_eq!(checkpoint.size, checkpoint_size);
            let covered = usize::try_from(checkpoint_size).unwrap();
            assert_eq!(
                checkpoint.root,
                domain::merkle::root(&leaves[..covered]),
                "checkpoint {checkpoint_size}"
            );
            stored += 1;
        }
    }
    assert!(stored > FAULTS.len(), "the checkpoints were not found");
    verified(db).await;
}

async fn rules_change_by_an_admin_and_bind_later_openings(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    assert_eq!(s.rules().await.unwrap(), Rules::initial());
    let size = s.log_size().await.unwrap();
    let next = Rules {
        version: 2,
        window_hours: 24,
        ..Rules::initial()
    };
    let body = voting::RulesChangeBody {
        rules: next,
        reason: "Shorter windows.".to_owned(),
    };
    // A member who is not an admin, a skipped version: refused, nothing logged.
    let by_member = voting::rules_change_statement(&origin(), &body)
        .sign(&setup.ben.1)
        .unwrap();
    assert!(matches!(
        s.change_rules(&by_member, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "not_admin"
    ));
    // Ada, who chairs, is no admin either.
    let by_chair = voting::rules_change_statement(&origin(), &body)
        .sign(&setup.chair.1)
        .unwrap();
    assert!(matches!(
        s.change_rules(&by_chair, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "not_admin"
    ));
    assert_eq!(s.log_size().await.unwrap(), size, "refusals log nothing");
    make(s, setup.chair.0, Role::Admin).await;
    let size = s.log_size().await.unwrap();
    let skipped = voting::RulesChangeBody {
        rules: Rules { version: 3, ..next },
        reason: "Skipping.".to_owned(),
    };
    let skipped = voting::rules_change_statement(&origin(), &skipped)
        .sign(&setup.chair.1)
        .unwrap();
    assert!(matches!(
        s.change_rules(&skipped, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "rules_changed"
    ));
    assert_eq!(s.log_size().await.unwrap(), size);
    let change = voting::rules_change_statement(&origin(), &body)
        .sign(&setup.chair.1)
        .unwrap();
    let index = s.change_rules(&change, &log_key(), NOW).await.unwrap();
    assert_eq!(s.rules().await.unwrap(), next);
    let history = s.rules_history().await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].change.as_ref().unwrap().log_index, index);
    assert_eq!(history[1].change.as_ref().unwrap().by_name, "Ada Moreau");
    // Opening under the old rules is refused; under the new ones it works
    // (by Ada, who chairs again; as admin she may not open a vote).
    assert!(matches!(
        open_as(s, setup.motion, &setup.chair, CLOSES, &next).await,
        Err(StorageError::Refused(r)) if r.code() == "not_chair"
    ));
    make(s, setup.chair.0, Role::Chair).await;
    assert!(matches!(
        open_as(s, setup.motion, &setup.chair, CLOSES, &Rules::initial()).await,
        Err(StorageError::Refused(r)) if r.code() == "rules_changed"
    ));
    open(s, &setup, &next).await;
    assert_eq!(verified(db).await.ballots.rules(), next);
    assert!(
        db.raw_execute("DELETE FROM rules").await.is_err(),
        "rules are append-only"
    );
}

fn opinion(
    setup: &Setup,
    who: &(MemberId, SigningKey),
    kind: OpinionKind,
    text: &str,
    authors: &[MemberId],
) -> SignedStatement {
    let body = OpinionBody::new(kind, text, authors).unwrap();
    opinion_statement(&origin(), setup.case, who.0, &body)
        .sign(&who.1)
        .unwrap()
}

async fn decisions_are_drafted_signed_and_published(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let rules = adopt(db, &setup, unsealed()).await;
    open(s, &setup, &rules).await;
    for (who, choice) in [
        (&setup.chair, "support"),
        (&setup.ben, "support"),
        (&setup.cleo, "oppose"),
    ] {
        s.cast_vote(&vote(&setup, who, choice, 1), None, &log_key(), NOW)
            .await
            .unwrap();
    }
    s.close_motion(setup.motion, CloseReason::AllVoted, &log_key(), NOW)
        .await
        .unwrap();
    let ben = [setup.ben.0];
    let rationale = "Quoting a slur to condemn it is counter-speech.";
    // Nothing happens before the case is recorded as decided.
    assert!(matches!(
        s.assign_authors(setup.case, &ben, setup.chair.0, NOW).await,
        Err(StorageError::NotDecided)
    ));
    decided(s, &setup).await;
    let size = s.log_size().await.unwrap();

    // The clerk did not vote: neither an author nor an opinion writer.
    assert!(matches!(
        s.assign_authors(setup.case, &[setup.clerk.0], setup.chair.0, NOW)
            .await,
        Err(StorageError::NotAVoter)
    ));
    s.assign_authors(setup.case, &ben, setup.chair.0, NOW)
        .await
        .unwrap();
    assert!(matches!(
        s.save_rationale(setup.case, setup.cleo.0, rationale, NOW)
            .await,
        Err(StorageError::NotAnAuthor)
    ));
    s.save_rationale(setup.case, setup.ben.0, &format!("  {rationale}\n"), NOW)
        .await
        .unwrap();
    let draft = s.decision_draft(setup.case).await.unwrap();
    assert_eq!(draft.authors, [(setup.ben.0, "Ben Okafor".to_owned())]);
    assert_eq!(draft.rationale, rationale);

    // Precedents must be published decisions; the record is normalised.
    let hs2 = ClauseCode::parse("HS-2").unwrap();
    let cites_other = DecisionRecord {
        clauses: vec![hs2.clone()],
        precedents: vec![Precedent {
            case: setup.other,
            relation: Relation::Follows,
            note: String::new(),
        }],
        recommendations: vec![],
    };
    assert!(matches!(
        s.save_decision_record(setup.case, &cites_other, setup.chair.0, NOW)
            .await,
        Err(StorageError::InvalidDecision(_))
    ));
    let record = DecisionRecord {
        clauses: vec![hs2.clone(), hs2.clone()],
        precedents: vec![],
        recommendations: vec![" Publish the counter-speech exception. ".to_owned()],
    };
    s.save_decision_record(setup.case, &record, setup.chair.0, NOW)
        .await
        .unwrap();
    let draft = s.decision_draft(setup.case).await.unwrap();
    assert_eq!(draft.record.clauses, std::slice::from_ref(&hs2));
    assert_eq!(
        draft.record.recommendations,
        ["Publish the counter-speech exception."]
    );

    // Not before the rationale is signed; not a text other than the draft's.
    assert!(matches!(
        publish_as(s, setup.case, &setup.chair).await,
        Err(StorageError::Refused(r)) if r.code() == "no_rationale"
    ));
    let other_text = opinion(
        &setup,
        &setup.ben,
        OpinionKind::Majority,
        "Another text.",
        &ben,
    );
    assert!(matches!(
        s.sign_opinion(&other_text, &log_key(), NOW).await,
        Err(StorageError::RationaleChanged)
    ));
    let clerk_dissent = opinion(&setup, &setup.clerk, OpinionKind::Dissent, "No.", &[]);
    assert!(matches!(
        s.sign_opinion(&clerk_dissent, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "not_a_voter"
    ));
    // Signed by another key than the member's.
    let mut forged = opinion(&setup, &setup.cleo, OpinionKind::Dissent, "No.", &[]);
    forged.statement.subject.member = Some(setup.chair.0);
    assert!(s.sign_opinion(&forged, &log_key(), NOW).await.is_err());
    assert_eq!(s.log_size().await.unwrap(), size, "refusals log nothing");

    let signed = opinion(&setup, &setup.ben, OpinionKind::Majority, rationale, &ben);
    s.sign_opinion(&signed, &log_key(), NOW).await.unwrap();
    assert!(matches!(
        s.sign_opinion(&signed, &log_key(), NOW).await,
        Err(StorageError::Refused(r)) if r.code() == "already_signed"
    ));
    assert!(matches!(
        s.save_rationale(setup.case, setup.ben.0, "Changed.", NOW)
            .await,
        Err(StorageError::RationaleSigned)
    ));
    assert!(matches!(
        s.assign_authors(setup.case, &[setup.chair.0], setup.chair.0, NOW)
            .await,
        Err(StorageError::RationaleSigned)
    ));
    let dissent = opinion(
        &setup,
        &setup.cleo,
        OpinionKind::Dissent,
        "The quote reached people it hurts.",
        &[],
    );
    let dissent_index = s.sign_opinion(&dissent, &log_key(), NOW).await.unwrap();
    let opinions = s.opinions(setup.case).await.unwrap();
    assert_eq!(opinions.len(), 2);
    assert_eq!(opinions[1].member_name, "Cleo Varga");

    // The case cannot be published by moving it.
    assert!(matches!(
        s.move_case(
            &Transition {
                case: setup.case,
                from: CaseStatus::Decided,
                to: CaseStatus::Published,
                by: setup.chair.0,
                reason: None,
            },
            NOW,
        )
        .await,
        Err(StorageError::PublishedByDecision)
    ));
    // The clause's report before its first decision: kept, then extended
    // by the decisions published after it (checked below).
    assert!(s.clause_report(&hs2).await.unwrap().decisions.is_empty());
    let index = publish_as(s, setup.case, &setup.chair).await.unwrap();
    let case = s.case(setup.case).await.unwrap().unwrap();
    assert_eq!(case.status, CaseStatus::Published);
    let decision = s.decision(setup.case).await.unwrap().unwrap();
    assert_eq!(decision.log_index, index);
    let listed = s.recent_decisions(10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].subject_handle, "@subject");
    assert_eq!(listed[0].body, decision.body);
    assert_eq!(decision.body.votes.len(), 3);
    assert!(decision.body.opinions.contains(&dissent_index));
    assert_eq!(decision.body.motions[0].outcome, Outcome::Carried);
    assert_eq!(decision.body.answers_due, Some(answers_due(NOW.0)));
    assert!(matches!(
        publish_as(s, setup.case, &setup.chair).await,
        Err(StorageError::NotDecided)
    ));
    let late = opinion(
        &setup,
        &setup.chair,
        OpinionKind::Concurrence,
        "Agreed.",
        &[],
    );
    assert!(matches!(
        s.sign_opinion(&late, &log_key(), NOW).await,
        Err(StorageError::NotDecided)
    ));

    // The platform answers its recommendation.
    assert!(matches!(
        s.answer_recommendation(
            setup.case,
            2,
            AnswerStatus::Implemented,
            "Done.",
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "unknown_recommendation"
    ));
    assert!(matches!(
        s.answer_recommendation(
            setup.other,
            1,
            AnswerStatus::Implemented,
            "Done.",
            &log_key(),
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "not_decided"
    ));
    s.answer_recommendation(
        setup.case,
        1,
        AnswerStatus::Assessing,
        " Under review. ",
        &log_key(),
        NOW,
    )
    .await
    .unwrap();
    let answers = s.answers(setup.case).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].text, "Under review.");

    let summary = verified(db).await;
    let record = summary.ballots.case(setup.case).unwrap();
    assert!(record.decision.is_some());
    assert_eq!(record.opinions.len(), 2);
    assert_eq!(record.answers.len(), 1);

    // The public record matches the verified log, line by line.
    let shown = s.published_decision(setup.case).await.unwrap().unwrap();
    assert_eq!(shown.log_index, index);
    assert_eq!(shown.motions.len(), 1);
    assert_eq!(shown.motions[0].votes.len(), 3);
    assert!(shown.motions[0].votes.iter().all(|v| v.counted));
    assert_eq!(shown.motions[0].votes[2].group, "Trust & Safety");
    assert_eq!(shown.opinions.len(), 2);
    assert_eq!(shown.answers.len(), 1);
    assert_eq!(shown.stages.last().unwrap().status, CaseStatus::Published);
    let size = s.log_size().await.unwrap();
    let entries = s.log_entries(0, size).await.unwrap();
    let lines = domain::public::check_published(&summary, &entries, None, &shown);
    assert!(domain::public::all_ok(&lines), "{lines:?}");
    assert!(s.published_decision(setup.other).await.unwrap().is_none());

    // The decision log and its filters.
    let all = storage::DecisionFilter {
        limit: 10,
        ..Default::default()
    };
    let count = |filter: storage::DecisionFilter| async move {
        s.decision_log(&filter).await.unwrap().decisions.len()
    };
    assert_eq!(count(all.clone()).await, 1);
    for (filter, expected) in [
        (
            storage::DecisionFilter {
                clause: Some(hs2.clone()),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                clause: Some(ClauseCode::parse("V-1").unwrap()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                outcome: Some(Outcome::Carried),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                outcome: Some(Outcome::NotCarried),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                group_vote: Some(("Trust & Safety".to_owned(), "oppose".to_owned())),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                group_vote: Some(("Trust & Safety".to_owned(), "support".to_owned())),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("COUNTER-speech".to_owned()),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                search: Some("100%".to_owned()),
                ..all.clone()
            },
            0,
        ),
        // Full-text search: every word, whole, in any order.
        (
            storage::DecisionFilter {
                search: Some("Speech counter".to_owned()),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                search: Some("count spee".to_owned()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("counter-speech nowhere".to_owned()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("ounter".to_owned()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("%%% '\"*".to_owned()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("counter".to_owned()),
                clause: Some(ClauseCode::parse("V-1").unwrap()),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                search: Some("counter".to_owned()),
                before: Some(index),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                from: Some(NOW),
                until: Some(Timestamp(NOW.0 + 1)),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                until: Some(NOW),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                before: Some(index),
                ..all.clone()
            },
            0,
        ),
        (
            storage::DecisionFilter {
                before: Some(index + 1),
                ..all.clone()
            },
            1,
        ),
        (
            storage::DecisionFilter {
                with_recommendations: true,
                ..all.clone()
            },
            1,
        ),
    ] {
        assert_eq!(count(filter.clone()).await, expected, "{filter:?}");
    }

    // Decisions published before the index existed are indexed when migrating.
    db.raw_execute("DELETE FROM decision_tags").await.unwrap();
    db.raw_execute("DELETE FROM decision_index").await.unwrap();
    assert_eq!(count(all.clone()).await, 0);
    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    let by_clause = storage::DecisionFilter {
        clause: Some(hs2.clone()),
        ..all.clone()
    };
    assert_eq!(count(by_clause).await, 1);
    // The full-text index forgot the deleted rows and holds the new ones once.
    let searched = storage::DecisionFilter {
        search: Some("counter speech".to_owned()),
        ..all.clone()
    };
    assert_eq!(count(searched).await, 1);

    // The clause's decisions, as its consistency report reads them.
    let under = s.clause_decisions(&hs2).await.unwrap();
    assert_eq!(under.len(), 1);
    assert_eq!(under[0].case, setup.case);
    assert_eq!(under[0].log_index, shown.log_index);
    assert_eq!(under[0].outcome, Outcome::Carried);
    // The motion said carrying it upholds the platform's action, and it
    // carried: the ruling, kept through the re-indexing above.
    assert_eq!(under[0].ruling, Some(domain::consistency::Ruling::Upheld));
    let listed = s.recent_decisions(10).await.unwrap();
    assert_eq!(listed[0].ruling, Some(domain::consistency::Ruling::Upheld));
    let motion = s.motion(setup.motion).await.unwrap().unwrap();
    assert_eq!(motion.effect, Some(domain::voting::Effect::Uphold));
    assert_eq!(
        motion.opened.unwrap().1.effect,
        Some(domain::voting::Effect::Uphold)
    );
    assert_eq!(
        s.clause_decision_counts().await.unwrap(),
        vec![(hs2.as_str().to_owned(), 1)]
    );
    // The clause's report, made once and kept while the clause's count of
    // decisions stays the same; remade when it changes, from the report
    // kept before the decision and the decisions after it: the same as
    // made from every decision.
    let kept = s.clause_report(&hs2).await.unwrap();
    assert_eq!(kept.decisions, s.clause_decisions(&hs2).await.unwrap());
    assert_eq!(kept.report, domain::consistency::report(&kept.decisions));
    assert!(std::sync::Arc::ptr_eq(
        &kept,
        &s.clause_report(&hs2).await.unwrap()
    ));
    db.raw_execute("UPDATE tag_counts SET decisions = decisions + 1")
        .await
        .unwrap();
    let remade = s.clause_report(&hs2).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&kept, &remade));
    assert_eq!(remade.decisions, kept.decisions);
    db.raw_execute("UPDATE tag_counts SET decisions = decisions - 1")
        .await
        .unwrap();
    let other = domain::cases::ClauseCode::parse("ZZ-9").unwrap();
    assert!(s.clause_decisions(&other).await.unwrap().is_empty());

    // A vote row altered behind the app's back shows in the check.
    let cleo_vote = shown.motions[0].votes[2].log_index;
    let drop_trigger = match db.backend() {
        storage::Backend::Sqlite => "DROP TRIGGER votes_no_update",
        storage::Backend::Postgres => "DROP TRIGGER votes_append_only ON votes",
    };
    db.raw_execute(drop_trigger).await.unwrap();
    db.raw_execute("UPDATE votes SET choice = 'support' WHERE choice = 'oppose'")
        .await
        .unwrap();
    let tampered = s.published_decision(setup.case).await.unwrap().unwrap();
    let lines = domain::public::check_published(&summary, &entries, None, &tampered);
    let failed: Vec<_> = lines.iter().filter(|l| !l.ok).collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0].index, Some(cleo_vote));

    // The decision committed to the case as shown: its prominence tier
    // lowered behind the app's back (to hide a famous account's different
    // treatment) shows too, at the decision's entry.
    let case_line = "its details, its history up to publication and its approved public comments";
    assert!(
        lines
            .iter()
            .any(|l| l.ok && l.text.contains(case_line) && l.text.contains("signed with")),
        "{lines:?}"
    );
    db.raw_execute("UPDATE cases SET audience = audience + 1")
        .await
        .unwrap();
    let retiered = s.published_decision(setup.case).await.unwrap().unwrap();
    let lines = domain::public::check_published(&summary, &entries, None, &retiered);
    let failed: Vec<_> = lines
        .iter()
        .filter(|l| !l.ok && l.text.contains(case_line))
        .collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0].index, Some(shown.log_index));

    // A comment still pending at publication can no longer be approved
    // (nor rejected): the decision committed to the approved ones.
    db.raw_execute(
        "INSERT INTO public_comments (case_id, name, body, status, submitted_at) \
         SELECT case_id, 'Late', 'Sent before the close, screened after.', 'pending', 0 \
         FROM decisions",
    )
    .await
    .unwrap();
    let late = s.public_comments(setup.case).await.unwrap();
    let late = late.iter().find(|c| c.status == "pending").unwrap().id;
    for approve in [true, false] {
        assert!(matches!(
            s.decide_public_comment(late, approve, None, setup.clerk.0, NOW)
                .await,
            Err(StorageError::RecordFinal)
        ));
    }
    for table in [
        "DELETE FROM opinions",
        "DELETE FROM decisions",
        "DELETE FROM recommendation_answers",
    ] {
        assert!(
            db.raw_execute(table).await.is_err(),
            "{table} is append-only"
        );
    }
}

/// Enrolls a member (key seed `n + 10`) in `group`, created if need be.
async fn enroll_one(
    db: &TestDb,
    n: u8,
    name: &str,
    group: &str,
    role: Role,
) -> (MemberId, SigningKey) {
    let s = &db.storage;
    let group_name = GroupName::parse(group).unwrap();
    let group = match s.group_by_name(&group_name).await.unwrap() {
        Some(id) => id,
        None => s.create_group(&group_name).await.unwrap(),
    };
    let invitation = s
        .create_invitation(
            &NewInvitation {
                token_hash: [n; 32],
                member: None,
                name: DisplayName::parse(name).unwrap(),
                group,
                role,
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
    (id, key)
}

async fn a_panel_is_the_roll_of_later_motions(db: &TestDb) {
    let setup = setup(db).await;
    let s = &db.storage;
    let eve = enroll_one(db, 5, "Eve Lund", "Free Expression Alliance", Role::Member).await;
    let size = s.log_size().await.unwrap();
    // Every group must sit on the panel; the clerk does not vote.
    for (members, why) in [
        (vec![setup.chair.0, setup.ben.0], "Trust & Safety"),
        (
            vec![setup.chair.0, setup.ben.0, setup.clerk.0, setup.cleo.0],
            "cannot sit",
        ),
    ] {
        match panel_as(s, setup.case, &members, &setup.chair, NOW).await {
            Err(StorageError::Refused(refusal)) => {
                let message = refusal.to_string();
                assert!(message.contains(why), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(s.log_size().await.unwrap(), size, "refusals log nothing");
    panel_as(
        s,
        setup.case,
        &[setup.cleo.0, setup.chair.0, eve.0],
        &setup.chair,
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        s.panel(setup.case).await.unwrap().unwrap(),
        [setup.chair.0, setup.cleo.0, eve.0]
    );
    open(s, &setup, &Rules::initial()).await;
    let opened = s
        .motion(setup.motion)
        .await
        .unwrap()
        .unwrap()
        .opened
        .unwrap()
        .1;
    let roll: Vec<MemberId> = opened.roll.iter().map(|m| m.member).collect();
    assert_eq!(
        roll,
        [setup.chair.0, setup.cleo.0, eve.0],
        "Ben is not on the panel"
    );
    let (ben_vote, ben_commitment) = sealed_vote(&setup, &setup.ben, "support", 1);
    assert!(matches!(
        s.cast_vote(&ben_vote, Some(&ben_commitment), &log_key(), NOW)
            .await,
        Err(StorageError::Refused(r)) if r.code() == "not_on_roll"
    ));
    // Once voting opened, the panel is fixed.
    assert!(matches!(
        panel_as(
            s,
            setup.case,
            &[setup.chair.0, setup.ben.0, setup.cleo.0],
            &setup.chair,
            NOW
        )
        .await,
        Err(StorageError::Refused(r)) if r.code() == "panel_after_voting"
    ));
    assert_eq!(
        verified(db).await.ballots.panel(setup.case).unwrap().len(),
        3
    );
    assert!(
        db.raw_execute("DELETE FROM panels").await.is_err(),
        "panels are append-only"
    );
}

/// A small deterministic generator (splitmix64): the same acts every run.
struct Acts(u64);

impl Acts {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The log as replayed by a verifier, from the storage's own entries.
async fn replayed(db: &TestDb) -> domain::ledger::Ledger {
    let mut ledger = domain::ledger::Ledger::new(&origin(), &log_key().verifier());
    let size = db.storage.log_size().await.unwrap();
    for entry in db.storage.log_entries(0, size).await.unwrap() {
        let statement = SignedStatement::from_entry(&entry).unwrap();
        ledger
            .apply(&statement, &entry, &domain::ledger::Facts::default())
            .unwrap();
    }
    ledger
}

/// What one act should do by the log's rules, tried on a copy of the
/// verifier's state: the entries it appends, or the code of the refusal.
fn by_replay(
    ledger: &domain::ledger::Ledger,
    acts: &[(SignedStatement, domain::ledger::Facts<'_>)],
) -> Result<Vec<Vec<u8>>, &'static str> {
    let mut trial = ledger.clone();
    let mut entries = Vec::new();
    for (statement, facts) in acts {
        let entry = statement.to_entry().unwrap();
        trial
            .apply(statement, &entry, facts)
            .map_err(|refusal| refusal.code())?;
        entries.push(entry);
    }
    Ok(entries)
}

/// The one rule engine, tried from both ends. Random acts, valid and not —
/// votes and sealed votes (stale, skipped, by another's key, on the wrong
/// case, an unknown choice, late, without salt or with a commitment to
/// another vote), recusals (twice), closings (early, at the deadline, all
/// voted or not), key rotations (by the wrong key, to a key in use) and
/// suspensions — go through the storage's write path and, separately, are
/// replayed by a verifier's [`domain::ledger::Ledger`] on the log so far:
/// storage accepts an act exactly when replay does, refuses it with the same
/// code, and appends exactly the entries replay expects; the whole log then
/// verifies, to the same state.
async fn storage_accepts_an_act_exactly_when_replay_does(db: &TestDb) {
    use domain::members::{MemberStatus, RoleChangeBody, rotation_statement};
    use domain::statement::{Statement, StatementKind, Subject};
    use storage::RoleChange;
    let setup = setup(db).await;
    let s = &db.storage;
    // A sealed motion (the initial rules) and an unsealed one, side by side.
    let sealed_motion = setup.motion;
    open(s, &setup, &Rules::initial()).await;
    let rules = adopt(db, &setup, unsealed()).await;
    let draft =
        MotionDraft::new(MotionKind::Finding, "The account broke clause HS-2.", &[]).unwrap();
    let open_motion = s
        .draft_motion(setup.case, &draft, setup.chair.0, NOW)
        .await
        .unwrap();
    open_as(s, open_motion, &setup.chair, CLOSES, &rules)
        .await
        .unwrap();
    let mut ledger = replayed(db).await;

    let members = [&setup.chair, &setup.ben, &setup.cleo, &setup.clerk];
    // Each member's key now (rotations replace it).
    let mut keys: Vec<SigningKey> = members.iter().map(|m| m.1.clone()).collect();
    let mut fresh_key = 100u8;
    // Sealed votes the storage accepted, in the order it logged them.
    let mut sealed_votes: Vec<SignedStatement> = Vec::new();
    let mut acts = Acts(0x7269_6275_6e65);
    let mut verdicts: std::collections::BTreeMap<(&str, bool), u32> = Default::default();
    for step in 0..400 {
        let now = if acts.chance(10) { CLOSES } else { NOW };
        let who = acts.below(members.len() as u64) as usize;
        let member = members[who].0;
        // Usually the member's own key, sometimes another member's.
        let signer = if acts.chance(12) {
            keys[(who + 1) % keys.len()].clone()
        } else {
            keys[who].clone()
        };
        let before = s.log_size().await.unwrap();
        // Mostly votes; recusals and closings later on, so that votes have
        // a while to be cast.
        let act = match acts.below(100) {
            0..=71 => 0,
            72..=79 => 3,
            80..=83 => 4,
            84..=86 => 5,
            87..=89 => 6,
            90..=94 if step > 150 => 1,
            95.. if step > 250 => 2,
            _ => 0,
        };
        let (kind, expected, stored): (&str, _, Result<(), StorageError>) = match act {
            0 => {
                let motion = if acts.chance(50) {
                    sealed_motion
                } else {
                    open_motion
                };
                let record = ledger.ballots().motion(motion).unwrap();
                let sealed = record.body.rules.sealed;
                let due = if sealed {
                    record.committed.get(&member).map_or(1, |n| n + 1)
                } else {
                    record.votes.get(&member).map_or(1, |(n, _)| n + 1)
                };
                let sequence = match acts.below(10) {
                    0 => due.saturating_sub(1),
                    1 => due + 1,
                    _ => due,
                };
                let choice = ["support", "oppose", "abstain", "maybe"][acts.below(4) as usize];
                let case = if acts.chance(5) {
                    setup.other
                } else {
                    setup.case
                };
                let salted = sealed && !acts.chance(5);
                let salt = salted.then(|| domain::hex::encode(&[acts.below(256) as u8; 32]));
                let body = VoteBody {
                    choice: choice.to_owned(),
                    reason: None,
                    sequence,
                    salt,
                };
                let vote = voting::vote_statement(&origin(), case, motion, member, &body)
                    .sign(&signer)
                    .unwrap();
                let arrived = domain::ledger::Facts {
                    arrived_at: Some(now.unix_seconds()),
                    sealed_vote: None,
                };
                if sealed && !acts.chance(5) {
                    // The commitment, usually to this very vote.
                    let committed = if acts.chance(8) {
                        let other = VoteBody {
                            choice: "oppose".to_owned(),
                            ..body.clone()
                        };
                        voting::vote_statement(&origin(), case, motion, member, &other)
                            .sign(&signer)
                            .unwrap()
                    } else {
                        vote.clone()
                    };
                    let commitment = voting::commitment_statement(
                        &origin(),
                        case,
                        motion,
                        member,
                        &CommitmentBody {
                            commitment: voting::commitment(&committed.to_entry().unwrap()),
                            sequence,
                        },
                    )
                    .sign(&signer)
                    .unwrap();
                    let expected = by_replay(
                        &ledger,
                        &[(
                            commitment.clone(),
                            domain::ledger::Facts {
                                sealed_vote: Some(&vote),
                                ..arrived
                            },
                        )],
                    );
                    let stored = s.cast_vote(&vote, Some(&commitment), &log_key(), now).await;
                    if stored.is_ok() {
                        sealed_votes.push(vote.clone());
                    }
                    ("sealed vote", expected, stored.map(|_| ()))
                } else {
                    let expected = by_replay(&ledger, &[(vote.clone(), arrived)]);
                    let stored = s.cast_vote(&vote, None, &log_key(), now).await;
                    ("vote", expected, stored.map(|_| ()))
                }
            }
            1 => {
                let recusal = recusal_statement(&origin(), setup.case, member, "A conflict.")
                    .sign(&signer)
                    .unwrap();
                let expected = by_replay(&ledger, &[(recusal.clone(), Default::default())]);
                let stored = s.recuse(&recusal, &log_key(), now).await;
                ("recusal", expected, stored.map(|_| ()))
            }
            2 => {
                let motion = if acts.chance(50) {
                    sealed_motion
                } else {
                    open_motion
                };
                let reason = if acts.chance(50) {
                    CloseReason::AllVoted
                } else {
                    CloseReason::Deadline
                };
                // Replay sees the sealed votes revealed, then the closing.
                let mut trial = ledger.clone();
                let mut expected_acts: Vec<(SignedStatement, domain::ledger::Facts<'_>)> =
                    Vec::new();
                if motion == sealed_motion {
                    for vote in &sealed_votes {
                        expected_acts.push((vote.clone(), Default::default()));
                    }
                }
                for (vote, facts) in &expected_acts {
                    let entry = vote.to_entry().unwrap();
                    // A reveal refused here is refused again below.
                    let _ = trial.apply(vote, &entry, facts);
                }
                let record = trial.ballots().motion(motion).unwrap();
                let closing = voting::closing_statement(
                    &origin(),
                    setup.case,
                    motion,
                    &voting::ClosingBody {
                        closed_at: now.unix_seconds(),
                        reason,
                        tally: voting::tally(&record.body, &record.choices()),
                    },
                );
                expected_acts.push((
                    log_key().sign_statement(closing).unwrap(),
                    Default::default(),
                ));
                let expected = by_replay(&ledger, &expected_acts);
                let stored = s.close_motion(motion, reason, &log_key(), now).await;
                ("closing", expected, stored.map(|_| ()))
            }
            3 => {
                let new_key = if acts.chance(15) {
                    keys[(who + 2) % keys.len()].clone()
                } else {
                    fresh_key += 1;
                    SigningKey::from_bytes(&[fresh_key; 32])
                };
                let rotation =
                    rotation_statement(&origin(), member, new_key.verifying_key().as_bytes())
                        .sign(&signer)
                        .unwrap();
                let expected = by_replay(&ledger, &[(rotation.clone(), Default::default())]);
                let stored = s.rotate_key(&rotation, &log_key(), now).await;
                if stored.is_ok() {
                    keys[who] = new_key;
                }
                ("rotation", expected, stored.map(|_| ()))
            }
            5 => {
                // A rules change by anyone (often Ada, admin now and then),
                // now and then not the next version.
                let signer = if acts.chance(60) {
                    keys[0].clone()
                } else {
                    signer
                };
                let current = ledger.ballots().rules();
                let rules = Rules {
                    version: current.version + if acts.chance(20) { 2 } else { 1 },
                    window_hours: 24 + acts.below(48) as u32,
                    ..current
                };
                let change = voting::rules_change_statement(
                    &origin(),
                    &voting::RulesChangeBody {
                        rules,
                        reason: "A trial.".to_owned(),
                    },
                )
                .sign(&signer)
                .unwrap();
                let expected = by_replay(&ledger, &[(change.clone(), Default::default())]);
                let stored = s.change_rules(&change, &log_key(), now).await;
                ("rules change", expected, stored.map(|_| ()))
            }
            6 => {
                // A panel, mostly for the case still in deliberation: a
                // random choice of members (covering every group or not);
                // for the case being voted on, always too late.
                let case = if acts.chance(80) {
                    setup.other
                } else {
                    setup.case
                };
                let panel: Vec<MemberId> = members
                    .iter()
                    .enumerate()
                    // Now and then the clerk, who does not vote.
                    .filter(|(i, _)| acts.chance(if *i == 3 { 15 } else { 85 }))
                    .map(|(_, m)| m.0)
                    .collect();
                // Signed by the chair, or now and then by Ben, who is not.
                let signer = if acts.chance(85) {
                    &setup.chair
                } else {
                    &setup.ben
                };
                let body = domain::panels::PanelBody::new(&panel, signer.0);
                let statement = domain::panels::panel_statement(&origin(), case, &body)
                    .sign(&signer.1)
                    .unwrap();
                let expected = by_replay(&ledger, &[(statement.clone(), Default::default())]);
                let stored = s.assign_panel(&statement, &log_key(), now).await;
                ("panel", expected, stored.map(|_| ()))
            }
            _ => {
                // The operator, or now and then Ben (no admin), suspends
                // and restores the others.
                // Or Ada passes from chair to admin and back: as chair she
                // may open, assign and publish, as admin change the rules.
                let (member, role, status) = if acts.chance(30) {
                    let ada = ledger.roll().member(setup.chair.0).unwrap();
                    let role = if ada.role == Role::Chair {
                        Role::Admin
                    } else {
                        Role::Chair
                    };
                    (setup.chair.0, role, ada.status)
                } else {
                    let member = members[1 + acts.below(3) as usize].0;
                    let record = ledger.roll().member(member).unwrap();
                    let status = if record.status == MemberStatus::Active {
                        MemberStatus::Suspended
                    } else {
                        MemberStatus::Active
                    };
                    (member, record.role, status)
                };
                let change = RoleChange {
                    member,
                    role,
                    status,
                    // Now and then by a member who is no admin.
                    by: acts.chance(15).then_some(setup.ben.0),
                    reason: "Step by step.".to_owned(),
                };
                let body = RoleChangeBody {
                    role: change.role,
                    status,
                    by: change.by,
                    reason: change.reason.clone(),
                };
                let statement = Statement {
                    kind: StatementKind::RoleChange,
                    origin: origin(),
                    subject: Subject {
                        member: Some(member),
                        ..Subject::default()
                    },
                    body: serde_json::to_value(&body).unwrap(),
                };
                let signed = log_key().sign_statement(statement).unwrap();
                let expected = by_replay(&ledger, &[(signed, Default::default())]);
                let stored = s.change_role(&change, &log_key(), now).await;
                ("status change", expected, stored.map(|_| ()))
            }
        };
        let after = s.log_size().await.unwrap();
        let appended = s.log_entries(before, after).await.unwrap();
        match (&expected, &stored) {
            (Ok(entries), Ok(())) => {
                assert_eq!(
                    &appended, entries,
                    "step {step}: a {kind} appended other entries"
                );
            }
            (Err(code), Err(StorageError::Refused(refusal))) => {
                assert_eq!(
                    *code,
                    refusal.code(),
                    "step {step}: a {kind} refused for another rule"
                );
                assert!(
                    appended.is_empty(),
                    "step {step}: a refused {kind} left entries"
                );
            }
            _ => panic!("step {step}: a {kind}: replay says {expected:?}, storage {stored:?}"),
        }
        if std::env::var("TRIBUNE_TRACE_ACTS").is_ok() {
            eprintln!("{step} {kind} {:?}", expected.as_ref().map(|_| ()));
        }
        *verdicts.entry((kind, stored.is_ok())).or_default() += 1;
        // The verifier's state follows the log, entry by entry.
        for entry in &appended {
            let statement = SignedStatement::from_entry(entry).unwrap();
            ledger
                .apply(&statement, entry, &domain::ledger::Facts::default())
                .unwrap();
        }
    }
    // Every kind of act was both accepted and refused along the way.
    for kind in [
        "vote",
        "sealed vote",
        "recusal",
        "rotation",
        "status change",
        "rules change",
        "panel",
    ] {
        for accepted in [true, false] {
            assert!(
                verdicts.get(&(kind, accepted)).is_some_and(|n| *n > 0),
                "no {kind} was {}: {verdicts:?}",
                if accepted { "accepted" } else { "refused" }
            );
        }
    }
    assert!(
        verdicts.get(&("closing", false)).is_some_and(|n| *n > 0),
        "{verdicts:?}"
    );
    let summary = verified(db).await;
    assert_eq!(&summary.ballots, ledger.ballots());
    assert_eq!(&summary.roll, ledger.roll());
}
