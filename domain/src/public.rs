//! The public record of a decision, and how a reader checks it against the
//! log.
//!
//! [`PublishedDecision`] is what the public pages, the JSON API and the bulk
//! export present for one decision: the case, its lifecycle, every motion
//! with its tally and every vote, the signed opinions and the platform's
//! answers. It is what the *server* says. [`check_published`] compares each
//! of those claims with a log that [`crate::verify::verify_log`] has already
//! verified (signatures, each signer's key at that position, tallies
//! recomputed under the rules in force), and returns one line per check, so
//! that the browser's "Verify" button and `tribune verify` report the same
//! thing: a vote shown with another choice than the one its member signed, a
//! vote or dissent left off the page, or a tally that is not the one the
//! votes give, is a failed line naming the log entry.

use crate::cases::{CaseFields, CaseId, CaseStatus};
use crate::decisions::{AnswerBody, DecisionBody, OpinionBody, OpinionKind};
use crate::merkle::{self, MerkleHash};
use crate::statement::{MemberId, MotionId, SignedStatement, StatementKind};
use crate::verify::LogSummary;
use crate::voting::{ClosingBody, MotionBody, Outcome, Tally, VoteBody, tally};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::collections::BTreeSet;

/// One published decision, as the public record presents it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDecision {
    pub case: CaseId,
    /// The decision statement's log index.
    pub log_index: u64,
    pub fields: CaseFields,
    /// The case's lifecycle, oldest first.
    pub stages: Vec<Stage>,
    pub motions: Vec<PublishedMotion>,
    pub opinions: Vec<PublishedOpinion>,
    /// What the decision statement says (outcomes, the entries it names,
    /// clauses, precedents, recommendations, dates).
    pub decision: DecisionBody,
    pub answers: Vec<PublishedAnswer>,
    /// Public comments the clerk approved.
    pub comments: Vec<PublishedComment>,
}

/// One stage of the case's lifecycle and its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub status: CaseStatus,
    /// Unix seconds.
    pub entered_at: i64,
    /// When the case left the stage; none for the stage it is in.
    pub left_at: Option<i64>,
    pub deadline: Option<i64>,
    /// Whole days past the deadline when it left the stage (0 when on time).
    pub days_late: i64,
    pub reason: Option<String>,
}

impl Stage {
    /// The stages of a case from its transitions `(status, at, reason)`,
    /// oldest first, with each stage's deadline and lateness.
    pub fn from_transitions(transitions: &[(CaseStatus, i64, Option<String>)]) -> Vec<Self> {
        transitions
            .iter()
            .enumerate()
            .map(|(i, (status, at, reason))| {
                let left_at = transitions.get(i + 1).map(|(_, next, _)| *next);
                let deadline = crate::cases::stage_deadline(*status, crate::Timestamp(*at));
                let days_late = match (deadline, left_at) {
                    (Some(deadline), Some(left)) => {
                        crate::cases::days_late(deadline, crate::Timestamp(left))
                    }
                    _ => 0,
                };
                Self {
                    status: *status,
                    entered_at: *at,
                    left_at,
                    deadline: deadline.map(|d| d.0),
                    days_late,
                    reason: reason.clone(),
                }
            })
            .collect()
    }
}

/// A motion with its opening, closing and every vote cast on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMotion {
    pub id: MotionId,
    pub opened_index: u64,
    pub opening: MotionBody,
    pub closed_index: u64,
    pub closing: ClosingBody,
    /// Every vote, replaced ones included, in the order cast.
    pub votes: Vec<PublishedVote>,
}

/// One signed vote as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedVote {
    pub member: MemberId,
    pub member_name: String,
    pub group: String,
    pub sequence: u32,
    pub choice: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The vote's Ed25519 signature, hex.
    pub signature: String,
    /// The vote's log entry (unsealed motions) or its commitment's (sealed).
    pub log_index: u64,
    /// On a sealed motion, where the vote was revealed at close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revealed_index: Option<u64>,
    /// Unix seconds.
    pub cast_at: i64,
    /// Whether this is the member's last vote (the one that counts).
    pub counted: bool,
}

impl PublishedVote {
    /// The entry that holds the signed vote itself.
    pub fn vote_index(&self) -> u64 {
        self.revealed_index.unwrap_or(self.log_index)
    }
}

/// One signed opinion as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedOpinion {
    pub log_index: u64,
    pub member: MemberId,
    pub member_name: String,
    pub body: OpinionBody,
}

