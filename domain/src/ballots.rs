//! The ballots: motions, votes, recusals, panels, rules changes, opinions,
//! decisions and answers as the log has made them so far, and the rule of
//! each kind that decides whether the next entry may join it. Above the
//! statements (`voting`, `decisions`, `cases`, `panels`, `members`), below
//! the one rule engine that pairs them with the membership
//! ([`crate::ledger`]).

use crate::decisions::{
    AnswerBody, CaseRecord, DecisionBody, DecisionRecord, MotionOutcome, OpinionBody, OpinionKind,
    answer_text, answers_due,
};
use crate::members::{MemberStatus, Role, Roll};
use crate::statement::{CaseId, MemberId, MotionId, SignedStatement, StatementKind};
use crate::voting::{
    BallotError, CloseReason, ClosingBody, CommitmentBody, Facts, MotionBody, MotionDraft,
    MotionRecord, Outcome, RollMember, Rules, RulesChangeBody, VoteBody, check_closing, commitment,
    eligible_roll, rules_change_reason, tally,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The council's motions and votes replayed from its log, alongside the
/// membership [`Roll`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ballots {
    motions: HashMap<MotionId, MotionRecord>,
    recusals: HashMap<CaseId, BTreeSet<MemberId>>,
    /// The rules in force; `None` until a change: the initial rules.
    rules: Option<Rules>,
    /// Per case: its motions, vote entries, opinions, decision and answers.
    pub(crate) cases: HashMap<CaseId, CaseRecord>,
    /// Per case: its panel, if the chair assigned one.
    panels: HashMap<CaseId, Vec<MemberId>>,
}

fn parse<T: serde::de::DeserializeOwned>(statement: &SignedStatement) -> Result<T, BallotError> {
    serde_json::from_value(statement.statement.body.clone()).map_err(|e| BallotError::Body {
        kind: statement.statement.kind,
        why: e.to_string(),
    })
}

impl Ballots {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn motion(&self, id: MotionId) -> Option<&MotionRecord> {
        self.motions.get(&id)
    }

    /// Every motion opened so far.
    pub fn motions(&self) -> impl Iterator<Item = &MotionRecord> {
        self.motions.values()
    }

    /// The rules in force at this point of the log.
    pub fn rules(&self) -> Rules {
        self.rules.unwrap_or_else(Rules::initial)
    }

    /// What the log says about `case`'s decision so far.
    pub fn case(&self, id: CaseId) -> Option<&CaseRecord> {
        self.cases.get(&id)
    }

    /// Every published decision: (case, body).
    pub fn decisions(&self) -> impl Iterator<Item = (CaseId, &crate::decisions::DecisionBody)> {
        self.cases
            .iter()
            .filter_map(|(id, c)| c.decision.as_ref().map(|d| (*id, d)))
    }

    /// The motions of `case`, ordered by id.
    pub(crate) fn case_motions(&self, case: CaseId) -> impl Iterator<Item = &MotionRecord> {
        self.cases
            .get(&case)
            .into_iter()
            .flat_map(|c| c.motions.iter())
            .filter_map(|id| self.motions.get(id))
    }

    pub(crate) fn case_record(&mut self, case: CaseId) -> &mut CaseRecord {
        self.cases.entry(case).or_default()
    }

    /// The members recused from `case` so far.
    pub fn recused(&self, case: CaseId) -> BTreeSet<MemberId> {
        self.recusals.get(&case).cloned().unwrap_or_default()
    }

    /// Applies the entry `entry` (whose signature has been checked and which
    /// `roll`, before applying it, accepted) or says why it breaks the
    /// voting rules. A refused entry changes nothing.
    pub fn apply(
        &mut self,
        index: u64,
        roll: &Roll,
        statement: &SignedStatement,
        entry: &[u8],
    ) -> Result<(), BallotError> {
        self.apply_with(index, roll, statement, entry, &Facts::default())
    }

