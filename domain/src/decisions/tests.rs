use super::*;
use crate::voting::BallotError;
use crate::voting::tests::{Council, unsealed};
use crate::voting::{MotionKind, Rules};
use ed25519_dalek::SigningKey;

/// Case 1 with motion 1 (unsealed, no bridging) voted by members 1–5 and
/// closed: members 1–4 support, 5 opposes; member 6 did not vote.
pub(crate) fn voted() -> Council {
    voted_under(unsealed())
}

fn voted_under(rules: Rules) -> Council {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], rules);
    council.open(1, 1, &body).unwrap();
    for member in 1..=5 {
        let choice = if member == 5 { "oppose" } else { "support" };
        if rules.sealed {
            let vote = council.commit(1, member, choice, 1).unwrap();
            council.reveal_later(member, vote);
        } else {
            council.vote(1, 1, member, choice, 1).unwrap();
        }
    }
    council.reveal_all().unwrap();
    let tally = council.tally(1);
    council.close(1, tally).unwrap();
    council
}

impl Council {
    fn reveal_later(&mut self, member: u64, vote: Statement) {
        self.pending_reveals.push((member, vote));
    }

    fn reveal_all(&mut self) -> Result<(), BallotError> {
        for (member, vote) in std::mem::take(&mut self.pending_reveals) {
            self.reveal(member, vote)?;
        }
        Ok(())
    }

    pub(crate) fn opinion(
        &mut self,
        member: u64,
        kind: OpinionKind,
        authors: &[u64],
    ) -> Result<(), BallotError> {
        let authors: Vec<MemberId> = authors.iter().map(|a| MemberId(*a)).collect();
        let body =
            OpinionBody::new(kind, "The post quoted the slur to condemn it.", &authors).unwrap();
        self.signed_opinion(member, &body)
    }

    fn signed_opinion(&mut self, member: u64, body: &OpinionBody) -> Result<(), BallotError> {
        let statement = opinion_statement(&self.origin, CaseId(1), MemberId(member), body);
        let key = self.key(member).clone();
        self.push(statement, &key)
    }

    /// The decision on case 1 as an honest server builds it.
    pub(crate) fn decision(&self, case: u64) -> DecisionBody {
        let record = self.ballots.case(CaseId(case)).cloned().unwrap_or_default();
        DecisionBody {
            motions: record
                .motions
                .iter()
                .map(|id| MotionOutcome {
                    motion: *id,
                    outcome: self
                        .ballots
                        .motion(*id)
                        .unwrap()
                        .closing
                        .as_ref()
                        .unwrap()
                        .tally
                        .outcome,
                })
                .collect(),
            votes: record.votes.iter().copied().collect(),
            opinions: record.opinions.iter().map(|(i, _, _)| *i).collect(),
            record: DecisionRecord {
                clauses: vec![ClauseCode::parse("HS-2").unwrap()],
                precedents: vec![],
                recommendations: vec!["Publish the exception for counter-speech.".to_owned()],
            },
            published_at: 3_000,
            answers_due: Some(answers_due(3_000)),
            by: MemberId(crate::voting::tests::CHAIR),
            case_digest: Some("ab".repeat(32)),
        }
    }

    pub(crate) fn publish(&mut self, case: u64, body: &DecisionBody) -> Result<(), BallotError> {
        let key = self.key(crate::voting::tests::CHAIR).clone();
        self.publish_signed(case, body, &key)
    }

    fn publish_signed(
        &mut self,
        case: u64,
        body: &DecisionBody,
        key: &SigningKey,
    ) -> Result<(), BallotError> {
        self.push(decision_statement(&self.origin, CaseId(case), body), key)
    }

    fn answer(&mut self, recommendation: u32) -> Result<(), BallotError> {
        let body = AnswerBody {
            recommendation,
            status: AnswerStatus::Assessing,
            text: "We are assessing the feasibility.".to_owned(),
            answered_at: 4_000,
        };
        let key = self.log_key.clone();
        self.push(answer_statement(&self.origin, CaseId(1), &body), &key)
    }
}