/// The platform's answer to a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedAnswer {
    pub log_index: u64,
    pub body: AnswerBody,
}

/// An approved public comment (not in the log: the clerk screens them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedComment {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    pub text: String,
    /// Unix seconds.
    pub submitted_at: i64,
}

/// The stages a decision commits to: every stage of the case but the
/// `published` one itself (whose note names the decision's own log index,
/// unknown when the decision is signed).
pub fn stages_before_publication(stages: &[Stage]) -> &[Stage] {
    match stages.split_last() {
        Some((last, before)) if last.status == CaseStatus::Published => before,
        _ => stages,
    }
}

/// What a `decision` statement commits to about its case beyond the votes:
/// lower-case hex SHA-256 of the RFC 8785 canonical JSON of
/// `{"comments": [...], "fields": {...}, "stages": [...]}`: the case's
/// fields, its stages before publication and its approved public comments,
/// each as the public record (`decisions.jsonl`) writes them.
pub fn case_digest(fields: &CaseFields, stages: &[Stage], comments: &[PublishedComment]) -> String {
    let value = serde_json::json!({
        "comments": comments,
        "fields": fields,
        "stages": stages_before_publication(stages),
    });
    // Plain JSON values always have a canonical form.
    let canonical = crate::canonical::to_canonical_json(&value).unwrap_or_default();
    crate::hex::encode(&sha2::Sha256::digest(canonical.as_bytes()))
}

/// One line of a check: what was checked and whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    pub ok: bool,
    /// The log entry the line is about, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// What was found, in words ([`Finding::english`]); a reader in
    /// another language writes [`CheckLine::finding`] in theirs.
    pub text: String,
    pub finding: Finding,
}

/// Which entries a completeness check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Listed {
    /// Votes and vote commitments.
    Votes,
    Opinions,
}

/// What a line of a check found, with the facts it names: the words are
/// the reader's ([`Finding::english`] here; other languages in the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "kebab-case")]
pub enum Finding {
    /// The log copy verified: its size and the checkpoint signer's name.
    LogVerified {
        entries: u64,
        signer: String,
    },
    /// The log copy did not verify.
    LogFailed {
        problem: String,
    },
    DecisionAsShown {
        case: u64,
        index: u64,
    },
    DecisionDiffers {
        case: u64,
        index: u64,
    },
    NotTheDecision {
        case: u64,
        index: u64,
    },
    Included {
        index: u64,
        size: u64,
        hashes: usize,
        root: String,
    },
    NotIncluded {
        index: u64,
        size: u64,
    },
    NoSuchMotion {
        motion: u64,
    },
    MotionNotAsOpened {
        motion: u64,
    },
    TallyDiffers {
        motion: u64,
        voted: u32,
    },
    TallyRecomputed {
        motion: u64,
        voted: u32,
        eligible: u32,
        rules: u64,
        /// (choice, votes), in the tally's order.
        counts: Vec<(String, u32)>,
        outcome: Outcome,
    },
    VoteMissing {
        sequence: u32,
        member: String,
        motion: u64,
        index: u64,
    },
    VoteAsSigned {
        sequence: u32,
        member: String,
        motion: u64,
        index: u64,
        choice: String,
    },
    VoteDiffers {
        sequence: u32,
        member: String,
        motion: u64,
        index: u64,
        shown: String,
        /// The signed entry's choice, if it is a vote at all.
        signed: Option<String>,
    },
    OpinionAsSigned {
        kind: OpinionKind,
        member: String,
        index: u64,
    },
    OpinionDiffers {
        kind: OpinionKind,
        member: String,
        index: u64,
    },
    NamedNotShown {
        listed: Listed,
        index: u64,
    },
    ShownNotNamed {
        listed: Listed,
        index: u64,
    },
    AllListed {
        listed: Listed,
        count: usize,
    },
    AnswerAsLogged {
        recommendation: u32,
        index: u64,
    },
    AnswerDiffers {
        recommendation: u32,
        index: u64,
    },
    CaseAsCommitted {
        case: u64,
    },
    CaseDiffers {
        case: u64,
    },
}

