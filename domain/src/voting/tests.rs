use super::*;
use crate::ballots::Ballots;
use crate::statement::SignedStatement;
use ed25519_dalek::SigningKey;

/// The chair, who opens motions, assigns panels and publishes decisions.
pub(crate) const CHAIR: u64 = 2;

/// Six members in four groups: 1 (the admin) and 5 in the Civil Rights
/// Coalition, 2 (the chair) and 6 in the Free Expression Alliance, 3 in
/// Trust & Safety, 4 among the Independent Experts.
pub(crate) struct Council {
    pub(crate) origin: LogOrigin,
    pub(crate) log_key: SigningKey,
    pub(crate) keys: Vec<SigningKey>,
    pub(crate) roll: Roll,
    pub(crate) ballots: Ballots,
    pub(crate) index: u64,
    /// Sealed votes committed but not yet revealed (decision tests).
    pub(crate) pending_reveals: Vec<(u64, Statement)>,
    /// Every entry so far, and the log key that signs checkpoints.
    pub(crate) entries: Vec<Vec<u8>>,
    pub(crate) signer: crate::note::NoteSigner,
}

impl Council {
    pub(crate) fn new() -> Self {
        let mut log = crate::synthetic::log_with_votes(6, 0).unwrap();
        // The founding and the six enrollments, without the synthetic
        // log's rules change: these tests open motions under the initial
        // rules' version, as `verify_log` would replay them.
        log.entries.truncate(7);
        let mut roll = Roll::new(&log.origin, &log.log_key.verifier());
        for (index, entry) in log.entries.iter().enumerate() {
            let statement = SignedStatement::from_entry(entry).unwrap();
            roll.apply(index as u64, &statement).unwrap();
        }
        Self {
            origin: log.origin,
            log_key: SigningKey::from_bytes(&[1; 32]),
            keys: log.members,
            roll,
            ballots: Ballots::new(),
            index: log.entries.len() as u64,
            pending_reveals: vec![],
            entries: log.entries,
            signer: log.log_key,
        }
    }

    pub(crate) fn key(&self, member: u64) -> &SigningKey {
        &self.keys[member as usize - 1]
    }

    /// Appends a statement signed by `key`, as the verifier would replay
    /// it (the membership's rules must accept it).
    pub(crate) fn push(
        &mut self,
        statement: Statement,
        key: &SigningKey,
    ) -> Result<(), BallotError> {
        self.push_refusal(statement, key)
            .map_err(|refusal| match refusal {
                crate::ledger::Refusal::Ballot(error) => error,
                crate::ledger::Refusal::Eligibility(error) => {
                    panic!("refused by the membership: {error}")
                }
            })
    }

    /// [`Self::push`], refused by either the membership or the ballots.
    pub(crate) fn push_refusal(
        &mut self,
        statement: Statement,
        key: &SigningKey,
    ) -> Result<(), crate::ledger::Refusal> {
        let signed = statement.sign(key).unwrap();
        let entry = signed.to_entry().unwrap();
        signed.verify(&self.origin).unwrap();
        let mut roll = self.roll.clone();
        roll.apply(self.index, &signed)?;
        self.ballots.apply(self.index, &roll, &signed, &entry)?;
        self.roll = roll;
        self.entries.push(entry);
        self.index += 1;
        Ok(())
    }

    pub(crate) fn motion_body(
        &self,
        kind: MotionKind,
        remedies: &[&str],
        rules: Rules,
    ) -> MotionBody {
        MotionBody {
            kind,
            text: "The post broke clause H-2.".to_owned(),
            remedies: remedies.iter().map(|r| (*r).to_owned()).collect(),
            rules,
            opens_at: 1_000,
            closes_at: 2_000,
            roll: eligible_roll(&self.roll, &BTreeSet::new()),
            by: MemberId(2),
            effect: None,
        }
    }