#[test]
fn a_decision_names_every_vote_and_opinion_and_is_published_once() {
    let mut council = voted();
    council.opinion(2, OpinionKind::Majority, &[2]).unwrap();
    council.opinion(5, OpinionKind::Dissent, &[]).unwrap();
    council.opinion(3, OpinionKind::Concurrence, &[]).unwrap();
    let decision = council.decision(1);
    assert_eq!(decision.votes.len(), 5);
    assert_eq!(decision.opinions.len(), 3);
    assert_eq!(decision.motions[0].outcome, Outcome::Carried);

    let mut hidden_dissent = decision.clone();
    hidden_dissent.opinions.remove(1);
    assert_eq!(
        council.publish(1, &hidden_dissent),
        Err(BallotError::OpinionsLeftOut(CaseId(1)))
    );
    let mut dropped_vote = decision.clone();
    dropped_vote.votes.pop();
    assert_eq!(
        council.publish(1, &dropped_vote),
        Err(BallotError::VotesLeftOut(CaseId(1)))
    );
    let mut other_outcome = decision.clone();
    other_outcome.motions[0].outcome = Outcome::NotCarried;
    assert!(matches!(
        council.publish(1, &other_outcome),
        Err(BallotError::Body { .. })
    ));
    let mut late = decision.clone();
    late.answers_due = Some(answers_due(3_000) + 86_400);
    assert!(matches!(
        council.publish(1, &late),
        Err(BallotError::Body { .. })
    ));
    // Only the chair publishes: not another member, not the operator's
    // log key on the chair's behalf.
    let admin = council.key(1).clone();
    let statement = decision_statement(&council.origin, CaseId(1), &decision);
    assert_eq!(
        council.push_refusal(statement.clone(), &admin),
        Err(crate::ledger::Refusal::Eligibility(
            crate::members::EligibilityError::NotChair(MemberId(1))
        ))
    );
    let log_key = council.log_key.clone();
    assert_eq!(
        council.push_refusal(statement, &log_key),
        Err(crate::ledger::Refusal::Eligibility(
            crate::members::EligibilityError::ChairActByLogKey
        ))
    );

    council.publish(1, &decision).unwrap();
    assert_eq!(
        council.publish(1, &decision),
        Err(BallotError::AlreadyDecided(CaseId(1)))
    );
    // Nothing more is said on a published case: no opinion, no new motion.
    assert_eq!(
        council.opinion(4, OpinionKind::Concurrence, &[]),
        Err(BallotError::AlreadyDecided(CaseId(1)))
    );
    let body = council.motion_body(MotionKind::Remedy, &[], unsealed());
    assert_eq!(
        council.open(1, 2, &body),
        Err(BallotError::AlreadyDecided(CaseId(1)))
    );
}

#[test]
fn a_decision_commits_to_the_case_it_decides() {
    let mut council = voted();
    council.opinion(1, OpinionKind::Majority, &[1]).unwrap();
    let honest = council.decision(1);
    for digest in [None, Some("AB".repeat(32)), Some("ab".repeat(31))] {
        let body = DecisionBody {
            case_digest: digest.clone(),
            ..honest.clone()
        };
        assert!(
            matches!(council.publish(1, &body), Err(BallotError::Body { .. })),
            "{digest:?}"
        );
    }
    // A body with a field the protocol does not define is refused.
    let mut extra = serde_json::to_value(&honest).unwrap();
    extra["chair_note"] = serde_json::json!("trust me");
    let statement = crate::statement::Statement {
        body: extra,
        ..decision_statement(&council.origin, CaseId(1), &honest)
    };
    let key = council.key(crate::voting::tests::CHAIR).clone();
    assert!(matches!(
        council.push(statement, &key),
        Err(BallotError::Body { .. })
    ));
    council.publish(1, &honest).unwrap();
}

#[test]
fn opinions_come_from_voters_after_the_close() {
    let mut council = Council::new();
    let body = council.motion_body(MotionKind::Finding, &[], unsealed());
    council.open(1, 1, &body).unwrap();
    council.vote(1, 1, 2, "support", 1).unwrap();
    assert_eq!(
        council.opinion(2, OpinionKind::Dissent, &[]),
        Err(BallotError::MotionOpen(MotionId(1)))
    );
    let mut council = voted();
    assert_eq!(
        council.opinion(6, OpinionKind::Dissent, &[]),
        Err(BallotError::NotAVoter {
            member: MemberId(6),
            case: CaseId(1)
        })
    );
    assert_eq!(
        council.opinion(2, OpinionKind::Majority, &[3]),
        Err(BallotError::NotAnAuthor(MemberId(2)))
    );
    // A voter who recused since takes no further part: no dissent.
    let recusal =
        crate::cases::recusal_statement(&council.origin, CaseId(1), MemberId(5), "A conflict.");
    let key = council.key(5).clone();
    council.push(recusal, &key).unwrap();
    assert_eq!(
        council.opinion(5, OpinionKind::Dissent, &[]),
        Err(BallotError::Recused {
            member: MemberId(5),
            case: CaseId(1)
        })
    );
    // An opinion on a case without motions.
    let body = OpinionBody::new(OpinionKind::Dissent, "No.", &[]).unwrap();
    let statement = opinion_statement(&council.origin, CaseId(9), MemberId(2), &body);
    let key = council.key(2).clone();
    assert_eq!(
        council.push(statement, &key),
        Err(BallotError::NoMotions(CaseId(9)))
    );
    // An untrimmed text is not what the app would have signed.
    let sloppy = OpinionBody {
        opinion: OpinionKind::Dissent,
        text: " No. ".to_owned(),
        authors: vec![],
    };
    assert!(matches!(
        council.signed_opinion(5, &sloppy),
        Err(BallotError::Body { .. })
    ));
}