impl Finding {
    /// The finding in English, as `tribune verify` prints it.
    pub fn english(&self) -> String {
        fn vote(sequence: u32, member: &str, motion: u64, index: u64) -> String {
            format!("Vote {sequence} of {member} on motion {motion} (entry {index})")
        }
        fn opinion(kind: OpinionKind, member: &str, index: u64) -> String {
            let kind = match kind {
                OpinionKind::Majority => "Rationale",
                OpinionKind::Concurrence => "Concurrence",
                OpinionKind::Dissent => "Dissent",
            };
            format!("{kind} signed by {member} (entry {index})")
        }
        fn noun(listed: Listed) -> &'static str {
            match listed {
                Listed::Votes => "vote",
                Listed::Opinions => "opinion",
            }
        }
        match self {
            Self::LogVerified { entries, signer } => format!(
                "The log: {entries} entries, every signature valid and every signer's key valid at its position; checkpoint signed by {signer}."
            ),
            Self::LogFailed { problem } => format!("The log: {problem}."),
            Self::DecisionAsShown { case, index } => format!(
                "Decision on case {case}: entry {index} is the council's signed decision, as shown."
            ),
            Self::DecisionDiffers { case, index } => {
                format!("Decision on case {case}: entry {index} does not say what this page shows.")
            }
            Self::NotTheDecision { case, index } => {
                format!("Decision on case {case}: entry {index} is not its decision.")
            }
            Self::Included {
                index,
                size,
                hashes,
                root,
            } => format!(
                "Included: entry {index} is in the signed checkpoint of {size} entries \
                 (inclusion proof of {hashes} hashes checked against tree head {root})."
            ),
            Self::NotIncluded { index, size } => {
                format!("Included: entry {index} is not in the checkpoint of {size} entries.")
            }
            Self::NoSuchMotion { motion } => {
                format!("Motion {motion}: the log has no such motion on this case.")
            }
            Self::MotionNotAsOpened { motion } => {
                format!("Motion {motion}: the page does not show the motion as it was opened.")
            }
            Self::TallyDiffers { motion, voted } => format!(
                "Motion {motion}: the tally shown is not the one its {voted} counted votes give."
            ),
            Self::TallyRecomputed {
                motion,
                voted,
                eligible,
                rules,
                counts,
                outcome,
            } => {
                let counts = counts
                    .iter()
                    .map(|(choice, n)| format!("{n} {choice}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "Motion {motion}: tally recomputed from {voted} counted votes of {eligible} eligible under rules version {rules}: {counts} — {}, as shown.",
                    outcome.as_str()
                )
            }
            Self::VoteMissing {
                sequence,
                member,
                motion,
                index,
            } => format!(
                "{}: no such entry.",
                vote(*sequence, member, *motion, *index)
            ),
            Self::VoteAsSigned {
                sequence,
                member,
                motion,
                index,
                choice,
            } => format!(
                "{}: signed by the member's key, valid at that point of the log; “{choice}”, as shown.",
                vote(*sequence, member, *motion, *index)
            ),
            Self::VoteDiffers {
                sequence,
                member,
                motion,
                index,
                shown,
                signed,
            } => format!(
                "{}: the page shows “{shown}” but the signed entry says {}.",
                vote(*sequence, member, *motion, *index),
                signed
                    .as_ref()
                    .map_or_else(|| "something else".to_owned(), |c| format!("“{c}”"))
            ),
            Self::OpinionAsSigned {
                kind,
                member,
                index,
            } => format!("{}: text as signed.", opinion(*kind, member, *index)),
            Self::OpinionDiffers {
                kind,
                member,
                index,
            } => format!(
                "{}: the text shown is not the signed text.",
                opinion(*kind, member, *index)
            ),
            Self::NamedNotShown { listed, index } => format!(
                "Every {}: the decision names entry {index}, which this page does not show.",
                noun(*listed)
            ),
            Self::ShownNotNamed { listed, index } => format!(
                "Every {}: this page shows entry {index}, which the decision does not name.",
                noun(*listed)
            ),
            Self::AllListed { listed, count } => format!(
                "Every {}: the page shows all {count} {} the decision names, and no other.",
                noun(*listed),
                match listed {
                    Listed::Votes => "vote and commitment entries",
                    Listed::Opinions => "opinion entries",
                }
            ),
            Self::AnswerAsLogged {
                recommendation,
                index,
            } => format!("Answer to recommendation {recommendation} (entry {index}): as logged."),
            Self::AnswerDiffers {
                recommendation,
                index,
            } => format!(
                "Answer to recommendation {recommendation} (entry {index}): the log says otherwise."
            ),
            Self::CaseAsCommitted { case } => format!(
                "Case {case}: its details, its history up to publication and its approved public comments are those the decision was signed with."
            ),
            Self::CaseDiffers { case } => format!(
                "Case {case}: its details, its history up to publication and its approved public comments differ from those the decision was signed with."
            ),
        }
    }
}