    /// Opens a motion; rules other than those in force are first adopted
    /// by a rules change signed by the admin (member 1).
    pub(crate) fn open(
        &mut self,
        case: u64,
        motion: u64,
        body: &MotionBody,
    ) -> Result<(), BallotError> {
        let mut body = body.clone();
        let current = self.ballots.rules();
        body.rules.version = current.version;
        if body.rules != current {
            body.rules.version += 1;
            self.change_rules(1, body.rules)?;
        }
        let statement = opening_statement(&self.origin, CaseId(case), MotionId(motion), &body);
        let key = self.key(CHAIR).clone();
        self.push(statement, &key)
    }

    pub(crate) fn change_rules(&mut self, by: u64, rules: Rules) -> Result<(), BallotError> {
        let statement = rules_change_statement(
            &self.origin,
            &RulesChangeBody {
                rules,
                reason: "Votes in the open for this trial.".to_owned(),
            },
        );
        let key = self.key(by).clone();
        self.push(statement, &key)
    }

    pub(crate) fn vote(
        &mut self,
        case: u64,
        motion: u64,
        member: u64,
        choice: &str,
        sequence: u32,
    ) -> Result<(), BallotError> {
        let body = VoteBody {
            choice: choice.to_owned(),
            reason: None,
            sequence,
            salt: None,
        };
        let statement = vote_statement(
            &self.origin,
            CaseId(case),
            MotionId(motion),
            MemberId(member),
            &body,
        );
        let key = self.key(member).clone();
        self.push(statement, &key)
    }

    /// Commits to a sealed vote; returns the signed vote's entry, to reveal.
    pub(crate) fn commit(
        &mut self,
        motion: u64,
        member: u64,
        choice: &str,
        sequence: u32,
    ) -> Result<Statement, BallotError> {
        let body = VoteBody {
            choice: choice.to_owned(),
            reason: Some("Read the whole thread.".to_owned()),
            sequence,
            salt: Some(hex::encode(&[sequence as u8 + member as u8; 32])),
        };
        let vote = vote_statement(
            &self.origin,
            CaseId(1),
            MotionId(motion),
            MemberId(member),
            &body,
        );
        let entry = vote
            .clone()
            .sign(self.key(member))
            .unwrap()
            .to_entry()
            .unwrap();
        let statement = commitment_statement(
            &self.origin,
            CaseId(1),
            MotionId(motion),
            MemberId(member),
            &CommitmentBody {
                commitment: commitment(&entry),
                sequence,
            },
        );
        let key = self.key(member).clone();
        self.push(statement, &key)?;
        Ok(vote)
    }

    pub(crate) fn reveal(&mut self, member: u64, vote: Statement) -> Result<(), BallotError> {
        let key = self.key(member).clone();
        self.push(vote, &key)
    }

    pub(crate) fn close(&mut self, motion: u64, tally: Tally) -> Result<(), BallotError> {
        self.close_as(motion, tally, CloseReason::Deadline, 2_000)
    }

    pub(crate) fn close_as(
        &mut self,
        motion: u64,
        tally: Tally,
        reason: CloseReason,
        closed_at: i64,
    ) -> Result<(), BallotError> {
        let statement = closing_statement(
            &self.origin,
            CaseId(1),
            MotionId(motion),
            &ClosingBody {
                closed_at,
                reason,
                tally,
            },
        );
        let key = self.log_key.clone();
        self.push(statement, &key)
    }

    pub(crate) fn tally(&self, motion: u64) -> Tally {
        let record = self.ballots.motion(MotionId(motion)).unwrap();
        tally(&record.body, &record.choices())
    }
}

pub(crate) fn unsealed() -> Rules {
    Rules {
        sealed: false,
        bridging: Bridging::None,
        ..Rules::initial()
    }
}

fn votes(pairs: &[(u64, &str)]) -> BTreeMap<MemberId, String> {
    pairs
        .iter()
        .map(|(m, c)| (MemberId(*m), (*c).to_owned()))
        .collect()
}