#[test]
fn a_rationale_by_several_authors_needs_each_signature_on_the_same_text() {
    let mut council = voted();
    council.opinion(2, OpinionKind::Majority, &[2, 3]).unwrap();
    assert_eq!(
        council.publish(1, &council.decision(1)),
        Err(BallotError::RationaleUnsigned(CaseId(1)))
    );
    let edited = OpinionBody::new(
        OpinionKind::Majority,
        "Another text.",
        &[MemberId(2), MemberId(3)],
    )
    .unwrap();
    council.signed_opinion(3, &edited).unwrap();
    assert_eq!(
        council.publish(1, &council.decision(1)),
        Err(BallotError::RationaleUnsigned(CaseId(1)))
    );

    let mut council = voted();
    council.opinion(3, OpinionKind::Majority, &[2, 3]).unwrap();
    council.opinion(2, OpinionKind::Majority, &[2, 3]).unwrap();
    council.publish(1, &council.decision(1)).unwrap();

    let mut council = voted();
    assert_eq!(
        council.publish(1, &council.decision(1)),
        Err(BallotError::NoRationale(CaseId(1)))
    );
}

#[test]
fn sealed_commitments_and_reveals_are_all_named() {
    let mut council = voted_under(Rules {
        bridging: crate::voting::Bridging::None,
        ..Rules::initial()
    });
    council.opinion(2, OpinionKind::Majority, &[2]).unwrap();
    let decision = council.decision(1);
    // Five commitments and five reveals.
    assert_eq!(decision.votes.len(), 10);
    council.publish(1, &decision).unwrap();
}

#[test]
fn precedents_must_be_published_decisions() {
    let mut council = voted();
    council.opinion(2, OpinionKind::Majority, &[2]).unwrap();
    let mut decision = council.decision(1);
    decision.record.precedents = vec![Precedent {
        case: CaseId(7),
        relation: Relation::Follows,
        note: String::new(),
    }];
    assert_eq!(
        council.publish(1, &decision),
        Err(BallotError::UnknownPrecedent(CaseId(7)))
    );
    assert!(
        DecisionRecord::new(
            CaseId(1),
            &[],
            &[Precedent {
                case: CaseId(7),
                relation: Relation::Distinguishes,
                note: " ".to_owned()
            }],
            &[]
        )
        .is_err()
    );
    assert!(
        DecisionRecord::new(
            CaseId(1),
            &[],
            &[Precedent {
                case: CaseId(1),
                relation: Relation::Follows,
                note: String::new()
            }],
            &[]
        )
        .is_err()
    );
}

#[test]
fn answers_follow_a_published_recommendation() {
    let mut council = voted();
    assert_eq!(council.answer(1), Err(BallotError::NotDecided(CaseId(1))));
    council.opinion(2, OpinionKind::Majority, &[2]).unwrap();
    council.publish(1, &council.decision(1)).unwrap();
    council.answer(1).unwrap();
    council.answer(1).unwrap();
    assert_eq!(
        council.answer(2),
        Err(BallotError::UnknownRecommendation {
            case: CaseId(1),
            number: 2
        })
    );
    assert_eq!(council.ballots.case(CaseId(1)).unwrap().answers.len(), 2);
}

#[test]
fn bodies_travel_as_stable_json() {
    let body = OpinionBody::new(
        OpinionKind::Majority,
        " Text ",
        &[MemberId(3), MemberId(2), MemberId(3)],
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"opinion":"majority","text":"Text","authors":[2,3]}"#
    );
    let decision = DecisionBody {
        motions: vec![MotionOutcome {
            motion: MotionId(4),
            outcome: Outcome::NotCarried,
        }],
        votes: vec![10, 11],
        opinions: vec![12],
        record: DecisionRecord::default(),
        published_at: 5,
        answers_due: None,
        by: MemberId(1),
        case_digest: None,
    };
    assert_eq!(
        serde_json::to_value(&decision).unwrap(),
        serde_json::json!({
            "motions": [{"motion": 4, "outcome": "not-carried"}],
            "votes": [10, 11], "opinions": [12],
            "clauses": [], "precedents": [], "recommendations": [],
            "published_at": 5, "by": 1
        })
    );
}

#[test]
fn the_chairs_form_is_read_and_written_back() {
    let record = DecisionRecord::from_form(
        CaseId(9),
        "HS-2, V-1, HS-2",
        "12 follows\n\ncase #7 Distinguishes: the account was a parody\n",
        "Publish the exception.\n\n  Tell users why.  \n",
    )
    .unwrap();
    assert_eq!(record.clauses.len(), 2);
    assert_eq!(record.precedents[1].relation, Relation::Distinguishes);
    assert_eq!(
        record.precedents[1].to_line(),
        "7 distinguishes: the account was a parody"
    );
    assert_eq!(record.precedents[0].to_line(), "12 follows");
    assert_eq!(
        record.recommendations,
        ["Publish the exception.", "Tell users why."]
    );
    for bad in ["twelve follows", "12", "12 overrules", "7 distinguishes"] {
        assert!(
            DecisionRecord::from_form(CaseId(9), "", bad, "").is_err(),
            "{bad}"
        );
    }
    assert!(DecisionRecord::from_form(CaseId(9), "hs 2", "", "").is_err());
}