impl CheckLine {
    /// A line with `finding`'s English text.
    pub fn new(ok: bool, index: Option<u64>, finding: Finding) -> Self {
        Self {
            ok,
            index,
            text: finding.english(),
            finding,
        }
    }

    fn pass(index: Option<u64>, finding: Finding) -> Self {
        Self::new(true, index, finding)
    }

    fn fail(index: Option<u64>, finding: Finding) -> Self {
        Self::new(false, index, finding)
    }
}

/// Whether every line of a check held.
pub fn all_ok(lines: &[CheckLine]) -> bool {
    lines.iter().all(|l| l.ok)
}

/// Checks what `shown` claims against the verified log (`summary`, from
/// [`crate::verify::verify_log`] over `entries`). One line per check, in
/// reading order: the decision entry, its inclusion under the checkpoint
/// (when `leaves`, the entries' leaf hashes, are given: a reader checking
/// many decisions has already recomputed the whole tree), each motion's
/// tally, each vote, that no vote is missing, each opinion, that no opinion
/// is missing, each answer.
pub fn check_published(
    summary: &LogSummary,
    entries: &(impl EntryAt + ?Sized),
    leaves: Option<&[MerkleHash]>,
    shown: &PublishedDecision,
) -> Vec<CheckLine> {
    let mut lines = Vec::new();
    let case = shown.case;
    let at = |index: u64| -> Option<SignedStatement> {
        entries
            .entry_at(index)
            .and_then(|e| SignedStatement::from_entry(&e).ok())
    };

    // The decision itself.
    let index = shown.log_index;
    match at(index) {
        Some(s)
            if s.statement.kind == StatementKind::Decision
                && s.statement.subject.case == Some(case) =>
        {
            match serde_json::from_value::<DecisionBody>(s.statement.body.clone()) {
                Ok(body) if body == shown.decision => lines.push(CheckLine::pass(
                    Some(index),
                    Finding::DecisionAsShown {
                        case: case.0,
                        index,
                    },
                )),
                _ => lines.push(CheckLine::fail(
                    Some(index),
                    Finding::DecisionDiffers {
                        case: case.0,
                        index,
                    },
                )),
            }
        }
        _ => lines.push(CheckLine::fail(
            Some(index),
            Finding::NotTheDecision {
                case: case.0,
                index,
            },
        )),
    }

    // Inclusion of the decision under the verified checkpoint.
    if let Some(leaves) = leaves {
        lines.push(inclusion(summary, leaves, index));
    }

    // Motions: the tally shown is the one the log's votes give.
    for motion in &shown.motions {
        lines.push(check_tally(summary, case, motion));
    }

    // Votes: each as signed, and none left off.
    let mut shown_votes = BTreeSet::new();
    for motion in &shown.motions {
        for vote in &motion.votes {
            shown_votes.insert(vote.log_index);
            if let Some(revealed) = vote.revealed_index {
                shown_votes.insert(revealed);
            }
            lines.push(check_vote(&at, case, motion.id, vote));
        }
    }
    lines.push(complete(
        Listed::Votes,
        &shown_votes,
        &shown.decision.votes.iter().copied().collect(),
        index,
    ));

    // Opinions: each as signed, and none left off.
    let mut shown_opinions = BTreeSet::new();
    for opinion in &shown.opinions {
        shown_opinions.insert(opinion.log_index);
        lines.push(check_opinion(&at, case, opinion));
    }
    lines.push(complete(
        Listed::Opinions,
        &shown_opinions,
        &shown.decision.opinions.iter().copied().collect(),
        index,
    ));

    // The platform's answers.
    for answer in &shown.answers {
        let i = answer.log_index;
        let ok = at(i).is_some_and(|s| {
            s.statement.kind == StatementKind::RecommendationAnswer
                && s.statement.subject.case == Some(case)
                && serde_json::from_value::<AnswerBody>(s.statement.body.clone())
                    .is_ok_and(|b| b == answer.body)
        });
        let recommendation = answer.body.recommendation;
        lines.push(if ok {
            CheckLine::pass(
                Some(i),
                Finding::AnswerAsLogged {
                    recommendation,
                    index: i,
                },
            )
        } else {
            CheckLine::fail(
                Some(i),
                Finding::AnswerDiffers {
                    recommendation,
                    index: i,
                },
            )
        });
    }

    // The case, its lifecycle and its public comments, as committed to.
    if let Some(committed) = &shown.decision.case_digest {
        lines.push(
            if *committed == case_digest(&shown.fields, &shown.stages, &shown.comments) {
                CheckLine::pass(Some(index), Finding::CaseAsCommitted { case: case.0 })
            } else {
                CheckLine::fail(Some(index), Finding::CaseDiffers { case: case.0 })
            },
        );
    }
    lines
}