#[test]
fn abstentions_lower_the_number_of_supports_needed() {
    let council = Council::new();
    let motion = council.motion_body(MotionKind::Finding, &[], unsealed());
    // Six on the roll, three support: not more than half of six.
    let split = tally(
        &motion,
        &votes(&[(1, SUPPORT), (2, SUPPORT), (3, SUPPORT), (4, OPPOSE)]),
    );
    assert_eq!(split.supports_needed, 4);
    assert_eq!(split.outcome, Outcome::NotCarried);
    // Two abstain: the base is four, three supports carry.
    let with_abstentions = tally(
        &motion,
        &votes(&[
            (1, SUPPORT),
            (2, SUPPORT),
            (3, SUPPORT),
            (4, OPPOSE),
            (5, ABSTAIN),
            (6, ABSTAIN),
        ]),
    );
    assert_eq!(with_abstentions.supports_needed, 3);
    assert_eq!(with_abstentions.voted, 6);
    assert_eq!(with_abstentions.outcome, Outcome::Carried);
}

#[test]
fn without_quorum_there_is_no_decision() {
    let council = Council::new();
    let motion = council.motion_body(MotionKind::Finding, &[], unsealed());
    let two = tally(&motion, &votes(&[(1, SUPPORT), (2, SUPPORT)]));
    assert_eq!(two.quorum_needed, 3);
    assert!(!two.quorum_met);
    assert_eq!(two.outcome, Outcome::NoDecision);
}

#[test]
fn bridging_can_fail_where_the_majority_is_met() {
    let council = Council::new();
    let rules = Rules {
        bridging: Bridging::SupporterInEveryGroup,
        ..unsealed()
    };
    let motion = council.motion_body(MotionKind::Finding, &[], rules);
    // Four supports of six, but none among the Independent Experts (member 4).
    let ballots = votes(&[
        (1, SUPPORT),
        (2, SUPPORT),
        (3, SUPPORT),
        (5, SUPPORT),
        (4, OPPOSE),
    ]);
    let result = tally(&motion, &ballots);
    assert!(result.threshold_met);
    assert!(!result.bridging_met);
    assert_eq!(result.outcome, Outcome::NotCarried);
    let experts = result
        .groups
        .iter()
        .find(|g| g.group == "Independent Experts")
        .unwrap();
    assert_eq!(
        (experts.eligible, experts.voted, experts.bridged),
        (1, 1, false)
    );

    // A majority of voters in at least three groups: met by three of four.
    let motion = council.motion_body(
        MotionKind::Finding,
        &[],
        Rules {
            bridging: Bridging::MajorityInGroups { groups: 3 },
            ..unsealed()
        },
    );
    assert_eq!(tally(&motion, &ballots).outcome, Outcome::Carried);
    let motion = council.motion_body(
        MotionKind::Finding,
        &[],
        Rules {
            bridging: Bridging::MajorityInGroups { groups: 4 },
            ..unsealed()
        },
    );
    assert_eq!(tally(&motion, &ballots).outcome, Outcome::NotCarried);
}

#[test]
fn a_qualified_majority_needs_its_fraction_of_the_base() {
    let council = Council::new();
    let rules = Rules {
        threshold: Threshold::Qualified {
            numerator: 2,
            denominator: 3,
        },
        ..unsealed()
    };
    let motion = council.motion_body(MotionKind::Remedy, &[], rules);
    let three = votes(&[(1, SUPPORT), (2, SUPPORT), (3, SUPPORT), (4, OPPOSE)]);
    assert_eq!(tally(&motion, &three).supports_needed, 4);
    assert_eq!(tally(&motion, &three).outcome, Outcome::NotCarried);
    let four = votes(&[(1, SUPPORT), (2, SUPPORT), (3, SUPPORT), (5, SUPPORT)]);
    assert_eq!(tally(&motion, &four).outcome, Outcome::Carried);
}

#[test]
fn a_choice_motion_adopts_the_leading_remedy_and_a_tie_decides_nothing() {
    let council = Council::new();
    let motion = council.motion_body(MotionKind::Choice, &["Restore", "Label"], unsealed());
    let clear = tally(
        &motion,
        &votes(&[
            (1, "Restore"),
            (2, "Restore"),
            (3, "Restore"),
            (4, "Label"),
            (5, "Restore"),
        ]),
    );
    assert_eq!(clear.leading.as_deref(), Some("Restore"));
    assert_eq!(clear.outcome, Outcome::Carried);
    let tie = tally(
        &motion,
        &votes(&[(1, "Restore"), (2, "Restore"), (3, "Label"), (4, "Label")]),
    );
    assert_eq!(tie.leading, None);
    assert_eq!(tie.outcome, Outcome::NoDecision);
}