    /// [`Self::apply`], given what the server knows of the act beyond the
    /// log ([`Facts`]): the one decision on every motion, vote, closing,
    /// recusal, opinion, decision, answer, panel and rules change, made by
    /// storage before it appends and by replay alike.
    pub fn apply_with(
        &mut self,
        index: u64,
        roll: &Roll,
        statement: &SignedStatement,
        entry: &[u8],
        facts: &Facts<'_>,
    ) -> Result<(), BallotError> {
        let subject = &statement.statement.subject;
        let by_log_key = roll.is_log_key(&statement.signer);
        if statement.statement.kind == StatementKind::RulesChange {
            return self.change_rules(roll, statement);
        }
        chair_act(roll, statement, facts)?;
        let (case, motion_id) = match (subject.case, subject.motion) {
            (Some(case), Some(motion)) => (case, motion),
            (Some(case), None) => {
                return match statement.statement.kind {
                    StatementKind::Recusal => {
                        let body: crate::cases::RecusalBody = parse(statement)?;
                        if crate::cases::recusal_reason(&body.reason).ok().as_deref()
                            != Some(body.reason.as_str())
                        {
                            return Err(BallotError::Body {
                                kind: StatementKind::Recusal,
                                why: "the reason is empty, too long or not trimmed".to_owned(),
                            });
                        }
                        let member = subject.member.ok_or(BallotError::NotByMember)?;
                        if !self.recusals.entry(case).or_default().insert(member) {
                            return Err(BallotError::AlreadyRecused { member, case });
                        }
                        Ok(())
                    }
                    StatementKind::Opinion => self.apply_opinion(index, case, statement),
                    StatementKind::Decision => self.apply_decision(case, statement),
                    StatementKind::RecommendationAnswer if by_log_key => {
                        self.apply_answer(index, case, statement)
                    }
                    StatementKind::PanelAssignment => self.assign_panel(roll, case, statement),
                    StatementKind::RecommendationAnswer => Err(BallotError::NotByLogKey),
                    _ => Ok(()),
                };
            }
            _ => return Ok(()),
        };
        match statement.statement.kind {
            StatementKind::MotionOpening => {
                if self.motions.contains_key(&motion_id) {
                    return Err(BallotError::MotionReused(motion_id));
                }
                if self.cases.get(&case).is_some_and(|c| c.decision.is_some()) {
                    return Err(BallotError::AlreadyDecided(case));
                }
                let body: MotionBody = parse(statement)?;
                body.rules.check().map_err(|why| BallotError::Body {
                    kind: StatementKind::MotionOpening,
                    why,
                })?;
                MotionDraft::new(body.kind, &body.text, &body.remedies)
                    .and_then(|draft| draft.with_effect(body.effect))
                    .ok()
                    .filter(|draft| draft.text == body.text && draft.remedies == body.remedies)
                    .ok_or_else(|| BallotError::Body {
                        kind: StatementKind::MotionOpening,
                        why: "the motion's text, remedies or effect are not well formed".to_owned(),
                    })?;
                let window = body.closes_at.saturating_sub(body.opens_at);
                if window <= 0 || window > i64::from(body.rules.window_hours) * 3600 {
                    return Err(BallotError::Body {
                        kind: StatementKind::MotionOpening,
                        why: "the voting window is empty or longer than the rules allow".to_owned(),
                    });
                }
                if body.rules != self.rules() {
                    return Err(BallotError::WrongRules(motion_id));
                }
                if body.roll != self.opening_roll(roll, case) {
                    return Err(BallotError::WrongRoll(motion_id));
                }
                if body.roll.is_empty() {
                    return Err(BallotError::EmptyRoll(motion_id));
                }
                self.case_record(case).motions.insert(motion_id);
                self.motions.insert(
                    motion_id,
                    MotionRecord {
                        id: motion_id,
                        case,
                        body,
                        votes: BTreeMap::new(),
                        committed: BTreeMap::new(),
                        pending: HashMap::new(),
                        closing: None,
                    },
                );
                Ok(())
            }
            StatementKind::VoteCommitment => {
                let member = subject.member.ok_or(BallotError::NoCommitment)?;
                let record = self.open_motion(case, motion_id, member, true)?;
                record.check_arrival(facts)?;
                let body: CommitmentBody = parse(statement)?;
                if let Some(vote) = facts.sealed_vote {
                    // The vote this commitment commits to, which the server
                    // keeps until the close, must be revealed then: tried
                    // now on a copy of the motion, with the same rules.
                    let vote_entry = vote
                        .to_entry()
                        .map_err(|_| BallotError::NotTheCommittedVote)?;
                    let commits = vote.statement.kind == StatementKind::Vote
                        && vote.statement.origin == statement.statement.origin
                        && vote.statement.subject == *subject
                        && vote.signer == statement.signer
                        && body.commitment == commitment(&vote_entry);
                    if !commits {
                        return Err(BallotError::NotTheCommittedVote);
                    }
                    // Revealed right after this commitment, the vote would
                    // match it (same member, key and sequence, its hash);
                    // what is left is its body.
                    record.check_commitment(member, &body)?;
                    let ballot: VoteBody = parse(vote)?;
                    if ballot.sequence != body.sequence {
                        return Err(BallotError::NotTheCommittedVote);
                    }
                    record.check_ballot(&ballot)?;
                }
                record.commit(member, statement.signer, body)?;
                self.case_record(case).votes.insert(index);
                Ok(())
            }
            StatementKind::Vote => {
                let member = subject.member.ok_or(BallotError::NoCommitment)?;
                // A sealed vote is revealed at close: it was committed while
                // the member was eligible, whatever happened since.
                let sealed = self
                    .motions
                    .get(&motion_id)
                    .is_some_and(|m| m.body.rules.sealed);
                if !sealed {
                    match roll.member(member) {
                        Some(record) if record.status != MemberStatus::Active => {
                            return Err(BallotError::MemberInactive(member));
                        }
                        _ if !roll.signs_now(member, &statement.signer) => {
                            return Err(BallotError::NotSignedByValidKey(member));
                        }
                        _ => {}
                    }
                }
                let record = self.open_motion(case, motion_id, member, !sealed)?;
                if !sealed {
                    record.check_arrival(facts)?;
                }
                record.cast(member, statement.signer, parse(statement)?, entry)?;
                self.case_record(case).votes.insert(index);
                Ok(())
            }
            StatementKind::MotionClosing => {
                if !by_log_key {
                    return Err(BallotError::NotByLogKey);
                }
                let body: ClosingBody = parse(statement)?;
                let recused = self.recused(case);
                let record = self
                    .motions
                    .get_mut(&motion_id)
                    .ok_or(BallotError::UnknownMotion(motion_id))?;
                if record.case != case {
                    return Err(BallotError::WrongCase(motion_id));
                }
                if record.closing.is_some() {
                    return Err(BallotError::MotionClosed(motion_id));
                }
                if !record.pending.is_empty() {
                    return Err(BallotError::MissingReveal {
                        motion: motion_id,
                        missing: record.pending.len(),
                    });
                }
                check_closing(
                    motion_id,
                    &record.body,
                    &recused,
                    |member| record.votes.contains_key(&member),
                    body.reason,
                    body.closed_at,
                )?;
                if tally(&record.body, &record.choices()) != body.tally {
                    return Err(BallotError::TallyMismatch(motion_id));
                }
                record.closing = Some(body);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The roll a motion of `case` opened now must have: the eligible
    /// members (active, holding a key, voting roles) not recused from the
    /// case, narrowed to its panel if it has one.
    pub fn opening_roll(&self, roll: &Roll, case: CaseId) -> Vec<RollMember> {
        crate::panels::panel_roll(
            eligible_roll(roll, &self.recused(case)),
            self.panels.get(&case).map(Vec::as_slice),
        )
    }

    /// The members eligible for a panel of `case`: active, holding a key,
    /// voting roles, not recused.
    pub fn panel_candidates(&self, roll: &Roll, case: CaseId) -> Vec<RollMember> {
        eligible_roll(roll, &self.recused(case))
    }

    /// Whether motion `id` of `case` may be closed for `reason` at
    /// `closed_at` once its pending commitments are revealed (storage
    /// reveals them all just before the closing): [`check_closing`], asked
    /// before anything is appended, so that a refused closing leaves
    /// nothing behind.
    pub fn may_close(
        &self,
        case: CaseId,
        id: MotionId,
        reason: CloseReason,
        closed_at: i64,
    ) -> Result<(), BallotError> {
        let record = self
            .motions
            .get(&id)
            .ok_or(BallotError::UnknownMotion(id))?;
        if record.case != case {
            return Err(BallotError::WrongCase(id));
        }
        if record.closing.is_some() {
            return Err(BallotError::MotionClosed(id));
        }
        let committed: BTreeSet<MemberId> = record.pending.values().map(|(m, _, _)| *m).collect();
        check_closing(
            id,
            &record.body,
            &self.recused(case),
            |member| record.votes.contains_key(&member) || committed.contains(&member),
            reason,
            closed_at,
        )
    }

    /// A panel for `case`: eligible members covering every group, before
    /// the decision. Motions opened from now on are voted by the panel.
    fn assign_panel(
        &mut self,
        roll: &Roll,
        case: CaseId,
        statement: &SignedStatement,
    ) -> Result<(), BallotError> {
        if self.cases.get(&case).is_some_and(|c| c.decision.is_some()) {
            return Err(BallotError::AlreadyDecided(case));
        }
        if self.case_motions(case).next().is_some() {
            return Err(BallotError::PanelAfterVoting(case));
        }
        let body: crate::panels::PanelBody = parse(statement)?;
        let eligible = self.panel_candidates(roll, case);
        let checked = crate::panels::check_panel(&body.members, &eligible).map_err(|why| {
            BallotError::Body {
                kind: StatementKind::PanelAssignment,
                why,
            }
        })?;
        if checked != body.members {
            return Err(BallotError::Body {
                kind: StatementKind::PanelAssignment,
                why: "the panel is not in ascending order".to_owned(),
            });
        }
        self.panels.insert(case, checked);
        Ok(())
    }

    /// The panel of `case`, if one was assigned.
    pub fn panel(&self, case: CaseId) -> Option<&[MemberId]> {
        self.panels.get(&case).map(Vec::as_slice)
    }

    /// A rules change: by an active admin's own key, the next version,
    /// rules that can be used.
    fn change_rules(
        &mut self,
        roll: &Roll,
        statement: &SignedStatement,
    ) -> Result<(), BallotError> {
        let admin = roll
            .key_owner(&statement.signer)
            .filter(|m| {
                m.role == Role::Admin
                    && m.status == MemberStatus::Active
                    && m.active_key() == Some(&statement.signer)
            })
            .is_some();
        if !admin {
            return Err(BallotError::NotByAdmin);
        }
        let body: RulesChangeBody = parse(statement)?;
        let invalid = |why: String| BallotError::Body {
            kind: StatementKind::RulesChange,
            why,
        };
        body.rules.check().map_err(invalid)?;
        if rules_change_reason(&body.reason).ok().as_deref() != Some(body.reason.as_str()) {
            return Err(invalid(
                "the reason is empty, too long or not trimmed".to_owned(),
            ));
        }
        let expected = self.rules().version + 1;
        if body.rules.version != expected
            || statement.statement.subject.rules_version != Some(body.rules.version)
        {
            return Err(BallotError::RulesVersion { expected });
        }
        self.rules = Some(body.rules);
        Ok(())
    }

    /// The open motion `id` of `case`, if `member` is on its roll (and, with
    /// `check_recusal`, has not recused since).
    fn open_motion(
        &mut self,
        case: CaseId,
        id: MotionId,
        member: MemberId,
        check_recusal: bool,
    ) -> Result<&mut MotionRecord, BallotError> {
        let recused = check_recusal
            && self
                .recusals
                .get(&case)
                .is_some_and(|set| set.contains(&member));
        let record = self
            .motions
            .get_mut(&id)
            .ok_or(BallotError::UnknownMotion(id))?;
        if record.case != case {
            return Err(BallotError::WrongCase(id));
        }
        if record.closing.is_some() {
            return Err(BallotError::MotionClosed(id));
        }
        if !record.body.on_roll(member) {
            return Err(BallotError::NotOnRoll { member, motion: id });
        }
        if recused {
            return Err(BallotError::Recused { member, case });
        }
        Ok(record)
    }
}

fn invalid(kind: StatementKind, why: &str) -> BallotError {
    BallotError::Body {
        kind,
        why: why.to_owned(),
    }
}

impl Ballots {
    /// An opinion: by a member who voted on the case, once all its motions
    /// are closed and before the decision is published.
    pub(crate) fn apply_opinion(
        &mut self,
        index: u64,
        case: CaseId,
        statement: &SignedStatement,
    ) -> Result<(), BallotError> {
        let kind = StatementKind::Opinion;
        let member = statement
            .statement
            .subject
            .member
            .ok_or(BallotError::NotByMember)?;
        let body: OpinionBody = parse(statement)?;
        if !body.well_formed() {
            return Err(invalid(
                kind,
                "the text is empty, too long or not trimmed, or the authors are not ordered and distinct",
            ));
        }
        self.ready_for_decision(case)?;
        if self.recused(case).contains(&member) {
            return Err(BallotError::Recused { member, case });
        }
        let voted = self
            .case_motions(case)
            .any(|m| m.votes.contains_key(&member));
        if !voted {
            return Err(BallotError::NotAVoter { member, case });
        }
        if body.opinion == OpinionKind::Majority {
            if !body.authors.contains(&member) {
                return Err(BallotError::NotAnAuthor(member));
            }
            let signed = self.cases.get(&case).is_some_and(|record| {
                record
                    .opinions
                    .iter()
                    .any(|(_, by, o)| *by == member && o.opinion == OpinionKind::Majority)
            });
            if signed {
                return Err(BallotError::AlreadySigned { member, case });
            }
        }
        self.case_record(case).opinions.push((index, member, body));
        Ok(())
    }

    /// A decision: by the chair, once, over closed motions, naming every
    /// motion's outcome, every vote and every opinion on the case, with a
    /// majority rationale signed by each of its authors.
    pub(crate) fn apply_decision(
        &mut self,
        case: CaseId,
        statement: &SignedStatement,
    ) -> Result<(), BallotError> {
        let kind = StatementKind::Decision;
        let body: DecisionBody = parse(statement)?;
        let digest_well_formed = body.case_digest.as_deref().is_some_and(|digest| {
            crate::hex::decode(digest)
                .is_some_and(|b| b.len() == 32 && crate::hex::encode(&b) == digest)
        });
        if !digest_well_formed {
            return Err(invalid(
                kind,
                "the decision has no case digest (32 bytes of lower-case hex)",
            ));
        }
        self.ready_for_decision(case)?;
        let outcomes: Vec<MotionOutcome> = self
            .case_motions(case)
            .map(|m| MotionOutcome {
                motion: m.id,
                outcome: m
                    .closing
                    .as_ref()
                    .map_or(Outcome::NoDecision, |c| c.tally.outcome),
            })
            .collect();
        if body.motions != outcomes {
            return Err(invalid(
                kind,
                "the motions or their outcomes are not the log's",
            ));
        }
        let record = self.cases.get(&case).cloned().unwrap_or_default();
        if body.votes != record.votes.iter().copied().collect::<Vec<_>>() {
            return Err(BallotError::VotesLeftOut(case));
        }
        let opinions: Vec<u64> = record.opinions.iter().map(|(i, _, _)| *i).collect();
        if body.opinions != opinions {
            return Err(BallotError::OpinionsLeftOut(case));
        }
        let majority: Vec<&(u64, MemberId, OpinionBody)> = record
            .opinions
            .iter()
            .filter(|(_, _, o)| o.opinion == OpinionKind::Majority)
            .collect();
        let rationale = majority
            .first()
            .map(|(_, _, o)| o)
            .ok_or(BallotError::NoRationale(case))?;
        let signers: BTreeSet<MemberId> = majority.iter().map(|(_, m, _)| *m).collect();
        let same_text = majority.iter().all(|(_, _, o)| o == rationale);
        if !same_text || signers != rationale.authors.iter().copied().collect() {
            return Err(BallotError::RationaleUnsigned(case));
        }
        let normalised = DecisionRecord::new(
            case,
            &body.record.clauses,
            &body.record.precedents,
            &body.record.recommendations,
        )
        .map_err(|why| invalid(kind, &why))?;
        if normalised != body.record {
            return Err(invalid(
                kind,
                "the clauses, precedents or recommendations are not well formed",
            ));
        }
        for precedent in &body.record.precedents {
            let published = self
                .cases
                .get(&precedent.case)
                .is_some_and(|c| c.decision.is_some());
            if !published {
                return Err(BallotError::UnknownPrecedent(precedent.case));
            }
        }
        let due = (!body.record.recommendations.is_empty()).then(|| answers_due(body.published_at));
        if body.answers_due != due {
            return Err(invalid(
                kind,
                "the answers' due date is not 60 days after publication",
            ));
        }
        self.case_record(case).decision = Some(body);
        Ok(())
    }

    /// An answer to a published recommendation (log key).
    pub(crate) fn apply_answer(
        &mut self,
        index: u64,
        case: CaseId,
        statement: &SignedStatement,
    ) -> Result<(), BallotError> {
        let kind = StatementKind::RecommendationAnswer;
        let body: AnswerBody = parse(statement)?;
        let record = self.case_record(case);
        let count = record
            .decision
            .as_ref()
            .ok_or(BallotError::NotDecided(case))?
            .record
            .recommendations
            .len();
        let number = body.recommendation as usize;
        if number == 0 || number > count {
            return Err(BallotError::UnknownRecommendation {
                case,
                number: body.recommendation,
            });
        }
        if answer_text(&body.text).as_deref() != Ok(body.text.as_str()) {
            return Err(invalid(kind, "the text is empty, too long or not trimmed"));
        }
        record.answers.push((index, body));
        Ok(())
    }

    /// The case has motions, all closed, and no decision yet.
    fn ready_for_decision(&self, case: CaseId) -> Result<(), BallotError> {
        if self.cases.get(&case).is_some_and(|c| c.decision.is_some()) {
            return Err(BallotError::AlreadyDecided(case));
        }
        let mut motions = self.case_motions(case).peekable();
        if motions.peek().is_none() {
            return Err(BallotError::NoMotions(case));
        }
        if let Some(open) = motions.find(|m| m.closing.is_none()) {
            return Err(BallotError::MotionOpen(open.id));
        }
        Ok(())
    }
}

/// How long before it reaches the server a chair's act may be dated: the
/// server prepares the act with the time, the chair unlocks their key and
/// signs it in the browser, and sends it back (seconds, usually).
pub const SIGNING_WINDOW: i64 = 600;

/// How far ahead of the server's clock a chair's act may be dated (clocks
/// of several server instances differ a little).
pub const CLOCK_SKEW: i64 = 60;

/// The rules every chair's act (a motion's opening, a panel, a decision)
/// shares, beyond its signer being an active chair's valid key (the
/// membership's rule): the body's `by` names the member who signed it; and
/// (server only: [`Facts::arrived_at`]) the time it carries, `opens_at` or
/// `published_at`, is when it reached the server, within
/// [`SIGNING_WINDOW`] before and [`CLOCK_SKEW`] after.
fn chair_act(
    roll: &Roll,
    statement: &SignedStatement,
    facts: &Facts<'_>,
) -> Result<(), BallotError> {
    let time_field = match statement.statement.kind {
        StatementKind::MotionOpening => Some("opens_at"),
        StatementKind::Decision => Some("published_at"),
        StatementKind::PanelAssignment => None,
        _ => return Ok(()),
    };
    let body = &statement.statement.body;
    let signer = roll.key_owner(&statement.signer).map(|record| record.id.0);
    if let Some(by) = body.get("by").and_then(serde_json::Value::as_u64)
        && Some(by) != signer
    {
        return Err(BallotError::NotTheSigner);
    }
    if let (Some(field), Some(arrived)) = (time_field, facts.arrived_at)
        && let Some(at) = body.get(field).and_then(serde_json::Value::as_i64)
        && !(arrived - SIGNING_WINDOW..=arrived + CLOCK_SKEW).contains(&at)
    {
        return Err(BallotError::StaleTime { at, arrived });
    }
    Ok(())
}