/// The entries [`check_published`] reads for the record `shown`: the
/// decision, each vote (or its reveal), each opinion and each answer. A
/// check that does not hold the whole log keeps these.
pub fn entries_read(shown: &PublishedDecision) -> BTreeSet<u64> {
    let mut read = BTreeSet::from([shown.log_index]);
    for motion in &shown.motions {
        read.extend(motion.votes.iter().map(PublishedVote::vote_index));
    }
    read.extend(shown.opinions.iter().map(|o| o.log_index));
    read.extend(shown.answers.iter().map(|a| a.log_index));
    read
}

/// A verified log's entries by index, as [`check_published`] reads them:
/// held in memory, or read from a copy's tiles as they are needed.
pub trait EntryAt {
    /// Entry `index`, if the log has it.
    fn entry_at(&self, index: u64) -> Option<std::borrow::Cow<'_, [u8]>>;
}

impl EntryAt for [Vec<u8>] {
    fn entry_at(&self, index: u64) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.get(usize::try_from(index).ok()?)
            .map(|e| std::borrow::Cow::Borrowed(e.as_slice()))
    }
}

/// Only some entries, by index (those a check will read).
impl EntryAt for std::collections::BTreeMap<u64, Vec<u8>> {
    fn entry_at(&self, index: u64) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.get(&index)
            .map(|e| std::borrow::Cow::Borrowed(e.as_slice()))
    }
}

impl EntryAt for Vec<Vec<u8>> {
    fn entry_at(&self, index: u64) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.as_slice().entry_at(index)
    }
}

/// The leaf hashes of `entries`, for [`check_published`].
pub fn leaves(entries: &[Vec<u8>]) -> Vec<MerkleHash> {
    entries.iter().map(|e| merkle::leaf_hash(e)).collect()
}

fn inclusion(summary: &LogSummary, leaves: &[MerkleHash], index: u64) -> CheckLine {
    let size = summary.checkpoint.size;
    let root = summary.checkpoint.root;
    let checked = usize::try_from(index)
        .ok()
        .and_then(|i| leaves.get(i))
        .ok_or(())
        .and_then(|leaf| {
            let proof = merkle::inclusion_proof(leaves, index).map_err(|_| ())?;
            merkle::verify_inclusion(leaf, index, size, &proof, &root)
                .map(|()| proof.len())
                .map_err(|_| ())
        });
    match checked {
        Ok(hashes) => CheckLine::pass(
            Some(index),
            Finding::Included {
                index,
                size,
                hashes,
                root: root.to_hex(),
            },
        ),
        Err(()) => CheckLine::fail(Some(index), Finding::NotIncluded { index, size }),
    }
}

fn check_tally(summary: &LogSummary, case: CaseId, motion: &PublishedMotion) -> CheckLine {
    let id = motion.id;
    let index = motion.closed_index;
    let Some(record) = summary.ballots.motion(id).filter(|m| m.case == case) else {
        return CheckLine::fail(
            Some(motion.opened_index),
            Finding::NoSuchMotion { motion: id.0 },
        );
    };
    let recomputed: Tally = tally(&record.body, &record.choices());
    let logged = record.closing.as_ref().map(|c| &c.tally);
    if record.body != motion.opening {
        return CheckLine::fail(
            Some(motion.opened_index),
            Finding::MotionNotAsOpened { motion: id.0 },
        );
    }
    if logged != Some(&recomputed) || motion.closing.tally != recomputed {
        return CheckLine::fail(
            Some(index),
            Finding::TallyDiffers {
                motion: id.0,
                voted: recomputed.voted,
            },
        );
    }
    CheckLine::pass(
        Some(index),
        Finding::TallyRecomputed {
            motion: id.0,
            voted: recomputed.voted,
            eligible: recomputed.eligible,
            rules: record.body.rules.version,
            counts: recomputed
                .counts
                .iter()
                .map(|(choice, n)| (choice.clone(), *n))
                .collect(),
            outcome: recomputed.outcome,
        },
    )
}