#[test]
fn votes_replace_earlier_ones_and_an_old_vote_cannot_be_replayed() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(1, 1, &body).unwrap();
    council.vote(1, 1, 2, OPPOSE, 1).unwrap();
    council.vote(1, 1, 2, SUPPORT, 2).unwrap();
    assert_eq!(
        council.vote(1, 1, 2, OPPOSE, 1),
        Err(BallotError::Sequence {
            expected: 3,
            found: 1
        })
    );
    assert_eq!(
        council.vote(1, 1, 3, SUPPORT, 2),
        Err(BallotError::Sequence {
            expected: 1,
            found: 2
        })
    );
    let record = council.ballots.motion(MotionId(1)).unwrap();
    assert_eq!(record.choices(), votes(&[(2, SUPPORT)]));
}

#[test]
fn votes_off_the_roll_on_another_case_or_after_close_are_refused() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(1, 1, &body).unwrap();
    assert_eq!(
        council.vote(2, 1, 2, SUPPORT, 1),
        Err(BallotError::WrongCase(MotionId(1)))
    );
    assert_eq!(
        council.vote(1, 9, 2, SUPPORT, 1),
        Err(BallotError::UnknownMotion(MotionId(9)))
    );
    assert_eq!(
        council.vote(1, 1, 2, "maybe", 1),
        Err(BallotError::UnknownChoice("maybe".to_owned()))
    );
    council.vote(1, 1, 2, SUPPORT, 1).unwrap();
    let result = council.tally(1);
    council.close(1, result).unwrap();
    assert_eq!(
        council.vote(1, 1, 3, SUPPORT, 1),
        Err(BallotError::MotionClosed(MotionId(1)))
    );
}

#[test]
fn a_closing_is_refused_unless_its_reason_holds() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    let roll: Vec<u64> = body.roll.iter().map(|m| m.member.0).collect();
    council.open(1, 1, &body).unwrap();
    council.vote(1, 1, roll[0], SUPPORT, 1).unwrap();
    let tally = council.tally(1);
    // At the deadline means at or after `closes_at`, not a second before.
    assert_eq!(
        council.close_as(1, tally.clone(), CloseReason::Deadline, 1_999),
        Err(BallotError::NotYetDue {
            motion: MotionId(1),
            closes_at: 2_000
        })
    );
    // Early, as all-voted, while members on the roll have not voted: the
    // operator cutting them out.
    assert_eq!(
        council.close_as(1, tally.clone(), CloseReason::AllVoted, 1_500),
        Err(BallotError::NotAllVoted {
            motion: MotionId(1),
            missing: roll.len() - 1
        })
    );
    // Those who recused since the opening are not waited for.
    for member in &roll[2..] {
        let recusal = crate::cases::recusal_statement(
            &council.origin,
            CaseId(1),
            MemberId(*member),
            "A conflict.",
        );
        let key = council.key(*member).clone();
        council.push(recusal, &key).unwrap();
    }
    assert_eq!(
        council.close_as(1, tally.clone(), CloseReason::AllVoted, 1_500),
        Err(BallotError::NotAllVoted {
            motion: MotionId(1),
            missing: 1
        })
    );
    council.vote(1, 1, roll[1], SUPPORT, 1).unwrap();
    let tally = council.tally(1);
    council
        .close_as(1, tally, CloseReason::AllVoted, 1_500)
        .unwrap();
}