fn check_vote(
    at: &impl Fn(u64) -> Option<SignedStatement>,
    case: CaseId,
    motion: MotionId,
    vote: &PublishedVote,
) -> CheckLine {
    let index = vote.vote_index();
    let (sequence, member) = (vote.sequence, vote.member_name.clone());
    let Some(signed) = at(index) else {
        return CheckLine::fail(
            Some(index),
            Finding::VoteMissing {
                sequence,
                member,
                motion: motion.0,
                index,
            },
        );
    };
    let subject = &signed.statement.subject;
    let body = serde_json::from_value::<VoteBody>(signed.statement.body.clone()).ok();
    let matches = signed.statement.kind == StatementKind::Vote
        && subject.case == Some(case)
        && subject.motion == Some(motion)
        && subject.member == Some(vote.member)
        && crate::hex::encode(&signed.signature) == vote.signature.to_ascii_lowercase()
        && body.as_ref().is_some_and(|b| {
            b.choice == vote.choice && b.reason == vote.reason && b.sequence == vote.sequence
        });
    if matches {
        CheckLine::pass(
            Some(index),
            Finding::VoteAsSigned {
                sequence,
                member,
                motion: motion.0,
                index,
                choice: vote.choice.clone(),
            },
        )
    } else {
        CheckLine::fail(
            Some(index),
            Finding::VoteDiffers {
                sequence,
                member,
                motion: motion.0,
                index,
                shown: vote.choice.clone(),
                signed: body.map(|b| b.choice),
            },
        )
    }
}

fn check_opinion(
    at: &impl Fn(u64) -> Option<SignedStatement>,
    case: CaseId,
    opinion: &PublishedOpinion,
) -> CheckLine {
    let index = opinion.log_index;
    let (kind, member) = (opinion.body.opinion, opinion.member_name.clone());
    let ok = at(index).is_some_and(|s| {
        s.statement.kind == StatementKind::Opinion
            && s.statement.subject.case == Some(case)
            && s.statement.subject.member == Some(opinion.member)
            && serde_json::from_value::<OpinionBody>(s.statement.body.clone())
                .is_ok_and(|b| b == opinion.body)
    });
    if ok {
        CheckLine::pass(
            Some(index),
            Finding::OpinionAsSigned {
                kind,
                member,
                index,
            },
        )
    } else {
        CheckLine::fail(
            Some(index),
            Finding::OpinionDiffers {
                kind,
                member,
                index,
            },
        )
    }
}