#[test]
fn the_roll_must_be_the_eligible_roll_minus_recusals() {
    let mut council = Council::new();
    // Member 3 recuses from case 1.
    let recusal = crate::cases::recusal_statement(
        &council.origin,
        CaseId(1),
        MemberId(3),
        "Former employer.",
    );
    let key = council.key(3).clone();
    council.push(recusal, &key).unwrap();
    let mut body = council.motion_body(MotionKind::Finding, &[], unsealed());
    assert_eq!(
        council.open(1, 1, &body),
        Err(BallotError::WrongRoll(MotionId(1)))
    );
    body.roll.retain(|m| m.member != MemberId(3));
    let mut short = body.clone();
    short.roll.pop();
    assert_eq!(
        council.open(1, 1, &short),
        Err(BallotError::WrongRoll(MotionId(1)))
    );
    council.open(1, 1, &body).unwrap();
    assert_eq!(
        council.vote(1, 1, 3, SUPPORT, 1),
        Err(BallotError::NotOnRoll {
            member: MemberId(3),
            motion: MotionId(1)
        })
    );
    // The same roll is fine on another case, where nobody recused... but
    // only with member 3 on it.
    assert_eq!(
        council.open(2, 2, &body),
        Err(BallotError::WrongRoll(MotionId(2)))
    );
    assert_eq!(
        council.open(1, 1, &body),
        Err(BallotError::MotionReused(MotionId(1)))
    );
}

#[test]
fn only_the_chair_opens_a_motion_as_themself() {
    use crate::ledger::Refusal;
    use crate::members::EligibilityError;
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], Rules::initial());
    let statement = opening_statement(&council.origin, CaseId(1), MotionId(1), &body);
    // The operator's log key, on the chair's behalf.
    let log_key = council.log_key.clone();
    assert_eq!(
        council.push_refusal(statement.clone(), &log_key),
        Err(Refusal::Eligibility(EligibilityError::ChairActByLogKey))
    );
    // The admin, who is not the chair.
    let admin = council.key(1).clone();
    assert_eq!(
        council.push_refusal(statement.clone(), &admin),
        Err(Refusal::Eligibility(EligibilityError::NotChair(MemberId(
            1
        ))))
    );
    // The chair, naming someone else as the one who opened it.
    let chair = council.key(CHAIR).clone();
    let other = MotionBody {
        by: MemberId(1),
        ..body.clone()
    };
    let misnamed = opening_statement(&council.origin, CaseId(1), MotionId(1), &other);
    assert_eq!(
        council.push_refusal(misnamed, &chair),
        Err(Refusal::Ballot(BallotError::NotTheSigner))
    );
    council.push(statement, &chair).unwrap();
}

#[test]
fn a_chairs_act_is_dated_when_it_reaches_the_server() {
    use crate::ballots::{CLOCK_SKEW, SIGNING_WINDOW};
    let council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], Rules::initial());
    let signed = opening_statement(&council.origin, CaseId(1), MotionId(1), &body)
        .sign(council.key(CHAIR))
        .unwrap();
    let entry = signed.to_entry().unwrap();
    let opens_at = body.opens_at;
    for (arrived, ok) in [
        (opens_at, true),
        (opens_at + SIGNING_WINDOW, true),
        (opens_at + SIGNING_WINDOW + 1, false),
        (opens_at - CLOCK_SKEW, true),
        (opens_at - CLOCK_SKEW - 1, false),
    ] {
        let mut ballots = council.ballots.clone();
        let facts = Facts {
            arrived_at: Some(arrived),
            sealed_vote: None,
        };
        let result = ballots.apply_with(council.index, &council.roll, &signed, &entry, &facts);
        assert_eq!(result.is_ok(), ok, "arrived at {arrived}: {result:?}");
        if !ok {
            assert!(matches!(result, Err(BallotError::StaleTime { .. })));
        }
    }
}

#[test]
fn only_the_log_key_closes_a_motion() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(1, 1, &body).unwrap();
    for member in 1..=6 {
        council.vote(1, 1, member, SUPPORT, 1).unwrap();
    }
    let closing = ClosingBody {
        closed_at: 1_500,
        reason: CloseReason::AllVoted,
        tally: council.tally(1),
    };
    let statement = closing_statement(&council.origin, CaseId(1), MotionId(1), &closing);
    let chair = council.key(CHAIR).clone();
    assert_eq!(
        council.push(statement, &chair),
        Err(BallotError::NotByLogKey)
    );
}