/// That the page shows exactly the entries the decision names.
fn complete(
    listed: Listed,
    shown: &BTreeSet<u64>,
    named: &BTreeSet<u64>,
    decision: u64,
) -> CheckLine {
    if let Some(missing) = named.difference(shown).next() {
        return CheckLine::fail(
            Some(*missing),
            Finding::NamedNotShown {
                listed,
                index: *missing,
            },
        );
    }
    if let Some(extra) = shown.difference(named).next() {
        return CheckLine::fail(
            Some(*extra),
            Finding::ShownNotNamed {
                listed,
                index: *extra,
            },
        );
    }
    CheckLine::pass(
        Some(decision),
        Finding::AllListed {
            listed,
            count: named.len(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::Checkpoint;
    use crate::voting::tests::Council;

    /// Case 1 voted (members 1–4 support, 5 opposes), with a rationale, a
    /// dissent, published; the log verified under a fresh checkpoint.
    fn published() -> (Council, LogSummary, PublishedDecision) {
        let mut council = crate::decisions::tests::voted();
        council.opinion(2, OpinionKind::Majority, &[2]).unwrap();
        council.opinion(5, OpinionKind::Dissent, &[]).unwrap();
        let mut decision = council.decision(1);
        decision.case_digest = Some(case_digest(&shown_fields(), &[], &[]));
        council.publish(1, &decision).unwrap();
        let leaves: Vec<MerkleHash> = council
            .entries
            .iter()
            .map(|e| merkle::leaf_hash(e))
            .collect();
        let checkpoint = Checkpoint {
            origin: council.origin.clone(),
            size: leaves.len() as u64,
            root: merkle::root(&leaves),
            extensions: vec![],
        }
        .sign(&council.signer)
        .unwrap();
        let summary = crate::verify::verify_log(
            &council.origin,
            &council.signer.verifier(),
            checkpoint.as_bytes(),
            &council.entries,
            |_| {},
        )
        .unwrap();
        let shown = honest_record(&council.entries);
        (council, summary, shown)
    }

    /// Case 1's fields as its record shows them.
    fn shown_fields() -> CaseFields {
        CaseFields {
            kind: crate::cases::CaseKind::Content,
            subject_handle: "@someone".to_owned(),
            subject_link: None,
            excerpt: None,
            audience: 10,
            tier: crate::cases::Tier::for_audience(10),
            original_action: crate::cases::PlatformAction::Removed,
            clauses: vec![],
            reason: "Escalated.".to_owned(),
        }
    }

    /// The record of case 1 as an honest server would show it, read from
    /// the entries.
    fn honest_record(entries: &[Vec<u8>]) -> PublishedDecision {
        let mut openings = Vec::new();
        let mut votes = Vec::new();
        let mut closings = std::collections::HashMap::new();
        let mut opinions = Vec::new();
        let mut decision = None;
        for (index, entry) in (0u64..).zip(entries) {
            let signed = SignedStatement::from_entry(entry).unwrap();
            let subject = signed.statement.subject.clone();
            let body = signed.statement.body.clone();
            match signed.statement.kind {
                StatementKind::MotionOpening => openings.push((
                    subject.motion.unwrap(),
                    index,
                    serde_json::from_value::<MotionBody>(body).unwrap(),
                )),
                StatementKind::Vote => {
                    let vote: VoteBody = serde_json::from_value(body).unwrap();
                    let member = subject.member.unwrap();
                    votes.push((
                        subject.motion.unwrap(),
                        PublishedVote {
                            member,
                            member_name: format!("Member {}", member.0),
                            group: String::new(),
                            sequence: vote.sequence,
                            choice: vote.choice,
                            reason: vote.reason,
                            signature: crate::hex::encode(&signed.signature),
                            log_index: index,
                            revealed_index: None,
                            cast_at: 0,
                            counted: true,
                        },
                    ));
                }
                StatementKind::MotionClosing => {
                    let closing: ClosingBody = serde_json::from_value(body).unwrap();
                    closings.insert(subject.motion.unwrap(), (index, closing));
                }
                StatementKind::Opinion => opinions.push(PublishedOpinion {
                    log_index: index,
                    member: subject.member.unwrap(),
                    member_name: "Member".to_owned(),
                    body: serde_json::from_value(body).unwrap(),
                }),
                StatementKind::Decision => {
                    decision = Some((index, serde_json::from_value(body).unwrap()));
                }
                _ => {}
            }
        }
        let motions = openings
            .into_iter()
            .map(|(id, opened_index, opening)| {
                let (closed_index, closing) = closings.remove(&id).unwrap();
                PublishedMotion {
                    id,
                    opened_index,
                    opening,
                    closed_index,
                    closing,
                    votes: votes
                        .iter()
                        .filter(|(m, _)| *m == id)
                        .map(|(_, v)| v.clone())
                        .collect(),
                }
            })
            .collect();
        let (log_index, decision) = decision.unwrap();
        PublishedDecision {
            case: CaseId(1),
            log_index,
            fields: shown_fields(),
            stages: vec![],
            motions,
            opinions,
            decision,
            answers: vec![],
            comments: vec![],
        }
    }

    #[test]
    fn the_case_digest_covers_the_case_as_shown_but_not_its_publication_note() {
        let (_, _, shown) = published();
        let stage = |status, at, reason: Option<&str>| Stage {
            status,
            entered_at: at,
            left_at: None,
            deadline: None,
            days_late: 0,
            reason: reason.map(str::to_owned),
        };
        let before = vec![
            stage(CaseStatus::Intake, 1, None),
            stage(CaseStatus::Decided, 2, None),
        ];
        let mut after = before.clone();
        after.push(stage(
            CaseStatus::Published,
            3,
            Some("Decision published (log entry 9)."),
        ));
        let comments = vec![PublishedComment {
            name: "K. Alvarez".to_owned(),
            affiliation: None,
            text: "A comment.".to_owned(),
            submitted_at: 1,
        }];
        let digest = case_digest(&shown.fields, &before, &comments);
        assert_eq!(digest.len(), 64);
        // The published stage, whose note names the decision's own entry, is
        // left out; everything else counts.
        assert_eq!(case_digest(&shown.fields, &after, &comments), digest);
        let mut fields = shown.fields.clone();
        fields.tier = crate::cases::Tier::VeryProminent;
        assert_ne!(case_digest(&fields, &before, &comments), digest);
        assert_ne!(case_digest(&shown.fields, &before[..1], &comments), digest);
        assert_ne!(case_digest(&shown.fields, &before, &[]), digest);
    }

    #[test]
    fn a_record_that_differs_from_its_case_digest_fails_at_the_decision() {
        let (council, summary, mut shown) = published();
        let index = shown.log_index;
        shown.fields.audience += 1;
        let lines = check_published(&summary, &council.entries, None, &shown);
        let failed = failures(&lines);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Some(index));
    }

    fn failures(lines: &[CheckLine]) -> Vec<(Option<u64>, &str)> {
        lines
            .iter()
            .filter(|l| !l.ok)
            .map(|l| (l.index, l.text.as_str()))
            .collect()
    }

    /// Holding only the entries `entries_read` names (as the browser does,
    /// which streams the log) gives the very same check, honest or not.
    #[test]
    fn the_entries_a_check_reads_are_enough_for_it() {
        let (council, summary, shown) = published();
        let kept = |shown: &PublishedDecision| -> std::collections::BTreeMap<u64, Vec<u8>> {
            entries_read(shown)
                .into_iter()
                .map(|i| (i, council.entries[i as usize].clone()))
                .collect()
        };
        let leaves = leaves(&council.entries);
        let mut altered = shown.clone();
        altered.opinions[0].body.text.push('!');
        for shown in [&shown, &altered] {
            assert_eq!(
                check_published(&summary, &kept(shown), Some(&leaves), shown),
                check_published(&summary, &council.entries, Some(&leaves), shown),
            );
        }
    }

    #[test]
    fn an_honest_record_passes_every_check() {
        let (council, summary, shown) = published();
        let lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &shown,
        );
        assert!(all_ok(&lines), "{:?}", failures(&lines));
        // Decision, inclusion, one tally, five votes, all votes, two
        // opinions, all opinions, the case as committed to.
        assert_eq!(lines.len(), 1 + 1 + 1 + 5 + 1 + 2 + 1 + 1);
        assert!(lines[1].text.starts_with("Included: entry"));
        assert!(lines[2].text.contains("4 support"), "{}", lines[2].text);
    }

    #[test]
    fn a_vote_shown_with_another_choice_fails_at_its_entry() {
        let (council, summary, mut shown) = published();
        let vote = &mut shown.motions[0].votes[4];
        let index = vote.log_index;
        vote.choice = "support".to_owned();
        let lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &shown,
        );
        let failed = failures(&lines);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Some(index));
        assert!(
            failed[0].1.contains("the signed entry says “oppose”"),
            "{}",
            failed[0].1
        );
    }

    #[test]
    fn a_hidden_vote_or_dissent_fails() {
        let (council, summary, shown) = published();
        let mut hidden_vote = shown.clone();
        let dropped = hidden_vote.motions[0].votes.remove(4).log_index;
        let failed_lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &hidden_vote,
        );
        let failed = failures(&failed_lines);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Some(dropped));

        let mut hidden_dissent = shown;
        let dissent = hidden_dissent.opinions.pop().unwrap().log_index;
        let failed_lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &hidden_dissent,
        );
        let failed = failures(&failed_lines);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Some(dissent));
        assert!(failed[0].1.contains("does not show"));
    }

    #[test]
    fn a_changed_tally_text_or_decision_fails() {
        let (council, summary, shown) = published();
        let mut tally = shown.clone();
        *tally.motions[0]
            .closing
            .tally
            .counts
            .get_mut("support")
            .unwrap() -= 1;
        assert!(!all_ok(&check_published(
            &summary,
            &council.entries,
            None,
            &tally
        )));

        let mut text = shown.clone();
        text.opinions[1].body.text.push_str(" Edited.");
        let failed_lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &text,
        );
        assert_eq!(failures(&failed_lines).len(), 1);

        let mut decision = shown;
        decision.decision.published_at += 1;
        let failed_lines = check_published(
            &summary,
            &council.entries,
            Some(&leaves(&council.entries)),
            &decision,
        );
        let failed = failures(&failed_lines);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, Some(decision.log_index));
    }

    #[test]
    fn stages_carry_their_deadlines_and_lateness() {
        let day = 86_400;
        let stages = Stage::from_transitions(&[
            (CaseStatus::Intake, 0, None),
            (CaseStatus::Accepted, 10 * day, None),
        ]);
        assert_eq!(stages[0].deadline, Some(7 * day));
        assert_eq!(stages[0].days_late, 3);
        assert_eq!(stages[1].left_at, None);
        assert_eq!(stages[1].days_late, 0);
    }
}