#[test]
fn a_published_tally_that_is_not_the_votes_tally_is_refused() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(1, 1, &body).unwrap();
    for member in 1..=4 {
        council.vote(1, 1, member, SUPPORT, 1).unwrap();
    }
    let mut forged = council.tally(1);
    assert_eq!(forged.outcome, Outcome::Carried);
    forged.outcome = Outcome::NotCarried;
    assert_eq!(
        council.close(1, forged),
        Err(BallotError::TallyMismatch(MotionId(1)))
    );
    let honest = council.tally(1);
    council.close(1, honest).unwrap();
}

#[test]
fn a_sealed_vote_is_revealed_under_the_key_that_committed_it() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], Rules::initial());
    council.open(1, 1, &body).unwrap();
    let vote = council.commit(1, 3, SUPPORT, 1).unwrap();
    // Member 3 replaces their key before the close: the reveal, signed by
    // the key that committed, must still be accepted, or the motion could
    // never be closed.
    let new_key = SigningKey::from_bytes(&[99; 32]);
    let rotation = crate::members::rotation_statement(
        &council.origin,
        MemberId(3),
        &new_key.verifying_key().to_bytes(),
    );
    let old_key = council.key(3).clone();
    council.push(rotation, &old_key).unwrap();
    // The same vote signed by the new key is not what was committed.
    assert_eq!(
        council.push(vote.clone(), &new_key),
        Err(BallotError::NoCommitment)
    );
    council.reveal(3, vote).unwrap();
    let tally = council.tally(1);
    council.close(1, tally).unwrap();

    // On an unsealed motion a vote is signed by the valid key at its time.
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(2, 2, &body).unwrap();
    assert_eq!(
        council.vote(2, 2, 3, SUPPORT, 1),
        Err(BallotError::NotSignedByValidKey(MemberId(3)))
    );
    let statement = vote_statement(
        &council.origin,
        CaseId(2),
        MotionId(2),
        MemberId(3),
        &VoteBody {
            choice: SUPPORT.to_owned(),
            reason: None,
            sequence: 1,
            salt: None,
        },
    );
    council.push(statement, &new_key).unwrap();
}

#[test]
fn sealed_votes_are_committed_then_revealed_and_checked_at_close() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], Rules::initial());
    council.open(1, 1, &body).unwrap();
    // Logged directly, a vote on a sealed motion is refused.
    assert_eq!(
        council.vote(1, 1, 2, SUPPORT, 1),
        Err(BallotError::MissingSalt)
    );
    let first = council.commit(1, 2, OPPOSE, 1).unwrap();
    let second = council.commit(1, 2, SUPPORT, 2).unwrap();
    let other = council.commit(1, 3, SUPPORT, 1).unwrap();
    assert_eq!(
        council.commit(1, 3, SUPPORT, 1).map(|_| ()),
        Err(BallotError::Sequence {
            expected: 2,
            found: 1
        })
    );
    // Closing before every commitment is revealed fails.
    let early = council.tally(1);
    assert_eq!(
        council.close(1, early),
        Err(BallotError::MissingReveal {
            motion: MotionId(1),
            missing: 3
        })
    );
    // A reveal that is not what was committed (another choice) is refused.
    let mut changed = other.clone();
    changed.body["choice"] = serde_json::json!(OPPOSE);
    assert_eq!(council.reveal(3, changed), Err(BallotError::NoCommitment));
    // Reveals in any order: the highest sequence counts.
    council.reveal(2, second).unwrap();
    council.reveal(2, first.clone()).unwrap();
    council.reveal(3, other).unwrap();
    assert_eq!(council.reveal(2, first), Err(BallotError::NoCommitment));
    let record = council.ballots.motion(MotionId(1)).unwrap();
    assert_eq!(record.choices(), votes(&[(2, SUPPORT), (3, SUPPORT)]));
    let result = council.tally(1);
    council.close(1, result).unwrap();
}

#[test]
fn drafts_and_rules_are_checked() {
    assert!(MotionDraft::new(MotionKind::Finding, "  ", &[]).is_err());
    assert!(MotionDraft::new(MotionKind::Finding, "x", &["A".to_owned()]).is_err());
    assert!(MotionDraft::new(MotionKind::Choice, "x", &["A".to_owned()]).is_err());
    assert!(MotionDraft::new(MotionKind::Choice, "x", &["A".to_owned(), "a".to_owned()]).is_err());
    assert!(
        MotionDraft::new(
            MotionKind::Choice,
            "x",
            &["A".to_owned(), "abstain".to_owned()]
        )
        .is_err()
    );
    let draft = MotionDraft::new(
        MotionKind::Choice,
        " x ",
        &["A".to_owned(), " ".to_owned(), "B".to_owned()],
    )
    .unwrap();
    assert_eq!(draft.text, "x");
    assert_eq!(draft.choices(), ["A", "B", ABSTAIN]);
    assert!(Rules::initial().check().is_ok());
    let bad = Rules {
        threshold: Threshold::Qualified {
            numerator: 3,
            denominator: 2,
        },
        ..Rules::initial()
    };
    assert!(bad.check().is_err());
    assert!(
        Rules {
            quorum_percent: 0,
            ..Rules::initial()
        }
        .check()
        .is_err()
    );
    assert!(
        Rules {
            window_hours: 0,
            ..Rules::initial()
        }
        .check()
        .is_err()
    );
}

#[test]
fn rules_travel_as_stable_json() {
    let json = serde_json::to_value(Rules::initial()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "version": 1,
            "quorum_percent": 50,
            "threshold": {"rule": "simple-majority"},
            "bridging": {"rule": "supporter-in-every-group"},
            "window_hours": 72,
            "sealed": true
        })
    );
}

#[test]
fn rules_change_by_an_admin_one_version_at_a_time_and_bind_later_motions() {
    let mut council = Council::new();
    let next = Rules {
        version: 2,
        ..unsealed()
    };
    // Member 2 is not an admin.
    assert_eq!(council.change_rules(2, next), Err(BallotError::NotByAdmin));
    assert_eq!(
        council.change_rules(1, Rules { version: 3, ..next }),
        Err(BallotError::RulesVersion { expected: 2 })
    );
    council.change_rules(1, next).unwrap();
    assert_eq!(council.ballots.rules(), next);
    // A motion opened under the old rules after the change is refused.
    let mut body = council.motion_body(MotionKind::Finding, &[], Rules::initial());
    let statement = opening_statement(&council.origin, CaseId(1), MotionId(1), &body);
    let key = council.key(CHAIR).clone();
    assert_eq!(
        council.push(statement, &key),
        Err(BallotError::WrongRules(MotionId(1)))
    );
    body.rules = next;
    council.open(1, 1, &body).unwrap();
}

#[test]
fn the_window_is_at_most_the_rules_window() {
    let rules = Rules::initial();
    let now = crate::Timestamp(1_000);
    assert_eq!(
        rules.closes_at(now, None),
        Ok(crate::Timestamp(1_000 + 72 * 3600))
    );
    assert_eq!(rules.closes_at(now, Some(1)), Ok(crate::Timestamp(1_060)));
    assert!(rules.closes_at(now, Some(0)).is_err());
    assert!(rules.closes_at(now, Some(72 * 60 + 1)).is_err());
}

#[test]
fn a_panel_is_the_roll_of_later_motions() {
    let mut council = Council::new();
    let panel = |members: &[u64]| crate::panels::PanelBody {
        members: members.iter().copied().map(MemberId).collect(),
        by: MemberId(CHAIR),
    };
    let chair = council.key(CHAIR).clone();
    let assign = |council: &mut Council, body: &crate::panels::PanelBody, key: &SigningKey| {
        let statement = crate::panels::panel_statement(&council.origin, CaseId(1), body);
        council.push_refusal(statement, key)
    };
    // Missing Independent Experts (member 4).
    assert!(matches!(
        assign(&mut council, &panel(&[1, 2, 3]), &chair),
        Err(crate::ledger::Refusal::Ballot(BallotError::Body { .. }))
    ));
    // Signed by the log key on the chair's behalf.
    let log_key = council.log_key.clone();
    assert_eq!(
        assign(&mut council, &panel(&[1, 2, 3, 4]), &log_key),
        Err(crate::ledger::Refusal::Eligibility(
            crate::members::EligibilityError::ChairActByLogKey
        ))
    );
    assign(&mut council, &panel(&[1, 2, 3, 4]), &chair).unwrap();
    // The whole council as the roll is now wrong; the panel is right.
    let whole = council.motion_body(MotionKind::Finding, &[], unsealed());
    assert_eq!(
        council.open(1, 1, &whole),
        Err(BallotError::WrongRoll(MotionId(1)))
    );
    let mut body = council.motion_body(MotionKind::Finding, &[], unsealed());
    body.roll.retain(|m| m.member.0 <= 4);
    council.open(1, 1, &body).unwrap();
    council.vote(1, 1, 2, "support", 1).unwrap();
    assert_eq!(
        council.vote(1, 1, 5, "support", 1),
        Err(BallotError::NotOnRoll {
            member: MemberId(5),
            motion: MotionId(1)
        })
    );
    // Another case has no panel.
    let other = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(2, 2, &other).unwrap();
}

/// The tally object as `docs/protocol.md` §6c shows it, computed.
#[test]
fn the_protocols_tally_example_is_what_replay_computes() {
    let roll = [
        (1, "Civil Rights Coalition"),
        (5, "Civil Rights Coalition"),
        (3, "Trust & Safety"),
        (7, "Trust & Safety"),
    ];
    let motion = MotionBody {
        kind: MotionKind::Finding,
        text: "The post broke clause H-2.".to_owned(),
        remedies: vec![],
        rules: Rules::initial(),
        opens_at: 1_000,
        closes_at: 2_000,
        roll: roll
            .iter()
            .map(|(member, group)| RollMember {
                member: MemberId(*member),
                group: (*group).to_owned(),
            })
            .collect(),
        by: MemberId(1),
        effect: None,
    };
    let result = tally(
        &motion,
        &votes(&[(1, SUPPORT), (5, SUPPORT), (3, SUPPORT), (7, OPPOSE)]),
    );
    let documented = serde_json::json!({"eligible": 4, "voted": 4,
        "counts": {"abstain": 0, "oppose": 1, "support": 3},
        "quorum_needed": 2, "quorum_met": true,
        "leading": "support", "supports_needed": 3, "threshold_met": true,
        "groups": [{"group": "Civil Rights Coalition", "eligible": 2, "voted": 2,
                    "counts": {"abstain": 0, "oppose": 0, "support": 2}, "bridged": true},
                   {"group": "Trust & Safety", "eligible": 2, "voted": 2,
                    "counts": {"abstain": 0, "oppose": 1, "support": 1}, "bridged": true}],
        "bridging_met": true, "outcome": "carried"});
    assert_eq!(serde_json::to_value(&result).unwrap(), documented);
}

#[test]
fn an_opening_may_say_what_carrying_it_means_except_a_choice_motion() {
    let mut council = Council::new();
    let mut remedy = council.motion_body(MotionKind::Remedy, &[], unsealed());
    remedy.effect = Some(crate::voting::Effect::Reinstate);
    council.open(1, 1, &remedy).unwrap();

    let mut choice = council.motion_body(MotionKind::Choice, &["Restore", "Label"], unsealed());
    choice.effect = Some(crate::voting::Effect::Overturn);
    let refused = council.open(2, 2, &choice).unwrap_err();
    assert!(matches!(refused, BallotError::Body { .. }), "{refused:?}");
    // An unknown effect is not the kind's closed body.
    let mut json = serde_json::to_value(&remedy).unwrap();
    json["effect"] = serde_json::json!("ban-forever");
    assert!(serde_json::from_value::<MotionBody>(json).is_err());
    assert!(
        MotionDraft::new(MotionKind::Choice, "x", &["A".to_owned(), "B".to_owned()])
            .unwrap()
            .with_effect(Some(crate::voting::Effect::Uphold))
            .is_err()
    );
}
